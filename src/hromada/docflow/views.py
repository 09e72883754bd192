"""HTML pages of the document workflow: thin, each parses input, calls one service or
selector, renders."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hromada.accounts.permissions import can_oversee
from hromada.core.exports import FORMATS, export_response
from hromada.docflow import access, selectors, services
from hromada.docflow.forms import (
    CardEditForm,
    CaseForm,
    DecisionForm,
    FileForm,
    GrantForm,
    LinkForm,
    RegisterForm,
    ReportForm,
    ResolutionForm,
    RouteForm,
    SearchForm,
    VerifyForm,
    parse_page_cursor,
)
from hromada.docflow.models import (
    DECISION_KINDS,
    SIGNED_KINDS,
    Case,
    Document,
    DocumentKind,
    FileVersion,
    Journal,
    Resolution,
    Signature,
)
from hromada.docflow.pdf import document_pdf
from hromada.docflow.signing import verify_pdf

VERIFY_MAX_BYTES = 20 * 1024 * 1024


def staff_only(view: Callable) -> Callable:
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not access.is_docflow_user(request.user):
            raise PermissionDenied(_("The document workflow is for staff of the city's bodies."))
        return view(request, *args, **kwargs)

    return wrapped


def _message(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


# --- lists, search, tasks -------------------------------------------------------------------


def _page_cursor(request: HttpRequest) -> tuple[date, int] | None:
    value = request.GET.get("before", "")
    cursor = parse_page_cursor(value) if value else None
    if value and cursor is None:
        messages.error(request, _("This page link is damaged; the search starts again."))
    return cursor


def index(request: HttpRequest) -> HttpResponse:
    if not access.is_docflow_user(request.user):
        return render(request, "docflow/public_index.html")
    form = SearchForm(request.GET or None)
    filters = selectors.DocumentFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.DocumentFilters(
            query=data["q"],
            kind=data["kind"],
            organisation_id=data["organisation"].pk if data["organisation"] else None,
            status=data["status"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            before=_page_cursor(request),
        )
    documents = selectors.document_search(user=request.user, filters=filters)
    user = request.user
    older_link = ""
    if len(documents) == selectors.SEARCH_PAGE:
        last = documents[-1]
        query = request.GET.copy()
        query["before"] = f"{last.registered_on.isoformat()}.{last.pk}"
        older_link = query.urlencode()
    return render(
        request,
        "docflow/index.html",
        {
            "form": form,
            "documents": documents,
            "older_link": older_link,
            "searched": bool(request.GET),
            "approvals": selectors.pending_approvals(user=user),
            "to_sign": selectors.documents_to_sign(user=user),
            "to_execute": selectors.resolutions_to_execute(user=user),
            "to_remove": selectors.resolutions_to_remove(user=user, can_oversee=can_oversee(user)),
            "kinds": DocumentKind.choices,
        },
    )


@staff_only
def document_new(request: HttpRequest) -> HttpResponse:
    initial = {"kind": request.GET.get("kind", DocumentKind.INCOMING)}
    form = RegisterForm(
        request.POST or None, request.FILES or None, user=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("file")
        try:
            with transaction.atomic():
                document = services.document_register(actor=request.user, **data)
                if upload:
                    services.file_upload(actor=request.user, document=document, upload=upload)
        except ValidationError as error:
            form.add_error(None, _message(error))
        else:
            messages.success(
                request,
                _("Registered as № %(index)s.") % {"index": document.registration_index},
            )
            return redirect(document)
    return render(request, "docflow/document_new.html", {"form": form})


def _document_or_404(request: HttpRequest, pk: int) -> Document:
    try:
        return selectors.document_detail(user=request.user, pk=pk)
    except Document.DoesNotExist as missing:
        # Not found and not allowed look the same: a restricted card's existence is private.
        raise Http404 from missing


@staff_only
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document_or_404(request, pk)
    services.document_opened(actor=request.user, document=document)
    user = request.user
    routes = selectors.document_routes(document=document)
    current_route = routes[-1] if routes else None
    my_step = None
    if current_route and current_route.active_stage is not None:
        my_step = next(
            (
                step
                for step in current_route.steps
                if step.approver_id == user.pk
                and step.decision == "pending"
                and step.stage == current_route.active_stage
            ),
            None,
        )
    can_edit = access.can_edit(user, document)
    resolutions = list(
        document.resolutions.select_related("lead_executor", "controller", "author")
        .prefetch_related("co_executors", "reports__author")
        .order_by("id")
    )
    for resolution in resolutions:
        resolution.may_report = resolution.status != Resolution.Status.REMOVED and (
            resolution.lead_executor_id == user.pk
            or any(co.pk == user.pk for co in resolution.co_executors.all())
        )
        resolution.may_remove = (
            resolution.status == Resolution.Status.REPORTED
            and access.can_remove_from_control(user, resolution)
        )
    return render(
        request,
        "docflow/document_detail.html",
        {
            "document": document,
            "files": [
                (file, file.newest_first)
                for file in document.files.order_by("id").prefetch_related(
                    Prefetch(
                        "versions",
                        queryset=FileVersion.objects.order_by("-number"),
                        to_attr="newest_first",
                    )
                )
            ],
            "links": document.links.select_related("target"),
            "linked_from": document.linked_from.select_related("source"),
            "routes": routes,
            "my_step": my_step,
            "signatures": document.signatures.select_related("signer"),
            "resolutions": resolutions,
            "history": selectors.document_history(document=document),
            "can_edit": can_edit,
            "can_edit_card": can_edit and not services.card_lock_reason(document),
            "can_route": can_edit
            and document.status in (Document.Status.REGISTERED, Document.Status.RETURNED)
            and document.kind in SIGNED_KINDS,
            "can_sign": document.signatory_id == user.pk
            and selectors.documents_to_sign(user=user).filter(pk=document.pk).exists(),
            "can_resolve": access.is_head(user, document),
            "can_publish": can_edit
            and document.kind in DECISION_KINDS
            and not document.is_public
            and not document.restricted,
            "file_form": FileForm(auto_id="file_%s"),
            "link_form": LinkForm(user=user, document=document, auto_id="link_%s")
            if can_edit
            else None,
            "grant_form": GrantForm(auto_id="grant_%s") if can_edit else None,
            "route_form": RouteForm(document=document, auto_id="route_%s") if can_edit else None,
            "decision_form": DecisionForm(auto_id="decision_%s"),
            "resolution_form": ResolutionForm(auto_id="resolution_%s"),
        },
    )


@staff_only
def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct the descriptive fields of a registered card."""
    document = _document_or_404(request, pk)
    if not access.can_edit(request.user, document):
        raise PermissionDenied(_("Only the registering body may correct this registration card."))
    reason = services.card_lock_reason(document)
    if reason:
        messages.error(request, reason)
        return redirect(document)
    if request.method != "POST":
        # The form shows the whole card: for a restricted one that is an opening.
        services.document_opened(actor=request.user, document=document)
    form = CardEditForm(request.POST or None, document=document)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_update(actor=request.user, document=document, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, _message(error))
        else:
            messages.success(request, _("The registration card is corrected."))
            return redirect(document)
    return render(request, "docflow/document_edit.html", {"document": document, "form": form})


