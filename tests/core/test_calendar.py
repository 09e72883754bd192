"""Working days and statutory deadlines, computed from the real Ukrainian calendar."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from hromada.core.calendar import (
    LAWS,
    add_calendar_days,
    add_working_days,
    deadline_per_law,
    is_working_day,
    working_days_between,
)
from hromada.core.models import AuditEvent, CalendarDay
from hromada.core.services import calendar_load


@pytest.fixture
def calendar(db):
    return calendar_load()


def test_calendar_load_adds_every_day_and_audits_each(db):
    added = calendar_load()

    assert added > 50
    assert CalendarDay.objects.count() == added
    assert AuditEvent.objects.filter(action="calendar.add").count() == added
    may_day = CalendarDay.objects.get(date=date(2021, 5, 1))
    assert may_day.kind == CalendarDay.Kind.HOLIDAY
    assert may_day.basis == "Кодекс законів про працю України, ст. 73"


def test_calendar_load_twice_changes_nothing(calendar):
    days, events = CalendarDay.objects.count(), AuditEvent.objects.count()

    assert calendar_load() == 0

    assert CalendarDay.objects.count() == days
    assert AuditEvent.objects.count() == events


def test_calendar_load_restores_a_day_changed_by_hand_and_audits_it(calendar):
    CalendarDay.objects.filter(date=date(2021, 5, 3)).update(kind=CalendarDay.Kind.WORKING)

    assert calendar_load() == 1

    assert CalendarDay.objects.get(date=date(2021, 5, 3)).kind == CalendarDay.Kind.DAY_OFF
    change = AuditEvent.objects.get(action="calendar.change")
    assert change.changes == {"kind": ["working", "day_off"]}


def test_is_working_day_follows_the_calendar(calendar):
    expected = {
        date(2021, 4, 30): True,  # Friday
        date(2021, 5, 1): False,  # Saturday, Labour Day
        date(2021, 5, 3): False,  # Monday, day off for Labour Day
        date(2021, 5, 4): False,  # Tuesday, day off for Easter
        date(2021, 5, 5): True,  # Wednesday
        date(2021, 1, 16): True,  # working Saturday (transfer)
        date(2021, 1, 17): False,  # Sunday
        date(2021, 8, 24): False,  # Tuesday, Independence Day before martial law
        date(2023, 8, 24): True,  # Thursday, Independence Day under martial law
        date(2024, 8, 24): False,  # Saturday, Independence Day under martial law
    }

    assert {day: is_working_day(day) for day in expected} == expected


def test_add_working_days_skips_weekend_holidays_and_transferred_days_off(calendar):
    # Fri 30.04.2021 + 1: Sat 1 (Labour Day), Sun 2 (Easter), Mon 3, Tue 4 (days off).
    assert add_working_days(date(2021, 4, 30), 1) == date(2021, 5, 5)
    assert add_working_days(date(2021, 4, 29), 2) == date(2021, 5, 5)


def test_add_working_days_counts_a_working_saturday(calendar):
    assert add_working_days(date(2021, 1, 15), 1) == date(2021, 1, 16)
    # Wed 6.01.2021 + 2: Thu 7 (Christmas), Fri 8 (day off), Sat 9, Sun 10, Mon 11, Tue 12.
    assert add_working_days(date(2021, 1, 6), 2) == date(2021, 1, 12)


def test_add_working_days_counts_a_holiday_under_martial_law(calendar):
    assert add_working_days(date(2023, 8, 23), 1) == date(2023, 8, 24)
    assert add_working_days(date(2021, 8, 20), 1) == date(2021, 8, 25)  # 23, 24 off in 2021


def test_add_working_days_zero_is_the_start_and_negative_is_refused(calendar):
    assert add_working_days(date(2021, 5, 1), 0) == date(2021, 5, 1)
    with pytest.raises(ValueError):
        add_working_days(date(2021, 5, 1), -1)


def test_add_calendar_days_rolls_a_day_off_to_the_next_working_day(calendar):
    # 1.04.2021 + 30 = Sat 1.05.2021: Labour Day, then Easter and two days off.
    assert add_calendar_days(date(2021, 4, 1), 30) == date(2021, 5, 5)
    assert add_calendar_days(date(2021, 4, 1), 30, roll_to_working_day=False) == date(2021, 5, 1)
    assert add_calendar_days(date(2021, 4, 5), 30) == date(2021, 5, 5)  # a Wednesday stays


def test_working_days_between_counts_after_start_up_to_end(calendar):
    assert working_days_between(date(2021, 4, 30), date(2021, 5, 5)) == 1
    assert working_days_between(date(2021, 5, 5), date(2021, 5, 5)) == 0


def test_public_information_deadline_is_five_working_days_with_the_law(calendar):
    # Received Mon 26.04.2021: 27, 28, 29, 30 April, then 5 May (1–4 May are off).
    deadline = deadline_per_law("public_information", date(2021, 4, 26))

    assert deadline.due == date(2021, 5, 5)
    assert deadline.law.days == 5
    assert deadline.law.working_days is True
    with translation.override("uk"):
        assert str(deadline) == (
            "05.05.2021 (Закон України «Про доступ до публічної інформації» № 2939-VI, ч. 1 ст. 20)"
        )
        assert deadline.law.unit == "робочих днів"
    with translation.override("en"):
        assert str(deadline) == (
            "05.05.2021 (Law of Ukraine “On Access to Public Information” No. 2939-VI, "
            "art. 20 part 1)"
        )


def test_appeal_deadline_is_thirty_calendar_days_rolled_to_a_working_day(calendar):
    deadline = deadline_per_law("appeal", date(2021, 4, 1))

    assert deadline.due == date(2021, 5, 5)
    assert deadline.law is LAWS["appeal"]
    assert deadline.law.working_days is False


def test_unknown_law_is_refused():
    with pytest.raises(KeyError):
        deadline_per_law("no_such_law", date(2021, 4, 1))


def test_calendar_edit_takes_effect_at_once(calendar):
    assert add_working_days(date(2021, 4, 30), 1) == date(2021, 5, 5)  # fills the cache
    day = CalendarDay.objects.get(date=date(2021, 5, 4))

    day.kind = CalendarDay.Kind.WORKING
    day.save()

    assert is_working_day(date(2021, 5, 4))
    assert add_working_days(date(2021, 4, 30), 1) == date(2021, 5, 4)


def test_calendar_day_removed_takes_effect_at_once(calendar):
    assert not is_working_day(date(2021, 5, 3))  # fills the cache

    CalendarDay.objects.get(date=date(2021, 5, 3)).delete()

    assert is_working_day(date(2021, 5, 3))
