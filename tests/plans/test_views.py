import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hromada.accounts.models import Role
from hromada.plans.models import ProgressReport


def test_plan_page_shows_commitments_and_measures(client, plan):
    page = client.get(f"/plan/{plan.external_id}/").content.decode()
    assert "Розвиток цифрових компетентностей жителів громади" in page
    assert page.count('href="/plan/measures/khm-2021-') >= 7


def test_plans_index_redirects_to_the_only_plan(client, plan):
    response = client.get("/plan/")
    assert response.status_code == 302 and response.url == plan.get_absolute_url()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"organisation": "spetskomuntrans"}, {"khm-2021-2.2"}),
        ({"q": "бібліотек"}, {"khm-2021-3.2"}),
        ({"ogp_value": "accountability"}, {"khm-2021-2.1", "khm-2021-2.2"}),
        (
            {"term": "overdue"},
            {f"khm-2021-{n}" for n in ["1.1", "1.2", "1.3", "2.1", "2.2", "3.1", "3.2"]},
        ),
    ],
)
def test_measure_filters(client, plan, query, expected):
    response = client.get(f"/plan/{plan.external_id}/", query)
    shown = {m.external_id for m in response.context["filtered"]}
    assert shown == expected


def test_measure_commitment_body_and_indicator_pages_answer(client, plan, measure):
    for url in [
        measure.get_absolute_url(),
        f"/plan/{plan.external_id}/commitments/1/",
        f"/plan/{plan.external_id}/bodies/infocentre/",
        f"/plan/{plan.external_id}/comments/",
    ]:
        assert client.get(url).status_code == 200, url
    assert client.get("/plan/measures/no-such/").status_code == 404


def test_exports_in_every_format(client, plan):
    for fmt, kind in [
        ("csv", "text/csv"),
        ("csv-excel", "text/csv"),
        ("json", "application/json"),
        ("xlsx", "spreadsheetml"),
    ]:
        response = client.get(f"/plan/{plan.external_id}/export/measures/{fmt}/")
        assert kind in response["Content-Type"]
    body = b"".join(
        client.get(f"/plan/{plan.external_id}/export/measures/csv-excel/").streaming_content
    )
    assert body.startswith("\ufeff".encode())
    assert client.get(f"/plan/{plan.external_id}/export/measures/pdf/").status_code == 404


def test_atom_feed_lists_published_reports(client, plan, measure, infocentre_staff, coordinator):
    from hromada.plans.services import reports
    from tests.plans.test_reports import report_input

    report = reports.report_create(actor=infocentre_staff, measure=measure, data=report_input())
    reports.report_submit(actor=infocentre_staff, report=report)
    reports.report_publish(actor=coordinator, report=report)
    feed = client.get(f"/plan/{plan.external_id}/reports.atom")
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert f"/plan/reports/{report.pk}/" in feed.content.decode()


def test_api_lists_plans_measures_and_reports(client, plan):
    plans = client.get("/api/plans/plans").json()
    assert plans[0]["external_id"] == plan.external_id
    measures = client.get(f"/api/plans/plans/{plan.external_id}/measures").json()
    assert len(measures) == 7 and measures[0]["partners"][0]["by_consent"] is True
    assert client.get("/api/plans/measures/khm-2021-3.2").json()["number"] == "3.2"
    schema = json.loads(client.get("/api/openapi.json").content)
    assert "/api/plans/measures/{external_id}" in schema["paths"]


def test_control_dashboard_is_for_controllers_only(client, plan, user_factory):
    assert client.get(f"/plan/{plan.external_id}/control/").status_code in (302, 403)
    controller = user_factory(role=Role.CONTROLLER)
    client.force_login(controller)
    response = client.get(f"/plan/{plan.external_id}/control/")
    assert response.status_code == 200
    assert response.context["loads"][0].overdue >= 1


def test_unpublished_report_is_hidden_from_the_public(client, measure, infocentre_staff):
    from hromada.plans.services import reports
    from tests.plans.test_reports import report_input

    report = reports.report_create(actor=infocentre_staff, measure=measure, data=report_input())
    assert client.get(report.get_absolute_url()).status_code == 404
    client.force_login(infocentre_staff)
    assert client.get(report.get_absolute_url()).status_code == 200


def test_report_form_rejects_progress_out_of_range(client, measure, infocentre_staff):
    client.force_login(infocentre_staff)
    response = client.post(
        f"/plan/measures/{measure.external_id}/report/",
        {
            "period_start": "2022-01-01",
            "period_end": "2022-06-30",
            "completion": "limited",
            "progress": "150",
            "narrative": "Зроблено.",
        },
        HTTP_ACCEPT_LANGUAGE="uk",
    )
    assert response.status_code == 200
    assert not ProgressReport.objects.exists()
    assert response.context["form"].errors["progress"]


def test_report_form_asks_to_confirm_complete_below_100(client, measure, infocentre_staff):
    client.force_login(infocentre_staff)
    data = {
        "period_start": "2022-01-01",
        "period_end": "2022-06-30",
        "completion": "complete",
        "progress": "80",
        "narrative": "Зроблено майже все.",
    }
    response = client.post(f"/plan/measures/{measure.external_id}/report/", data)
    assert response.context["warnings"] and not ProgressReport.objects.exists()
    response = client.post(
        f"/plan/measures/{measure.external_id}/report/", dict(data, confirm_warnings="on")
    )
    assert response.status_code == 302 and ProgressReport.objects.count() == 1


def test_import_page_reports_row_errors(client, plan, coordinator):
    client.force_login(coordinator)
    content = b"external_id,commitment\nx,9\n"
    response = client.post(
        f"/plan/{plan.external_id}/import/",
        {"kind": "measures", "file": SimpleUploadedFile("m.csv", content)},
    )
    assert response.status_code == 200 and response.context["errors"]


def test_evidence_file_is_public_only_once_its_report_is_published(
    client, measure, infocentre_staff, coordinator
):
    from hromada.plans.services import reports
    from tests.plans.test_reports import report_input

    report = reports.report_create(actor=infocentre_staff, measure=measure, data=report_input())
    evidence = reports.evidence_add(
        actor=infocentre_staff,
        report=report,
        title="Акт",
        upload=SimpleUploadedFile("akt.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    assert client.get(evidence.href).status_code == 404
    reports.report_submit(actor=infocentre_staff, report=report)
    reports.report_publish(actor=coordinator, report=report)
    response = client.get(evidence.href)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(f"/media/{evidence.file.name}").status_code == 404
