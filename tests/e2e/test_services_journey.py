"""Browser journey of the resident's cabinet: apply → more information → result."""

import re

import pytest
from django_otp.oath import TOTP

from hromada.accounts.models import Role
from hromada.services.models import Application, Status
from tests.conftest import PASSWORD
from tests.services.conftest import PDF, make_service

pytestmark = pytest.mark.django_db(transaction=True)


def current_code(device) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def upload(name: str) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF}


def status_of(page) -> str:
    return page.locator("#application-status").get_attribute("data-status")


def test_resident_applies_staff_asks_for_more_then_issues_the_result(
    page,
    browser,
    live_server,
    settings,
    organisation_factory,
    user_factory,
    totp_device_for,
    assert_accessible,
):
    settings.DEMO_MODE = True
    bodies = {
        key: organisation_factory(key=key, name=name)
        for key, name in [
            ("admin_services", "Управління адміністративних послуг"),
            ("architecture_dept", "Управління архітектури та містобудування"),
        ]
    }
    service = make_service(bodies)
    staff = user_factory(
        role=Role.STAFF,
        organisation=bodies["admin_services"],
        email="cnap@example.org",
        full_name="Наталія Мельничук",
    )
    device = totp_device_for(staff)

    # A resident opens the card and confirms a (demo) e-ID identity before applying.
    page.goto(service.get_absolute_url())
    assert_accessible(page)
    page.goto(f"/accounts/demo-id/?next=/services/card/{service.code}/apply/")
    assert_accessible(page)
    page.locator("#identity-olena").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/apply/$"))
    assert_accessible(page)
    page.locator("#id_address").fill("вул. Проскурівська, 41, кв. 12")
    page.locator("#id_purpose").select_option("bank")
    page.locator("#id_passport").set_input_files(files=[upload("pasport.pdf")])
    page.locator("#submit-application").click()
    page.wait_for_url(re.compile(r"/services/my/\d+/$"))
    assert status_of(page) == Status.SUBMITTED
    assert_accessible(page)
    application = Application.objects.get(status=Status.SUBMITTED)
    resident_url = page.url

    # Staff sign in with a TOTP code and ask for more information.
    staff_context = browser.new_context(base_url=live_server.url, locale="uk-UA")
    staff_page = staff_context.new_page()
    staff_page.route(
        re.compile(r"^(?!https?://(localhost|127\.0\.0\.1)[:/]).*"), lambda route: route.abort()
    )
    try:
        staff_page.goto("/accounts/signin/?next=/services/staff/")
        staff_page.locator("#id_email").fill(staff.email)
        staff_page.locator("#id_password").fill(PASSWORD)
        staff_page.locator("#id_code").fill(current_code(device))
        staff_page.locator("main form button[type=submit]").click()
        staff_page.wait_for_url(re.compile(r"/services/staff/$"))
        assert_accessible(staff_page)
        staff_page.get_by_role("link", name=application.number).click()
        assert_accessible(staff_page)
        staff_page.locator("#id_request_info-note").fill("Додайте, будь ласка, свідоцтво про шлюб.")
        staff_page.locator("#form-request-info button[type=submit]").click()
        assert status_of(staff_page) == Status.INFO_REQUESTED

        # The resident sees the request and answers with a document.
        page.goto(resident_url)
        assert "свідоцтво про шлюб" in page.locator("#timeline").inner_text()
        assert_accessible(page)
        page.locator("#id_info-note").fill("Додаю свідоцтво про шлюб.")
        page.locator("#id_info-document").set_input_files(files=[upload("svidotstvo.pdf")])
        page.locator("#send-info").click()
        assert status_of(page) == Status.IN_PROGRESS

        # Staff approve and issue a generated result document.
        staff_page.reload()
        assert "svidotstvo.pdf" in staff_page.locator("main").inner_text()
        staff_page.locator("#id_approve-result_text").fill(
            "Склад сім'ї: Ковальчук Олена Петрівна (заявниця)."
        )
        staff_page.locator("#form-approve button[type=submit]").click()
        assert status_of(staff_page) == Status.DONE
        assert_accessible(staff_page)
    finally:
        staff_context.close()

    # The resident downloads the result from the cabinet and sees the whole timeline.
    page.goto("/services/my/")
    assert_accessible(page)
    page.goto(resident_url)
    assert status_of(page) == Status.DONE
    kinds = page.locator("#timeline li").evaluate_all("items => items.map(i => i.dataset.kind)")
    assert kinds == ["submitted", "info_requested", "info_provided", "result"]
    with page.expect_download() as download:
        page.locator("a.result-download").first.click()
    path = download.value.path()
    with open(path, "rb") as result:
        assert result.read(5) == b"%PDF-"
    assert_accessible(page)


def test_catalogue_statistics_and_city_reports_pages_are_accessible(
    page, organisation_factory, user_factory, assert_accessible
):
    from decimal import Decimal

    from hromada.services.services import issue_category_upsert, issue_report_create

    bodies = {
        "admin_services": organisation_factory(key="admin_services", name="Управління адмінпослуг"),
        "infrastructure_dept": organisation_factory(
            key="infrastructure_dept", name="Департамент інфраструктури"
        ),
    }
    make_service(bodies)
    category = issue_category_upsert(
        actor=None,
        code="pothole",
        name="Вибоїна на дорозі",
        group="Дороги",
        organisation=bodies["infrastructure_dept"],
    )
    report = issue_report_create(
        category=category,
        description="Яма біля переходу.",
        latitude=Decimal("49.4215"),
        longitude=Decimal("26.996"),
        address="вул. Проскурівська, 1",
    )
    for url in [
        "/services/",
        "/services/?q=довідки&online=on",
        "/services/situations/documents/",
        "/services/statistics/",
        "/services/issues/",
        report.get_absolute_url(),
    ]:
        page.goto(url)
        assert_accessible(page)
    assert "Видача довідки про склад сім" in page.goto("/services/?q=довідки").text()

    page.goto("/services/issues/new/")
    assert_accessible(page)
