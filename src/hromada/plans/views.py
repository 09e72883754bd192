from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hromada.accounts.models import Role
from hromada.accounts.permissions import can_change, can_oversee, has_role, staff_organisation_ids
from hromada.core.audit import public_history
from hromada.core.exports import FORMATS, export_response
from hromada.core.models import Organisation
from hromada.plans import charts, documents, selectors
from hromada.plans.forms import (
    AssessmentForm,
    CommentAnswerForm,
    CommentForm,
    EvidenceForm,
    ImportForm,
    IndicatorValueForm,
    MeasureFilterForm,
    PeriodForm,
    ReportForm,
    ReturnForm,
)
from hromada.plans.models import (
    Comment,
    Commitment,
    Evidence,
    Indicator,
    Measure,
    Plan,
    ProgressReport,
)
from hromada.plans.selectors import MeasureFilters
from hromada.plans.services import engagement, indicators, reports, tabular


def _plan(external_id: str) -> Plan:
    try:
        return selectors.plan_by_external_id(external_id=external_id)
    except Plan.DoesNotExist as missing:
        raise Http404 from missing


def _measure(external_id: str) -> Measure:
    try:
        return selectors.measure_by_external_id(external_id=external_id)
    except Measure.DoesNotExist as missing:
        raise Http404 from missing


