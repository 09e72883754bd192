"""The accountability loop in a browser: a responsible body reports with evidence, the
coordinator publishes, the public sees the new progress and its history, a follower
is told."""

from pathlib import Path

import pytest
from django_otp.oath import TOTP

from hromada.accounts.models import Role
from hromada.core.models import Notification, Organisation
from hromada.plans.models import Measure
from hromada.plans.services import engagement
from hromada.plans.services.loader import plan_load
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

PLAN_FILE = (
    Path(__file__).resolve().parents[2] / "src/hromada/plans/data/khmelnytskyi-2021-2022.yaml"
)


def code_of(device) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def sign_in(page, user, device) -> None:
    page.goto("/accounts/signin/")
    page.locator("#id_email").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_code").fill(code_of(device))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/accounts/signin/" not in url)


def test_report_is_submitted_published_and_seen_by_the_public(
    browser, live_server, user_factory, totp_device_for, assert_accessible, tmp_path
):
    plan = plan_load(path=PLAN_FILE)
    measure = Measure.objects.get(external_id="khm-2021-1.2")
    staff = user_factory(role=Role.STAFF, organisation=Organisation.objects.get(key="infocentre"))
    coordinator = user_factory(role=Role.COORDINATOR)
    follower = user_factory(email="follower@example.org")
    engagement.follow_set(user=follower, target=measure, following=True)
    evidence = tmp_path / "akt-vykonannia.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

    def new_page():
        context = browser.new_context(base_url=live_server.url, locale="uk-UA")
        return context, context.new_page()

    # 1. Staff of the responsible body drafts a report with evidence and submits it.
    context, page = new_page()
    sign_in(page, staff, totp_device_for(staff))
    page.goto(measure.get_absolute_url())
    assert_accessible(page)
    page.locator(f"a[href='/plan/measures/{measure.external_id}/report/']").click()
    assert_accessible(page)
    page.locator("#id_period_start").fill("2022-07-01")
    page.locator("#id_period_end").fill("2022-12-31")
    page.locator("#id_completion").select_option("substantial")
    page.locator("#id_progress").fill("80")
    page.locator("#id_narrative").fill("Онлайн доступні 78% муніципальних послуг.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/plan/reports/*/")
    assert_accessible(page)
    page.locator("#id_title").fill("Акт виконання робіт")
    page.locator("#id_file").set_input_files(str(evidence))
    page.locator("form[enctype] button[type=submit]").click()
    assert page.locator("#evidence-list").inner_text().strip() == "Акт виконання робіт"
    page.locator("form[action$='/submit/'] button").click()
    assert "state-submitted" in page.locator("#report-state").get_attribute("class")
    context.close()

    # 2. The coordinator publishes it from the review queue.
    context, page = new_page()
    sign_in(page, coordinator, totp_device_for(coordinator))
    page.goto("/plan/review/")
    assert_accessible(page)
    page.locator("main table a").first.click()
    assert_accessible(page)
    page.locator("form[action$='/publish/'] button").click()
    page.wait_for_url("**/plan/review/")
    context.close()

    # 3. An anonymous visitor sees the new progress and the change in the history.
    context, page = new_page()
    page.goto(measure.get_absolute_url())
    assert (
        page.locator("#measure-progress [role=progressbar]").get_attribute("aria-valuenow") == "80"
    )
    history = page.locator("#history-list").inner_text()
    assert "Світлана" not in history  # the coordinator's name is the test user's
    assert "80" in history
    evidence_link = page.locator("a[href^='/plan/evidence/']", has_text="Акт виконання робіт")
    assert page.request.get(evidence_link.get_attribute("href")).body().startswith(b"%PDF")
    assert_accessible(page)
    page.goto(plan.get_absolute_url())
    assert_accessible(page)
    context.close()

    # 4. The follower was told, in the cabinet and by e-mail.
    notification = Notification.objects.get(recipient=follower)
    assert "1.2" in notification.subject
    context, page = new_page()
    page.goto("/accounts/signin/")
    page.locator("#id_email").fill(follower.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.goto("/accounts/cabinet/")
    assert notification.subject in page.locator("main").inner_text()
    assert_accessible(page)
    context.close()
