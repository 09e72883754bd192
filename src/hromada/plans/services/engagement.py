"""Following, co-creation comments and independent assessments."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hromada.accounts.models import Role
from hromada.accounts.permissions import has_role
from hromada.core.audit import audit_record
from hromada.core.services import notify
from hromada.plans.models import Assessment, Comment, Commitment, Follow, Measure, Plan


def _target_kwargs(target: Plan | Commitment | Measure) -> dict[str, Any]:
    return {
        "plan": target if isinstance(target, Plan) else None,
        "commitment": target if isinstance(target, Commitment) else None,
        "measure": target if isinstance(target, Measure) else None,
    }


@transaction.atomic
def follow_set(*, user: Any, target: Plan | Commitment | Measure, following: bool) -> bool:
    """Follow or stop following ``target``; returns whether the user now follows it."""
    if not user.is_authenticated:
        raise PermissionDenied(_("Sign in to follow."))
    lookup = _target_kwargs(target)
    if following:
        Follow.objects.get_or_create(user=user, **lookup)
    else:
        Follow.objects.filter(user=user, **lookup).delete()
    return following


def _comment_target(target: Commitment | Measure) -> Plan:
    return target.plan if isinstance(target, Commitment) else target.commitment.plan


@transaction.atomic
def comment_submit(*, actor: Any, target: Commitment | Measure, text: str) -> Comment:
    if not actor.is_authenticated:
        raise PermissionDenied(_("Sign in to comment."))
    if not _comment_target(target).accepts_comments:
        raise ValidationError(_("This plan is not open for comments."))
    text = text.strip()
    if len(text) < 10:
        raise ValidationError({"text": _("Write at least 10 characters.")})
    if len(text) > 5000:
        raise ValidationError({"text": _("Keep the comment under 5,000 characters.")})
    lookup = _target_kwargs(target)
    comment = Comment.objects.create(
        author=actor, text=text, commitment=lookup["commitment"], measure=lookup["measure"]
    )
    audit_record(actor=actor, action="comment.submit", target=comment, public=False)
    return comment


def _require_coordinator(actor: Any) -> None:
    if not has_role(actor, Role.COORDINATOR, Role.ADMINISTRATOR):
        raise PermissionDenied(_("Only the plan's coordinator may moderate and answer comments."))


@transaction.atomic
def comment_moderate(*, actor: Any, comment: Comment, publish: bool) -> Comment:
    _require_coordinator(actor)
    comment.state = Comment.State.PUBLISHED if publish else Comment.State.REJECTED
    comment.save(update_fields=["state"])
    audit_record(
        actor=actor,
        action="comment.moderate",
        target=comment,
        changes={"state": ["pending", comment.state]},
        public=publish,
    )
    return comment


@transaction.atomic
def comment_answer(*, actor: Any, comment: Comment, outcome: str, response: str) -> Comment:
    _require_coordinator(actor)
    if outcome not in Comment.Outcome.values or not outcome:
        raise ValidationError({"outcome": _("Choose how the comment was taken into account.")})
    if not response.strip():
        raise ValidationError({"response": _("Explain the decision to the author.")})
    comment.outcome = outcome
    comment.response = response.strip()
    comment.answered_at = timezone.now()
    if comment.state == Comment.State.PENDING:
        comment.state = Comment.State.PUBLISHED
    comment.save(update_fields=["outcome", "response", "answered_at", "state"])
    audit_record(
        actor=actor, action="comment.answer", target=comment, changes={"outcome": [None, outcome]}
    )
    notify(
        recipients=[comment.author],
        subject=_("Your comment on the action plan was answered"),
        body=comment.response,
        url=comment.target.get_absolute_url(),
    )
    return comment


@transaction.atomic
def assessment_record(
    *,
    actor: Any,
    measure: Measure,
    completion: str,
    potential: str,
    opened_government: str,
    comment: str,
    evidence_url: str = "",
) -> Assessment:
    if not has_role(actor, Role.REVIEWER, Role.ADMINISTRATOR):
        raise PermissionDenied(_("Only an independent reviewer may assess measures."))
    reviewer_org = (
        actor.role_assignments.filter(role=Role.REVIEWER)
        .values_list("organisation_id", flat=True)
        .first()
    )
    assessment = Assessment(
        measure=measure,
        reviewer=actor,
        reviewer_organisation_id=reviewer_org,
        completion=completion,
        potential=potential,
        opened_government=opened_government,
        comment=comment.strip(),
        evidence_url=evidence_url,
    )
    assessment.full_clean()
    assessment.save()
    audit_record(
        actor=actor,
        action="assessment.record",
        target=measure,
        changes={"assessment": [None, assessment.get_opened_government_display()]},
    )
    return assessment
