"""Pages of the resident's cabinet: catalogue, applying, my applications, staff queue,
statistics and city-issue reports. Thin: parse, call a service or selector, render."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from hromada.accounts.models import Role
from hromada.accounts.permissions import can_change, can_oversee, has_role, staff_organisation_ids
from hromada.core.exports import FORMATS, export_response
from hromada.services import selectors, services
from hromada.services.form_schema import ApplicationForm, answers_for_display
from hromada.services.forms import (
    AdvanceForm,
    ApproveForm,
    CatalogueSearchForm,
    CommentForm,
    IssueMergeForm,
    IssueReportForm,
    IssueStatusForm,
    NoteActionForm,
    ProvideInfoForm,
    QueueFilterForm,
    RatingForm,
    RefuseForm,
)
from hromada.services.models import (
    Application,
    ApplicationFile,
    IssueReport,
    IssueStatus,
    LifeSituation,
    ServiceCard,
)
from hromada.services.services import ServiceRefused

# --- catalogue -------------------------------------------------------------------------------


def index(request: HttpRequest) -> HttpResponse:
    form = CatalogueSearchForm(request.GET or None)
    query, situation, online = "", "", False
    if form.is_valid():
        query = form.cleaned_data["q"]
        situation = form.cleaned_data["situation"]
        online = form.cleaned_data["online"]
    searching = bool(query or situation or online)
    cards = selectors.service_cards_public(query=query, situation=situation, online_only=online)
    return render(
        request,
        "services/index.html",
        {
            "form": form,
            "situations": selectors.life_situations_with_counts(),
            "cards": cards if searching else None,
            "searching": searching,
            "all_count": ServiceCard.objects.filter(published=True).count(),
            "online_count": ServiceCard.objects.filter(published=True, online=True).count(),
            "formats": FORMATS,
        },
    )


def situation(request: HttpRequest, key: str) -> HttpResponse:
    life_situation = get_object_or_404(LifeSituation, key=key)
    return render(
        request,
        "services/situation.html",
        {
            "situation": life_situation,
            "cards": selectors.service_cards_public(situation=key),
        },
    )


def catalogue_download(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    header, rows = selectors.catalogue_rows(selectors.service_cards_public())
    return export_response(fmt=fmt, filename="service-catalogue", header=header, rows=rows)


def card(request: HttpRequest, code: str) -> HttpResponse:
    try:
        service = selectors.service_card_by_code(code=code)
    except ServiceCard.DoesNotExist as missing:
        raise Http404 from missing
    return render(
        request,
        "services/card.html",
        {"service": service, "route": service.route or []},
    )


# --- applying ---------------------------------------------------------------------------------


def _attached(application: Application) -> dict[str, str]:
    return {
        f.field: f.original_name
        for f in application.files.all()
        if f.kind == ApplicationFile.Kind.ATTACHMENT and f.field
    }


@login_required
def apply(request: HttpRequest, code: str) -> HttpResponse:
    service = get_object_or_404(ServiceCard, code=code, published=True)
    if service.requires_identity and not request.user.identity_verified:
        return render(request, "services/identity_needed.html", {"service": service}, status=403)
    try:
        draft = services.application_draft_get_or_create(service=service, applicant=request.user)
    except ServiceRefused as refused:
        messages.error(request, refused.message)
        return redirect(service.get_absolute_url())
    saving_draft = request.method == "POST" and "save_draft" in request.POST
    form = ApplicationForm(
        request.POST or None,
        request.FILES or None,
        schema=service.form_schema,
        attached=_attached(draft),
        draft=saving_draft,
        initial=draft.data,
    )
    key = request.POST.get("idempotency_key") or uuid.uuid4().hex
    if request.method == "POST" and form.is_valid():
        try:
            if saving_draft:
                services.application_draft_save(
                    application=draft,
                    applicant=request.user,
                    answers=form.answers(),
                    uploads=form.uploads(),
                )
                messages.success(request, _("Your draft is saved. You can come back to it later."))
                return redirect("services:apply", code=code)
            application = services.application_submit(
                application=draft,
                applicant=request.user,
                answers=form.answers(),
                uploads=form.uploads(),
                idempotency_key=key[:64],
            )
        except ServiceRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                _("Application %(number)s is submitted. Due date: %(due)s.")
                % {"number": application.number, "due": f"{application.due_date:%d.%m.%Y}"},
            )
            return redirect(application.get_absolute_url())
    return render(
        request,
        "services/apply.html",
        {"service": service, "form": form, "draft": draft, "idempotency_key": key},
    )


# --- the resident's cabinet ----------------------------------------------------------------------


@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    applications = list(selectors.applications_of(applicant=request.user)[:200])
    return render(
        request,
        "services/my_applications.html",
        {
            "applications": applications,
            "drafts": selectors.drafts_of(applicant=request.user),
            "reports": selectors.issue_reports_of(user=request.user)[:50],
            "result_files": ApplicationFile.objects.filter(
                application__applicant=request.user, kind=ApplicationFile.Kind.RESULT
            ).select_related("application", "application__service"),
        },
    )


def _my_application(request: HttpRequest, pk: int) -> Application:
    try:
        return selectors.application_for_applicant(pk=pk, applicant=request.user)
    except Application.DoesNotExist as missing:
        raise Http404 from missing


@login_required
def my_application(request: HttpRequest, pk: int) -> HttpResponse:
    application = _my_application(request, pk)
    info_form = ProvideInfoForm(request.POST or None, request.FILES or None, prefix="info")
    rating_form = RatingForm(request.POST or None, prefix="rating")
    if request.method == "POST":
        try:
            if "provide_info" in request.POST and info_form.is_valid():
                uploads = (
                    [info_form.cleaned_data["document"]]
                    if info_form.cleaned_data["document"]
                    else []
                )
                services.application_provide_info(
                    application=application,
                    applicant=request.user,
                    note=info_form.cleaned_data["note"],
                    uploads=uploads,
                )
                messages.success(request, _("Your answer is sent. The term runs again."))
                return redirect(application.get_absolute_url())
            if "rate" in request.POST and rating_form.is_valid():
                services.application_rate(
                    application=application,
                    applicant=request.user,
                    rating=rating_form.cleaned_data["rating"],
                )
                messages.success(request, _("Thank you for your rating."))
                return redirect(application.get_absolute_url())
        except ServiceRefused as refused:
            messages.error(request, refused.message)
            return redirect(application.get_absolute_url())
    return render(
        request,
        "services/my_application.html",
        {
            "application": application,
            "answers": answers_for_display(application.service.form_schema, application.data),
            "events": application.events.all(),
            "results": selectors.result_files(application),
            "attachments": selectors.attachments(application),
            "info_form": info_form,
            "rating_form": rating_form,
            "deadline": selectors.deadline_state(application),
        },
    )


@login_required
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    application = _my_application(request, pk)
    response = HttpResponse(
        services.receipt_for(application=application), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="rozpyska-{application.number}.pdf"'
    return response


@login_required
def file_download(request: HttpRequest, pk: int) -> FileResponse:
    stored = get_object_or_404(ApplicationFile.objects.select_related("application"), pk=pk)
    application = stored.application
    allowed = (
        application.applicant_id == request.user.pk
        or can_change(request.user, application)
        or can_oversee(request.user)
        or bool(staff_organisation_ids(request.user) & {application.service.organisation_id})
    )
    if not allowed:
        raise Http404
    return FileResponse(stored.file.open("rb"), as_attachment=True, filename=stored.original_name)


# --- staff ----------------------------------------------------------------------------------------


def _staff_ids(request: HttpRequest) -> set[int]:
    if has_role(request.user, Role.ADMINISTRATOR, Role.COORDINATOR):
        return selectors.organisations_with_applications() | staff_organisation_ids(request.user)
    return staff_organisation_ids(request.user)


@login_required
def staff_queue(request: HttpRequest) -> HttpResponse:
    ids = _staff_ids(request)
    if not ids:
        raise PermissionDenied
    form = QueueFilterForm(request.GET or None)
    filters = selectors.QueueFilter()
    chosen = ids
    if form.is_valid():
        data = form.cleaned_data
        if data["organisation"] and data["organisation"] in ids:
            chosen = {data["organisation"]}
        filters = selectors.QueueFilter(
            status=data["status"],
            overdue=data["overdue"],
            assignee=data["assignee"],
            service=data["service"],
        )
    queue = selectors.staff_queue(organisation_ids=chosen, filters=filters, user=request.user)
    page = selectors.queue_page(queue, request.GET.get("page"))
    rows = selectors.queue_rows(page.object_list)
    current = form.cleaned_data if form.is_bound and form.is_valid() else {}
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "services/staff_queue.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            # The body switcher only when there is more than one body to switch between.
            "organisations": selectors.organisations_for_queue(ids) if len(ids) > 1 else [],
            "rows_html": _queue_rows_html(rows),
            "status_choices": form.fields["status"].choices,
            "assignee_choices": form.fields["assignee"].choices,
            "service_choices": selectors.queue_services(chosen),
            "current": current,
            "chosen": chosen,
            "query": query.urlencode(),
        },
    )


QUEUE_ROW = (
    '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td>'
    '<td><span class="chip chip-{}">{} · {}</span></td><td>{}</td></tr>'
)


def _queue_rows_html(rows: list[selectors.QueueRow]) -> str:
    """The queue's 50 rows, escaped by format_html: the hottest staff page, and a
    template loop costs ~3 ms here against ~0.3 ms (benchmarks/services_queue.py)."""
    return format_html_join(
        "\n",
        QUEUE_ROW,
        (
            (
                r.url,
                r.number,
                r.service,
                r.applicant,
                r.status_label,
                r.state,
                format_html('<time datetime="{}">{}</time>', r.due_iso, r.due_text)
                if r.due_iso
                else "—",
                r.state_label,
                r.assignee or "—",
            )
            for r in rows
        ),
    )


def _staff_application(request: HttpRequest, pk: int) -> Application:
    try:
        application = selectors.application_for_staff(pk=pk)
    except Application.DoesNotExist as missing:
        raise Http404 from missing
    if not (
        can_change(request.user, application)
        or can_oversee(request.user)
        or staff_organisation_ids(request.user) & {application.service.organisation_id}
    ):
        raise PermissionDenied
    return application


STAFF_ACTIONS = {
    "assign_me": None,
    "comment": CommentForm,
    "request_info": NoteActionForm,
    "advance": AdvanceForm,
    "approve": ApproveForm,
    "refuse": RefuseForm,
}


@login_required
def staff_application(request: HttpRequest, pk: int) -> HttpResponse:
    application = _staff_application(request, pk)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    forms = {
        name: (
            form_class(
                request.POST if action == name else None,
                request.FILES if action == name else None,
                prefix=name,
                initial={"version": application.version},
            )
            if form_class
            else None
        )
        for name, form_class in STAFF_ACTIONS.items()
    }
    if action:
        if action not in STAFF_ACTIONS:
            raise Http404
        try:
            done = _staff_act(request, application, action, forms[action])
        except ServiceRefused as refused:
            messages.error(request, refused.message)
            return redirect("services:staff_application", pk=pk)
        if done:
            messages.success(request, done)
            return redirect("services:staff_application", pk=pk)
    route = application.service.route or []
    return render(
        request,
        "services/staff_application.html",
        {
            "application": application,
            "answers": answers_for_display(application.service.form_schema, application.data),
            "events": application.events.all(),
            "attachments": selectors.attachments(application),
            "results": selectors.result_files(application),
            "forms": forms,
            "may_act": can_change(request.user, application),
            "route": route,
            "last_step": application.step + 1 >= len(route),
            "deadline": selectors.deadline_state(application),
        },
    )


def _staff_act(request: HttpRequest, application: Application, action: str, form) -> str | None:
    """Run one staff action; the message on success, or None when the form has errors."""
    user = request.user
    if action == "assign_me":
        version = int(request.POST.get("version", "0") or 0)
        services.application_assign(
            application=application, actor=user, assignee=user, expected_version=version
        )
        return _("The application is assigned to you.")
    if not form.is_valid():
        return None
    data = form.cleaned_data
    if action == "comment":
        services.application_comment(application=application, actor=user, note=data["note"])
        return _("The comment is added.")
    version = data["version"]
    if action == "request_info":
        services.application_request_info(
            application=application, actor=user, note=data["note"], expected_version=version
        )
        return _("The request is sent to the applicant. The term is paused.")
    if action == "advance":
        services.application_advance(
            application=application, actor=user, expected_version=version, note=data["note"]
        )
        return _("The application is passed to the next step.")
    if action == "approve":
        services.application_approve(
            application=application,
            actor=user,
            expected_version=version,
            result_upload=data["result_file"],
            result_text=data["result_text"],
        )
        return _("The result is issued to the applicant.")
    if action == "refuse":
        services.application_refuse(
            application=application, actor=user, expected_version=version, ground=data["ground"]
        )
        return _("The refusal is issued to the applicant.")
    raise Http404


# --- statistics -------------------------------------------------------------------------------------


def statistics_page(request: HttpRequest) -> HttpResponse:
    rows = selectors.statistics_by_service()
    fmt = request.GET.get("format", "")
    if fmt:
        if fmt not in FORMATS:
            raise Http404
        header = [
            "service",
            "body",
            "applications",
            "open_now",
            "overdue_now",
            "done",
            "refused",
            "on_time_percent",
            "median_days",
            "rating",
        ]
        return export_response(
            fmt=fmt,
            filename="service-statistics",
            header=header,
            rows=(
                [
                    r.name,
                    r.body,
                    r.total,
                    r.open_now,
                    r.overdue_now,
                    r.done,
                    r.refused,
                    r.on_time_share,
                    r.median_days,
                    r.rating,
                ]
                for r in rows
            ),
        )
    return render(
        request,
        "services/statistics.html",
        {"rows": rows, "bodies": selectors.statistics_by_body(rows), "formats": FORMATS},
    )


# --- city-issue reports ---------------------------------------------------------------------------


def issues(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status and status not in IssueStatus.values:
        status = ""
    reports = selectors.issue_reports_public(status=status)
    fmt = request.GET.get("format", "")
    if fmt:
        if fmt not in FORMATS:
            raise Http404
        header = [
            "id",
            "category",
            "status",
            "status_note",
            "description",
            "latitude",
            "longitude",
            "address",
            "reported",
            "responsible_body",
            "duplicate_of",
        ]
        return export_response(
            fmt=fmt,
            filename="city-issue-reports",
            header=header,
            rows=(
                [
                    r.pk,
                    r.category.name,
                    r.status,
                    r.status_note,
                    r.description,
                    r.latitude,
                    r.longitude,
                    r.address,
                    r.created_at,
                    r.organisation.name,
                    r.duplicate_of_id,
                ]
                for r in reports.iterator()
            ),
        )
    page = Paginator(reports, 50).get_page(request.GET.get("page"))
    points = selectors.issue_map_points(reports)
    return render(
        request,
        "services/issues.html",
        {
            "page": page,
            "statuses": IssueStatus.choices,
            "status": status,
            "formats": FORMATS,
            "points": points,
            "points_limited": len(points) >= selectors.MAP_POINTS_LIMIT,
            **_map_settings(),
        },
    )


def _map_settings() -> dict[str, str]:
    """The geoportal's background tiles (settings GEOPORTAL_TILE_URL/ATTRIBUTION)."""
    return {
        "tile_url": getattr(
            settings, "GEOPORTAL_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
        ),
        "tile_attribution": getattr(
            settings, "GEOPORTAL_TILE_ATTRIBUTION", "© OpenStreetMap contributors"
        ),
    }


