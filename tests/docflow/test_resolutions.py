from datetime import date, timedelta

import pytest
from django.utils import timezone

from hromada.core.models import CalendarDay
from hromada.docflow.errors import NotPermitted, WrongState
from hromada.docflow.models import Resolution
from hromada.docflow.selectors import control_dashboard
from hromada.docflow.services import (
    execution_report,
    resolution_due,
    resolution_remove_from_control,
    resolution_write,
    resolutions_remind,
)


def test_term_ending_on_a_weekend_moves_to_the_previous_friday(db):
    # 2025-05-01 is a Thursday; +9 days is Saturday 10 May → Friday 9 May.
    assert resolution_due(start=date(2025, 5, 1), term_days=9) == date(2025, 5, 9)
    assert resolution_due(start=date(2025, 5, 1), term_days=5) == date(2025, 5, 6)


def test_term_ending_on_a_holiday_moves_to_the_working_day_before(db):
    CalendarDay.objects.create(date=date(2025, 12, 25), kind="holiday", name="Різдво Христове")
    assert resolution_due(start=date(2025, 12, 15), term_days=10) == date(2025, 12, 24)


def _resolution(office, document, **fields):
    fields.setdefault("term_days", 10)
    return resolution_write(
        actor=office.head,
        document=document,
        instruction="Розглянути та підготувати відповідь",
        lead_executor=office.executor,
        co_executors=[office.co_executor],
        controller=office.controller,
        **fields,
    )


def test_resolution_report_and_removal_from_control(register, office):
    letter = register()
    resolution = _resolution(office, letter)
    assert resolution.due_on >= timezone.localdate()
    assert office.executor.notifications.exists()
    execution_report(actor=office.co_executor, resolution=resolution, text="Зібрано кошториси")
    resolution.refresh_from_db()
    assert resolution.status == Resolution.Status.ON_CONTROL
    execution_report(actor=office.executor, resolution=resolution, text="Відповідь надіслано")
    resolution.refresh_from_db()
    assert resolution.status == Resolution.Status.REPORTED
    resolution_remove_from_control(actor=office.controller, resolution=resolution)
    resolution.refresh_from_db()
    assert resolution.status == Resolution.Status.REMOVED
    assert resolution.done_on_time is True


def test_only_a_head_writes_resolutions(register, office):
    with pytest.raises(NotPermitted):
        resolution_write(
            actor=office.clerk,
            document=register(),
            instruction="Виконати",
            lead_executor=office.executor,
            term_days=5,
        )
    assert not Resolution.objects.exists()


def test_only_executors_report_and_only_controllers_remove(register, office):
    resolution = _resolution(office, register())
    with pytest.raises(NotPermitted):
        execution_report(actor=office.clerk, resolution=resolution, text="Виконано")
    with pytest.raises(WrongState):
        resolution_remove_from_control(actor=office.controller, resolution=resolution)
    execution_report(actor=office.executor, resolution=resolution, text="Виконано")
    with pytest.raises(NotPermitted):
        resolution_remove_from_control(actor=office.executor, resolution=resolution)
    resolution.refresh_from_db()
    assert resolution.status == Resolution.Status.REPORTED


def test_dashboard_shows_overdue_due_soon_and_on_time_share(register, office):
    late = _resolution(office, register())
    soon = _resolution(office, register(), term_days=3)
    done = _resolution(office, register())
    Resolution.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - timedelta(days=2))
    execution_report(actor=office.executor, resolution=done, text="Виконано")
    resolution_remove_from_control(actor=office.controller, resolution=done)
    dashboard = control_dashboard(user=office.controller)
    assert [r.pk for r in dashboard.overdue] == [late.pk]
    assert soon.pk in [r.pk for r in dashboard.due_soon]
    body = dashboard.bodies[0]
    assert (body.done, body.on_time, body.overdue_open) == (1, 1, 1)
    assert body.on_time_share == 100


def test_reminders_go_once_a_day_before_the_term(register, office):
    _resolution(office, register(), term_days=2)
    today = timezone.localdate()
    assert resolutions_remind(on=today) == 1
    assert resolutions_remind(on=today) == 0
