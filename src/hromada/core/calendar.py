"""Working days and statutory deadlines.

Every deadline in Hromada is computed here, from the calendar days an administrator
keeps as data (holidays and transfers change by law: e.g. under martial law public
holidays are working days, Law of Ukraine No. 2136-IX).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _

from hromada.core.models import CalendarDay

# Per-process cache of the calendar's exceptions; an edit in this process clears it at
# once, other worker processes pick it up within the refresh interval.
_REFRESH_SECONDS = 300
_cache: dict[str, object] = {}


def _exceptions() -> tuple[frozenset[date], frozenset[date]]:
    loaded_at = _cache.get("at")
    if loaded_at is None or time.monotonic() - loaded_at > _REFRESH_SECONDS:  # type: ignore[operator]
        _cache["value"] = _load_exceptions()
        _cache["at"] = time.monotonic()
    return _cache["value"]  # type: ignore[return-value]


def _load_exceptions() -> tuple[frozenset[date], frozenset[date]]:
    days_off, working = set(), set()
    for day in CalendarDay.objects.only("date", "kind"):
        if day.is_day_off:
            days_off.add(day.date)
        elif day.kind == CalendarDay.Kind.WORKING:
            working.add(day.date)
    return frozenset(days_off), frozenset(working)


def forget_calendar_cache(**_kwargs) -> None:
    _cache.clear()
    # Again after commit: a deadline computed inside a transaction that then rolled back
    # must not keep the rolled-back calendar.
    if connection.in_atomic_block:
        transaction.on_commit(_cache.clear)


post_save.connect(forget_calendar_cache, sender=CalendarDay)
post_delete.connect(forget_calendar_cache, sender=CalendarDay)


def is_working_day(day: date) -> bool:
    days_off, working = _exceptions()
    if day in working:
        return True
    return day.weekday() < 5 and day not in days_off


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def add_calendar_days(start: date, days: int, *, roll_to_working_day: bool = True) -> date:
    """``start`` + ``days``; a term ending on a day off moves to the next working day
    (Civil Code of Ukraine, art. 254 part 5)."""
    end = start + timedelta(days=days)
    while roll_to_working_day and not is_working_day(end):
        end += timedelta(days=1)
    return end


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end``."""
    count, current = 0, start
    while current < end:
        current += timedelta(days=1)
        count += is_working_day(current)
    return count


@dataclass(frozen=True)
class Law:
    key: str
    title: str
    article: str
    days: int
    working_days: bool

    @property
    def unit(self) -> str:
        return str(_("working days") if self.working_days else _("calendar days"))


LAWS: dict[str, Law] = {
    law.key: law
    for law in [
        Law(
            "public_information",
            _("Law of Ukraine “On Access to Public Information” No. 2939-VI"),
            _("art. 20 part 1"),
            5,
            True,
        ),
        Law(
            "public_information_extended",
            _("Law of Ukraine “On Access to Public Information” No. 2939-VI"),
            _("art. 20 part 4"),
            20,
            True,
        ),
        Law(
            "appeal",
            _("Law of Ukraine “On Citizens' Appeals” No. 393/96-ВР"),
            _("art. 20"),
            30,
            False,
        ),
        Law(
            "appeal_urgent",
            _("Law of Ukraine “On Citizens' Appeals” No. 393/96-ВР"),
            _("art. 20 (no extra study needed)"),
            15,
            False,
        ),
        Law(
            "petition_response",
            _("Law of Ukraine “On Citizens' Appeals” No. 393/96-ВР"),
            _("art. 23-1 part 7"),
            10,
            True,
        ),
        Law(
            "administrative_service",
            _("Law of Ukraine “On Administrative Services” No. 5203-VI"),
            _("art. 10 part 3"),
            30,
            False,
        ),
    ]
}


@dataclass(frozen=True)
class Deadline:
    due: date
    law: Law

    def __str__(self) -> str:
        return f"{self.due:%d.%m.%Y} ({self.law.title}, {self.law.article})"


def deadline_per_law(law_key: str, start: date) -> Deadline:
    """The statutory deadline for something received on ``start`` under ``law_key``."""
    law = LAWS[law_key]
    due = (
        add_working_days(start, law.days)
        if law.working_days
        else add_calendar_days(start, law.days)
    )
    return Deadline(due=due, law=law)
