"""Resolutions and control of execution."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hromada.accounts.models import Role, User
from hromada.core.audit import audit_record
from hromada.core.calendar import is_working_day
from hromada.core.services import notify
from hromada.docflow.access import can_remove_from_control, is_head
from hromada.docflow.errors import NotPermitted, WrongState
from hromada.docflow.models import Document, ExecutionReport, Resolution

REMIND_DAYS_BEFORE = 3


def resolution_due(*, start: date, term_days: int) -> date:
    """``start`` + ``term_days`` calendar days; a term that ends on a day off moves to
    the PREVIOUS working day, so the work is done before the break, not after it."""
    due = start + timedelta(days=term_days)
    while not is_working_day(due):
        due -= timedelta(days=1)
    return due


@transaction.atomic
def resolution_write(
    *,
    actor: Any,
    document: Document,
    instruction: str,
    lead_executor: Any,
    term_days: int,
    co_executors: Iterable[Any] = (),
    controller: Any = None,
    written_at: datetime | None = None,
) -> Resolution:
    """``written_at`` lets a resolution first written on paper be entered with its date."""
    if not is_head(actor, document):
        raise NotPermitted(
            _("Only the head of the registering or an addressee body writes resolutions.")
        )
    co_executors = [user for user in co_executors if user.pk != lead_executor.pk]
    if not instruction.strip():
        raise ValidationError(_("Write the instruction."))
    if term_days < 1:
        raise ValidationError(_("The term must be at least one day."))
    now = written_at or timezone.now()
    resolution = Resolution.objects.create(
        document=document,
        author=actor,
        instruction=instruction.strip(),
        lead_executor=lead_executor,
        controller=controller,
        term_days=term_days,
        due_on=resolution_due(start=timezone.localdate(now), term_days=term_days),
        created_at=now,
    )
    resolution.co_executors.set(co_executors)
    notify(
        recipients=[lead_executor, *co_executors],
        subject=_("A resolution for you on %(document)s, due %(due)s")
        % {"document": document, "due": f"{resolution.due_on:%d.%m.%Y}"},
        body=resolution.instruction,
        url=document.get_absolute_url(),
    )
    audit_record(
        actor=actor,
        action="docflow.resolution.write",
        target=document,
        public=False,
        changes={
            "instruction": resolution.instruction,
            "lead_executor": str(lead_executor),
            "co_executors": [str(user) for user in co_executors],
            "due_on": resolution.due_on,
        },
    )
    return resolution


def _controllers(resolution: Resolution) -> list[Any]:
    if resolution.controller_id:
        return [resolution.controller]
    return list(User.objects.filter(role_assignments__role=Role.CONTROLLER).distinct())


@transaction.atomic
def execution_report(*, actor: Any, resolution: Resolution, text: str) -> ExecutionReport:
    """An executor reports what was done; the lead executor's report sends the task to
    the controller."""
    resolution = Resolution.objects.select_for_update().get(pk=resolution.pk)
    is_lead = resolution.lead_executor_id == actor.pk
    if not is_lead and not resolution.co_executors.filter(pk=actor.pk).exists():
        raise NotPermitted(_("Only the executors of this resolution report on it."))
    if resolution.status == Resolution.Status.REMOVED:
        raise WrongState(_("The resolution is already removed from control."))
    if not text.strip():
        raise ValidationError(_("Describe what was done."))
    now = timezone.now()
    report = ExecutionReport.objects.create(
        resolution=resolution, author=actor, text=text.strip(), reported_at=now
    )
    if is_lead:
        resolution.status = Resolution.Status.REPORTED
        resolution.reported_on = timezone.localdate(now)
        resolution.save(update_fields=["status", "reported_on"])
        notify(
            recipients=_controllers(resolution),
            subject=_("Execution reported on %(document)s") % {"document": resolution.document},
            body=report.text,
            url=resolution.document.get_absolute_url(),
        )
    audit_record(
        actor=actor,
        action="docflow.resolution.report",
        target=resolution.document,
        public=False,
        changes={"resolution": resolution.pk, "text": report.text},
    )
    return report


@transaction.atomic
def resolution_remove_from_control(*, actor: Any, resolution: Resolution) -> Resolution:
    resolution = Resolution.objects.select_for_update().get(pk=resolution.pk)
    if not can_remove_from_control(actor, resolution):
        raise NotPermitted(_("Only the controller removes a task from control."))
    if resolution.status != Resolution.Status.REPORTED:
        raise WrongState(_("The lead executor has not reported execution yet."))
    resolution.status = Resolution.Status.REMOVED
    resolution.removed_at = timezone.now()
    resolution.removed_by = actor
    resolution.save(update_fields=["status", "removed_at", "removed_by"])
    audit_record(
        actor=actor,
        action="docflow.resolution.remove_from_control",
        target=resolution.document,
        public=False,
        changes={"resolution": resolution.pk, "on_time": resolution.done_on_time},
    )
    return resolution


@transaction.atomic
def resolutions_remind(*, on: date | None = None) -> int:
    """Remind executors of tasks due within a few days (once a day per task)."""
    on = on or timezone.localdate()
    due = (
        Resolution.objects.select_for_update()
        .filter(
            status=Resolution.Status.ON_CONTROL,
            due_on__gte=on,
            due_on__lte=on + timedelta(days=REMIND_DAYS_BEFORE),
        )
        .exclude(reminded_on=on)
    )
    count = 0
    for resolution in due.select_related("document", "lead_executor"):
        notify(
            recipients=[resolution.lead_executor, *resolution.co_executors.all()],
            subject=_("Due %(due)s: %(document)s")
            % {"due": f"{resolution.due_on:%d.%m.%Y}", "document": resolution.document},
            body=resolution.instruction,
            url=resolution.document.get_absolute_url(),
        )
        resolution.reminded_on = on
        resolution.save(update_fields=["reminded_on"])
        count += 1
    return count
