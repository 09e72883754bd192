"""Open311 GeoReport v2 (JSON and XML) over the city-issue reports, at /open311/v2/.

Spec: https://wiki.open311.org/GeoReport_v2. Our six detailed statuses map onto the
spec's two (open, closed); the detailed one is in ``status_notes``' first line.
Each view builds plain dicts once; ``fmt`` (from the URL's extension) only picks the
renderer, so the two formats cannot drift apart.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any
from xml.etree import ElementTree

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from hromada.services import selectors, services
from hromada.services.models import ISSUE_CLOSED, IssueCategory, IssueReport, IssueStatus
from hromada.services.services import ServiceRefused

MAX_RESULTS = 1000


# The spec's XML names each list item after its container (services/service, ...).
XML_ITEM = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}
XML_CONTENT_TYPE = "text/xml; charset=utf-8"
# Characters XML 1.0 cannot carry at all; a reporter's text may contain them, and one of
# them would make the whole document unparseable for every client.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _XML_ILLEGAL.sub("", str(value))


def _xml_fill(element: ElementTree.Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _xml_fill(ElementTree.SubElement(element, key), child)
    elif isinstance(value, list):
        item = XML_ITEM.get(element.tag, element.tag.removesuffix("s"))
        for child in value:
            _xml_fill(ElementTree.SubElement(element, item), child)
    else:
        element.text = _xml_text(value)


def _xml(root: str, payload: Any) -> bytes:
    element = ElementTree.Element(root)
    _xml_fill(element, payload)
    # Written by hand: the spec asks for encoding="UTF-8" in the declaration, and
    # ElementTree's own declaration uses single quotes and lower case.
    body = ElementTree.tostring(element, encoding="unicode", short_empty_elements=False)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body).encode()


def _render(
    payload: Any, *, fmt: str, root: str, status: int = 200, cors: bool = False
) -> HttpResponse:
    if fmt == "xml":
        response = HttpResponse(_xml(root, payload), status=status, content_type=XML_CONTENT_TYPE)
    else:
        response = JsonResponse(
            payload,
            status=status,
            safe=False,
            json_dumps_params={"ensure_ascii": False},
        )
    if cors:
        response["Access-Control-Allow-Origin"] = "*"
    return response


def _error(status: int, description: str, fmt: str = "json") -> HttpResponse:
    return _render(
        [{"code": status, "description": description}], fmt=fmt, root="errors", status=status
    )


def _list(payload: list[dict[str, Any]], *, fmt: str, root: str, status: int = 200) -> HttpResponse:
    return _render(payload, fmt=fmt, root=root, status=status, cors=True)


@require_GET
def discovery(request: HttpRequest, fmt: str = "json") -> HttpResponse:
    base = request.build_absolute_uri(reverse("services:open311_services")).rsplit("/", 1)[0]
    return _render(
        {
            "changeset": timezone.now().date().isoformat(),
            "contact": "Хмельницька міська рада",
            "endpoints": [
                {
                    "specification": "http://wiki.open311.org/GeoReport_v2",
                    "url": base,
                    "changeset": timezone.now().date().isoformat(),
                    "type": "production",
                    "formats": ["text/xml", "application/json"],
                }
            ],
        },
        fmt=fmt,
        root="discovery",
    )


def _service_json(category: IssueCategory) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": False,
        "type": "realtime",
        "keywords": "",
        "group": category.group,
    }


@require_GET
def service_list(request: HttpRequest, fmt: str = "json") -> HttpResponse:
    return _list([_service_json(c) for c in selectors.issue_categories()], fmt=fmt, root="services")


@require_GET
def service_definition(request: HttpRequest, code: str, fmt: str = "json") -> HttpResponse:
    if not IssueCategory.objects.filter(code=code).exists():
        return _error(404, f"Unknown service_code {code}.", fmt)
    return _render({"service_code": code, "attributes": []}, fmt=fmt, root="service_definition")


def _request_json(request: HttpRequest, report: IssueReport) -> dict[str, Any]:
    note = report.get_status_display()
    if report.status_note:
        note = f"{note}\n{report.status_note}"
    return {
        "service_request_id": str(report.pk),
        "status": "closed" if report.status in ISSUE_CLOSED else "open",
        "status_notes": str(note),
        "service_name": report.category.name,
        "service_code": report.category.code,
        "description": report.description,
        "agency_responsible": report.organisation.name,
        "service_notice": "",
        "requested_datetime": report.created_at.isoformat(),
        "updated_datetime": report.updated_at.isoformat(),
        "expected_datetime": None,
        "address": report.address,
        "address_id": None,
        "zipcode": None,
        "lat": float(report.latitude) if report.latitude is not None else None,
        "long": float(report.longitude) if report.longitude is not None else None,
        "media_url": request.build_absolute_uri(
            reverse("services:issue_photo", kwargs={"pk": report.pk})
        )
        if report.photo
        else "",
    }


def _decimal(value: str | None) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(value).quantize(Decimal("0.000001"))
    except InvalidOperation as error:
        raise ValueError(value) from error


@csrf_exempt
@require_http_methods(["GET", "POST"])
def requests_collection(request: HttpRequest, fmt: str = "json") -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    params = request.GET
    ids = [int(i) for i in params.get("service_request_id", "").split(",") if i.strip().isdigit()]
    if ids:
        reports = selectors.issue_reports_public(ids=ids)
    else:
        start = parse_datetime(params["start_date"]) if params.get("start_date") else None
        end = parse_datetime(params["end_date"]) if params.get("end_date") else None
        if (params.get("start_date") and start is None) or (params.get("end_date") and end is None):
            return _error(400, "start_date and end_date must be W3C date-times.", fmt)
        statuses = ""
        if params.get("status"):
            wanted = set(params["status"].split(","))
            if not wanted <= {"open", "closed"}:
                return _error(400, "status is open, closed or both.", fmt)
            chosen = []
            if "open" in wanted:
                chosen += [s for s in IssueStatus.values if s not in ISSUE_CLOSED]
            if "closed" in wanted:
                chosen += list(ISSUE_CLOSED)
            statuses = ",".join(chosen)
        if start is None and end is None:
            start = timezone.now() - timezone.timedelta(days=90)
        reports = selectors.issue_reports_public(
            category=params.get("service_code", ""), status=statuses, start=start, end=end
        )
    return _list(
        [_request_json(request, r) for r in reports[:MAX_RESULTS]],
        fmt=fmt,
        root="service_requests",
    )


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    data = request.POST
    category = IssueCategory.objects.filter(code=data.get("service_code", "")).first()
    if category is None:
        return _error(400, "service_code is missing or unknown.", fmt)
    try:
        latitude = _decimal(data.get("lat"))
        longitude = _decimal(data.get("long"))
    except ValueError:
        return _error(400, "lat and long must be numbers.", fmt)
    name = " ".join(part for part in (data.get("first_name"), data.get("last_name")) if part)
    try:
        report = services.issue_report_create(
            category=category,
            description=data.get("description", ""),
            latitude=latitude,
            longitude=longitude,
            address=data.get("address_string", ""),
            reporter_name=name,
            reporter_email=data.get("email", "")[:254],
        )
    except ServiceRefused as refused:
        return _error(400, refused.message, fmt)
    return _list(
        [
            {
                "service_request_id": str(report.pk),
                "service_notice": f"{report.organisation.name}",
                "account_id": None,
            }
        ],
        fmt=fmt,
        root="service_requests",
        status=201,
    )


@require_GET
def request_detail(request: HttpRequest, pk: int, fmt: str = "json") -> HttpResponse:
    report = IssueReport.objects.select_related("category", "organisation").filter(pk=pk).first()
    if report is None:
        return _error(404, f"No service request {pk}.", fmt)
    return _list([_request_json(request, report)], fmt=fmt, root="service_requests")
