import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_page_in_ukrainian_then_english(page, assert_accessible):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "uk"
    assert page.get_by_role("heading", level=1).inner_text().startswith("Відкрите врядування")
    assert_accessible(page)

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Open government" in page.get_by_role("heading", level=1).inner_text()
    assert_accessible(page)


def test_skip_link_moves_focus_to_main_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Перейти до основного вмісту")
    assert skip.evaluate("element => element === document.activeElement")
    skip.press("Enter")
    assert page.url.endswith("#main")


def test_home_page_works_without_javascript(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, locale="uk-UA"
    )
    page = context.new_page()
    page.goto("/")
    page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    context.close()
