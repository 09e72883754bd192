"""Scanned letters become searchable: OCRmyPDF with Tesseract (Ukrainian), after commit.

Tesseract is a system package: without it these tests skip on a developer's machine and
fail in CI, which installs it (.ci/run)."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hromada.core.models import AuditEvent
from hromada.docflow import ocr
from hromada.docflow.demo import scanned_page
from hromada.docflow.models import FileVersion, TextStatus
from hromada.docflow.selectors import DocumentFilters, document_search
from hromada.docflow.services import file_upload, file_version_recognise

LINES = ["Хмельницька обласна військова адміністрація", "Щодо водопостачання мікрорайону Озерна"]


@pytest.fixture
def tesseract():
    if not ocr.available():
        message = (
            "Tesseract with Ukrainian data is not installed (apt-get install tesseract-ocr-ukr)"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def _scan(fmt: str) -> bytes:
    return scanned_page(LINES, fmt=fmt)


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize(("name", "fmt"), [("lyst.pdf", "PDF"), ("lyst.png", "PNG")])
def test_a_scan_is_read_after_commit_and_found_by_its_words(
    tesseract, register, office, django_capture_on_commit_callbacks, name, fmt
):
    letter = register(summary="Лист обласної адміністрації")
    with django_capture_on_commit_callbacks(execute=True):
        version = file_upload(
            actor=office.clerk, document=letter, upload=SimpleUploadedFile(name, _scan(fmt))
        )
        assert version.text_status == TextStatus.QUEUED
    version.refresh_from_db()
    assert version.text_status == TextStatus.RECOGNISED
    assert all(line in _words(version.text) for line in LINES)
    found = document_search(
        user=office.clerk, filters=DocumentFilters(query="водопостачання озерна")
    )
    assert found == [letter]
    event = AuditEvent.objects.get(action="docflow.file.recognise")
    assert (event.target_id, event.changes["result"]) == (str(letter.pk), "recognised")


def test_a_file_that_cannot_be_read_is_marked_failed_and_stays(tesseract, register, office):
    letter = register(summary="Лист обласної адміністрації")
    version = file_upload(
        actor=office.clerk, document=letter, upload=SimpleUploadedFile("scan.pdf", _scan("PDF"))
    )
    version.content.save("scan.pdf", io.BytesIO(b"%PDF-1.4 damaged"), save=True)
    assert file_version_recognise(version_id=version.pk).text_status == TextStatus.FAILED
    assert FileVersion.objects.get(pk=version.pk).text == ""


def test_without_tesseract_a_scan_is_stored_and_marked(register, office, monkeypatch):
    monkeypatch.setattr(ocr, "languages", lambda: ())
    letter = register(summary="Лист обласної адміністрації")
    version = file_upload(
        actor=office.clerk, document=letter, upload=SimpleUploadedFile("scan.png", _scan("PNG"))
    )
    assert version.text_status == TextStatus.NO_OCR
    assert file_version_recognise(version_id=version.pk).text_status == TextStatus.NO_OCR


def test_a_pdf_with_a_text_layer_is_not_sent_to_ocr(register, office):
    from reportlab.pdfgen import canvas

    from hromada.docflow.pdf import _register_fonts

    _register_fonts()
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.setFont("DejaVuSans", 12)
    page.drawString(72, 720, "Про графік прийому громадян у виконавчому комітеті")
    page.save()
    version = file_upload(
        actor=office.clerk,
        document=register(),
        upload=SimpleUploadedFile("lyst.pdf", buffer.getvalue()),
    )
    assert version.text_status == TextStatus.EXTRACTED


def test_a_scan_whose_task_was_lost_is_read_by_the_periodic_task(tesseract, register, office):
    from datetime import timedelta

    from django.utils import timezone

    from hromada.docflow.tasks import recognise_scans_left_queued

    letter = register(summary="Лист обласної адміністрації")
    # No on-commit callback runs here: as if the worker stopped before the task.
    version = file_upload(
        actor=office.clerk, document=letter, upload=SimpleUploadedFile("lyst.pdf", _scan("PDF"))
    )
    assert recognise_scans_left_queued.call_local() == 0  # too fresh to be lost
    FileVersion.objects.filter(pk=version.pk).update(
        uploaded_at=timezone.now() - timedelta(hours=1)
    )
    assert recognise_scans_left_queued.call_local() == 1
    version.refresh_from_db()
    assert version.text_status == TextStatus.RECOGNISED
