"""The nomenclature of cases and the archive."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hromada.accounts.models import Role
from hromada.accounts.permissions import has_role
from hromada.core.audit import audit_record
from hromada.core.models import Organisation
from hromada.docflow.access import can_register
from hromada.docflow.errors import NotPermitted, WrongState
from hromada.docflow.models import Case


@transaction.atomic
def case_upsert(
    *,
    actor: Any,
    organisation: Organisation,
    year: int,
    index: str,
    title: str,
    retention_years: int | None,
    retention_basis: str = "",
) -> Case:
    """Add a case to the body's nomenclature for ``year`` (or update its title/period)."""
    if actor is not None and not can_register(actor, organisation.pk):
        raise NotPermitted(_("You may keep the nomenclature only of your own body."))
    case, created = Case.objects.select_for_update().get_or_create(
        organisation=organisation,
        year=year,
        index=index.strip(),
        defaults={
            "title": title,
            "retention_years": retention_years,
            "retention_basis": retention_basis,
        },
    )
    if not created and (case.title, case.retention_years, case.retention_basis) != (
        title,
        retention_years,
        retention_basis,
    ):
        case.title, case.retention_years, case.retention_basis = (
            title,
            retention_years,
            retention_basis,
        )
        case.full_clean()
        case.save(update_fields=["title", "retention_years", "retention_basis"])
    elif created:
        case.full_clean()
    if created:
        audit_record(
            actor=actor,
            action="docflow.case.create",
            target=case,
            public=False,
            changes={"title": title, "retention_years": retention_years},
        )
    return case


@transaction.atomic
def case_close(*, actor: Any, case: Case, on: date | None = None) -> Case:
    """Close the case: it moves to the archive and its retention period starts."""
    if actor is not None and not (
        can_register(actor, case.organisation_id) or has_role(actor, Role.ADMINISTRATOR)
    ):
        raise NotPermitted(_("You may close only the cases of your own body."))
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.closed_on is not None:
        raise WrongState(_("The case is already closed."))
    case.closed_on = on or timezone.localdate()
    case.save(update_fields=["closed_on"])
    audit_record(
        actor=actor,
        action="docflow.case.close",
        target=case,
        public=False,
        changes={"closed_on": case.closed_on},
    )
    return case
