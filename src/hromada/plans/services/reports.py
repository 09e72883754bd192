"""Progress reports: staff of a responsible body draft and submit, the coordinator
publishes or returns; publishing moves the measure's progress and tells followers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hromada.accounts.models import Role
from hromada.accounts.permissions import can_change, has_role, staff_organisation_ids
from hromada.core.audit import audit_record, diff, snapshot
from hromada.core.files import validate_upload
from hromada.core.models import Organisation
from hromada.core.services import notify
from hromada.plans.models import Completion, Evidence, Measure, ProgressReport
from hromada.plans.selectors import followers_of_measure

REPORT_FIELDS = ["period_start", "period_end", "completion", "progress", "narrative", "state"]
EVIDENCE_TYPES = {"pdf", "png", "jpg", "jpeg", "docx", "xlsx", "odt", "ods", "csv", "txt"}


@dataclass(frozen=True)
class ReportInput:
    period_start: date
    period_end: date
    completion: str
    progress: int
    narrative: str


def report_warnings(data: ReportInput) -> list[str]:
    """Things worth a second look that do not stop a report."""
    warnings = []
    if data.completion == Completion.COMPLETE and data.progress < 100:
        warnings.append(
            _("Completion is “complete” but progress is %(progress)s%%. Is that right?")
            % {"progress": data.progress}
        )
    return warnings


def _validate(data: ReportInput) -> None:
    errors: dict[str, str] = {}
    if data.period_end < data.period_start:
        errors["period_end"] = _("The end of the period is before its start.")
    if not 0 <= data.progress <= 100:
        errors["progress"] = _("Progress must be between 0 and 100.")
    if data.completion not in Completion.values:
        errors["completion"] = _("Choose a completion level.")
    if not data.narrative.strip():
        errors["narrative"] = _("Describe what was done.")
    if errors:
        raise ValidationError(errors)


def _reporting_organisation(actor: Any, measure: Measure) -> Organisation:
    """The body the actor reports for: the lead if they work there, else their own body
    among those responsible. Anyone else may not report on the measure."""
    shared = staff_organisation_ids(actor) & measure.responsible_organisation_ids()
    if not shared:
        raise PermissionDenied(
            _("Only staff of a body responsible for this measure may report on it.")
        )
    return Organisation.objects.get(
        pk=measure.lead_id if measure.lead_id in shared else min(shared)
    )


@transaction.atomic
def report_create(*, actor: Any, measure: Measure, data: ReportInput) -> ProgressReport:
    organisation = _reporting_organisation(actor, measure)
    _validate(data)
    if ProgressReport.objects.filter(
        measure=measure, period_start=data.period_start, period_end=data.period_end
    ).exists():
        raise ValidationError(
            {"period_end": _("A report for this measure and period already exists.")}
        )
    report = ProgressReport.objects.create(
        measure=measure,
        author=actor,
        author_organisation=organisation,
        period_start=data.period_start,
        period_end=data.period_end,
        completion=data.completion,
        progress=data.progress,
        narrative=data.narrative.strip(),
    )
    audit_record(
        actor=actor,
        action="report.create",
        target=report,
        public=False,
        changes=diff({}, snapshot(report, REPORT_FIELDS)),
    )
    return report


def _editable_by(actor: Any, report: ProgressReport) -> None:
    if report.state not in {ProgressReport.State.DRAFT, ProgressReport.State.RETURNED}:
        raise ValidationError(_("Only a draft or a returned report can be changed."))
    if not can_change(actor, report):
        raise PermissionDenied(
            _("Only staff of a body responsible for this measure may report on it.")
        )


@transaction.atomic
def report_update(*, actor: Any, report: ProgressReport, data: ReportInput) -> ProgressReport:
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    _editable_by(actor, report)
    _validate(data)
    before = snapshot(report, REPORT_FIELDS)
    for name, value in vars(data).items():
        setattr(report, name, value)
    report.save()
    audit_record(
        actor=actor,
        action="report.update",
        target=report,
        public=False,
        changes=diff(before, snapshot(report, REPORT_FIELDS)),
    )
    return report


@transaction.atomic
def evidence_add(
    *, actor: Any, report: ProgressReport, title: str, url: str = "", upload=None
) -> Evidence:
    _editable_by(actor, report)
    if not url and upload is None:
        raise ValidationError({"url": _("Give a link or attach a file.")})
    if upload is not None:
        validate_upload(upload, allowed=EVIDENCE_TYPES)
    evidence = Evidence(
        report=report, title=title.strip() or (upload.name if upload else url), url=url
    )
    if upload is not None:
        evidence.file.save(upload.name, upload, save=False)
    evidence.full_clean()
    evidence.save()
    audit_record(
        actor=actor,
        action="report.evidence_add",
        target=report,
        public=False,
        changes={"evidence": [None, evidence.title]},
    )
    return evidence


@transaction.atomic
def report_submit(*, actor: Any, report: ProgressReport) -> ProgressReport:
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    _editable_by(actor, report)
    report.state = ProgressReport.State.SUBMITTED
    report.submitted_at = timezone.now()
    report.save(update_fields=["state", "submitted_at"])
    audit_record(
        actor=actor,
        action="report.submit",
        target=report,
        public=False,
        changes={"state": ["draft", "submitted"]},
    )
    return report


def _require_coordinator(actor: Any) -> None:
    if not has_role(actor, Role.COORDINATOR, Role.ADMINISTRATOR):
        raise PermissionDenied(_("Only the plan's coordinator may publish or return reports."))


@transaction.atomic
def report_publish(*, actor: Any, report: ProgressReport) -> ProgressReport:
    _require_coordinator(actor)
    report = ProgressReport.objects.select_for_update().select_related("measure").get(pk=report.pk)
    if report.state != ProgressReport.State.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be published."))
    report.state = ProgressReport.State.PUBLISHED
    report.published_at = timezone.now()
    report.save(update_fields=["state", "published_at"])
    audit_record(
        actor=actor,
        action="report.publish",
        target=report,
        changes={"state": ["submitted", "published"]},
    )
    measure = _measure_progress_set(actor=actor, measure=report.measure, report=report)
    _notify_report_published(report=report, measure=measure)
    return report


def measure_progress_from_reports(*, actor: Any, measure: Measure) -> Measure:
    """Bring the measure to its latest published report (by period), if it has one."""
    latest = (
        measure.reports.filter(state=ProgressReport.State.PUBLISHED)
        .order_by("-period_end", "-published_at")
        .first()
    )
    return _measure_progress_set(actor=actor, measure=measure, report=latest) if latest else measure


def _measure_progress_set(*, actor: Any, measure: Measure, report: ProgressReport) -> Measure:
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    before = snapshot(measure, ["progress", "completion"])
    measure.progress = report.progress
    measure.completion = report.completion
    changes = diff(before, snapshot(measure, ["progress", "completion"]))
    if changes:
        measure.save(update_fields=["progress", "completion"])
        audit_record(actor=actor, action="measure.progress", target=measure, changes=changes)
    return measure


def _notify_report_published(*, report: ProgressReport, measure: Measure) -> None:
    followers = followers_of_measure(measure=measure)
    if not followers:
        return
    notify(
        recipients=followers,
        subject=_("New progress report on measure %(number)s") % {"number": measure.number},
        body=_("Progress is now %(progress)s%% (%(completion)s). %(narrative)s")
        % {
            "progress": report.progress,
            "completion": report.get_completion_display(),
            "narrative": report.narrative[:400],
        },
        url=measure.get_absolute_url(),
    )


@transaction.atomic
def report_return(*, actor: Any, report: ProgressReport, reason: str) -> ProgressReport:
    _require_coordinator(actor)
    if not reason.strip():
        raise ValidationError({"reason": _("Say what needs to be revised.")})
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    if report.state != ProgressReport.State.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be returned."))
    report.state = ProgressReport.State.RETURNED
    report.return_reason = reason.strip()
    report.save(update_fields=["state", "return_reason"])
    audit_record(
        actor=actor,
        action="report.return",
        target=report,
        public=False,
        changes={"state": ["submitted", "returned"], "return_reason": [None, reason]},
    )
    if report.author_id:
        notify(
            recipients=[report.author],
            subject=_("Your report on measure %(number)s was returned")
            % {"number": report.measure.number},
            body=reason,
            url=report.get_absolute_url(),
        )
    return report
