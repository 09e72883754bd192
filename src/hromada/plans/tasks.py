"""Daily background work: live indicator snapshots and term reminders."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from hromada.accounts.models import Role, User
from hromada.core.services import notify
from hromada.plans.models import Measure, MeasureReminder
from hromada.plans.selectors import followers_of_measure, measures_ending_within, measures_past_term
from hromada.plans.services.indicators import indicators_snapshot


@db_periodic_task(crontab(hour="2", minute="10"))
def snapshot_indicators_daily() -> int:
    return indicators_snapshot(on=timezone.localdate())


@db_periodic_task(crontab(hour="8", minute="0"))
def send_measure_reminders_daily() -> int:
    return measure_reminders_send(on=timezone.localdate())


def _staff_of(measure: Measure) -> list[User]:
    return list(
        User.objects.filter(
            role_assignments__role=Role.STAFF,
            role_assignments__organisation_id__in=measure.responsible_organisation_ids(),
            is_active=True,
        ).distinct()
    )


def _send_once(measure: Measure, kind: str, on: date, recipients, subject: str, body: str) -> bool:
    try:
        with transaction.atomic():
            MeasureReminder.objects.create(measure=measure, kind=kind, sent_on=on)
            if recipients:
                notify(
                    recipients=recipients,
                    subject=subject,
                    body=body,
                    url=measure.get_absolute_url(),
                )
    except IntegrityError:  # already sent: the unique constraint is the guard
        return False
    return True


def measure_reminders_send(*, on: date, days: int | None = None) -> int:
    """Remind responsible staff (and followers) N days before a term ends; tell followers
    once a term has passed unfinished. Each reminder is sent once."""
    days = settings.PLAN_REMINDER_DAYS if days is None else days
    sent = 0
    for measure in measures_ending_within(days=days, on=on):
        recipients = _staff_of(measure) + followers_of_measure(measure=measure)
        sent += _send_once(
            measure,
            MeasureReminder.Kind.ENDING_SOON,
            on,
            recipients,
            _("The term of measure %(number)s ends on %(end)s")
            % {"number": measure.number, "end": f"{measure.end:%d.%m.%Y}"},
            _("Progress is %(progress)s%%. Please submit a progress report.")
            % {"progress": measure.progress},
        )
    for measure in measures_past_term(on=on):
        recipients = _staff_of(measure) + followers_of_measure(measure=measure)
        sent += _send_once(
            measure,
            MeasureReminder.Kind.TERM_PASSED,
            on,
            recipients,
            _("The term of measure %(number)s has passed unfinished") % {"number": measure.number},
            _("The term ended on %(end)s; progress is %(progress)s%%.")
            % {"end": f"{measure.end:%d.%m.%Y}", "progress": measure.progress},
        )
    return sent
