"""The demo identity provider: verified residents to try flows locally, demo mode only."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from hromada.accounts.models import User
from hromada.accounts.services import identity_verify

PROVIDER = "demo-id"


@dataclass(frozen=True)
class DemoIdentity:
    key: str
    full_name: str
    email: str
    address: str


IDENTITIES = [
    DemoIdentity(
        "olena",
        "Олена Петрівна Ковальчук",
        "olena.kovalchuk@demo.hromada.local",
        "вул. Проскурівська, 41, Хмельницький",
    ),
    DemoIdentity(
        "mykola",
        "Микола Іванович Бондар",
        "mykola.bondar@demo.hromada.local",
        "вул. Кам'янецька, 118, Хмельницький",
    ),
    DemoIdentity(
        "iryna",
        "Ірина Василівна Мельник",
        "iryna.melnyk@demo.hromada.local",
        "с. Давидківці, вул. Центральна, 7",
    ),
]


def by_key(key: str) -> DemoIdentity | None:
    return next((identity for identity in IDENTITIES if identity.key == key), None)


@transaction.atomic
def sign_in_as(identity: DemoIdentity) -> User:
    user, _created = User.objects.get_or_create(
        email=identity.email, defaults={"full_name": identity.full_name}
    )
    if not user.identity_verified:
        identity_verify(user=user, provider=PROVIDER, subject=identity.key)
    return user
