from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from hromada.core.audit import public_history
from hromada.core.models import Notification
from hromada.plans.models import Completion, Evidence, ProgressReport
from hromada.plans.services import engagement, reports


def report_input(**changes) -> reports.ReportInput:
    values = {
        "period_start": date(2022, 1, 1),
        "period_end": date(2022, 6, 30),
        "completion": Completion.SUBSTANTIAL,
        "progress": 60,
        "narrative": "Запрацювали 41 електронна послуга в кабінеті мешканця.",
    }
    values.update(changes)
    return reports.ReportInput(**values)


def test_staff_of_responsible_body_drafts_and_submits(measure, infocentre_staff):
    report = reports.report_create(actor=infocentre_staff, measure=measure, data=report_input())
    assert report.author_organisation.key == "infocentre"
    reports.report_submit(actor=infocentre_staff, report=report)
    report.refresh_from_db()
    assert report.state == ProgressReport.State.SUBMITTED and report.submitted_at


def test_staff_of_another_body_is_refused_and_nothing_is_saved(measure, other_staff):
    with pytest.raises(PermissionDenied):
        reports.report_create(actor=other_staff, measure=measure, data=report_input())
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"progress": 101}, "progress"),
        ({"progress": -1}, "progress"),
        ({"period_end": date(2021, 1, 1)}, "period_end"),
        ({"narrative": "   "}, "narrative"),
    ],
)
def test_bad_report_input_is_refused(measure, infocentre_staff, changes, field):
    with pytest.raises(ValidationError) as failure:
        reports.report_create(actor=infocentre_staff, measure=measure, data=report_input(**changes))
    assert field in failure.value.message_dict
    assert not ProgressReport.objects.exists()


def test_complete_with_progress_below_100_warns(measure):
    warnings = reports.report_warnings(report_input(completion=Completion.COMPLETE, progress=80))
    assert len(warnings) == 1 and "80" in warnings[0]
    assert reports.report_warnings(report_input(completion=Completion.COMPLETE, progress=100)) == []


def test_publishing_moves_the_measure_records_history_and_tells_followers(
    measure, infocentre_staff, coordinator, user_factory, django_capture_on_commit_callbacks
):
    follower = user_factory(email="follower@example.org")
    engagement.follow_set(user=follower, target=measure, following=True)
    report = reports.report_create(
        actor=infocentre_staff, measure=measure, data=report_input(progress=65)
    )
    reports.report_submit(actor=infocentre_staff, report=report)

    with django_capture_on_commit_callbacks(execute=True):
        reports.report_publish(actor=coordinator, report=report)

    measure.refresh_from_db()
    assert (measure.progress, measure.completion) == (65, Completion.SUBSTANTIAL)
    progress_event = public_history(measure).filter(action="measure.progress").get()
    assert progress_event.changes["progress"] == [0, 65]
    notification = Notification.objects.get(recipient=follower)
    assert "1.2" in notification.subject and notification.url == measure.get_absolute_url()
    assert [m.to for m in mail.outbox] == [["follower@example.org"]]


def test_staff_cannot_publish_their_own_report(measure, infocentre_staff):
    report = reports.report_create(actor=infocentre_staff, measure=measure, data=report_input())
    reports.report_submit(actor=infocentre_staff, report=report)
    with pytest.raises(PermissionDenied):
        reports.report_publish(actor=infocentre_staff, report=report)
    report.refresh_from_db()
    assert report.state == ProgressReport.State.SUBMITTED
    measure.refresh_from_db()
    assert measure.progress == 0


def test_return_needs_a_reason_and_notifies_the_author(measure, infocentre_staff, coordinator):
    report = reports.report_create(actor=infocentre_staff, measure=measure, data=report_input())
    reports.report_submit(actor=infocentre_staff, report=report)
    with pytest.raises(ValidationError):
        reports.report_return(actor=coordinator, report=report, reason=" ")
    reports.report_return(actor=coordinator, report=report, reason="Додайте посилання на акт.")
    report.refresh_from_db()
    assert report.state == ProgressReport.State.RETURNED
    assert Notification.objects.filter(recipient=infocentre_staff).exists()
    # a returned report can be revised and submitted again
    reports.report_update(actor=infocentre_staff, report=report, data=report_input(progress=70))
    reports.report_submit(actor=infocentre_staff, report=report)


def test_evidence_file_of_forbidden_type_is_refused(measure, infocentre_staff):
    report = reports.report_create(actor=infocentre_staff, measure=measure, data=report_input())
    upload = SimpleUploadedFile(
        "script.exe", b"MZ\x90\x00", content_type="application/octet-stream"
    )
    with pytest.raises(ValidationError) as failure:
        reports.evidence_add(actor=infocentre_staff, report=report, title="Акт", upload=upload)
    assert failure.value.code == "forbidden_type"
    assert not Evidence.objects.exists()


def test_evidence_pretending_to_be_pdf_is_refused(measure, infocentre_staff):
    report = reports.report_create(actor=infocentre_staff, measure=measure, data=report_input())
    upload = SimpleUploadedFile("act.pdf", b"<html>not a pdf</html>")
    with pytest.raises(ValidationError) as failure:
        reports.evidence_add(actor=infocentre_staff, report=report, title="Акт", upload=upload)
    assert failure.value.code == "content_mismatch"


def test_evidence_over_the_size_limit_is_refused(measure, infocentre_staff, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    report = reports.report_create(actor=infocentre_staff, measure=measure, data=report_input())
    upload = SimpleUploadedFile("act.pdf", b"%PDF-1.7\n" + b"0" * 2048)
    with pytest.raises(ValidationError) as failure:
        reports.evidence_add(actor=infocentre_staff, report=report, title="Акт", upload=upload)
    assert failure.value.code == "too_large"
    assert not Evidence.objects.exists()


def test_evidence_pdf_is_stored(measure, infocentre_staff):
    report = reports.report_create(actor=infocentre_staff, measure=measure, data=report_input())
    upload = SimpleUploadedFile("act.pdf", b"%PDF-1.7\n%%EOF\n")
    evidence = reports.evidence_add(
        actor=infocentre_staff, report=report, title="Акт", upload=upload
    )
    assert evidence.file.read().startswith(b"%PDF")


def test_published_report_cannot_be_edited(measure, infocentre_staff, coordinator):
    report = reports.report_create(actor=infocentre_staff, measure=measure, data=report_input())
    reports.report_submit(actor=infocentre_staff, report=report)
    reports.report_publish(actor=coordinator, report=report)
    with pytest.raises(ValidationError):
        reports.report_update(actor=infocentre_staff, report=report, data=report_input(progress=1))
