"""Signing in (password, TOTP for staff, throttling), registration, demo and OIDC identities."""

from __future__ import annotations

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from hromada.accounts.models import Role, User
from hromada.accounts.oidc import VerifiedResidentBackend
from hromada.core.models import AuditEvent
from tests.conftest import PASSWORD

SIGNIN = "/accounts/signin/"
ENROL = "/accounts/signin/authenticator/"
REGISTER = "/accounts/register/"
DEMO_ID = "/accounts/demo-id/"
REFUSED = "Неправильна адреса, пароль або код."
THROTTLED = "Забагато невдалих спроб. Спробуйте через 15 хвилин."


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    return "000000" if current_code(device) != "000000" else "111111"


def signed_in_user_id(client) -> int | None:
    user_id = client.session.get("_auth_user_id")
    return int(user_id) if user_id else None


def sign_in(client, email: str, password: str = PASSWORD, code: str = ""):
    return client.post(SIGNIN, {"email": email, "password": password, "code": code})


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # What is tested here does not depend on the hasher; Argon2 would make each step slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def resident(user_factory):
    return user_factory(email="resident@example.org", full_name="Галина Олійник")


@pytest.fixture
def new_staff(user_factory, organisation_factory):
    return user_factory(
        role=Role.STAFF, organisation=organisation_factory(), email="new@example.org"
    )


# --- password and second factor ---------------------------------------------------------


def test_resident_signs_in_with_password_only(client, resident):
    response = sign_in(client, resident.email)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_user_id(client) == resident.pk


def test_sign_in_goes_to_a_safe_next_page_only(client, resident):
    response = client.post(
        SIGNIN,
        {"email": resident.email, "password": PASSWORD, "next": "https://evil.example/"},
    )

    assert response["Location"] == "/"


def test_resident_e_mail_is_not_case_sensitive(client, resident):
    sign_in(client, "Resident@Example.ORG")

    assert signed_in_user_id(client) == resident.pk


def test_staff_signs_in_with_password_and_the_right_code(client, staff_with_totp):
    user, device = staff_with_totp

    response = sign_in(client, user.email, code=current_code(device))

    assert response.status_code == 302
    assert signed_in_user_id(client) == user.pk
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_staff_without_a_code_is_refused(client, staff_with_totp):
    user, _device = staff_with_totp

    response = sign_in(client, user.email)

    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert signed_in_user_id(client) is None


def test_wrong_password_and_wrong_code_get_the_same_message(client, staff_with_totp, resident):
    user, device = staff_with_totp

    wrong_password = sign_in(client, resident.email, password="not-the-password")
    wrong_code_response = sign_in(client, user.email, code=wrong_code(device))
    unknown_email = sign_in(client, "nobody@example.org")

    for response in (wrong_password, wrong_code_response, unknown_email):
        assert response.status_code == 200
        errors = response.context["form"].non_field_errors()
        assert list(errors) == [REFUSED]
        page = response.content.decode()
        assert 'role="alert"' in page
        assert REFUSED in page
    assert signed_in_user_id(client) is None


def test_sign_in_is_throttled_after_too_many_failures(client, settings, resident):
    settings.SIGNIN_MAX_FAILURES = 3
    for _attempt in range(3):
        assert REFUSED in sign_in(client, resident.email, password="wrong").content.decode()

    response = sign_in(client, resident.email)  # the right password, too late

    assert response.status_code == 200
    page = response.content.decode()
    assert THROTTLED in page
    assert REFUSED not in page
    assert signed_in_user_id(client) is None


def test_throttling_counts_wrong_codes_too(client, settings, staff_with_totp):
    settings.SIGNIN_MAX_FAILURES = 2
    user, device = staff_with_totp
    sign_in(client, user.email, code=wrong_code(device))
    sign_in(client, user.email, code=wrong_code(device))

    response = sign_in(client, user.email, code=current_code(device))

    assert THROTTLED in response.content.decode()
    assert signed_in_user_id(client) is None


def test_one_address_failing_for_many_accounts_is_throttled_at_its_own_limit(
    client, settings, resident
):
    settings.SIGNIN_MAX_FAILURES = 3
    settings.SIGNIN_MAX_FAILURES_PER_IP = 4
    for attempt in range(4):  # four different accounts, one office address
        sign_in(client, f"someone{attempt}@example.org", password="wrong")

    response = sign_in(client, resident.email)

    assert THROTTLED in response.content.decode()
    assert signed_in_user_id(client) is None