def issue(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(
        IssueReport.objects.select_related(
            "category", "organisation", "duplicate_of", "road__registry"
        ),
        pk=pk,
    )
    may_change = can_change(request.user, report)
    status_form = IssueStatusForm(
        request.POST if "set_status" in request.POST else None,
        initial={"status": report.status, "note": report.status_note},
        prefix="status",
    )
    merge_form = IssueMergeForm(request.POST if "merge" in request.POST else None, prefix="merge")
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        try:
            if "set_status" in request.POST and status_form.is_valid():
                services.issue_status_set(
                    report=report,
                    actor=request.user,
                    status=status_form.cleaned_data["status"],
                    note=status_form.cleaned_data["note"],
                )
                messages.success(request, _("The status is changed."))
                return redirect(report.get_absolute_url())
            if "merge" in request.POST and merge_form.is_valid():
                into = IssueReport.objects.filter(pk=merge_form.cleaned_data["into"]).first()
                if into is None:
                    raise ServiceRefused(_("There is no report with this number."))
                services.issue_merge(report=report, into=into, actor=request.user)
                messages.success(request, _("The report is merged into the original."))
                return redirect(report.get_absolute_url())
        except ServiceRefused as refused:
            messages.error(request, refused.message)
            return redirect(report.get_absolute_url())
    return render(
        request,
        "services/issue.html",
        {
            "report": report,
            "may_change": may_change,
            "status_form": status_form,
            "merge_form": merge_form,
            "duplicates": report.duplicates.all(),
        },
    )


def issue_new(request: HttpRequest) -> HttpResponse:
    form = IssueReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.issue_report_create(
                category=data["category"],
                description=data["description"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                address=data["address"],
                photo=data["photo"],
                reporter=request.user,
                reporter_name=getattr(request.user, "full_name", ""),
                reporter_email=getattr(request.user, "email", ""),
            )
        except ServiceRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                _("Thank you. Your report № %(id)s is sent to %(body)s.")
                % {"id": report.pk, "body": report.organisation},
            )
            return redirect(report.get_absolute_url())
    south, west, north, east = services.COMMUNITY_BBOX
    return render(
        request,
        "services/issue_new.html",
        {"form": form, "community_bounds": f"{south},{west},{north},{east}", **_map_settings()},
    )


def issue_photo(request: HttpRequest, pk: int) -> FileResponse:
    report = get_object_or_404(IssueReport, pk=pk)
    if not report.photo:
        raise Http404
    return FileResponse(report.photo.open("rb"), content_type="image/jpeg")
