"""Every page of the action plan passes axe-core, in Ukrainian and in English."""

from pathlib import Path

import pytest
from django.test import Client

from hromada.accounts.models import Role
from hromada.plans.models import Indicator, Measure
from hromada.plans.services.loader import plan_load

pytestmark = pytest.mark.django_db(transaction=True)

PLAN_FILE = (
    Path(__file__).resolve().parents[2] / "src/hromada/plans/data/khmelnytskyi-2021-2022.yaml"
)


def test_public_and_staff_plan_pages_are_accessible(
    browser, live_server, user_factory, assert_accessible
):
    plan = plan_load(path=PLAN_FILE)
    measure = Measure.objects.get(external_id="khm-2021-2.2")
    indicator = Indicator.objects.create(
        measure=measure, name="Відвідувачі «Центру турів» за 12 місяців", unit="осіб", target=27000
    )
    coordinator = user_factory(role=Role.COORDINATOR)
    client = Client()
    client.force_login(coordinator)
    session = client.cookies["sessionid"].value

    context = browser.new_context(base_url=live_server.url, locale="uk-UA")
    context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    page = context.new_page()
    base = f"/plan/{plan.external_id}"
    for url in [
        f"{base}/",
        f"{base}/?organisation=infocentre&term=overdue",
        f"{base}/commitments/2/",
        f"{base}/bodies/spetskomuntrans/",
        f"{base}/comments/",
        f"{base}/comments/moderate/",
        f"{base}/control/",
        f"{base}/import/",
        f"{base}/self-assessment/",
        indicator.get_absolute_url(),
        "/plan/review/",
        "/organisations/infocentre/",
    ]:
        response = page.goto(url)
        assert response.status == 200, url
        assert_accessible(page)
    context.close()


def test_plan_page_in_english(browser, live_server, assert_accessible):
    plan = plan_load(path=PLAN_FILE)
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    page = context.new_page()
    page.goto(plan.get_absolute_url())
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#summary-title").inner_text() == "How the plan is going"
    assert_accessible(page)
    context.close()
