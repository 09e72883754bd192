"""Who may do what. Object-level rule: staff of body X change only what body X answers for.

An object opts in by offering ``responsible_organisation_ids() -> set[int]``.
"""

from __future__ import annotations

from typing import Any, Protocol

from hromada.accounts.models import Role, RoleAssignment


class Responsible(Protocol):
    def responsible_organisation_ids(self) -> set[int]: ...


def roles_of(user: Any) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_hromada_roles", None)
    if cached is None:
        cached = set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))
        user._hromada_roles = cached
    return cached


def staff_organisation_ids(user: Any) -> set[int]:
    """Kept on the user object for the request, as roles_of is: a page asks it often
    (access rule, each search step, menus)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_hromada_staff_organisations", None)
    if cached is None:
        cached = frozenset(
            RoleAssignment.objects.filter(user=user, role=Role.STAFF).values_list(
                "organisation_id", flat=True
            )
        )
        user._hromada_staff_organisations = cached
    return set(cached)


def has_role(user: Any, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


def needs_second_factor(user: Any) -> bool:
    """Anyone holding a role acts for the city, so signs in with a TOTP code too."""
    return bool(roles_of(user)) or bool(getattr(user, "is_staff", False))


def can_change(user: Any, obj: Responsible) -> bool:
    """May ``user`` change ``obj``? Administrators and coordinators may; staff only for
    objects their organisation is responsible for; residents, controllers and reviewers
    read only."""
    if has_role(user, Role.ADMINISTRATOR, Role.COORDINATOR):
        return True
    if has_role(user, Role.STAFF):
        return bool(staff_organisation_ids(user) & obj.responsible_organisation_ids())
    return False


def can_oversee(user: Any) -> bool:
    """The controller's and coordinator's dashboards."""
    return has_role(user, Role.ADMINISTRATOR, Role.COORDINATOR, Role.CONTROLLER)
