from django.core.files.uploadedfile import SimpleUploadedFile

from hromada.services.form_schema import ApplicationForm, rnokpp_valid

from .conftest import FORM, pdf


def form(data, files=None, **kwargs):
    return ApplicationForm(data, files or {}, schema=FORM, **kwargs)


def test_taxpayer_number_is_checked_by_its_control_digit():
    assert rnokpp_valid("3012345670")
    assert not rnokpp_valid("3012345671")
    bound = form(
        {"address": "вул. Соборна, 16", "purpose": "bank", "rnokpp": "3012345671"},
        {"passport": pdf()},
    )
    assert not bound.is_valid()
    assert "rnokpp" in bound.errors


def test_conditional_field_is_required_only_when_its_condition_holds():
    without = form({"address": "вул. Соборна, 16", "purpose": "bank"}, {"passport": pdf()})
    assert without.is_valid(), without.errors

    other = form({"address": "вул. Соборна, 16", "purpose": "other"}, {"passport": pdf()})
    assert not other.is_valid()
    assert "purpose_other" in other.errors


def test_answer_to_an_inapplicable_conditional_field_is_dropped():
    bound = form(
        {"address": "вул. Соборна, 16", "purpose": "bank", "purpose_other": "зайве"},
        {"passport": pdf()},
    )
    assert bound.is_valid()
    assert "purpose_other" not in bound.answers()


def test_missing_required_attachment_is_refused_unless_already_in_the_draft():
    missing = form({"address": "вул. Соборна, 16", "purpose": "bank"})
    assert not missing.is_valid()
    assert "passport" in missing.errors

    from_draft = form(
        {"address": "вул. Соборна, 16", "purpose": "bank"}, attached={"passport": "pasport.pdf"}
    )
    assert from_draft.is_valid()


def test_forbidden_file_type_is_refused():
    exe = SimpleUploadedFile("pasport.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    bound = form({"address": "вул. Соборна, 16", "purpose": "bank"}, {"passport": exe})
    assert not bound.is_valid()
    assert "passport" in bound.errors


def test_draft_may_be_incomplete():
    assert form({"address": ""}, draft=True).is_valid()
