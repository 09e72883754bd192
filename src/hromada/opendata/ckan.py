"""A read-only subset of the CKAN Action API (v3) at /api/3/action/<name> and /api/action/<name>.

Responses use CKAN's envelope (``help``, ``success``, ``result``) and its errors
(404 ``Not Found Error``, 409 ``Validation Error``, 400 for an unknown action), so the
``ckanapi`` client, its ``dump`` command and CKAN harvesters work against Hromada.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.csrf import csrf_exempt

from hromada.core.models import Organisation
from hromada.opendata import selectors
from hromada.opendata.downloads import distribution_url
from hromada.opendata.models import Dataset

CKAN_VERSION = "2.10.4"
ROWS_DEFAULT = 10
ROWS_MAX = 1000
DEFAULT_FACETS = ["organization", "groups", "tags", "res_format", "license_id"]


class NotFound(Exception):
    pass


class ValidationFailed(Exception):
    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(str(errors))
        self.errors = errors


# --- shapes ------------------------------------------------------------------------------------


def _iso(value: datetime | None) -> str | None:
    # CKAN writes naive UTC timestamps with microseconds.
    if value is None:
        return None
    return timezone.localtime(value, UTC).replace(tzinfo=None).isoformat()


def organization_dict(
    request: HttpRequest, organisation: Organisation, count: int | None = None
) -> dict[str, Any]:
    result = {
        "id": organisation.key,
        "name": organisation.key.replace("_", "-"),
        "title": organisation.name,
        "display_name": organisation.name,
        "description": organisation.description,
        "type": "organization",
        "is_organization": True,
        "state": "active",
        "approval_status": "approved",
        "image_url": "",
        "created": None,
    }
    if count is not None:
        result["package_count"] = count
    return result


def group_dict(theme: str, count: int | None = None) -> dict[str, Any]:
    result = {
        "id": theme,
        "name": theme,
        "title": selectors.theme_title(theme),
        "display_name": selectors.theme_title(theme),
        "description": "",
        "type": "group",
        "is_organization": False,
        "state": "active",
        "approval_status": "approved",
        "image_url": "",
    }
    if count is not None:
        result["package_count"] = count
    return result


def resource_dict(
    request: HttpRequest, dataset: Dataset, distribution: selectors.Distribution, position: int
) -> dict[str, Any]:
    return {
        "id": distribution.resource_id(dataset.key),
        "package_id": selectors.dataset_uuid(dataset),
        "name": str(distribution.title),
        "description": "",
        "format": distribution.format,
        "mimetype": distribution.media_type,
        "url": distribution_url(request, dataset, distribution.code),
        "url_type": None,
        "state": "active",
        "position": position,
        "created": _iso(dataset.created_at),
        "last_modified": _iso(dataset.data_modified_at),
        "metadata_modified": _iso(dataset.metadata_modified_at),
    }


def package_dict(request: HttpRequest, dataset: Dataset) -> dict[str, Any]:
    licence_title, licence_url = selectors.licence_info(dataset.licence)
    keeper = dataset.keeper
    resources = [
        resource_dict(request, dataset, distribution, position)
        for position, distribution in enumerate(selectors.distributions_of(dataset))
    ]
    groups = [group_dict(dataset.theme)] if dataset.theme else []
    return {
        "id": selectors.dataset_uuid(dataset),
        "name": dataset.key,
        "title": dataset.title,
        "notes": dataset.description,
        "type": "dataset",
        "state": "active",
        "private": False,
        "isopen": dataset.licence in selectors.LICENCES,
        "license_id": dataset.licence,
        "license_title": licence_title,
        "license_url": licence_url,
        "url": request.build_absolute_uri(dataset.get_absolute_url()),
        "version": None,
        "author": keeper.name,
        "author_email": dataset.contact_email,
        "maintainer": keeper.name,
        "maintainer_email": dataset.contact_email,
        "metadata_created": _iso(dataset.created_at),
        "metadata_modified": _iso(dataset.metadata_modified_at),
        "owner_org": keeper.key,
        "organization": organization_dict(request, keeper),
        "groups": groups,
        "tags": [
            {"id": tag, "name": tag, "display_name": tag, "state": "active", "vocabulary_id": None}
            for tag in dataset.tags
        ],
        "num_tags": len(dataset.tags),
        "resources": resources,
        "num_resources": len(resources),
        "extras": [
            {"key": "update_frequency", "value": dataset.update_frequency},
            {"key": "data_modified", "value": _iso(dataset.data_modified_at) or ""},
            {"key": "overdue", "value": "true" if selectors.is_overdue(dataset) else "false"},
        ],
        "relationships_as_object": [],
        "relationships_as_subject": [],
    }


# --- parameters ----------------------------------------------------------------------------------


def _int(data: dict[str, Any], name: str, default: int, *, high: int | None = None) -> int:
    raw = data.get(name, default)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError) as error:
        raise ValidationFailed({name: ["Invalid integer"]}) from error
    if value < 0:
        raise ValidationFailed({name: ["Must be a natural number"]})
    return min(value, high) if high is not None else value


def _bool(data: dict[str, Any], name: str) -> bool:
    raw = data.get(name, False)
    if isinstance(raw, str):
        return raw.strip().lower() in {"true", "1", "yes", "on"}
    return bool(raw)


def _list(data: dict[str, Any], name: str) -> list[str] | None:
    raw = data.get(name)
    if raw in (None, ""):
        return None
    if isinstance(raw, list):
        return [str(item) for item in raw]
    try:
        value = json.loads(raw)
    except (TypeError, ValueError) as error:
        raise ValidationFailed({name: ["Invalid JSON list"]}) from error
    if not isinstance(value, list):
        raise ValidationFailed({name: ["Must be a list"]})
    return [str(item) for item in value]


def _required(data: dict[str, Any], name: str = "id") -> str:
    value = data.get(name)
    if value in (None, ""):
        raise ValidationFailed({name: ["Missing value"]})
    return str(value)


# --- search --------------------------------------------------------------------------------------

FQ_TERM = re.compile(r'([+-]?)([\w.]+):("(?:[^"\\]|\\.)*"|\[[^\]]*\]|\S+)')


def _fq_time(text: str) -> datetime | None:
    text = text.strip()
    if text in ("*", ""):
        return None
    text = text.replace("NOW", "")
    value = parse_datetime(text.rstrip("Z") + ("+00:00" if text.endswith("Z") else ""))
    if value is None:
        day = parse_date(text[:10])
        if day is None:
            raise ValidationFailed({"fq": [f"Invalid date: {text}"]})
        value = datetime(day.year, day.month, day.day)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


def _matches_term(request: HttpRequest, dataset: Dataset, field: str, value: str) -> bool:
    value = value.strip('"')
    if field in {"organization", "owner_org"}:
        return value in {dataset.keeper.key, dataset.keeper.key.replace("_", "-")}
    if field in {"tags", "tag"}:
        return value in dataset.tags
    if field == "groups":
        return dataset.theme == value
    if field == "res_format":
        return value.lower() in {
            item.format.lower() for item in selectors.distributions_of(dataset)
        }
    if field == "license_id":
        return dataset.licence == value
    if field == "name":
        return dataset.key == value
    if field in {"metadata_modified", "metadata_created"} and value.startswith("["):
        low, _to, high = value.strip("[]").partition(" TO ")
        moment = (
            dataset.metadata_modified_at if field == "metadata_modified" else dataset.created_at
        )
        start, end = _fq_time(low), _fq_time(high)
        return (start is None or moment >= start) and (end is None or moment <= end)
    if field in {"dataset_type", "type"}:
        return value == "dataset"
    if field in {"state", "capacity"}:
        return value in {"active", "public"}
    # An unknown field matches nothing, as in CKAN's Solr index.
    return False


def _matches_fq(request: HttpRequest, dataset: Dataset, fq: str) -> bool:
    for sign, field, value in FQ_TERM.findall(fq):
        matched = _matches_term(request, dataset, field, value)
        if (sign == "-" and matched) or (sign != "-" and not matched):
            return False
    return True


def _matches_q(dataset: Dataset, q: str) -> bool:
    q = q.strip()
    if not q or q == "*:*":
        return True
    if ":" in q:
        field, _sep, value = q.partition(":")
        if field in {"name", "title", "tags"}:
            value = value.strip('"').lower()
            if field == "tags":
                return value in [tag.lower() for tag in dataset.tags]
            return value in getattr(dataset, "key" if field == "name" else "title").lower()
    text = " ".join(
        [dataset.key, dataset.title, dataset.description, *dataset.tags, dataset.keeper.name]
    ).lower()
    return all(word in text for word in q.lower().split())


SORT_KEYS: dict[str, Callable[[Dataset], Any]] = {
    "metadata_modified": lambda dataset: dataset.metadata_modified_at,
    "metadata_created": lambda dataset: dataset.created_at,
    "name": lambda dataset: dataset.key,
    "title_string": lambda dataset: dataset.title.lower(),
    "title": lambda dataset: dataset.title.lower(),
    "score": lambda dataset: 0,
}


def _sorted(datasets: list[Dataset], sort: str) -> list[Dataset]:
    clauses = [clause.split() for clause in sort.split(",") if clause.strip()]
    for clause in reversed(clauses):
        field = clause[0]
        direction = clause[1].lower() if len(clause) > 1 else "asc"
        if field not in SORT_KEYS or direction not in {"asc", "desc"}:
            raise ValidationFailed({"sort": [f"Invalid sort: {' '.join(clause)}"]})
        datasets.sort(key=SORT_KEYS[field], reverse=direction == "desc")
    return datasets


def _facet_values(request: HttpRequest, dataset: Dataset, field: str) -> list[tuple[str, str]]:
    if field == "organization":
        return [(dataset.keeper.key.replace("_", "-"), dataset.keeper.name)]
    if field == "groups":
        return [(dataset.theme, selectors.theme_title(dataset.theme))] if dataset.theme else []
    if field == "tags":
        return [(tag, tag) for tag in dataset.tags]
    if field == "res_format":
        return [
            (fmt, fmt)
            for fmt in dict.fromkeys(item.format for item in selectors.distributions_of(dataset))
        ]
    if field == "license_id":
        return [(dataset.licence, selectors.licence_info(dataset.licence)[0])]
    return []


# --- actions -------------------------------------------------------------------------------------


def status_show(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    """Return the site's status: CKAN version, site title and URL, extensions."""
    return {
        "ckan_version": CKAN_VERSION,
        "site_title": settings.HROMADA_NAME,
        "site_description": "Hromada: open data of the community",
        "site_url": request.build_absolute_uri("/").rstrip("/"),
        "error_emails_to": None,
        "locale_default": settings.LANGUAGE_CODE,
        "extensions": ["dcat", "hromada"],
    }


