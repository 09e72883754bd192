"""Who sees and who acts on a document.

A document is visible to its registering body, its addressee bodies, its approvers,
signatory, executors and controller, and those granted access. Administrators and
controllers also see every document that is not restricted; a restricted document is
never shown to anyone outside that circle (docs/decisions/0203).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from hromada.accounts.models import Role
from hromada.accounts.permissions import has_role, roles_of, staff_organisation_ids
from hromada.core.models import Position
from hromada.docflow.models import (
    AccessGrant,
    ApprovalStep,
    Document,
    Resolution,
)


def is_docflow_user(user: Any) -> bool:
    """Anyone acting for the city (any role) may use the workflow."""
    return bool(roles_of(user))


def access_branches(user: Any) -> list[Q]:
    """The ways ``user`` may see a document, one filter on Document each; a document is
    visible when any one holds. Each is narrow enough for an index of its own."""
    organisations = staff_organisation_ids(user)
    resolutions = Resolution.objects.filter(
        Q(author=user) | Q(lead_executor=user) | Q(co_executors=user) | Q(controller=user)
    ).values("document_id")
    branches = [
        Q(organisation_id__in=organisations),
        Q(
            pk__in=Document.addressee_bodies.through.objects.filter(
                organisation_id__in=organisations
            ).values("document_id")
        ),
        Q(pk__in=ApprovalStep.objects.filter(approver=user).values("route__document_id")),
        Q(pk__in=resolutions),
        Q(pk__in=AccessGrant.objects.filter(user=user).values("document_id")),
        Q(signatory=user),
        Q(created_by=user),
    ]
    if has_role(user, Role.ADMINISTRATOR, Role.CONTROLLER):
        branches.insert(0, Q(restricted=False))
    return branches


def visible_documents(user: Any, queryset: QuerySet[Document] | None = None) -> QuerySet[Document]:
    queryset = Document.objects.all() if queryset is None else queryset
    if not is_docflow_user(user):
        return queryset.none()
    allowed = Q()
    for branch in access_branches(user):
        allowed |= branch
    return queryset.filter(allowed)


def can_view(user: Any, document: Document) -> bool:
    return visible_documents(user, Document.objects.filter(pk=document.pk)).exists()


def can_register(user: Any, organisation_id: int) -> bool:
    return has_role(user, Role.ADMINISTRATOR) or organisation_id in staff_organisation_ids(user)


def registering_bodies(user: Any) -> QuerySet:
    from hromada.core.models import Organisation

    if has_role(user, Role.ADMINISTRATOR):
        return Organisation.objects.exclude(
            kind__in=[
                Organisation.Kind.CIVIL_SOCIETY,
                Organisation.Kind.DONOR,
                Organisation.Kind.BUSINESS,
            ]
        )
    return Organisation.objects.filter(pk__in=staff_organisation_ids(user))


def can_edit(user: Any, document: Document) -> bool:
    """Keep the card and files: the registering body's staff, or the clerk who registered it."""
    if not getattr(user, "is_authenticated", False):
        return False
    return document.created_by_id == user.pk or can_register(user, document.organisation_id)


def is_head(user: Any, document: Document) -> bool:
    """Heads (Position.is_head) of the registering or an addressee body write resolutions."""
    if has_role(user, Role.ADMINISTRATOR):
        return True
    bodies = {document.organisation_id} | set(
        document.addressee_bodies.values_list("pk", flat=True)
    )
    return Position.objects.filter(
        person__user=user, is_head=True, organisation_id__in=bodies, ended_on__isnull=True
    ).exists()


def can_remove_from_control(user: Any, resolution: Resolution) -> bool:
    return resolution.controller_id == getattr(user, "pk", None) or has_role(
        user, Role.CONTROLLER, Role.ADMINISTRATOR
    )