def _form_errors(form, error: ValidationError) -> None:
    """Attach a service's ValidationError to the form that collected the input."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def index(request: HttpRequest) -> HttpResponse:
    plans = list(selectors.plans_public())
    if len(plans) == 1:
        return redirect(plans[0])
    return render(request, "plans/index.html", {"plans": plans})


def plan_detail(request: HttpRequest, plan: str) -> HttpResponse:
    plan_obj = _plan(plan)
    today = timezone.localdate()
    overview = selectors.plan_overview(plan=plan_obj, on=today)
    bodies = sorted(
        {
            org
            for measure in selectors.measures_of_plan(plan=plan_obj)
            for org in [measure.lead] + [row.organisation for row in measure.responsibilities.all()]
        },
        key=lambda org: org.name,
    )
    form = MeasureFilterForm(request.GET or None, organisations=bodies)
    filters = MeasureFilters(**form.cleaned_data) if form.is_valid() else MeasureFilters()
    filtered = selectors.measures_filtered(plan=plan_obj, filters=filters, on=today)
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan_obj,
            "overview": overview,
            "form": form,
            "filtered": filtered,
            "filtering": any(vars(filters).values()),
            "today": today,
            "bodies": bodies,
            "formats": FORMATS,
            "following": selectors.is_following(user=request.user, plan=plan_obj),
            "is_coordinator": has_role(request.user, Role.COORDINATOR, Role.ADMINISTRATOR),
            "can_oversee": can_oversee(request.user),
            "history": public_history(plan_obj)[:20],
        },
    )


def commitment_detail(request: HttpRequest, plan: str, number: str) -> HttpResponse:
    plan_obj = _plan(plan)
    commitment = get_object_or_404(Commitment, plan=plan_obj, number=number)
    measures = list(selectors.measures_of_plan(plan=plan_obj).filter(commitment=commitment))
    comment_form = CommentForm()
    return render(
        request,
        "plans/commitment_detail.html",
        {
            "plan": plan_obj,
            "commitment": commitment,
            "measures": measures,
            "progress": selectors.weighted_progress(measures),
            "today": timezone.localdate(),
            "following": selectors.is_following(user=request.user, commitment=commitment),
            "comments": commitment.comments.filter(state=Comment.State.PUBLISHED).select_related(
                "author"
            ),
            "comment_form": comment_form,
            "history": public_history(commitment)[:20],
        },
    )


def measure_detail(request: HttpRequest, external_id: str) -> HttpResponse:
    measure = _measure(external_id)
    today = timezone.localdate()
    published = list(selectors.published_reports(measure=measure))
    indicator_list = list(measure.indicators.all())
    for indicator in indicator_list:
        indicator.chart = charts.indicator_chart(indicator=indicator, title=indicator.name)
        values = list(indicator.values.all())
        indicator.latest = values[-1] if values else None
    return render(
        request,
        "plans/measure_detail.html",
        {
            "plan": measure.commitment.plan,
            "measure": measure,
            "reports": published,
            "timeline": charts.measure_timeline(measure=measure, reports=published, on=today),
            "indicators": indicator_list,
            "assessments": measure.assessments.select_related("reviewer_organisation"),
            "overdue": selectors.is_overdue(measure, on=today),
            "following": selectors.is_following(user=request.user, measure=measure),
            "can_report": can_change(request.user, measure)
            and bool(staff_organisation_ids(request.user)),
            "can_assess": has_role(request.user, Role.REVIEWER, Role.ADMINISTRATOR),
            "comments": measure.comments.filter(state=Comment.State.PUBLISHED).select_related(
                "author"
            ),
            "comment_form": CommentForm(),
            "history": public_history(measure)[:50],
        },
    )


def _follow_target(request: HttpRequest):
    kind, key = request.POST.get("kind"), request.POST.get("key", "")
    if kind == "plan":
        return _plan(key)
    if kind == "commitment":
        plan_id, _sep, number = key.partition(":")
        return get_object_or_404(Commitment, plan__external_id=plan_id, number=number)
    if kind == "measure":
        return _measure(key)
    raise Http404


@login_required
@require_POST
def follow(request: HttpRequest) -> HttpResponse:
    target = _follow_target(request)
    following = request.POST.get("follow") == "1"
    engagement.follow_set(user=request.user, target=target, following=following)
    messages.success(
        request,
        _("You follow this now: you will be notified of new reports and passed terms.")
        if following
        else _("You no longer follow this."),
    )
    return redirect(target)


@login_required
def report_new(request: HttpRequest, external_id: str) -> HttpResponse:
    measure = _measure(external_id)
    if not can_change(request.user, measure) or not staff_organisation_ids(request.user):
        raise PermissionDenied(
            _("Only staff of a body responsible for this measure may report on it.")
        )
    form = ReportForm(
        request.POST or None,
        initial={"progress": measure.progress, "completion": measure.completion},
    )
    warnings: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = reports.ReportInput(
            **{k: v for k, v in form.cleaned_data.items() if k != "confirm_warnings"}
        )
        warnings = reports.report_warnings(data)
        if not warnings or form.cleaned_data["confirm_warnings"]:
            try:
                report = reports.report_create(actor=request.user, measure=measure, data=data)
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(
                    request, _("The draft report is saved. Add evidence, then submit it.")
                )
                return redirect(report)
    return render(
        request, "plans/report_form.html", {"measure": measure, "form": form, "warnings": warnings}
    )


def _report_visible(request: HttpRequest, report: ProgressReport) -> bool:
    if report.state == ProgressReport.State.PUBLISHED:
        return True
    return can_change(request.user, report) or has_role(
        request.user, Role.COORDINATOR, Role.ADMINISTRATOR, Role.CONTROLLER
    )


def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(
        ProgressReport.objects.select_related("measure__commitment__plan", "author_organisation"),
        pk=pk,
    )
    if not _report_visible(request, report):
        raise Http404
    editable = report.state in {
        ProgressReport.State.DRAFT,
        ProgressReport.State.RETURNED,
    } and can_change(request.user, report)
    evidence_form = EvidenceForm()
    if request.method == "POST" and editable and request.POST.get("action") == "evidence":
        evidence_form = EvidenceForm(request.POST, request.FILES)
        if evidence_form.is_valid():
            try:
                reports.evidence_add(
                    actor=request.user,
                    report=report,
                    title=evidence_form.cleaned_data["title"],
                    url=evidence_form.cleaned_data["url"] or "",
                    upload=evidence_form.cleaned_data["file"],
                )
            except ValidationError as error:
                _form_errors(evidence_form, error)
            else:
                messages.success(request, _("The evidence is attached."))
                return redirect(report)
    return render(
        request,
        "plans/report_detail.html",
        {
            "report": report,
            "measure": report.measure,
            "evidence": report.evidence.all(),
            "editable": editable,
            "evidence_form": evidence_form,
            "can_review": report.state == ProgressReport.State.SUBMITTED
            and has_role(request.user, Role.COORDINATOR, Role.ADMINISTRATOR),
            "return_form": ReturnForm(),
        },
    )


def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    """An evidence file, to whoever may see its report (the public once published)."""
    evidence = get_object_or_404(Evidence.objects.select_related("report__measure"), pk=pk)
    if not evidence.file or not _report_visible(request, evidence.report):
        raise Http404
    return FileResponse(evidence.file.open("rb"), filename=Path(evidence.file.name).name)


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(ProgressReport, pk=pk)
    try:
        reports.report_submit(actor=request.user, report=report)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The report is submitted to the coordinator."))
    return redirect(report)


@login_required
@require_POST
def report_publish(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(ProgressReport, pk=pk)
    try:
        reports.report_publish(actor=request.user, report=report)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The report is published."))
    return redirect("plans:review")


@login_required
@require_POST
def report_return(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(ProgressReport, pk=pk)
    form = ReturnForm(request.POST)
    try:
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        reports.report_return(actor=request.user, report=report, reason=reason)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(report)
    messages.success(request, _("The report is returned to its authors."))
    return redirect("plans:review")


@login_required
def review(request: HttpRequest) -> HttpResponse:
    if not has_role(request.user, Role.COORDINATOR, Role.ADMINISTRATOR):
        raise PermissionDenied
    return render(request, "plans/review.html", {"reports": selectors.reports_for_review()})


@login_required
def my_work(request: HttpRequest) -> HttpResponse:
    org_ids = staff_organisation_ids(request.user)
    if not org_ids:
        raise PermissionDenied
    return render(
        request,
        "plans/my_work.html",
        {
            "measures": selectors.measures_of_organisations(organisation_ids=org_ids),
            "reports": selectors.reports_of_organisations(organisation_ids=org_ids)[:50],
            "today": timezone.localdate(),
        },
    )


def control(request: HttpRequest, plan: str) -> HttpResponse:
    if not can_oversee(request.user):
        raise PermissionDenied
    plan_obj = _plan(plan)
    today = timezone.localdate()
    return render(
        request,
        "plans/control.html",
        {
            "plan": plan_obj,
            "loads": selectors.control_dashboard(plan=plan_obj, on=today),
            "today": today,
        },
    )


def body_detail(request: HttpRequest, plan: str, key: str) -> HttpResponse:
    plan_obj = _plan(plan)
    organisation = get_object_or_404(Organisation, key=key)
    today = timezone.localdate()
    measures = [
        m
        for m in selectors.measures_of_plan(plan=plan_obj)
        if organisation.pk in m.responsible_organisation_ids()
    ]
    return render(
        request,
        "plans/body_detail.html",
        {
            "plan": plan_obj,
            "organisation": organisation,
            "measures": measures,
            "today": today,
            "progress": selectors.weighted_progress(measures),
            "overdue": [m for m in measures if selectors.is_overdue(m, on=today)],
            "reports": selectors.published_reports(plan=plan_obj).filter(
                author_organisation=organisation
            )[:20],
        },
    )


def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = get_object_or_404(
        Indicator.objects.select_related("measure__commitment__plan"), pk=pk
    )
    form = None
    if not indicator.is_live and can_change(request.user, indicator):
        form = IndicatorValueForm(request.POST or None, initial={"date": timezone.localdate()})
        if request.method == "POST" and form.is_valid():
            try:
                indicators.indicator_value_record(
                    actor=request.user,
                    indicator=indicator,
                    on=form.cleaned_data["date"],
                    value=form.cleaned_data["value"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("The value is recorded."))
                return redirect(indicator)
    return render(
        request,
        "plans/indicator_detail.html",
        {
            "indicator": indicator,
            "measure": indicator.measure,
            "chart": charts.indicator_chart(indicator=indicator, title=indicator.name),
            "values": indicator.values.order_by("-date"),
            "form": form,
        },
    )


def _export(plan_obj: Plan, fmt: str, name: str, header, rows):
    if fmt not in FORMATS:
        raise Http404
    return export_response(
        fmt=fmt, filename=f"{plan_obj.external_id}-{name}", header=header, rows=rows
    )


def measures_export(request: HttpRequest, plan: str, fmt: str):
    plan_obj = _plan(plan)
    return _export(
        plan_obj, fmt, "measures", tabular.MEASURE_COLUMNS, tabular.measure_rows(plan=plan_obj)
    )


def reports_export(request: HttpRequest, plan: str, fmt: str):
    plan_obj = _plan(plan)
    rows = tabular.report_rows(reports=selectors.published_reports(plan=plan_obj))
    return _export(plan_obj, fmt, "reports", tabular.REPORT_COLUMNS, rows)


COMMENT_COLUMNS = ["target", "submitted", "comment", "outcome", "answer", "answered"]


def _comment_rows(comments):
    for comment in comments:
        target = comment.target
        yield [
            f"{target.number}",
            comment.created_at.date().isoformat(),
            comment.text,
            comment.get_outcome_display() if comment.outcome else "",
            comment.response,
            comment.answered_at.date().isoformat() if comment.answered_at else "",
        ]


def comments_summary(request: HttpRequest, plan: str, fmt: str = "") -> HttpResponse:
    plan_obj = _plan(plan)
    comments = selectors.comments_public(plan=plan_obj)
    if fmt:
        return _export(plan_obj, fmt, "comments", COMMENT_COLUMNS, _comment_rows(comments))
    return render(
        request,
        "plans/comments_summary.html",
        {
            "plan": plan_obj,
            "comments": comments,
            "formats": FORMATS,
        },
    )


@login_required
@require_POST
def comment_submit(request: HttpRequest) -> HttpResponse:
    if request.POST.get("kind") == "measure":
        target = _measure(request.POST.get("key", ""))
    else:
        target = _follow_target(request)
    form = CommentForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.get("text", [_("Write your comment.")]))
        engagement.comment_submit(actor=request.user, target=target, text=form.cleaned_data["text"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Thank you. Your comment will appear after moderation."))
    return redirect(target)


@login_required
def comments_moderate(request: HttpRequest, plan: str) -> HttpResponse:
    if not has_role(request.user, Role.COORDINATOR, Role.ADMINISTRATOR):
        raise PermissionDenied
    plan_obj = _plan(plan)
    if request.method == "POST":
        comment = get_object_or_404(Comment, pk=request.POST.get("comment"))
        try:
            if request.POST.get("action") in {"publish", "reject"}:
                engagement.comment_moderate(
                    actor=request.user, comment=comment, publish=request.POST["action"] == "publish"
                )
            else:
                form = CommentAnswerForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(
                        _("Choose how the comment was taken into account and write an answer.")
                    )
                engagement.comment_answer(actor=request.user, comment=comment, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Saved."))
        return redirect("plans:comments_moderate", plan=plan)
    return render(
        request,
        "plans/comments_moderate.html",
        {
            "plan": plan_obj,
            "comments": selectors.comments_for_moderation(plan=plan_obj),
            "answer_form": CommentAnswerForm(),
        },
    )


@login_required
def assess(request: HttpRequest, external_id: str) -> HttpResponse:
    measure = _measure(external_id)
    if not has_role(request.user, Role.REVIEWER, Role.ADMINISTRATOR):
        raise PermissionDenied
    form = AssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            engagement.assessment_record(actor=request.user, measure=measure, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The assessment is published."))
            return redirect(measure)
    return render(request, "plans/assess.html", {"measure": measure, "form": form})


@login_required
def import_measures(request: HttpRequest, plan: str) -> HttpResponse:
    if not has_role(request.user, Role.COORDINATOR, Role.ADMINISTRATOR):
        raise PermissionDenied
    plan_obj = _plan(plan)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors, result = [], None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        importer = (
            tabular.reports_import
            if form.cleaned_data["kind"] == "reports"
            else tabular.measures_import
        )
        try:
            rows = tabular.read_table(name=upload.name, content=upload.read())
            result = importer(actor=request.user, plan=plan_obj, rows=rows)
        except tabular.ImportRejected as rejected:
            errors = rejected.errors
    return render(
        request,
        "plans/import.html",
        {"plan": plan_obj, "form": form, "errors": errors, "result": result},
    )


def plan_pdf(request: HttpRequest, plan: str) -> HttpResponse:
    plan_obj = _plan(plan)
    response = HttpResponse(documents.plan_pdf(plan=plan_obj), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{plan_obj.external_id}.pdf"'
    return response


def self_assessment(request: HttpRequest, plan: str) -> HttpResponse:
    plan_obj = _plan(plan)
    form = PeriodForm(
        request.GET or None,
        initial={"period_start": plan_obj.period_start, "period_end": plan_obj.period_end},
    )
    if request.GET and form.is_valid():
        start, end = form.cleaned_data["period_start"], form.cleaned_data["period_end"]
        if end < start:
            form.add_error("period_end", _("The end of the period is before its start."))
        else:
            pdf = documents.self_assessment_pdf(plan=plan_obj, period_start=start, period_end=end)
            response = HttpResponse(pdf, content_type="application/pdf")
            response["Content-Disposition"] = (
                f'inline; filename="{plan_obj.external_id}-self-assessment-{start}-{end}.pdf"'
            )
            return response
    return render(request, "plans/self_assessment.html", {"plan": plan_obj, "form": form})


def ogp_template(request: HttpRequest, plan: str, fmt: str) -> HttpResponse:
    plan_obj = _plan(plan)
    if fmt == "json":
        return JsonResponse(
            documents.ogp_template(plan=plan_obj),
            safe=False,
            json_dumps_params={"ensure_ascii": False, "indent": 2},
        )
    if fmt == "csv":
        return export_response(
            fmt="csv",
            filename=f"{plan_obj.external_id}-ogp-template",
            header=documents.OGP_CSV_HEADER,
            rows=documents.ogp_template_rows(plan=plan_obj),
        )
    raise Http404


class ReportsFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, plan: str):
        return _plan(plan)

    def title(self, obj: Plan) -> str:
        return _("Published progress reports: %(title)s") % {"title": obj.title}

    def link(self, obj: Plan) -> str:
        return obj.get_absolute_url()

    def subtitle(self, obj: Plan) -> str:
        return _("Every progress report published on the action plan's measures.")

    def items(self, obj: Plan):
        return selectors.published_reports(plan=obj)[:50]

    def item_title(self, item: ProgressReport) -> str:
        return _("Measure %(number)s: %(progress)s%% (%(completion)s)") % {
            "number": item.measure.number,
            "progress": item.progress,
            "completion": item.get_completion_display(),
        }

    def item_description(self, item: ProgressReport) -> str:
        return item.narrative

    def item_link(self, item: ProgressReport) -> str:
        return reverse("plans:report", kwargs={"pk": item.pk})

    def item_pubdate(self, item: ProgressReport):
        return item.published_at


def indicator_values_json(request: HttpRequest, pk: int) -> JsonResponse:
    indicator = get_object_or_404(Indicator, pk=pk)
    values = [
        {"date": v.date.isoformat(), "value": float(v.value), "source": v.source}
        for v in indicator.values.order_by("date")
    ]
    return JsonResponse(
        {"indicator": indicator.name, "target": float(indicator.target), "values": values}
    )
