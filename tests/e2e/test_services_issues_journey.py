"""Browser journey of city-issue reports: the public map with its markers and list, and
the report form's point picker (map click fills the coordinates)."""

import re
from decimal import Decimal

import pytest

from hromada.services.models import IssueReport
from hromada.services.services import issue_category_upsert, issue_report_create

pytestmark = pytest.mark.django_db(transaction=True)

POINTS = [  # spread over the city, so that none cluster at the fitted zoom
    ("49.422983", "26.987133", "вул. Проскурівська, 41"),
    ("49.403210", "26.951420", "вул. Кам'янецька, 122"),
    ("49.438870", "27.004950", "вул. Зарічанська, 12"),
]


@pytest.fixture
def reports(organisation_factory):
    body = organisation_factory(key="infrastructure_dept", name="Департамент інфраструктури")
    pothole = issue_category_upsert(
        actor=None, code="pothole", name="Вибоїна на дорозі", group="Дороги", organisation=body
    )
    made = [
        issue_report_create(
            category=pothole,
            description="Глибока вибоїна на проїжджій частині.",
            latitude=Decimal(lat),
            longitude=Decimal(lng),
            address=address,
        )
        for lat, lng, address in POINTS
    ]
    # One located by its address only: in the list, not on the map.
    made.append(
        issue_report_create(
            category=pothole, description="Вибоїна біля школи.", address="вул. Свободи, 7"
        )
    )
    return made


def wait_for_map(page, selector: str) -> None:
    page.wait_for_selector(f"{selector}[data-loaded='true']")


def test_public_map_shows_the_reports_and_the_list_stays(page, reports, assert_accessible):
    page.goto("/services/issues/")
    wait_for_map(page, "#issues-map")
    assert page.locator("#issues-map").get_attribute("data-shown") == "3"
    markers = page.locator(".leaflet-marker-icon[data-report]")
    assert sorted(markers.evaluate_all("ms => ms.map(m => Number(m.dataset.report))")) == sorted(
        r.pk for r in reports[:3]
    )
    # The table alternative lists every report, the address-only one too.
    rows = page.locator("#reports-table tbody tr")
    assert rows.count() == 4
    assert_accessible(page)

    page.locator(f".leaflet-marker-icon[data-report='{reports[0].pk}']").click()
    link = page.locator(".leaflet-popup .report-link")
    link.wait_for()
    assert "вул. Проскурівська, 41" in page.locator(".leaflet-popup").inner_text()
    link.click()
    page.wait_for_url(re.compile(rf"/services/issues/{reports[0].pk}/$"))
    assert_accessible(page)


def test_point_picker_fills_the_coordinates(page, reports, assert_accessible):
    page.goto("/services/issues/new/")
    wait_for_map(page, "#pick-map")
    assert page.locator("#point-picker").is_visible()
    assert_accessible(page)

    # A click on the map puts the point and fills both numeric fields.
    pick_map = page.locator("#pick-map")
    box = pick_map.bounding_box()
    pick_map.click(position={"x": box["width"] / 2 + 30, "y": box["height"] / 2 - 20})
    lat = float(page.locator("#id_latitude").input_value())
    lng = float(page.locator("#id_longitude").input_value())
    assert 49.28 < lat < 49.56 and 26.78 < lng < 27.18
    assert page.locator("#picker-status").inner_text().strip()

    # Keyboard way: the centre of the map.
    page.locator("#use-centre").click()
    centre = (
        float(page.locator("#id_latitude").input_value()),
        float(page.locator("#id_longitude").input_value()),
    )
    assert centre == (pytest.approx(49.4216, abs=1e-3), pytest.approx(26.9965, abs=1e-3))
    assert_accessible(page)

    page.locator("#id_category").select_option(label="Вибоїна на дорозі")
    page.locator("#id_description").fill("Не світить ліхтар біля зупинки.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/services/issues/\d+/$"))
    created = IssueReport.objects.get(description="Не світить ліхтар біля зупинки.")
    assert float(created.latitude) == pytest.approx(centre[0], abs=1e-6)
    assert_accessible(page)

    page.goto("/services/issues/")
    wait_for_map(page, "#issues-map")
    assert page.locator(f".leaflet-marker-icon[data-report='{created.pk}']").count() == 1


def test_without_javascript_the_list_and_the_coordinate_fields_suffice(
    browser, live_server, reports
):
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, locale="uk-UA"
    )
    page = context.new_page()
    try:
        page.goto("/services/issues/")
        assert page.locator(".map-fallback").is_visible()
        assert page.locator("#reports-table tbody tr").count() == 4
        page.goto("/services/issues/new/")
        assert not page.locator("#point-picker").is_visible()
        page.locator("#id_category").select_option(label="Вибоїна на дорозі")
        page.locator("#id_description").fill("Зламана лавка у сквері.")
        page.locator("#id_latitude").fill("49.421500")
        page.locator("#id_longitude").fill("26.996000")
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(re.compile(r"/services/issues/\d+/$"))
        assert IssueReport.objects.filter(description="Зламана лавка у сквері.").exists()
    finally:
        context.close()