def test_forwarded_address_is_used_only_when_trusted(rf, settings):
    from hromada.accounts.views import _client_ip

    # The client forged the first entry; our proxy appended the address it saw.
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.9, 203.0.113.7")
    settings.TRUST_X_FORWARDED_FOR = False
    assert _client_ip(request) == "127.0.0.1"
    settings.TRUST_X_FORWARDED_FOR = True
    assert _client_ip(request) == "203.0.113.7"


def test_a_success_below_the_limit_clears_the_failures(client, settings, resident):
    settings.SIGNIN_MAX_FAILURES = 3
    sign_in(client, resident.email, password="wrong")
    sign_in(client, resident.email, password="wrong")
    sign_in(client, resident.email)
    client.post("/accounts/signout/")

    sign_in(client, resident.email, password="wrong")
    sign_in(client, resident.email, password="wrong")
    sign_in(client, resident.email)

    assert signed_in_user_id(client) == resident.pk


# --- enrolment of a new staff member ---------------------------------------------------------


def test_staff_without_a_device_is_sent_to_enrolment_and_not_signed_in(client, new_staff):
    response = sign_in(client, new_staff.email)

    assert response.status_code == 302
    assert response["Location"] == ENROL
    assert signed_in_user_id(client) is None
    assert client.get("/accounts/cabinet/").status_code == 302  # still signed out


def test_enrolment_page_shows_a_new_unconfirmed_authenticator(client, new_staff):
    sign_in(client, new_staff.email)

    response = client.get(ENROL)

    assert response.status_code == 200
    device = TOTPDevice.objects.get(user=new_staff)
    assert device.confirmed is False
    assert response.context["secret"] in response.content.decode()
    assert "<svg" in response.content.decode()
    assert signed_in_user_id(client) is None


def test_enrolment_page_without_a_pending_sign_in_goes_to_sign_in(client, db):
    response = client.get(ENROL)

    assert response.status_code == 302
    assert response["Location"] == SIGNIN
    assert not TOTPDevice.objects.exists()


def test_enrolment_with_a_wrong_code_is_refused(client, new_staff):
    sign_in(client, new_staff.email)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=new_staff)

    response = client.post(ENROL, {"code": wrong_code(device)})

    assert response.status_code == 200
    assert "Код неправильний." in response.content.decode()
    assert signed_in_user_id(client) is None
    device.refresh_from_db()
    assert device.confirmed is False
    assert not AuditEvent.objects.filter(action="account.totp_enrol").exists()


def test_enrolment_with_the_right_code_confirms_and_signs_in(client, new_staff):
    sign_in(client, new_staff.email)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=new_staff)

    response = client.post(ENROL, {"code": current_code(device)})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_user_id(client) == new_staff.pk
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    device.refresh_from_db()
    assert device.confirmed is True
    event = AuditEvent.objects.get(action="account.totp_enrol")
    assert event.actor == new_staff
    assert event.public is False


# --- registration ---------------------------------------------------------------------------


