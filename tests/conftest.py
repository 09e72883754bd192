"""Shared fixtures: organisations, users with roles, a TOTP-enrolled staff member."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django_otp.plugins.otp_totp.models import TOTPDevice

from hromada.accounts.models import Role, RoleAssignment, User
from hromada.core.calendar import forget_calendar_cache
from hromada.core.models import Organisation

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(autouse=True)
def _fresh_caches(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    forget_calendar_cache()
    yield
    cache.clear()
    forget_calendar_cache()


@pytest.fixture
def organisation_factory(db):
    counter = {"n": 0}

    def make(**fields) -> Organisation:
        counter["n"] += 1
        defaults = {
            "key": f"org-{counter['n']}",
            "name": f"Управління № {counter['n']}",
            "kind": Organisation.Kind.DEPARTMENT,
        }
        defaults.update(fields)
        return Organisation.objects.create(**defaults)

    return make


@pytest.fixture
def user_factory(db):
    counter = {"n": 0}

    def make(*, role: str | None = None, organisation: Organisation | None = None, **fields):
        counter["n"] += 1
        fields.setdefault("email", f"user{counter['n']}@example.org")
        fields.setdefault("full_name", f"Тестовий Користувач {counter['n']}")
        user = User.objects.create_user(password=PASSWORD, **fields)
        if role:
            RoleAssignment.objects.create(user=user, role=role, organisation=organisation)
        return user

    return make


@pytest.fixture
def totp_device_for():
    def make(user: User) -> TOTPDevice:
        return TOTPDevice.objects.create(user=user, name="test", confirmed=True)

    return make


@pytest.fixture
def staff_with_totp(organisation_factory, user_factory, totp_device_for):
    organisation = organisation_factory(
        key="infocentre",
        name="ХМКП «Хмельницькінфоцентр»",
        kind=Organisation.Kind.COMMUNAL_ENTERPRISE,
    )
    user = user_factory(role=Role.STAFF, organisation=organisation, email="staff@example.org")
    return user, totp_device_for(user)