def package_list(request: HttpRequest, data: dict[str, Any]) -> list[str]:
    """Return the names of the public data sets (``limit``, ``offset``)."""
    names = list(selectors.datasets_public().order_by("key").values_list("key", flat=True))
    offset = _int(data, "offset", 0)
    limit = _int(data, "limit", len(names))
    return names[offset : offset + limit]


def current_package_list_with_resources(
    request: HttpRequest, data: dict[str, Any]
) -> list[dict[str, Any]]:
    """Return data sets with their resources, most recently changed first (``limit``, ``offset``)."""
    datasets = list(selectors.datasets_public().order_by("-metadata_modified_at", "key"))
    offset = _int(data, "offset", 0)
    limit = _int(data, "limit", len(datasets))
    return [package_dict(request, dataset) for dataset in datasets[offset : offset + limit]]


def package_show(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    """Return one data set by ``id`` (its id or name); other keys are ignored."""
    try:
        dataset = selectors.dataset_by_key(key=_required(data, "id"))
    except Dataset.DoesNotExist as missing:
        raise NotFound from missing
    return package_dict(request, dataset)


def package_search(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    """Search data sets: ``q``, ``fq`` (organization, tags, groups, res_format, license_id,
    metadata_modified:[FROM TO *]), ``sort``, ``rows`` (at most 1000), ``start``,
    ``facet.field``; returns ``count``, ``results``, ``facets`` and ``search_facets``."""
    rows = _int(data, "rows", ROWS_DEFAULT, high=ROWS_MAX)
    start = _int(data, "start", 0)
    q = str(data.get("q") or "")
    fq = str(data.get("fq") or "")
    sort = str(data.get("sort") or "score desc, metadata_modified desc")
    datasets = [
        dataset
        for dataset in selectors.datasets_public()
        if _matches_q(dataset, q) and _matches_fq(request, dataset, fq)
    ]
    datasets = _sorted(datasets, sort)
    facet_fields = _list(data, "facet.field")
    if facet_fields is None:
        facet_fields = DEFAULT_FACETS
    limit = _int(data, "facet.limit", 50)
    facets: dict[str, dict[str, int]] = {}
    search_facets: dict[str, Any] = {}
    for field in facet_fields:
        counts: Counter[str] = Counter()
        titles: dict[str, str] = {}
        for dataset in datasets:
            for name, title in _facet_values(request, dataset, field):
                counts[name] += 1
                titles[name] = title
        top = counts.most_common(limit if limit > 0 else None)
        facets[field] = dict(top)
        search_facets[field] = {
            "title": field,
            "items": [
                {"name": name, "display_name": titles[name], "count": count} for name, count in top
            ],
        }
    return {
        "count": len(datasets),
        "sort": sort,
        "results": [package_dict(request, dataset) for dataset in datasets[start : start + rows]],
        "facets": facets,
        "search_facets": search_facets,
    }


def resource_show(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    """Return one resource (distribution) by ``id``."""
    found = selectors.distribution_by_resource_id(_required(data, "id"))
    if found is None:
        raise NotFound
    key, distribution = found
    try:
        dataset = selectors.dataset_by_key(key=key)
    except Dataset.DoesNotExist as missing:
        raise NotFound from missing
    distributions = selectors.distributions_of(dataset)
    if distribution not in distributions:
        raise NotFound
    return resource_dict(request, dataset, distribution, distributions.index(distribution))


def _keepers() -> list[tuple[Organisation, int]]:
    counts = Counter(selectors.datasets_public().values_list("keeper_id", flat=True))
    organisations = Organisation.objects.filter(pk__in=counts).order_by("key")
    return [(organisation, counts[organisation.pk]) for organisation in organisations]


def organization_list(request: HttpRequest, data: dict[str, Any]) -> list[Any]:
    """Return the organisations that keep public data sets (``all_fields``, ``limit``, ``offset``)."""
    keepers = _keepers()
    offset = _int(data, "offset", 0)
    limit = _int(data, "limit", len(keepers))
    keepers = keepers[offset : offset + limit]
    if _bool(data, "all_fields"):
        return [organization_dict(request, organisation, count) for organisation, count in keepers]
    return [organisation.key.replace("_", "-") for organisation, _count in keepers]


def organization_show(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    """Return one organisation by ``id`` (its name); ``include_datasets`` lists its data sets."""
    wanted = _required(data, "id")
    for organisation, count in _keepers():
        if wanted in {organisation.key, organisation.key.replace("_", "-")}:
            result = organization_dict(request, organisation, count)
            datasets = selectors.datasets_public().filter(keeper=organisation)
            if _bool(data, "include_datasets"):
                result["packages"] = [package_dict(request, dataset) for dataset in datasets]
            return result
    raise NotFound


def _themes() -> list[tuple[str, int]]:
    counts = Counter(selectors.datasets_public().exclude(theme="").values_list("theme", flat=True))
    return sorted(counts.items())


def group_list(request: HttpRequest, data: dict[str, Any]) -> list[Any]:
    """Return the themes data sets are filed under (``all_fields``)."""
    if _bool(data, "all_fields"):
        return [group_dict(theme, count) for theme, count in _themes()]
    return [theme for theme, _count in _themes()]


def group_show(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    """Return one theme by ``id``; ``include_datasets`` lists its data sets."""
    wanted = _required(data, "id")
    for theme, count in _themes():
        if theme == wanted:
            result = group_dict(theme, count)
            if _bool(data, "include_datasets"):
                result["packages"] = [
                    package_dict(request, dataset)
                    for dataset in selectors.datasets_public().filter(theme=theme)
                ]
            return result
    raise NotFound


def tag_list(request: HttpRequest, data: dict[str, Any]) -> list[Any]:
    """Return the keywords of public data sets (``query`` narrows, ``all_fields``)."""
    tags = sorted(
        {tag for tags in selectors.datasets_public().values_list("tags", flat=True) for tag in tags}
    )
    query = str(data.get("query") or "").lower()
    if query:
        tags = [tag for tag in tags if query in tag.lower()]
    if _bool(data, "all_fields"):
        return [
            {"id": tag, "name": tag, "display_name": tag, "vocabulary_id": None} for tag in tags
        ]
    return tags


def help_show(request: HttpRequest, data: dict[str, Any]) -> str:
    """Return the help text of the action ``name``."""
    name = _required(data, "name")
    action = ACTIONS.get(name)
    if action is None:
        raise NotFound
    return action.__doc__ or ""


ACTIONS: dict[str, Callable[[HttpRequest, dict[str, Any]], Any]] = {
    action.__name__: action
    for action in [
        status_show,
        package_list,
        current_package_list_with_resources,
        package_show,
        package_search,
        resource_show,
        organization_list,
        organization_show,
        group_list,
        group_show,
        tag_list,
        help_show,
    ]
}


# --- the endpoint --------------------------------------------------------------------------------


def _envelope(request: HttpRequest, name: str, status: int, **body: Any) -> JsonResponse:
    help_url = (
        request.build_absolute_uri(reverse("opendata:ckan_action", kwargs={"name": "help_show"}))
        + f"?name={name}"
    )
    return JsonResponse(
        {"help": help_url, **body}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def _request_data(request: HttpRequest) -> dict[str, Any]:
    if request.method == "POST":
        body = request.body
        if (
            body
            and request.content_type != "application/x-www-form-urlencoded"
            and request.content_type != "multipart/form-data"
        ):
            value = json.loads(body.decode("utf-8"))
            if not isinstance(value, dict):
                raise ValueError("not an object")
            return value
        data = {name: request.POST.get(name) for name in request.POST}
        data.update({name: request.GET.get(name) for name in request.GET})
        return data
    return {name: request.GET.get(name) for name in request.GET}


def _failure(
    request: HttpRequest, name: str, status: int, kind: str, error: dict[str, Any]
) -> JsonResponse:
    """CKAN's error envelope: success false and an error object typed by ``kind``
    (``error`` is a dict: a validation error's keys are field names such as "name")."""
    return _envelope(request, name, status, success=False, error={"__type": kind, **error})


@csrf_exempt
def action(request: HttpRequest, name: str) -> JsonResponse:
    if request.method not in {"GET", "POST", "HEAD"}:
        return _failure(request, name, 405, "Bad Request", {"message": "Method not allowed"})
    handler = ACTIONS.get(name)
    if handler is None:
        message = f"Bad request - Action name not known: {name}"
        return _failure(request, name, 400, "Bad Request", {"message": message})
    try:
        data = _request_data(request)
    except (ValueError, UnicodeDecodeError):
        message = "Bad request - JSON Error: could not read the request body"
        return _failure(request, name, 400, "Bad Request", {"message": message})
    try:
        result = handler(request, data)
    except NotFound:
        return _failure(request, name, 404, "Not Found Error", {"message": "Not found"})
    except ValidationFailed as failed:
        return _failure(request, name, 409, "Validation Error", failed.errors)
    return _envelope(request, name, 200, success=True, result=result)
