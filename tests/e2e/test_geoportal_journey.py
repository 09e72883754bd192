import pytest

from hromada.registries.models import Record
from tests.registries.factories import build_demo

pytestmark = pytest.mark.django_db(transaction=True)


def _wait_for_map(page):
    page.wait_for_selector("#map[data-loaded='true']")
    return int(page.locator("#map").get_attribute("data-shown"))


def _open_a_marker(page):
    """Click clusters until a single marker shows, then click it and open its popup."""
    for _attempt in range(6):
        markers = page.locator(".leaflet-marker-icon[data-record]")
        if markers.count():
            markers.first.click()
            return
        page.locator(".marker-cluster").first.click()
        page.wait_for_timeout(600)
    raise AssertionError("no single marker became visible")


def test_map_filter_record_and_table(page, assert_accessible):
    build_demo()
    total = Record.objects.count()
    page.goto("/geoportal/")
    assert _wait_for_map(page) == total
    assert page.locator(".leaflet-marker-icon, .marker-cluster").count() > 0
    assert page.locator("path.leaflet-interactive").count() > 0  # roads and houses
    assert_accessible(page)

    page.select_option("#id_layer", "cultural_heritage")
    page.click("#apply-filters")
    heritage = Record.objects.filter(registry__key="cultural_heritage").count()
    assert _wait_for_map(page) == heritage
    page.select_option("#id_f_object_type", "археології")
    page.click("#apply-filters")
    expected = list(
        Record.objects.filter(
            registry__key="cultural_heritage", properties__object_type="археології"
        ).values_list("pk", flat=True)
    )
    assert _wait_for_map(page) == len(expected) < heritage
    assert page.locator("#feature-count").get_attribute("data-count") == str(len(expected))
    assert "object_type=" in page.url
    assert_accessible(page)

    _open_a_marker(page)
    link = page.locator(".leaflet-popup .record-link")
    link.wait_for()
    record_pk = int(link.get_attribute("href").rstrip("/").rsplit("/", 1)[-1])
    assert record_pk in expected
    link.click()
    page.wait_for_selector("#record-title")
    assert page.locator("#record-title").inner_text() == Record.objects.get(pk=record_pk).label
    page.wait_for_selector("#record-map[data-loaded='true']")
    assert_accessible(page)

    page.go_back()
    _wait_for_map(page)
    page.click("#table-link")
    page.wait_for_selector("table[data-registry='cultural_heritage']")
    shown = page.locator("tr[data-record]").evaluate_all(
        "rows => rows.map(row => Number(row.dataset.record))"
    )
    assert sorted(shown) == sorted(expected)
    assert_accessible(page)


def test_map_page_without_javascript_offers_the_table(browser, live_server):
    build_demo()
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/geoportal/?layer=roads")
    assert page.locator(".map-fallback").is_visible()
    page.click("#table-link")
    assert (
        page.locator("tr[data-record]").count()
        == Record.objects.filter(registry__key="roads").count()
    )
    context.close()
