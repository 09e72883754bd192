"""The public map of city-issue reports and the report form's point picker: server side
(the browser side is tests/e2e/test_services_issues_journey.py)."""

import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from hromada.services import selectors
from hromada.services.models import IssueReport, IssueStatus
from hromada.services.services import issue_report_create


def report(category, *, lat=None, lng=None, address="", text="Яма на проїжджій частині."):
    return issue_report_create(
        category=category,
        description=text,
        latitude=Decimal(lat) if lat else None,
        longitude=Decimal(lng) if lng else None,
        address=address,
    )


def points_on(page: str) -> list[dict]:
    found = re.search(r'<script id="issue-points" type="application/json">(.*?)</script>', page)
    assert found, "the map's data is missing"
    return json.loads(found.group(1))


def test_reports_page_has_map_data_and_keeps_the_list(client, pothole):
    on_map = report(pothole, lat="49.422983", lng="26.987133", address="вул. Проскурівська, 41")
    by_address = report(pothole, address="вул. Зарічанська, 12")

    page = client.get(reverse("services:issues")).content.decode()

    points = points_on(page)
    assert [p["id"] for p in points] == [on_map.pk]
    assert points[0]["lat"] == pytest.approx(49.422983)
    assert points[0]["url"] == on_map.get_absolute_url()
    assert points[0]["category"] == "Вибоїна на дорозі"
    # The list works without JavaScript and holds every report, with or without a point.
    assert 'id="reports-table"' in page
    assert on_map.get_absolute_url() in page and by_address.get_absolute_url() in page
    assert 'class="map-fallback"' in page
    # Leaflet is the geoportal's vendored copy, by its static path; nothing from a CDN.
    assert "/static/registries/vendor/leaflet/leaflet.js" in page
    assert "/static/services/issues_map.js" in page
    # Every script and stylesheet is served from here (a CSRF token may spell "cdn").
    assets = re.findall(r'<script[^>]*\ssrc="([^"]+)"|<link[^>]*\shref="([^"]+)"', page)
    assert assets and all(url.startswith("/") for pair in assets for url in pair if url)


def test_map_follows_the_status_filter(client, pothole):
    fixed = report(pothole, lat="49.42", lng="26.99")
    report(pothole, lat="49.43", lng="26.98")
    IssueReport.objects.filter(pk=fixed.pk).update(status=IssueStatus.FIXED)

    page = client.get(reverse("services:issues"), {"status": "fixed"}).content.decode()

    assert [p["id"] for p in points_on(page)] == [fixed.pk]


def test_map_data_is_one_query_and_bounded(pothole, django_assert_num_queries, monkeypatch):
    for i in range(5):
        report(pothole, lat=f"49.4{i}", lng="26.99")
    monkeypatch.setattr(selectors, "MAP_POINTS_LIMIT", 3)
    with django_assert_num_queries(1):
        points = selectors.issue_map_points(selectors.issue_reports_public())
    assert len(points) == 3


def test_map_data_escapes_text_in_the_page(client, pothole):
    report(pothole, lat="49.42", lng="26.99", address="</script><b>вул. Тестова</b>")
    page = client.get(reverse("services:issues")).content.decode()
    assert "</script><b>" not in page
    assert points_on(page)[0]["address"] == "</script><b>вул. Тестова</b>"


def test_report_form_has_the_point_picker_and_plain_coordinate_fields(client, pothole):
    page = client.get(reverse("services:issue_new")).content.decode()
    # Without JavaScript: the numeric fields, labelled; the picker is hidden until the
    # script shows it.
    assert re.search(r'<label for="id_latitude">', page)
    assert re.search(r'<label for="id_longitude">', page)
    assert re.search(r'<div id="point-picker" class="point-picker" hidden', page)
    assert 'data-bounds="49.28,26.78,49.56,27.18"' in page
    assert "/static/registries/vendor/leaflet/leaflet.js" in page


def test_report_with_typed_coordinates_still_works(client, pothole):
    response = client.post(
        reverse("services:issue_new"),
        {
            "category": pothole.pk,
            "description": "Яма біля зупинки.",
            "latitude": "49.418512",
            "longitude": "26.979944",
            "address": "",
        },
    )
    assert response.status_code == 302
    created = pothole.reports.get()
    assert created.latitude == Decimal("49.418512")
