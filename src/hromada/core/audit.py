"""The audit log: append-only events, each hash-chained (SHA-256) to the previous one.

Every service that writes calls :func:`audit_record` inside its transaction, so a
change and its audit event commit or roll back together.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from hromada.core.models import AuditEvent

GENESIS_HASH = "0" * 64
# An arbitrary constant: the PostgreSQL advisory lock that serialises chain appends.
_CHAIN_LOCK_ID = 784_2021


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if hasattr(value, "name") and hasattr(value, "url"):  # a FieldFile
        return value.name or ""
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The values of ``fields`` on ``obj``, ready to be stored as JSON."""
    return {name: _jsonable(getattr(obj, name)) for name in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for each field whose value changed."""
    return {
        name: [before.get(name), after.get(name)]
        for name in after
        if before.get(name) != after.get(name)
    }


def _event_payload(event: AuditEvent) -> bytes:
    payload = {
        "id": event.pk,
        "created_at": event.created_at.isoformat(),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "target_repr": event.target_repr,
        "changes": event.changes,
        "public": event.public,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str).encode()


def event_hash(event: AuditEvent) -> str:
    return hashlib.sha256(_event_payload(event)).hexdigest()


def _lock_chain() -> None:
    # SQLite already serialises writers (IMMEDIATE transactions); PostgreSQL needs a lock
    # so two concurrent appends cannot both chain to the same predecessor.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_ID])


def target_label(target: models.Model) -> str:
    return f"{target._meta.app_label}.{target._meta.model_name}"


@transaction.atomic
def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    changes: dict[str, Any] | None = None,
    public: bool = True,
) -> AuditEvent:
    """Append one event to the chain. ``actor`` is a user, or None for the system."""
    _lock_chain()
    last = AuditEvent.objects.order_by("-id").only("id", "hash").first()
    user = actor if getattr(actor, "is_authenticated", False) else None
    event = AuditEvent(
        created_at=timezone.now(),
        actor=user,
        actor_label=(user.get_full_name() or user.email) if user else "system",
        action=action,
        target_type=target_label(target),
        target_id=str(target.pk),
        target_repr=str(target)[:300],
        changes=json.loads(json.dumps(changes or {}, default=_jsonable)),
        public=public,
        prev_hash=last.hash if last else GENESIS_HASH,
        hash="pending",
    )
    # The id is part of the hashed payload, so insert first, then seal the row.
    models.Model.save(event)
    event.hash = event_hash(event)
    AuditEvent.objects.filter(pk=event.pk).update(hash=event.hash)
    return event


@dataclass(frozen=True)
class ChainFault:
    event_id: int
    reason: str


def verify_chain(events: Iterator[AuditEvent] | None = None) -> ChainFault | None:
    """The first fault in the chain (changed, inserted or deleted event), or None."""
    rows = events if events is not None else AuditEvent.objects.order_by("id").iterator(2000)
    prev_hash = GENESIS_HASH
    for event in rows:
        if event.prev_hash != prev_hash:
            return ChainFault(
                event.pk, "does not link to the event before it (one was deleted or changed)"
            )
        if event_hash(event) != event.hash:
            return ChainFault(event.pk, "its content does not match its hash (it was changed)")
        prev_hash = event.hash
    return None


def public_history(target: models.Model) -> models.QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        target_type=target_label(target), target_id=str(target.pk), public=True
    ).select_related("actor")
