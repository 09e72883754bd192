import pytest
from django_otp.oath import TOTP

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def current_code(device) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def test_staff_member_signs_in_with_totp(page, staff_with_totp, assert_accessible):
    user, device = staff_with_totp
    page.goto("/accounts/signin/")
    assert_accessible(page)
    page.get_by_label("Електронна пошта").fill(user.email)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_label("Код із застосунку-автентифікатора").fill(current_code(device))
    page.get_by_role("button", name="Увійти").click()
    page.get_by_role("link", name="Мій кабінет").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Мій кабінет"
    assert_accessible(page)


def test_wrong_code_is_refused_without_saying_which_part_was_wrong(page, staff_with_totp):
    user, _device = staff_with_totp
    page.goto("/accounts/signin/")
    page.get_by_label("Електронна пошта").fill(user.email)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_label("Код із застосунку-автентифікатора").fill("000000")
    page.get_by_role("button", name="Увійти").click()
    assert page.get_by_role("alert").inner_text() == "Неправильна адреса, пароль або код."


def test_new_staff_member_enrols_an_authenticator(
    page, user_factory, organisation_factory, assert_accessible
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from hromada.accounts.models import Role

    user = user_factory(role=Role.STAFF, organisation=organisation_factory())
    page.goto("/accounts/signin/")
    page.get_by_label("Електронна пошта").fill(user.email)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Увійти").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Налаштуйте автентифікатор"
    assert_accessible(page)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    page.get_by_label("Шестизначний код").fill(current_code(device))
    page.get_by_role("button", name="Підтвердити").click()
    assert page.get_by_role("status").inner_text().startswith("Автентифікатор налаштовано")
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1
