"""Demo accounts, one per role, with fixed authenticator keys so they can be tried."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from hromada.accounts.demo_identity import IDENTITIES, sign_in_as
from hromada.accounts.models import Role, RoleAssignment, User
from hromada.accounts.services import role_grant, totp_current_code, totp_secret_base32
from hromada.core.models import Organisation

DEMO_PASSWORD = "hromada-demo"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    role: Role | None
    organisation_key: str | None
    totp_key_hex: str | None = None


ACCOUNTS = [
    DemoAccount(
        "admin@demo.hromada.local",
        "Василь Олександрович Гуменюк",
        Role.ADMINISTRATOR,
        None,
        "3132333435363738393031323334353637383930",
    ),
    DemoAccount(
        "coordinator@demo.hromada.local",
        "Світлана Вікторівна Матвійчук",
        Role.COORDINATOR,
        "infocentre",
        "4142434445464748494a4b4c4d4e4f5051525354",
    ),
    DemoAccount(
        "controller@demo.hromada.local",
        "Юлія Сергіївна Сабій",
        Role.CONTROLLER,
        "executive_committee",
        "6162636465666768696a6b6c6d6e6f7071727374",
    ),
    DemoAccount(
        "staff.infocentre@demo.hromada.local",
        "Андрій Миколайович Савчук",
        Role.STAFF,
        "infocentre",
        "0102030405060708090a0b0c0d0e0f1011121314",
    ),
    DemoAccount(
        "staff.spetskomuntrans@demo.hromada.local",
        "Оксана Іванівна Шевчук",
        Role.STAFF,
        "spetskomuntrans",
        "1112131415161718191a1b1c1d1e1f2021222324",
    ),
    DemoAccount(
        "staff.culture@demo.hromada.local",
        "Тетяна Петрівна Гаврилюк",
        Role.STAFF,
        "culture_tourism_dept",
        "2122232425262728292a2b2c2d2e2f3031323334",
    ),
    DemoAccount(
        "staff.economy@demo.hromada.local",
        "Ігор Володимирович Литвинюк",
        Role.STAFF,
        "economy_dept",
        "3132333435363738393a3b3c3d3e3f4041424344",
    ),
    DemoAccount(
        "staff.executive@demo.hromada.local",
        "Наталія Анатоліївна Кушнір",
        Role.STAFF,
        "executive_committee",
        "7172737475767778797a7b7c7d7e7f8081828384",
    ),
    DemoAccount(
        "reviewer@demo.hromada.local",
        "Роман Богданович Кравець",
        Role.REVIEWER,
        "khm_initiative",
        "5152535455565758595a5b5c5d5e5f6061626364",
    ),
    DemoAccount("resident@demo.hromada.local", "Галина Степанівна Олійник", None, None),
]


@transaction.atomic
def _ensure_account(account: DemoAccount) -> User:
    user = User.objects.filter(email=account.email).first()
    if user is None:
        user = User.objects.create_user(
            email=account.email,
            password=DEMO_PASSWORD,
            full_name=account.full_name,
            is_staff=account.role == Role.ADMINISTRATOR,
            is_superuser=account.role == Role.ADMINISTRATOR,
        )
    if account.role is not None:
        organisation = (
            Organisation.objects.get(key=account.organisation_key)
            if account.organisation_key
            else None
        )
        if account.role == Role.COORDINATOR and organisation is not None:
            # The coordinator also reports for their own body.
            if not RoleAssignment.objects.filter(user=user, role=Role.STAFF).exists():
                role_grant(actor=None, user=user, role=Role.STAFF, organisation=organisation)
            organisation = None
        if not RoleAssignment.objects.filter(user=user, role=account.role).exists():
            role_grant(actor=None, user=user, role=account.role, organisation=organisation)
    if account.totp_key_hex:
        TOTPDevice.objects.update_or_create(
            user=user,
            name="Demo authenticator",
            defaults={"key": account.totp_key_hex, "confirmed": True},
        )
    return user


def current_codes() -> list[tuple[str, str]]:
    """(e-mail, current TOTP code) of each demo staff account, for the demo-mode hint."""
    # Every module's demo staff use this device name, so all of them are listed.
    devices = TOTPDevice.objects.filter(
        name="Demo authenticator", user__email__endswith="@demo.hromada.local", confirmed=True
    ).select_related("user")
    return sorted((device.user.email, totp_current_code(device)) for device in devices)


def build(*, stdout) -> list[tuple[str, str, str]]:
    rows = []
    for account in ACCOUNTS:
        user = _ensure_account(account)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        role = account.role.label if account.role else "Мешканець / resident"
        secret = totp_secret_base32(device) if device else "—"
        rows.append((str(role), account.email, secret))
    for identity in IDENTITIES:
        sign_in_as(identity)
    return rows