def test_resident_registers_and_is_signed_in(client, db):
    response = client.post(
        REGISTER,
        {"full_name": "Тарас Коваль", "email": "Taras@Example.org", "password": PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/cabinet/"
    user = User.objects.get()
    assert user.email == "taras@example.org"
    assert user.check_password(PASSWORD)
    assert signed_in_user_id(client) == user.pk
    assert AuditEvent.objects.get().action == "account.register"


def test_registration_with_an_e_mail_already_used_is_refused(client, resident):
    users, events = User.objects.count(), AuditEvent.objects.count()

    response = client.post(
        REGISTER,
        {"full_name": "Інша Людина", "email": "RESIDENT@example.org", "password": PASSWORD},
    )

    assert response.status_code == 200
    assert "Обліковий запис із цією адресою вже існує." in response.content.decode()
    assert User.objects.count() == users
    assert AuditEvent.objects.count() == events
    assert signed_in_user_id(client) is None


@pytest.mark.parametrize(
    "password",
    ["12345678", "short", "password", "taras.koval.example"],
    ids=["numeric", "too-short", "common", "like-the-e-mail"],
)
def test_registration_with_a_weak_password_is_refused(client, db, password):
    response = client.post(
        REGISTER,
        {"full_name": "Тарас Коваль", "email": "taras.koval@example.org", "password": password},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["password"]
    assert not User.objects.exists()
    assert not AuditEvent.objects.exists()
    assert signed_in_user_id(client) is None


# --- the demo identity provider -------------------------------------------------------------


def test_demo_identity_provider_is_absent_outside_demo_mode(client, settings, db):
    settings.DEMO_MODE = False

    assert client.get(DEMO_ID).status_code == 404
    assert client.post(DEMO_ID, {"identity": "olena"}).status_code == 404

    assert not User.objects.exists()
    assert signed_in_user_id(client) is None


def test_demo_identity_provider_signs_in_a_verified_resident(client, settings, db):
    settings.DEMO_MODE = True
    assert client.get(DEMO_ID).status_code == 200

    response = client.post(DEMO_ID, {"identity": "olena"})

    assert response.status_code == 302
    user = User.objects.get(email="olena.kovalchuk@demo.hromada.local")
    assert signed_in_user_id(client) == user.pk
    assert user.identity_verified
    assert (user.identity_provider, user.identity_subject) == ("demo-id", "olena")
    assert user.full_name == "Олена Петрівна Ковальчук"


def test_demo_identity_provider_twice_finds_the_same_resident(client, settings, db):
    settings.DEMO_MODE = True
    client.post(DEMO_ID, {"identity": "olena"})
    events = AuditEvent.objects.count()
    client.post("/accounts/signout/")

    client.post(DEMO_ID, {"identity": "olena"})

    assert User.objects.count() == 1
    assert AuditEvent.objects.count() == events


def test_demo_identity_provider_refuses_an_unknown_identity(client, settings, db):
    settings.DEMO_MODE = True

    response = client.post(DEMO_ID, {"identity": "nobody"})

    assert response.status_code == 200
    assert not User.objects.exists()
    assert signed_in_user_id(client) is None


# --- OpenID Connect (national e-ID) ---------------------------------------------------------


@pytest.fixture
def oidc_backend(settings):
    settings.OIDC_PROVIDER_NAME = "ID.GOV.UA"
    settings.OIDC_RP_CLIENT_ID = "hromada"
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://id.example/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://id.example/token"
    settings.OIDC_OP_USER_ENDPOINT = "https://id.example/userinfo"
    return VerifiedResidentBackend()


CLAIMS = {
    "sub": "UA-1234567890",
    "email": "Taras.Koval@Example.org",
    "family_name": "Коваль",
    "given_name": "Тарас",
    "middle_name": "Григорович",
}


def test_oidc_creates_a_verified_resident(oidc_backend, db):
    user = oidc_backend.create_user(CLAIMS)

    user.refresh_from_db()
    assert user.email == "taras.koval@example.org"
    assert user.full_name == "Коваль Тарас Григорович"
    assert user.identity_verified
    assert (user.identity_provider, user.identity_subject) == ("ID.GOV.UA", "UA-1234567890")
    assert not user.has_usable_password()
    event = AuditEvent.objects.get(action="account.identity_verified")
    assert event.public is False


def test_oidc_does_not_link_by_an_unverified_e_mail(oidc_backend, user_factory):
    user_factory(email="taras.koval@example.org")

    assert not oidc_backend.filter_users_by_claims(CLAIMS).exists()
    assert not oidc_backend.filter_users_by_claims({**CLAIMS, "email_verified": False}).exists()


def test_oidc_finds_the_resident_again_by_subject(oidc_backend, db):
    user = oidc_backend.create_user(CLAIMS)

    found = oidc_backend.filter_users_by_claims({**CLAIMS, "email": "new.address@example.org"})

    assert list(found) == [user]


def test_oidc_verifies_an_existing_resident_found_by_e_mail(oidc_backend, user_factory):
    resident = user_factory(email="taras.koval@example.org")
    assert not resident.identity_verified

    found = list(oidc_backend.filter_users_by_claims({**CLAIMS, "email_verified": True}))
    updated = oidc_backend.update_user(found[0], CLAIMS)

    assert found == [resident]
    updated.refresh_from_db()
    assert updated.identity_verified
    assert updated.identity_subject == "UA-1234567890"
    assert list(oidc_backend.filter_users_by_claims({"sub": "UA-1234567890"})) == [resident]


def test_oidc_update_of_a_verified_resident_changes_nothing(oidc_backend, db):
    user = oidc_backend.create_user(CLAIMS)
    verified_at, events = user.identity_verified_at, AuditEvent.objects.count()

    oidc_backend.update_user(user, CLAIMS)

    user.refresh_from_db()
    assert user.identity_verified_at == verified_at
    assert AuditEvent.objects.count() == events


def test_oidc_without_subject_or_e_mail_finds_nobody(oidc_backend, user_factory):
    user_factory(email="someone@example.org")

    assert not oidc_backend.filter_users_by_claims({"sub": "", "email": ""}).exists()


def test_oidc_resident_without_e_mail_gets_a_placeholder_address(oidc_backend, db):
    user = oidc_backend.create_user({"sub": "UA-42", "name": "Ірина Мельник"})

    assert user.email == "ua-42@oidc.invalid"
    assert user.full_name == "Ірина Мельник"
    assert user.identity_verified
