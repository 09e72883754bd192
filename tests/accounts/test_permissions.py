"""Who may change what: every role against objects that body X and body Y answer for."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from hromada.accounts.models import Role, RoleAssignment
from hromada.accounts.permissions import can_change, can_oversee, needs_second_factor

ROLES = [
    "anonymous",
    "resident",
    "resident_verified",
    "staff_of_x",
    "staff_of_y",
    "coordinator",
    "controller",
    "reviewer",
    "administrator",
]

# role -> may change an object that body X answers for, and one that body Y answers for.
CAN_CHANGE = {
    "anonymous": (False, False),
    "resident": (False, False),
    "resident_verified": (False, False),
    "staff_of_x": (True, False),
    "staff_of_y": (False, True),
    "coordinator": (True, True),
    "controller": (False, False),
    "reviewer": (False, False),
    "administrator": (True, True),
}
CAN_OVERSEE = {"coordinator", "controller", "administrator"}
NEEDS_SECOND_FACTOR = {
    "staff_of_x",
    "staff_of_y",
    "coordinator",
    "controller",
    "reviewer",
    "administrator",
}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # No test here signs in; Argon2 would only make the matrix slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def bodies(organisation_factory):
    return {
        "x": organisation_factory(key="body-x", name="Управління X"),
        "y": organisation_factory(key="body-y", name="Управління Y"),
    }


@pytest.fixture
def person_in_role(bodies, user_factory, organisation_factory):
    reviewers = organisation_factory(key="ngo", name="ГО «Ініціатива»", kind="civil_society")

    def make(role: str):
        match role:
            case "anonymous":
                return AnonymousUser()
            case "resident":
                return user_factory()
            case "resident_verified":
                return user_factory(
                    identity_verified_at=timezone.now(),
                    identity_provider="demo-id",
                    identity_subject="olena",
                )
            case "staff_of_x":
                return user_factory(role=Role.STAFF, organisation=bodies["x"])
            case "staff_of_y":
                return user_factory(role=Role.STAFF, organisation=bodies["y"])
            case "coordinator":
                return user_factory(role=Role.COORDINATOR)
            case "controller":
                return user_factory(role=Role.CONTROLLER)
            case "reviewer":
                return user_factory(role=Role.REVIEWER, organisation=reviewers)
            case "administrator":
                return user_factory(role=Role.ADMINISTRATOR)
        raise AssertionError(role)

    return make


def test_the_matrix_covers_every_role():
    # A new role must be added to ROLES and to the expectations above.
    assert {role.value for role in Role} == {
        "staff",
        "coordinator",
        "controller",
        "reviewer",
        "administrator",
    }
    assert set(CAN_CHANGE) == set(ROLES)


@pytest.mark.parametrize("body", ["x", "y"])
@pytest.mark.parametrize("role", ROLES)
def test_can_change_an_object_by_role_and_responsible_body(person_in_role, bodies, role, body):
    user = person_in_role(role)
    obj = bodies[body]  # an Organisation answers for itself
    expected = CAN_CHANGE[role][0 if body == "x" else 1]

    assert can_change(user, obj) is expected


@pytest.mark.parametrize("role", ROLES)
def test_can_oversee_by_role(person_in_role, role):
    assert can_oversee(person_in_role(role)) is (role in CAN_OVERSEE)


@pytest.mark.parametrize("role", ROLES)
def test_anyone_holding_a_role_needs_a_second_factor(person_in_role, role):
    assert needs_second_factor(person_in_role(role)) is (role in NEEDS_SECOND_FACTOR)


def test_staff_of_two_bodies_may_change_what_either_answers_for(bodies, user_factory):
    user = user_factory(role=Role.STAFF, organisation=bodies["x"])
    RoleAssignment.objects.create(user=user, role=Role.STAFF, organisation=bodies["y"])

    assert can_change(user, bodies["x"])
    assert can_change(user, bodies["y"])


def test_staff_may_not_change_an_object_no_body_answers_for(bodies, user_factory):
    class Unassigned:
        def responsible_organisation_ids(self) -> set[int]:
            return set()

    staff = user_factory(role=Role.STAFF, organisation=bodies["x"])

    assert not can_change(staff, Unassigned())


def test_back_office_user_without_a_role_needs_a_second_factor(user_factory):
    assert needs_second_factor(user_factory(is_staff=True))
