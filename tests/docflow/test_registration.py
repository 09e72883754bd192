import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from hromada.docflow.errors import NotPermitted
from hromada.docflow.models import Case, Document, JournalCounter
from hromada.docflow.services import (
    case_close,
    case_upsert,
    document_link,
    document_register,
    journal_year_open,
)


def test_numbers_are_consecutive_per_journal_and_year(register):
    first = register(registered_on=date(2025, 3, 3))
    second = register(registered_on=date(2025, 3, 4))
    internal = register(kind="internal", registered_on=date(2025, 3, 4))
    next_year = register(registered_on=date(2026, 1, 2))
    assert (first.number, second.number) == (1, 2)
    assert first.registration_index == "Вх/1"
    assert internal.number == 1
    assert next_year.number == 1


def test_case_index_is_part_of_the_registration_index(register, office):
    case = case_upsert(
        actor=office.clerk,
        organisation=office.body,
        year=2025,
        index="01-15",
        title="Листування з органами влади",
        retention_years=5,
    )
    document = register(
        case=case,
        registered_on=date(2025, 5, 5),
        correspondent="Хмельницька ОДА",
        correspondent_number="12/3-456",
        correspondent_date=date(2025, 5, 1),
        received_on=date(2025, 5, 2),
        pages=3,
        attachment_pages=2,
        attachments_note="кошторис",
    )
    assert document.registration_index == "01-15/1"
    assert document.case == case


def test_registration_in_a_closed_case_is_refused_and_takes_no_number(register, office):
    case = case_upsert(
        actor=office.clerk,
        organisation=office.body,
        year=2025,
        index="01-16",
        title="Накази",
        retention_years=None,
    )
    case_close(actor=office.clerk, case=case)
    with pytest.raises(ValidationError):
        register(case=case, registered_on=date(2025, 6, 1))
    assert not Document.objects.exists()
    assert register(registered_on=date(2025, 6, 1)).number == 1


def test_staff_of_another_body_cannot_register_for_it(office):
    with pytest.raises(NotPermitted):
        document_register(
            actor=office.outsider, organisation=office.body, kind="incoming", summary="Лист"
        )
    assert not Document.objects.exists()


def test_only_decisions_are_published(register):
    with pytest.raises(ValidationError):
        register(kind="incoming", is_public=True)
    assert register(kind="executive_decision", is_public=True).is_public


def test_a_paper_journal_continues_from_its_last_number(register, office):
    first = register(kind="executive_decision", registered_on=date(2021, 8, 12))
    first.delete()  # only to reach the journal; the year is then reopened
    JournalCounter.objects.all().delete()
    journal_year_open(actor=office.admin, journal=first.journal, year=2021, first_number=784)
    assert register(kind="executive_decision", registered_on=date(2021, 8, 12)).number == 784


def test_links_between_documents(register, office):
    letter = register()
    reply = register(kind="outgoing", summary="Відповідь щодо ремонту покрівлі")
    document_link(actor=office.clerk, source=reply, target=letter, kind="reply_to")
    assert reply.links.get().target == letter
    with pytest.raises(ValidationError):
        document_link(actor=office.clerk, source=reply, target=reply, kind="amends")


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_registrations_get_twenty_consecutive_numbers(office):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent registration is proved on PostgreSQL")
    from django.db import connections

    numbers, errors = [], []
    barrier = threading.Barrier(20)

    def register_one(index: int) -> None:
        try:
            barrier.wait()
            document = document_register(
                actor=office.clerk,
                organisation=office.body,
                kind="incoming",
                summary=f"Лист № {index}",
                registered_on=date(2025, 9, 1),
            )
            numbers.append(document.number)
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register_one, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers) == list(range(1, 21))
    assert Document.objects.count() == 20
    assert Case.objects.count() == 0
