"""Approval routes: sequential stages, parallel approvers within a stage."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hromada.core.audit import audit_record
from hromada.core.calendar import add_working_days
from hromada.core.services import notify
from hromada.docflow.access import can_edit
from hromada.docflow.errors import AlreadyDecided, NotOnRoute, NotPermitted, WrongState
from hromada.docflow.models import (
    SIGNED_KINDS,
    ApprovalRoute,
    ApprovalStep,
    Document,
    RouteTemplate,
)


@dataclass(frozen=True)
class StepPlan:
    stage: int
    approver: Any
    term_days: int = 2


def steps_from_template(*, template: RouteTemplate) -> list[StepPlan]:
    return [
        StepPlan(step.stage, step.approver, step.term_days)
        for step in template.steps.select_related("approver")
    ]


def templates_for(*, document: Document) -> list[RouteTemplate]:
    return list(
        RouteTemplate.objects.filter(kind=document.kind).filter(
            Q(organisation__isnull=True) | Q(organisation=document.organisation)
        )
    )


def _open_stage(route: ApprovalRoute, stage: int) -> list[ApprovalStep]:
    today = timezone.localdate()
    steps = list(route.steps.filter(stage=stage).select_related("approver"))
    for step in steps:
        step.due_on = add_working_days(today, step.term_days)
        step.save(update_fields=["due_on"])
    notify(
        recipients=[step.approver for step in steps],
        subject=_("A document awaits your approval: %(document)s") % {"document": route.document},
        body=route.document.summary,
        url=route.document.get_absolute_url(),
    )
    return steps


@transaction.atomic
def route_start(*, actor: Any, document: Document, steps: Sequence[StepPlan]) -> ApprovalRoute:
    """Send the document on approval along ``steps`` (stage 1 first, equal stages in
    parallel)."""
    if not can_edit(actor, document):
        raise NotPermitted(_("Only the registering body may send this document for approval."))
    if document.kind not in SIGNED_KINDS:
        raise WrongState(_("Documents of this kind are not approved in Hromada."))
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.status not in (Document.Status.REGISTERED, Document.Status.RETURNED):
        raise WrongState(_("The document is already on approval, approved or signed."))
    if not steps:
        raise ValidationError(_("Name at least one approver."))
    approvers = [plan.approver.pk for plan in steps]
    if len(set(approvers)) != len(approvers):
        raise ValidationError(_("Each approver may appear on the route only once."))
    route = ApprovalRoute.objects.create(document=document, started_by=actor)
    # Stages are renumbered 1, 2, … so a gap in the plan cannot stall the route.
    stages = {stage: index for index, stage in enumerate(sorted({p.stage for p in steps}), 1)}
    ApprovalStep.objects.bulk_create(
        ApprovalStep(
            route=route, stage=stages[plan.stage], approver=plan.approver, term_days=plan.term_days
        )
        for plan in steps
    )
    document.status = Document.Status.ON_APPROVAL
    document.save(update_fields=["status"])
    _open_stage(route, 1)
    audit_record(
        actor=actor,
        action="docflow.route.start",
        target=document,
        public=False,
        changes={"steps": [[stages[p.stage], str(p.approver)] for p in steps]},
    )
    return route


def active_stage(route: ApprovalRoute) -> int | None:
    pending = route.steps.filter(decision=ApprovalStep.Decision.PENDING)
    return min(pending.values_list("stage", flat=True), default=None)


@transaction.atomic
def approval_decide(
    *, actor: Any, document: Document, decision: str, comment: str = ""
) -> ApprovalStep:
    """Approve, reject or return for revision. Refused for anyone not on the route, for
    a second decision by the same person, and before the person's stage is reached."""
    route = (
        ApprovalRoute.objects.select_for_update()
        .filter(document=document, status=ApprovalRoute.Status.IN_PROGRESS)
        .first()
    )
    if route is None:
        raise WrongState(_("The document is not on approval."))
    step = route.steps.filter(approver=actor).first()
    if step is None:
        raise NotOnRoute(_("You are not on the approval route of this document."))
    if step.decision != ApprovalStep.Decision.PENDING:
        raise AlreadyDecided(_("You have already given your decision on this document."))
    if step.stage != active_stage(route):
        raise WrongState(_("Your stage of the route has not started yet."))
    if decision not in ApprovalStep.Decision.values or decision == ApprovalStep.Decision.PENDING:
        raise ValidationError(_("Unknown decision."))
    comment = comment.strip()
    if decision != ApprovalStep.Decision.APPROVED and not comment:
        raise ValidationError(_("Say why in a comment when you reject or return a document."))
    step.decision, step.comment, step.decided_at = decision, comment, timezone.now()
    step.save(update_fields=["decision", "comment", "decided_at"])
    document = Document.objects.select_for_update().get(pk=document.pk)
    finished = None
    if decision == ApprovalStep.Decision.REJECTED:
        finished = (ApprovalRoute.Status.REJECTED, Document.Status.REJECTED)
    elif decision == ApprovalStep.Decision.RETURNED:
        finished = (ApprovalRoute.Status.RETURNED, Document.Status.RETURNED)
    else:
        next_stage = active_stage(route)
        if next_stage is None:
            finished = (ApprovalRoute.Status.APPROVED, Document.Status.APPROVED)
        elif next_stage != step.stage:
            _open_stage(route, next_stage)
    if finished is not None:
        route.status, route.finished_at = finished[0], timezone.now()
        route.save(update_fields=["status", "finished_at"])
        document.status = finished[1]
        document.save(update_fields=["status"])
        recipients = [user for user in (document.created_by, document.signatory) if user]
        if finished[0] == ApprovalRoute.Status.APPROVED and document.signatory_id:
            subject = _("A document is approved and awaits your signature: %(document)s")
        else:
            subject = _("Approval of %(document)s ended: %(status)s")
        notify(
            recipients=recipients,
            subject=subject % {"document": document, "status": route.get_status_display()},
            body=comment,
            url=document.get_absolute_url(),
        )
    audit_record(
        actor=actor,
        action=f"docflow.approval.{decision}",
        target=document,
        public=False,
        changes={"stage": step.stage, "comment": comment},
    )
    return step
