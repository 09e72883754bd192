import csv
import io
import json

from pypdf import PdfReader


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_plan_pdf_contains_the_three_commitment_titles(client, plan):
    response = client.get(f"/plan/{plan.external_id}/plan.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content).split())
    for title in [
        "Забезпечення бізнесу та мешканців якісними муніципальними послугами",
        "Формування Плану дій «зеленого курсу»",
        "Розвиток цифрових компетентностей жителів громади",
    ]:
        assert title in text


def test_self_assessment_pdf_for_a_period(client, plan):
    response = client.get(
        f"/plan/{plan.external_id}/self-assessment/",
        {"period_start": "2021-08-01", "period_end": "2022-12-31"},
    )
    assert response["Content-Type"] == "application/pdf"
    assert "Звіт самооцінки" in pdf_text(response.content)


def test_self_assessment_with_reversed_period_explains(client, plan):
    response = client.get(
        f"/plan/{plan.external_id}/self-assessment/",
        {"period_start": "2022-12-31", "period_end": "2021-01-01"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "before its start" in response.content.decode()


def test_ogp_template_json_lists_milestones(client, plan):
    data = json.loads(client.get(f"/plan/{plan.external_id}/ogp-template.json").content)
    assert len(data) == 3
    assert [len(c["milestones"]) for c in data] == [3, 2, 2]
    assert data[0]["milestones"][0]["lead_implementing_agency"].startswith("Виконавчий комітет")


def test_ogp_template_csv_has_a_row_per_milestone(client, plan):
    content = b"".join(client.get(f"/plan/{plan.external_id}/ogp-template.csv").streaming_content)
    rows = list(csv.reader(io.StringIO(content.decode())))
    assert len(rows) == 8 and rows[0][0] == "commitment_id"