def _act(
    request: HttpRequest,
    back_to: Any,
    action: Callable[[], object],
    success: str,
    form: forms.Form | None = None,
) -> HttpResponse:
    """Run one workflow action from a POST and go back to ``back_to`` (a document or a
    URL name) with its outcome as a message; an invalid ``form`` stops it first."""
    if form is not None and not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        try:
            action()
        except ValidationError as error:
            messages.error(request, _message(error))
        else:
            messages.success(request, success)
    return redirect(back_to)


def _form_errors(form) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


@staff_only
@require_POST
def document_file_add(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document_or_404(request, pk)
    form = FileForm(request.POST, request.FILES)
    return _act(
        request,
        document,
        lambda: services.file_upload(
            actor=request.user,
            document=document,
            upload=form.cleaned_data["file"],
            title=form.cleaned_data["title"],
        ),
        _("The file is stored."),
        form=form,
    )


@staff_only
@require_POST
def document_link_add(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document_or_404(request, pk)
    form = LinkForm(request.POST, user=request.user, document=document)
    return _act(
        request,
        document,
        lambda: services.document_link(
            actor=request.user,
            source=document,
            target=form.cleaned_data["target"],
            kind=form.cleaned_data["kind"],
        ),
        _("The documents are linked."),
        form=form,
    )


@staff_only
@require_POST
def document_grant(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document_or_404(request, pk)
    form = GrantForm(request.POST)
    return _act(
        request,
        document,
        lambda: services.access_grant(
            actor=request.user, document=document, user=form.cleaned_data["user"]
        ),
        _("Access granted."),
        form=form,
    )


@staff_only
@require_POST
def document_publish(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document_or_404(request, pk)
    return _act(
        request,
        document,
        lambda: services.document_publish(actor=request.user, document=document),
        _("The decision is published in the public register."),
    )


@staff_only
@require_POST
def route_start(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document_or_404(request, pk)
    form = RouteForm(request.POST, document=document)
    return _act(
        request,
        document,
        lambda: services.route_start(
            actor=request.user, document=document, steps=_planned_steps(form.cleaned_data)
        ),
        _("The document is sent for approval."),
        form=form,
    )


def _planned_steps(data: dict[str, Any]) -> list[services.StepPlan]:
    """The route form's steps: from a template, or two stages picked by hand."""
    if data["template"]:
        return services.steps_from_template(template=data["template"])
    return [
        services.StepPlan(stage, user, data["term_days"])
        for stage, users in ((1, data["stage_1"]), (2, data["stage_2"]))
        for user in users
    ]


@staff_only
@require_POST
def approval_decide(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document_or_404(request, pk)
    form = DecisionForm(request.POST)
    form.is_valid()
    decision = request.POST.get("decision", "")
    return _act(
        request,
        document,
        lambda: services.approval_decide(
            actor=request.user,
            document=document,
            decision=decision,
            comment=form.cleaned_data.get("comment", ""),
        ),
        _("Your decision is recorded."),
    )


@staff_only
@require_POST
def document_sign(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document_or_404(request, pk)
    return _act(
        request,
        document,
        lambda: services.document_sign(actor=request.user, document=document),
        _("The document is signed."),
    )


@staff_only
@require_POST
def resolution_write(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document_or_404(request, pk)
    form = ResolutionForm(request.POST)
    return _act(
        request,
        document,
        lambda: services.resolution_write(
            actor=request.user,
            document=document,
            instruction=form.cleaned_data["instruction"],
            lead_executor=form.cleaned_data["lead_executor"],
            co_executors=form.cleaned_data["co_executors"],
            term_days=form.cleaned_data["term_days"],
            controller=form.cleaned_data["controller"],
        ),
        _("The resolution is written and the executors are notified."),
        form=form,
    )


def _resolution(request: HttpRequest, pk: int) -> tuple[Document, Resolution]:
    resolution = get_object_or_404(Resolution, pk=pk)
    return _document_or_404(request, resolution.document_id), resolution


@staff_only
@require_POST
def resolution_report(request: HttpRequest, pk: int) -> HttpResponse:
    document, resolution = _resolution(request, pk)
    form = ReportForm(request.POST)
    return _act(
        request,
        document,
        lambda: services.execution_report(
            actor=request.user, resolution=resolution, text=form.cleaned_data["text"]
        ),
        _("Your report is recorded."),
        form=form,
    )


@staff_only
@require_POST
def resolution_remove(request: HttpRequest, pk: int) -> HttpResponse:
    document, resolution = _resolution(request, pk)
    return _act(
        request,
        document,
        lambda: services.resolution_remove_from_control(actor=request.user, resolution=resolution),
        _("The task is removed from control."),
    )


# --- files ------------------------------------------------------------------------------


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@staff_only
def document_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document_or_404(request, pk)
    return _pdf_response(document_pdf(document), f"document-{document.pk}.pdf")


@staff_only
def file_download(request: HttpRequest, pk: int) -> FileResponse:
    version = get_object_or_404(FileVersion.objects.select_related("file"), pk=pk)
    document = _document_or_404(request, version.file.document_id)
    services.document_opened(actor=request.user, document=document)
    return FileResponse(
        version.content.open("rb"), as_attachment=True, filename=version.original_name
    )


def signed_pdf(request: HttpRequest, pk: int) -> FileResponse:
    """A signed PDF: public for published decisions, otherwise for those who may see it."""
    signature = get_object_or_404(Signature.objects.select_related("document"), pk=pk)
    document = signature.document
    if not (document.is_public and not document.restricted):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        document = _document_or_404(request, document.pk)
        services.document_opened(actor=request.user, document=document)
    return FileResponse(
        signature.pdf.open("rb"),
        as_attachment=True,
        filename=f"signed-{document.pk}.pdf",
        content_type="application/pdf",
    )


# --- public verification -------------------------------------------------------------------


def verify(request: HttpRequest) -> HttpResponse:
    """Public: anyone uploads a PDF and gets a verdict. Damaged or non-PDF files get the
    "corrupted" verdict rather than a form error, so only the size is checked up front."""
    form = VerifyForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > VERIFY_MAX_BYTES:
            form.add_error("file", _("The file is larger than 20 MB and cannot be checked here."))
        else:
            result = verify_pdf(upload.read())
    return render(request, "docflow/verify.html", {"form": form, "result": result})


# --- control of execution -----------------------------------------------------------------


@staff_only
def control(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "docflow/control.html",
        {
            "dashboard": selectors.control_dashboard(user=request.user),
            "paperless": selectors.paperless_share(),
            "paperless_bodies": selectors.paperless_share_by_body(),
            "today": timezone.localdate(),
        },
    )


# --- public register of decisions ------------------------------------------------------------

DECISION_HEADER = ["kind", "number", "date", "body", "title", "text", "url"]


def decisions(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    kind = kind if kind in DECISION_KINDS else ""
    found = selectors.public_decisions(query=query, kind=kind)
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        rows = (
            [
                str(d.get_kind_display()),
                d.registration_index,
                d.registered_on,
                d.organisation.name,
                d.summary,
                d.body,
                request.build_absolute_uri(d.get_public_url()),
            ]
            for d in found.iterator(500)
        )
        return export_response(fmt=fmt, filename="decisions", header=DECISION_HEADER, rows=rows)
    return render(
        request,
        "docflow/decisions.html",
        {
            "decisions": found[:200],
            "query": query,
            "kind": kind,
            "kinds": [
                (value, label) for value, label in DocumentKind.choices if value in DECISION_KINDS
            ],
            "formats": FORMATS,
            "export_query": request.GET.urlencode(),
        },
    )


def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        decision = selectors.public_decision(pk=pk)
    except Document.DoesNotExist as missing:
        raise Http404 from missing
    return render(
        request,
        "docflow/decision_detail.html",
        {"decision": decision, "signature": selectors.public_signature(document=decision)},
    )


# --- registers and archive --------------------------------------------------------------------


@staff_only
def registers(request: HttpRequest) -> HttpResponse:
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    form = CaseForm(user=request.user)
    return render(
        request,
        "docflow/registers.html",
        {
            "year": year,
            "journals": selectors.journals(user=request.user),
            "nomenclature": selectors.nomenclature(year=year),
            "archive": selectors.archive_cases()[:200],
            "expired": selectors.retention_expired(),
            "case_form": form,
            "closable": set(access.registering_bodies(request.user).values_list("pk", flat=True)),
        },
    )


@staff_only
def journal_detail(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    journal = get_object_or_404(Journal.objects.select_related("organisation"), pk=pk)
    documents = selectors.journal_documents(user=request.user, journal=journal, year=year)
    return render(
        request, "docflow/journal.html", {"journal": journal, "year": year, "documents": documents}
    )


@staff_only
@require_POST
def case_add(request: HttpRequest) -> HttpResponse:
    form = CaseForm(request.POST, user=request.user)
    return _act(
        request,
        "docflow:registers",
        lambda: services.case_upsert(actor=request.user, **form.cleaned_data),
        _("The case is in the nomenclature."),
        form=form,
    )


@staff_only
@require_POST
def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(Case, pk=pk)
    return _act(
        request,
        "docflow:registers",
        lambda: services.case_close(actor=request.user, case=case),
        _("The case is closed and moved to the archive."),
    )
