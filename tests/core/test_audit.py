"""The audit log: append-only, SHA-256 hash-chained events and their verification."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from hromada.cli import main
from hromada.core.audit import GENESIS_HASH, audit_record, event_hash, verify_chain
from hromada.core.models import AuditEvent


@pytest.fixture
def chain(organisation_factory, user_factory):
    """Three events: by a user, by the system, and a private one."""
    organisation = organisation_factory(name="Управління культури і туризму")
    actor = user_factory(full_name="Оксана Шевчук")
    return [
        audit_record(
            actor=actor,
            action="organisation.update",
            target=organisation,
            changes={"phone": ["", "+380 382 00 00 00"]},
        ),
        audit_record(actor=None, action="organisation.review", target=organisation),
        audit_record(actor=actor, action="account.note", target=actor, public=False),
    ]


def _delete_raw(event: AuditEvent) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE id = %s", [event.pk])


def test_audit_record_appends_events_linked_by_hash(chain):
    first, second, third = AuditEvent.objects.order_by("id")
    assert [first.pk, second.pk, third.pk] == [event.pk for event in chain]
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert all(event.hash == event_hash(event) for event in (first, second, third))


def test_audit_record_keeps_who_what_and_changes(chain):
    by_user, by_system, private = AuditEvent.objects.order_by("id")
    assert by_user.actor_label == "Оксана Шевчук"
    assert by_user.target_type == "core.organisation"
    assert by_user.target_repr == "Управління культури і туризму"
    assert by_user.changes == {"phone": ["", "+380 382 00 00 00"]}
    assert by_system.actor is None
    assert by_system.actor_label == "system"
    assert private.public is False


def test_empty_log_verifies(db):
    assert verify_chain() is None


def test_intact_chain_of_events_verifies(chain):
    assert verify_chain() is None


@pytest.mark.parametrize(
    "field, value",
    [
        ("action", "x"),
        ("actor_label", "Хтось інший"),
        ("changes", {"phone": ["", "+380 00 000 00 00"]}),
        ("public", True),
        ("target_id", "999"),
    ],
)
def test_changed_event_is_named_by_verify(chain, field, value):
    tampered = chain[2]
    AuditEvent.objects.filter(pk=tampered.pk).update(**{field: value})

    fault = verify_chain()

    assert fault is not None
    assert fault.event_id == tampered.pk
    assert "changed" in fault.reason


def test_deleted_middle_event_is_named_by_the_event_after_it(chain):
    first, middle, last = chain
    _delete_raw(middle)

    fault = verify_chain()

    assert fault is not None
    assert fault.event_id == last.pk
    assert "deleted" in fault.reason


def test_deleted_first_event_is_named_by_the_event_after_it(chain):
    _delete_raw(chain[0])

    fault = verify_chain()

    assert fault is not None
    assert fault.event_id == chain[1].pk


def test_changing_a_saved_event_is_refused(chain):
    event = AuditEvent.objects.get(pk=chain[0].pk)
    event.action = "organisation.delete"

    with pytest.raises(PermissionError):
        event.save()

    assert AuditEvent.objects.get(pk=event.pk).action == "organisation.update"
    assert verify_chain() is None


def test_deleting_an_event_is_refused(chain):
    event = AuditEvent.objects.get(pk=chain[1].pk)

    with pytest.raises(PermissionError):
        event.delete()

    assert AuditEvent.objects.filter(pk=event.pk).exists()
    assert AuditEvent.objects.count() == 3
    assert verify_chain() is None


def test_audit_verify_command_passes_on_intact_chain(chain, capsys):
    call_command("audit", "verify")

    assert "audit chain intact: 3 events" in capsys.readouterr().out


def test_audit_verify_command_fails_naming_the_changed_event(chain):
    AuditEvent.objects.filter(pk=chain[1].pk).update(action="x")

    with pytest.raises(CommandError, match=f"#{chain[1].pk}\\b"):
        call_command("audit", "verify")


def test_hromada_audit_verify_exits_0_on_intact_chain(chain, capsys):
    assert main(["audit", "verify"]) == 0
    assert "audit chain intact" in capsys.readouterr().out


def test_hromada_audit_verify_exits_1_after_tampering(chain, capsys):
    _delete_raw(chain[1])

    with pytest.raises(SystemExit) as exit_info:
        main(["audit", "verify"])

    assert exit_info.value.code == 1
    assert f"audit chain broken at event #{chain[2].pk}" in capsys.readouterr().err
