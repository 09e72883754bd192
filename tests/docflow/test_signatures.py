import pytest

from hromada.docflow.errors import AlreadyDecided, NotPermitted, WrongState
from hromada.docflow.models import Document, Signature
from hromada.docflow.pdf import document_pdf, pdf_text
from hromada.docflow.services import StepPlan, approval_decide, document_sign, route_start
from hromada.docflow.signing import SoftwareKeySigner, Verdict, verify_pdf


@pytest.fixture
def approved(register, office):
    document = register(
        kind="internal",
        summary="Про графік прийому громадян",
        body="Затвердити графік прийому громадян посадовими особами.",
        signatory=office.signatory,
    )
    route_start(
        actor=office.clerk,
        document=document,
        steps=[StepPlan(1, office.approver_a), StepPlan(1, office.approver_b)],
    )
    approval_decide(actor=office.approver_a, document=document, decision="approved")
    approval_decide(actor=office.approver_b, document=document, decision="approved")
    document.refresh_from_db()
    return document


def _signed_bytes(signature: Signature) -> bytes:
    with signature.pdf.open("rb") as handle:
        return handle.read()


def test_document_pdf_carries_cyrillic_text(approved):
    text = pdf_text(document_pdf(approved))
    assert "Про графік прийому громадян" in text


def test_signed_pdf_verifies_as_intact_with_signer_and_time(approved, office):
    signature = document_sign(actor=office.signatory, document=approved)
    approved.refresh_from_db()
    assert approved.status == Document.Status.SIGNED
    result = verify_pdf(_signed_bytes(signature))
    assert result.verdict == Verdict.INTACT
    assert "Віктор Гончар" in result.signatures[0].signer
    assert result.signatures[0].signed_at is not None


def test_one_changed_byte_is_reported_as_modified(approved, office):
    data = _signed_bytes(document_sign(actor=office.signatory, document=approved))
    position = data.index(b"ReportLab")
    changed = data[:position] + b"X" + data[position + 1 :]
    assert verify_pdf(changed).verdict == Verdict.MODIFIED


def test_unsigned_and_corrupted_files_get_their_own_verdicts(approved):
    assert verify_pdf(document_pdf(approved)).verdict == Verdict.NOT_SIGNED
    assert verify_pdf(b"%PDF-1.7\nnot really a pdf").verdict == Verdict.CORRUPTED
    assert verify_pdf(b"GIF89a").verdict == Verdict.CORRUPTED


def test_signature_from_an_unknown_authority_is_untrusted(approved, office, settings, tmp_path):
    data = _signed_bytes(document_sign(actor=office.signatory, document=approved))
    settings.DATA_DIR = tmp_path / "another-city"
    settings.DATA_DIR.mkdir()
    assert verify_pdf(data, trust_roots=SoftwareKeySigner().trust_roots()).verdict == (
        Verdict.UNTRUSTED
    )


def test_only_the_signatory_signs(approved, office):
    with pytest.raises(NotPermitted):
        document_sign(actor=office.approver_a, document=approved)
    assert not Signature.objects.exists()


def test_signing_before_approval_is_refused(register, office):
    document = register(kind="internal", summary="Проєкт наказу", signatory=office.signatory)
    route_start(actor=office.clerk, document=document, steps=[StepPlan(1, office.approver_a)])
    with pytest.raises(WrongState):
        document_sign(actor=office.signatory, document=document)
    assert not Signature.objects.exists()


def test_signing_twice_is_refused(approved, office):
    document_sign(actor=office.signatory, document=approved)
    with pytest.raises(AlreadyDecided):
        document_sign(actor=office.signatory, document=approved)
    assert Signature.objects.count() == 1
