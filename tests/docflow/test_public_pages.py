import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hromada.core.metrics import provider
from hromada.docflow.services import (
    StepPlan,
    approval_decide,
    case_close,
    case_upsert,
    document_register,
    document_sign,
    route_start,
)


@pytest.fixture
def decision(register, office):
    return register(
        kind="executive_decision",
        is_public=True,
        summary="Про затвердження Плану дій із впровадження Ініціативи "
        "«Партнерство «Відкритий Уряд» на 2021-2022 роки",
        body="1. Затвердити План дій згідно з додатком.",
        signatory_name="Міський голова О. СИМЧИШИН",
    )


def test_public_register_lists_searches_and_exports_decisions(client, decision, register):
    register(kind="executive_decision", summary="Про тарифи на вивезення відходів")
    register(kind="incoming", summary="Лист про Партнерство")
    response = client.get(reverse("docflow:decisions"), {"q": "партнерство"})
    assert response.status_code == 200
    assert list(response.context["decisions"]) == [decision]
    export = client.get(reverse("docflow:decisions"), {"q": "партнерство", "format": "json"})
    rows = json.loads(b"".join(export.streaming_content))
    assert [row["title"] for row in rows] == [decision.summary]
    assert client.get(decision.get_public_url()).status_code == 200


def test_unpublished_documents_are_not_in_the_public_register(client, register):
    letter = register(kind="executive_decision", summary="Проєкт рішення")
    assert client.get(reverse("docflow:decision", args=[letter.pk])).status_code == 404
    assert client.get("/api/docflow/decisions").json() == []


def test_public_api_gives_decision_text(client, decision):
    rows = client.get("/api/docflow/decisions", {"q": "відкритий уряд"}).json()
    assert rows[0]["text"] == decision.body
    assert rows[0]["signed_by"] == "Міський голова О. СИМЧИШИН"


def test_verification_page_reports_verdicts(client, register, office):
    document = register(kind="internal", summary="Наказ", signatory=office.signatory)
    route_start(actor=office.clerk, document=document, steps=[StepPlan(1, office.approver_a)])
    approval_decide(actor=office.approver_a, document=document, decision="approved")
    signature = document_sign(actor=office.signatory, document=document)
    data = signature.pdf.open("rb").read()
    url = reverse("docflow:verify")
    assert client.get(url).status_code == 200
    intact = client.post(url, {"file": io.BytesIO(data)}, format="multipart")
    assert intact.context["result"].verdict == "intact"
    garbage = io.BytesIO(b"hello")
    garbage.name = "x.pdf"
    assert client.post(url, {"file": garbage}).context["result"].verdict == "corrupted"


def test_signed_pdf_of_an_unpublished_document_needs_access(client, register, office):
    document = register(kind="internal", summary="Наказ", signatory=office.signatory)
    signature = document_sign(actor=office.signatory, document=document)
    url = reverse("docflow:signed_pdf", args=[signature.pk])
    assert client.get(url).status_code == 302
    client.force_login(office.outsider)
    assert client.get(url).status_code == 404
    client.force_login(office.approver_a)
    assert client.get(url).status_code == 200


def test_paperless_share_counts_signed_and_electronic_documents(register, office):
    register(kind="incoming")  # electronic original: paperless
    register(kind="incoming", medium="paper")
    signed = register(kind="internal", summary="Наказ", signatory=office.signatory)
    document_sign(actor=office.signatory, document=signed)
    register(kind="internal", summary="Не підписаний")
    assert provider("docflow.paperless_share").value() == 50


def test_staff_pages_render_for_a_clerk(client, register, office):
    letter = register()
    client.force_login(office.clerk)
    for url in (
        reverse("docflow:index"),
        reverse("docflow:document_new"),
        letter.get_absolute_url(),
        reverse("docflow:control"),
        reverse("docflow:registers"),
        reverse("docflow:journal", args=[letter.journal_id, letter.year]),
    ):
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("docflow:index"), {"q": "покрівлі"}).context["documents"][0] == letter


def test_anonymous_visitors_see_the_public_entry_and_not_staff_pages(client, register):
    assert client.get(reverse("docflow:index")).status_code == 200
    assert client.get(reverse("docflow:control")).status_code == 302


def test_register_form_registers_with_a_file(client, office):
    client.force_login(office.clerk)
    response = client.post(
        reverse("docflow:document_new"),
        {
            "kind": "incoming",
            "organisation": office.body.pk,
            "summary": "Лист щодо освітлення",
            "pages": 1,
            "attachment_pages": 0,
            "medium": "electronic",
            "file": _named(b"%PDF-1.4 test", "lyst.pdf"),
        },
    )
    assert response.status_code == 302
    bad = client.post(
        reverse("docflow:document_new"),
        {
            "kind": "incoming",
            "organisation": office.body.pk,
            "summary": "Лист з вірусом",
            "pages": 1,
            "attachment_pages": 0,
            "medium": "electronic",
            "file": _named(b"MZ\x90", "virus.exe"),
        },
    )
    assert bad.status_code == 200
    from hromada.docflow.models import Document

    assert list(Document.objects.values_list("summary", flat=True)) == ["Лист щодо освітлення"]


def _named(data: bytes, name: str):
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def test_retention_expired_list_and_case_closing(client, office):
    case = case_upsert(
        actor=office.clerk,
        organisation=office.body,
        year=2019,
        index="01-25",
        title="Службові записки",
        retention_years=3,
    )
    from datetime import date

    case_close(actor=office.clerk, case=case, on=date(2020, 1, 10))
    from hromada.docflow.selectors import retention_expired

    assert retention_expired(on=date(2024, 1, 1)) == [case]
    assert retention_expired(on=date(2023, 6, 1)) == []
    client.force_login(office.clerk)
    open_case = case_upsert(
        actor=office.clerk,
        organisation=office.body,
        year=2025,
        index="01-15",
        title="Листування",
        retention_years=5,
    )
    client.post(reverse("docflow:case_close", args=[open_case.pk]))
    open_case.refresh_from_db()
    assert open_case.closed_on is not None
    with pytest.raises(ValidationError):
        document_register(
            actor=office.clerk,
            organisation=office.body,
            kind="incoming",
            summary="Лист",
            case=open_case,
            registered_on=date(2025, 3, 1),
        )
