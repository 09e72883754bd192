"""Open311 GeoReport v2 in XML: the same resources as the JSON twins, in the spec's shape."""

from decimal import Decimal
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from hromada.accounts.models import Role
from hromada.services.models import IssueReport, IssueStatus
from hromada.services.services import issue_category_upsert, issue_report_create, issue_status_set

XML = "text/xml; charset=utf-8"


@pytest.fixture
def street_light(bodies):
    return issue_category_upsert(
        actor=None,
        code="street-light",
        name="Не працює освітлення",
        organisation=bodies["infrastructure_dept"],
    )


def parse(response) -> ElementTree.Element:
    assert response["Content-Type"] == XML
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return ElementTree.fromstring(response.content)


def report(category, description="Яма.", address="вул. Соборна, 16"):
    return issue_report_create(category=category, description=description, address=address)


def test_services_xml_lists_the_same_codes_as_json(client, pothole, street_light):
    as_json = client.get(reverse("services:open311_services")).json()

    root = parse(client.get(reverse("services:open311_services_xml")))

    assert root.tag == "services"
    assert [s.findtext("service_code") for s in root.findall("service")] == [
        s["service_code"] for s in as_json
    ]
    first = root.find("service")
    assert first.findtext("metadata") == "false"
    assert first.find("keywords").text in (None, "")
    assert {child.tag for child in first} == set(as_json[0])


def test_service_definition_xml_has_an_empty_attribute_list(client, pothole):
    response = client.get(reverse("services:open311_service_xml", kwargs={"code": "pothole"}))

    root = parse(response)
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "pothole"
    assert root.find("attributes") is not None
    assert list(root.find("attributes")) == []


def test_unknown_service_code_is_an_xml_error_with_the_json_status(client, pothole):
    as_json = client.get(reverse("services:open311_service", kwargs={"code": "nope"}))

    response = client.get(reverse("services:open311_service_xml", kwargs={"code": "nope"}))

    assert response.status_code == as_json.status_code == 404
    root = parse(response)
    assert root.tag == "errors"
    assert root.findtext("error/code") == "404"
    assert "nope" in root.findtext("error/description")


def test_post_to_requests_xml_creates_a_request_and_returns_its_id(client, pothole):
    response = client.post(
        reverse("services:open311_requests_xml"),
        {
            "service_code": "pothole",
            "lat": "49.4215",
            "long": "26.996",
            "description": "Яма на Проскурівській.",
        },
    )

    assert response.status_code == 201
    root = parse(response)
    assert root.tag == "service_requests"
    created = IssueReport.objects.get()
    assert root.findtext("request/service_request_id") == str(created.pk)
    assert root.find("request/account_id").text in (None, "")
    assert created.description == "Яма на Проскурівській."


def test_refused_post_to_requests_xml_is_explained_and_writes_nothing(client, pothole):
    response = client.post(
        reverse("services:open311_requests_xml"),
        {"service_code": "pothole", "lat": "50.45", "long": "30.52", "description": "Яма."},
    )

    assert response.status_code == 400
    assert "outside" in parse(response).findtext("error/description")
    assert not IssueReport.objects.exists()


def test_request_detail_xml_gives_the_status(client, pothole):
    created = issue_report_create(
        category=pothole,
        description="Яма.",
        latitude=Decimal("49.4215"),
        longitude=Decimal("26.996"),
    )

    response = client.get(reverse("services:open311_request_xml", kwargs={"pk": created.pk}))

    request = parse(response).find("request")
    assert request.findtext("service_request_id") == str(created.pk)
    assert request.findtext("status") == "open"
    assert request.findtext("service_code") == "pothole"
    assert float(request.findtext("lat")) == pytest.approx(49.4215)
    # None in the JSON twin is an empty element here.
    assert request.find("expected_datetime").text in (None, "")


def test_missing_request_xml_is_a_404_error(client, pothole):
    response = client.get(reverse("services:open311_request_xml", kwargs={"pk": 999}))

    assert response.status_code == 404
    assert parse(response).findtext("error/code") == "404"


def test_requests_xml_filters_by_status_and_service_code(
    client, pothole, street_light, user_factory, bodies
):
    still_open = report(pothole)
    fixed = report(pothole, description="Вже засипали.")
    report(street_light, description="Темно.")
    road_staff = user_factory(role=Role.STAFF, organisation=bodies["infrastructure_dept"])
    issue_status_set(report=fixed, actor=road_staff, status=IssueStatus.FIXED)
    params = {"service_code": "pothole", "status": "open"}

    root = parse(client.get(reverse("services:open311_requests_xml"), params))

    assert [r.findtext("service_request_id") for r in root.findall("request")] == [
        str(still_open.pk)
    ]
    as_json = client.get(reverse("services:open311_requests"), params).json()
    assert [r["service_request_id"] for r in as_json] == [str(still_open.pk)]


def test_bad_filter_on_requests_xml_is_an_xml_error(client, pothole):
    response = client.get(reverse("services:open311_requests_xml"), {"status": "lost"})

    assert response.status_code == 400
    assert parse(response).findtext("error/code") == "400"


def test_discovery_xml_lists_both_formats(client):
    root = parse(client.get(reverse("services:open311_discovery_xml")))

    assert root.tag == "discovery"
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == [
        "text/xml",
        "application/json",
    ]


def test_characters_xml_cannot_carry_are_dropped(client, pothole):
    created = report(pothole, description="Яма\x0b глибока.")

    response = client.get(reverse("services:open311_request_xml", kwargs={"pk": created.pk}))

    assert parse(response).findtext("request/description") == "Яма глибока."
