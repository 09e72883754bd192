"""Done-when journey of the document workflow, in Chromium with axe-core on every page.

A clerk registers an incoming letter → the head writes a resolution → the executor
reports → the controller removes it from control; an internal document passes two
parallel approvers, is signed, and its PDF verifies as intact on the public page; the
same PDF with one byte changed is reported as modified.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django_otp.oath import TOTP

from hromada.accounts.models import Role
from hromada.core.models import Organisation, Person, Position
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def _code(device) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


@pytest.fixture
def people(settings, tmp_path, organisation_factory, user_factory, totp_device_for):
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    body = organisation_factory(
        key="executive_committee",
        kind=Organisation.Kind.EXECUTIVE_BODY,
        name="Виконавчий комітет Хмельницької міської ради",
    )

    def staff(key: str, full_name: str, role: str = Role.STAFF):
        user = user_factory(
            role=role, organisation=body, email=f"{key}@example.org", full_name=full_name
        )
        return user, totp_device_for(user)

    people = {
        "clerk": staff("clerk", "Ірина Коваль"),
        "head": staff("head", "Олександр Симчишин"),
        "executor": staff("executor", "Андрій Савчук"),
        "controller": staff("controller", "Юлія Сабій", Role.CONTROLLER),
        "approver_a": staff("approver.a", "Петро Мельник"),
        "approver_b": staff("approver.b", "Наталія Ткачук"),
        "signatory": staff("signatory", "Віктор Гончар"),
    }
    person = Person.objects.create(full_name="Олександр Симчишин", user=people["head"][0])
    Position.objects.create(person=person, organisation=body, title="Міський голова", is_head=True)
    return people


def _sign_in(page, people, who: str, assert_accessible=None) -> None:
    user, device = people[who]
    page.context.clear_cookies()
    page.goto("/accounts/signin/")
    if assert_accessible:
        assert_accessible(page)
    page.locator("#id_email").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_code").fill(_code(device))
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/accounts/signin/" not in page.url


def _open(page, url: str, assert_accessible) -> None:
    page.goto(url)
    assert_accessible(page)


def test_letter_is_executed_and_internal_document_is_approved_signed_and_verified(
    page, people, assert_accessible
):
    # 1. The clerk registers an incoming letter and an internal document.
    _sign_in(page, people, "clerk", assert_accessible)
    _open(page, "/docflow/", assert_accessible)
    page.locator("#register-incoming").click()
    assert_accessible(page)
    page.locator("#id_summary").fill("Про ремонт покрівлі школи № 5 на вул. Проскурівській")
    page.locator("#id_correspondent").fill("Хмельницька обласна військова адміністрація")
    page.locator("#id_correspondent_number").fill("01-12/3456")
    page.locator("#id_correspondent_date").fill("2025-09-01")
    page.locator("#id_received_on").fill("2025-09-02")
    page.locator("main form button[type=submit]").click()
    assert re.search(r"/docflow/documents/\d+/$", page.url)
    assert_accessible(page)
    letter_url = page.url
    assert page.locator("#document-status").get_attribute("data-status") == "registered"
    # The clerk corrects the card's pages; the registration number stays.
    number = page.locator("h1").inner_text()
    page.locator("#edit-card").click()
    assert_accessible(page)
    page.locator("#id_pages").fill("3")
    page.locator("main form button[type=submit]").click()
    assert page.url == letter_url
    assert page.locator("h1").inner_text() == number
    assert_accessible(page)

    page.goto("/docflow/documents/new/?kind=internal")
    page.locator("#id_summary").fill("Про графік особистого прийому громадян")
    page.locator("#id_body").fill("Затвердити графік особистого прийому громадян.")
    page.locator("#id_signatory").select_option(label="Віктор Гончар")
    page.locator("main form button[type=submit]").click()
    internal_url = page.url
    page.locator("#route_stage_1").select_option(label=["Петро Мельник", "Наталія Ткачук"])
    page.locator("#route-form button[type=submit]").click()
    assert page.locator("#document-status").get_attribute("data-status") == "on_approval"
    assert_accessible(page)

    # 2. The head writes a resolution on the letter.
    _sign_in(page, people, "head")
    _open(page, letter_url, assert_accessible)
    page.locator("#resolution_instruction").fill("Розглянути та підготувати відповідь")
    page.locator("#resolution_lead_executor").select_option(label="Андрій Савчук")
    page.locator("#resolution_term_days").fill("10")
    page.locator("#resolution_controller").select_option(label="Юлія Сабій")
    page.locator("#resolution-form button[type=submit]").click()
    panel = page.locator("section[data-status]")
    assert panel.get_attribute("data-status") == "on_control"
    assert_accessible(page)

    # 3. The executor finds it among their tasks and reports.
    _sign_in(page, people, "executor")
    _open(page, "/docflow/", assert_accessible)
    letter_path = "/" + letter_url.split("/", 3)[3]
    page.locator(f"a[href='{letter_path}']").first.click()
    assert_accessible(page)
    page.locator("section[data-status] textarea[name=text]").fill(
        "Підготовлено і надіслано відповідь № 02-15/778"
    )
    page.locator("section[data-status] form button[type=submit]").click()
    assert page.locator("section[data-status]").get_attribute("data-status") == "reported"

    # 4. The controller removes it from control.
    _sign_in(page, people, "controller")
    _open(page, "/docflow/control/", assert_accessible)
    _open(page, letter_url, assert_accessible)
    page.locator("form[action$='/remove/'] button").click()
    assert page.locator("section[data-status]").get_attribute("data-status") == "removed"
    assert_accessible(page)

    # 5. Two parallel approvers approve the internal document.
    for approver in ("approver_a", "approver_b"):
        _sign_in(page, people, approver)
        _open(page, internal_url, assert_accessible)
        page.locator("#decision-form button[value=approved]").click()
        assert_accessible(page)
    assert page.locator("#document-status").get_attribute("data-status") == "approved"

    # 6. The signatory signs and downloads the signed PDF.
    _sign_in(page, people, "signatory")
    _open(page, internal_url, assert_accessible)
    page.locator("#sign-button").click()
    assert page.locator("#document-status").get_attribute("data-status") == "signed"
    assert_accessible(page)
    with page.expect_download() as download:
        page.locator("#signed-pdf").click()
    signed = Path(download.value.path()).read_bytes()
    assert signed.startswith(b"%PDF-")

    # 7. Anyone verifies it on the public page: intact; one byte changed: modified.
    page.context.clear_cookies()
    _open(page, "/docflow/verify/", assert_accessible)
    page.locator("#id_file").set_input_files(
        {"name": "signed.pdf", "mimeType": "application/pdf", "buffer": signed}
    )
    page.locator("main form button[type=submit]").click()
    verdict = page.locator("#verdict")
    assert verdict.get_attribute("data-verdict") == "intact"
    assert "Віктор Гончар" in verdict.locator(".signer").inner_text()
    assert verdict.locator(".timestamp").get_attribute("data-trusted") == "true"
    assert_accessible(page)

    position = signed.index(b"ReportLab")
    changed = signed[:position] + b"X" + signed[position + 1 :]
    page.locator("#id_file").set_input_files(
        {"name": "changed.pdf", "mimeType": "application/pdf", "buffer": changed}
    )
    page.locator("main form button[type=submit]").click()
    assert page.locator("#verdict").get_attribute("data-verdict") == "modified"
    assert_accessible(page)
