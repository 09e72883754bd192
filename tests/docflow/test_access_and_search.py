import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from hromada.core.models import AuditEvent
from hromada.docflow.access import can_view
from hromada.docflow.models import AccessGrant, Document, FileVersion
from hromada.docflow.selectors import DocumentFilters, document_search
from hromada.docflow.services import access_grant, file_upload, resolution_write


def _pdf(text: str) -> bytes:
    from reportlab.pdfgen import canvas

    from hromada.docflow.pdf import _register_fonts

    _register_fonts()
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.setFont("DejaVuSans", 12)
    page.drawString(72, 720, text)
    page.save()
    return buffer.getvalue()


def _search(user, **filters):
    return list(document_search(user=user, filters=DocumentFilters(**filters)))


def test_search_finds_card_words_by_prefix(register, office):
    roof = register(summary="Про ремонт покрівлі школи № 5")
    register(summary="Про благоустрій парку імені Чекмана")
    assert _search(office.clerk, query="покрівл") == [roof]
    assert _search(office.clerk, query="ремонт школи") == [roof]
    assert _search(office.clerk, query="басейн") == []


def test_search_finds_text_inside_an_uploaded_pdf(register, office):
    letter = register(summary="Лист обласної адміністрації")
    upload = SimpleUploadedFile(
        "letter.pdf", _pdf("Водопостачання мікрорайону Озерна"), content_type="application/pdf"
    )
    version = file_upload(actor=office.clerk, document=letter, upload=upload)
    assert "Озерна" in version.text
    assert _search(office.clerk, query="озерна") == [letter]


def test_filters_by_kind_and_status(register, office):
    letter = register(kind="incoming")
    register(kind="internal")
    assert _search(office.clerk, kind="incoming") == [letter]
    assert _search(office.clerk, status="signed") == []


def test_file_versions_grow_and_forbidden_types_are_refused(register, office):
    letter = register()
    for _round in range(2):
        file_upload(
            actor=office.clerk,
            document=letter,
            title="Лист",
            upload=SimpleUploadedFile("lyst.pdf", _pdf("версія")),
        )
    assert sorted(FileVersion.objects.values_list("number", flat=True)) == [1, 2]
    with pytest.raises(ValidationError):
        file_upload(
            actor=office.clerk,
            document=letter,
            upload=SimpleUploadedFile("virus.exe", b"MZ\x90\x00"),
        )
    with pytest.raises(ValidationError):
        file_upload(
            actor=office.clerk,
            document=letter,
            upload=SimpleUploadedFile("fake.pdf", b"GIF89a not a pdf"),
        )
    assert FileVersion.objects.count() == 2


@override_settings(UPLOAD_MAX_BYTES=100)
def test_oversize_upload_is_refused(register, office):
    letter = register()
    with pytest.raises(ValidationError):
        file_upload(
            actor=office.clerk,
            document=letter,
            upload=SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 200),
        )
    assert not FileVersion.objects.exists()


def test_restricted_documents_never_appear_to_others(register, office):
    secret = register(summary="Службове розслідування", restricted=True)
    open_letter = register(summary="Службова записка про графік")
    assert _search(office.outsider, query="службов") == []
    assert _search(office.admin, query="службов") == [open_letter]
    assert _search(office.controller, query="службов") == [open_letter]
    assert _search(office.clerk, query="службов") == [open_letter, secret] or set(
        _search(office.clerk, query="службов")
    ) == {open_letter, secret}
    assert not can_view(office.outsider, secret)


def test_executors_and_granted_people_see_the_document(register, office):
    secret = register(summary="Службове розслідування", restricted=True)
    assert not can_view(office.outsider, secret)
    access_grant(actor=office.clerk, document=secret, user=office.outsider)
    assert can_view(office.outsider, secret)
    other = register(summary="Лист", restricted=True)
    resolution_write(
        actor=office.head,
        document=other,
        instruction="Виконати",
        lead_executor=office.outsider,
        term_days=5,
    )
    assert can_view(office.outsider, other)


def test_opening_a_restricted_card_is_audit_logged(client, register, office):
    secret = register(summary="Службове розслідування", restricted=True)
    client.force_login(office.clerk)
    response = client.get(secret.get_absolute_url())
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="docflow.document.open_restricted")
    assert (event.actor, event.public, event.target_id) == (office.clerk, False, str(secret.pk))
    client.force_login(office.outsider)
    assert client.get(secret.get_absolute_url()).status_code == 404


def test_search_orders_by_registration_date_then_id_whatever_the_insert_order(register, office):
    march = register(summary="Звернення про освітлення", registered_on=date(2024, 3, 10))
    january = register(summary="Звернення про освітлення", registered_on=date(2024, 1, 5))
    march_later = register(summary="Звернення про освітлення", registered_on=date(2024, 3, 10))
    assert _search(office.clerk, query="освітлення") == [march_later, march, january]
    assert _search(office.clerk, query="освітл", date_from=date(2024, 3, 1)) == [
        march_later,
        march,
    ]
    assert _search(office.clerk, query="освітл", date_to=date(2024, 3, 9)) == [january]
    assert _search(office.clerk, query="освітл", date_to=date(2024, 3, 10))[0] == march_later


def test_search_follows_changes_of_date_and_text_and_deletions(register, office):
    older = register(summary="Про тарифи на опалення", registered_on=date(2024, 1, 5))
    newer = register(summary="Про тарифи на опалення", registered_on=date(2024, 2, 5))
    older.registered_on = date(2024, 4, 1)
    older.save(update_fields=["registered_on"])
    assert _search(office.clerk, query="тарифи") == [older, newer]
    newer.search_text = "Про водопостачання"
    newer.save(update_fields=["search_text"])
    assert _search(office.clerk, query="тарифи") == [older]
    assert _search(office.clerk, query="водопостачання") == [newer]
    AccessGrant.objects.all().delete()
    Document.objects.filter(pk=older.pk).delete()
    assert _search(office.clerk, query="тарифи") == []


def test_restricted_hits_do_not_use_up_the_first_page(register, office):
    """The access rule is inside the query: newer restricted matches cannot push an open
    document off the first page of another user's results."""
    visible = register(summary="Про оренду комунального майна", registered_on=date(2024, 1, 5))
    for _ in range(25):
        register(
            summary="Про оренду комунального майна",
            restricted=True,
            registered_on=date(2024, 2, 5),
        )
    found = list(document_search(user=office.controller, filters=DocumentFilters(query="оренду")))
    assert found == [visible]


def test_search_finds_registration_and_correspondent_numbers(register, office):
    letter = register(summary="Лист про графік прийому", correspondent_number="01-12/3456")
    assert _search(office.clerk, query=letter.registration_index) == [letter]
    assert _search(office.clerk, query="3456") == [letter]
    assert _search(office.clerk, query="01-12/3456") == [letter]
