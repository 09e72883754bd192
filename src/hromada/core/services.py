"""Writes of the shared kernel: organisations, people, the calendar, notifications."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils import timezone

from hromada.core.audit import audit_record, diff, snapshot
from hromada.core.models import CalendarDay, Notification, Organisation, Person

ORGANISATION_FIELDS = [
    "name",
    "short_name",
    "name_en",
    "kind",
    "parent_id",
    "edrpou",
    "website",
    "email",
    "phone",
    "address",
    "description",
]
CALENDAR_FILE = Path(__file__).parent / "data" / "calendar-ua.yaml"


@transaction.atomic
def organisation_upsert(*, actor: Any, key: str, **fields: Any) -> Organisation:
    """Create the organisation ``key`` or bring it to ``fields``; audit only real changes."""
    organisation = Organisation.objects.select_for_update().filter(key=key).first()
    if organisation is None:
        organisation = Organisation(key=key, **fields)
        organisation.full_clean()
        organisation.save()
        audit_record(
            actor=actor,
            action="organisation.create",
            target=organisation,
            changes=diff({}, snapshot(organisation, ORGANISATION_FIELDS)),
        )
        return organisation
    return organisation_update(actor=actor, organisation=organisation, **fields)


@transaction.atomic
def organisation_update(*, actor: Any, organisation: Organisation, **fields: Any) -> Organisation:
    before = snapshot(organisation, ORGANISATION_FIELDS)
    for name, value in fields.items():
        setattr(organisation, name, value)
    changes = diff(before, snapshot(organisation, ORGANISATION_FIELDS))
    if changes:
        organisation.full_clean()
        organisation.save()
        audit_record(
            actor=actor, action="organisation.update", target=organisation, changes=changes
        )
    return organisation


@transaction.atomic
def organisations_load(*, actor: Any, entries: list[dict[str, Any]]) -> dict[str, Organisation]:
    """Upsert organisations given as dicts with ``key`` and optional ``parent`` key.

    Parents are resolved within the list or from the database, in list order."""
    loaded: dict[str, Organisation] = {}
    allowed = {
        "name",
        "short_name",
        "name_en",
        "kind",
        "edrpou",
        "website",
        "email",
        "phone",
        "address",
        "description",
    }
    for entry in entries:
        fields = {name: value for name, value in entry.items() if name in allowed}
        parent_key = entry.get("parent")
        if parent_key:
            parent = loaded.get(parent_key) or Organisation.objects.filter(key=parent_key).first()
            if parent is None:
                raise ValueError(f"organisation {entry['key']!r}: unknown parent {parent_key!r}")
            fields["parent_id"] = parent.pk
        else:
            fields["parent_id"] = None
        loaded[entry["key"]] = organisation_upsert(actor=actor, key=entry["key"], **fields)
    return loaded


@transaction.atomic
def person_get_or_create(*, full_name: str, note: str = "") -> Person:
    person, _created = Person.objects.get_or_create(full_name=full_name, defaults={"note": note})
    return person


def _calendar_rows(path: Path) -> Iterable[dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    bases = data.get("bases", {})
    for number, row in enumerate(data["days"], start=1):
        day, kind, name, name_en, basis = row
        if kind not in CalendarDay.Kind.values:
            raise ValueError(f"{path.name}: day {number} ({day}): unknown kind {kind!r}")
        yield {
            "date": day if isinstance(day, date) else date.fromisoformat(str(day)),
            "kind": kind,
            "name": name,
            "name_en": name_en,
            "basis": bases.get(basis, basis),
        }


@transaction.atomic
def calendar_load(*, actor: Any = None, path: Path = CALENDAR_FILE) -> int:
    """Load calendar days from ``path`` (idempotent). Returns how many rows changed."""
    changed = 0
    for row in list(_calendar_rows(path)):
        day = CalendarDay.objects.filter(date=row["date"]).first()
        if day is None:
            day = CalendarDay.objects.create(**row)
            audit_record(actor=actor, action="calendar.add", target=day, changes=row)
            changed += 1
            continue
        before = snapshot(day, ["kind", "name", "name_en", "basis"])
        for name, value in row.items():
            setattr(day, name, value)
        changes = diff(before, snapshot(day, ["kind", "name", "name_en", "basis"]))
        if changes:
            day.save()
            audit_record(actor=actor, action="calendar.change", target=day, changes=changes)
            changed += 1
    return changed


@transaction.atomic
def notify(
    *, recipients: Iterable[Any], subject: str, body: str = "", url: str = ""
) -> list[Notification]:
    """In-app notifications now; e-mail copies after the surrounding transaction commits."""
    notifications = Notification.objects.bulk_create(
        Notification(recipient=user, subject=subject[:300], body=body, url=url)
        for user in {user.pk: user for user in recipients}.values()
    )
    # SQLite ≥ 3.35 and PostgreSQL both return primary keys from bulk_create.
    ids = [notification.pk for notification in notifications]
    from hromada.core.tasks import send_notification_emails

    transaction.on_commit(lambda: send_notification_emails(ids))
    return notifications


@transaction.atomic
def notification_mark_read(*, user: Any, notification: Notification) -> None:
    if notification.recipient_id == user.pk and notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
