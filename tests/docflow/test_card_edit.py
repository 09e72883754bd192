"""Correcting a registration card after registration: the descriptive fields change, the
registration itself (number, index, journal, date, kind) does not."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from hromada.core.models import AuditEvent
from hromada.docflow.errors import NotPermitted, WrongState
from hromada.docflow.models import Document
from hromada.docflow.selectors import DocumentFilters, document_search
from hromada.docflow.services import case_close, case_upsert, document_update


def _search(user, query):
    return document_search(user=user, filters=DocumentFilters(query=query))


def _updates():
    return AuditEvent.objects.filter(action="docflow.document.update")


def _edit_url(document):
    return reverse("docflow:document_edit", kwargs={"pk": document.pk})


def _card_post(document, **fields):
    data = {
        "summary": document.summary,
        "correspondent": document.correspondent,
        "correspondent_number": document.correspondent_number,
        "correspondent_date": "",
        "received_on": "",
        "addressee": document.addressee,
        "signatory_name": document.signatory_name,
        "pages": document.pages,
        "attachment_pages": document.attachment_pages,
        "attachments_note": document.attachments_note,
    }
    data.update(fields)
    return data


def test_update_changes_the_card_search_and_audits_only_changed_fields(register, office):
    letter = register(summary="Про ремонт покрівлі", registered_on=date(2025, 3, 3))
    registration = (letter.number, letter.registration_index, letter.registered_on, letter.kind)

    document_update(
        actor=office.clerk,
        document=letter,
        summary="  Про благоустрій сквера Шевченка ",
        correspondent="Хмельницька ОДА",
        pages=letter.pages,
        addressee_bodies=[office.other_body],
    )

    letter = Document.objects.get(pk=letter.pk)
    assert letter.summary == "Про благоустрій сквера Шевченка"
    assert letter.correspondent == "Хмельницька ОДА"
    assert list(letter.addressee_bodies.all()) == [office.other_body]
    assert (letter.number, letter.registration_index, letter.registered_on, letter.kind) == (
        registration
    )
    assert _search(office.clerk, "сквера") == [letter]
    assert _search(office.clerk, "покрівлі") == []
    event = _updates().get()
    assert event.actor == office.clerk
    assert event.changes == {
        "summary": ["Про ремонт покрівлі", "Про благоустрій сквера Шевченка"],
        "correspondent": ["", "Хмельницька ОДА"],
        "addressee_bodies": [[], [office.other_body.pk]],
    }


def test_update_without_changes_records_nothing(register, office):
    letter = register(correspondent="Хмельницька ОДА")
    document_update(
        actor=office.clerk, document=letter, summary=letter.summary, correspondent="Хмельницька ОДА"
    )
    assert not _updates().exists()


def test_restricted_card_update_stays_out_of_public_history(register, office):
    secret = register(summary="Службове розслідування", restricted=True)
    document_update(actor=office.clerk, document=secret, summary="Службова перевірка")
    assert _updates().get().public is False


def test_outsider_may_not_correct_the_card(register, office):
    letter = register(summary="Про ремонт покрівлі")
    with pytest.raises(NotPermitted):
        document_update(actor=office.outsider, document=letter, summary="Чуже виправлення")
    assert Document.objects.get(pk=letter.pk).summary == "Про ремонт покрівлі"
    assert not _updates().exists()


def test_signed_card_is_refused(register, office):
    letter = register(summary="Про ремонт покрівлі")
    Document.objects.filter(pk=letter.pk).update(status=Document.Status.SIGNED)
    with translation.override("en"), pytest.raises(WrongState, match="signed"):
        document_update(actor=office.clerk, document=letter, summary="Пізнє виправлення")
    assert Document.objects.get(pk=letter.pk).summary == "Про ремонт покрівлі"
    assert not _updates().exists()


def test_card_in_an_archived_case_is_refused(register, office):
    case = case_upsert(
        actor=office.clerk,
        organisation=office.body,
        year=2025,
        index="01-15",
        title="Листування",
        retention_years=5,
    )
    letter = register(case=case, registered_on=date(2025, 5, 5))
    case_close(actor=office.clerk, case=case)
    with translation.override("en"), pytest.raises(WrongState, match="archive"):
        document_update(actor=office.clerk, document=letter, summary="Пізнє виправлення")
    assert not _updates().exists()


def test_registration_fields_cannot_be_changed(register, office):
    letter = register()
    with pytest.raises(ValidationError):
        document_update(actor=office.clerk, document=letter, registration_index="Вх/999")
    assert Document.objects.get(pk=letter.pk).registration_index == letter.registration_index


def test_case_of_another_year_is_refused_and_nothing_changes(register, office):
    old_case = case_upsert(
        actor=office.clerk,
        organisation=office.body,
        year=2024,
        index="01-15",
        title="Листування",
        retention_years=5,
    )
    letter = register(summary="Про ремонт покрівлі", registered_on=date(2025, 5, 5))
    with pytest.raises(ValidationError):
        document_update(actor=office.clerk, document=letter, case=old_case, summary="Нове")
    letter = Document.objects.get(pk=letter.pk)
    assert (letter.case, letter.summary) == (None, "Про ремонт покрівлі")
    assert not _updates().exists()


def test_clerk_sees_the_prefilled_form(client, register, office):
    letter = register(summary="Про ремонт покрівлі", correspondent="Хмельницька ОДА")
    client.force_login(office.clerk)
    page = client.get(letter.get_absolute_url()).content.decode()
    assert _edit_url(letter) in page
    response = client.get(_edit_url(letter))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'value="Хмельницька ОДА"' in content
    assert 'name="registration_index"' not in content


def test_outsider_gets_404_or_403(client, register, office):
    hidden = register()
    addressed = register(addressee_bodies=[office.other_body])
    client.force_login(office.outsider)
    assert client.get(_edit_url(hidden)).status_code == 404
    assert client.get(_edit_url(addressed)).status_code == 403
    page = client.get(addressed.get_absolute_url()).content.decode()
    assert _edit_url(addressed) not in page
    response = client.post(_edit_url(addressed), _card_post(addressed, summary="Чуже"))
    assert response.status_code == 403
    assert Document.objects.get(pk=addressed.pk).summary == addressed.summary


def test_post_changes_the_card_and_redirects(client, register, office):
    letter = register(summary="Про ремонт покрівлі")
    client.force_login(office.clerk)
    response = client.post(
        _edit_url(letter),
        _card_post(
            letter,
            summary="Про ремонт даху школи № 5",
            correspondent_date="2025-05-01",
            received_on="2025-05-02",
            pages=4,
        ),
    )
    assert response.status_code == 302
    assert response.url == letter.get_absolute_url()
    letter = Document.objects.get(pk=letter.pk)
    assert (letter.summary, letter.pages, letter.correspondent_date) == (
        "Про ремонт даху школи № 5",
        4,
        date(2025, 5, 1),
    )
    assert set(_updates().get().changes) == {
        "summary",
        "pages",
        "correspondent_date",
        "received_on",
    }


def test_invalid_post_shows_errors_and_saves_nothing(client, register, office):
    letter = register(summary="Про ремонт покрівлі")
    client.force_login(office.clerk)
    response = client.post(_edit_url(letter), _card_post(letter, summary="", pages=0))
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"summary", "pages"}
    assert 'class="error" id="id_pages_error"' in response.content.decode()
    assert Document.objects.get(pk=letter.pk).summary == "Про ремонт покрівлі"
    assert not _updates().exists()


def test_signed_card_page_redirects_with_a_message(client, register, office):
    letter = register()
    Document.objects.filter(pk=letter.pk).update(status=Document.Status.SIGNED)
    client.force_login(office.clerk)
    assert _edit_url(letter) not in client.get(letter.get_absolute_url()).content.decode()
    response = client.get(_edit_url(letter), follow=True)
    assert response.redirect_chain == [(letter.get_absolute_url(), 302)]
    assert [message.level_tag for message in response.context["messages"]] == ["error"]
