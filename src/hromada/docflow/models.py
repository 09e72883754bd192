"""Paperless document workflow: registration cards, approval routes, signatures,
resolutions with control of execution, the nomenclature of cases.

Record-keeping terms follow the model instruction for electronic records (Cabinet of
Ministers resolution No. 55 of 2018): journal (журнал реєстрації), case (справа),
nomenclature of cases (номенклатура справ), resolution (резолюція).
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class PrivateStorage(FileSystemStorage):
    """Document files live beside the media folder, never under it: /media/ is served
    publicly in the embedded mode, and a document is opened only through the access
    check of its card."""

    @cached_property
    def base_location(self) -> str:
        return os.fspath(Path(settings.MEDIA_ROOT).parent / "private-docflow")

    @cached_property
    def base_url(self) -> None:  # type: ignore[override]
        return None


private_storage = PrivateStorage()


def private_storage_of_documents() -> PrivateStorage:
    return private_storage


class DocumentKind(models.TextChoices):
    INCOMING = "incoming", _("Incoming letter")
    OUTGOING = "outgoing", _("Outgoing letter")
    INTERNAL = "internal", _("Internal document")
    EXECUTIVE_DECISION = "executive_decision", _("Executive committee decision")
    COUNCIL_DECISION = "council_decision", _("Council decision")
    ORDER = "order", _("Order")
    APPEAL = "appeal", _("Citizen's appeal")


DECISION_KINDS = (DocumentKind.EXECUTIVE_DECISION, DocumentKind.COUNCIL_DECISION)
# Kinds the city itself creates and signs; incoming letters and appeals come signed.
SIGNED_KINDS = (
    DocumentKind.OUTGOING,
    DocumentKind.INTERNAL,
    DocumentKind.EXECUTIVE_DECISION,
    DocumentKind.COUNCIL_DECISION,
    DocumentKind.ORDER,
)


class Journal(models.Model):
    """A registration journal: one per body and document kind, numbered per year."""

    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("body"),
        on_delete=models.PROTECT,
        related_name="docflow_journals",
    )
    kind = models.CharField(_("document kind"), max_length=32, choices=DocumentKind.choices)
    prefix = models.CharField(
        _("index prefix"),
        max_length=20,
        blank=True,
        help_text=_("Printed before the number when the document has no case, e.g. “Вх”."),
    )

    class Meta:
        verbose_name = _("registration journal")
        verbose_name_plural = _("registration journals")
        ordering = ["organisation__name", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind"], name="journal_unique_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.organisation}"


class JournalCounter(models.Model):
    """The last number given in a journal in a year; locked while a number is taken."""

    journal = models.ForeignKey(
        Journal, verbose_name=_("journal"), on_delete=models.CASCADE, related_name="counters"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("journal counter")
        verbose_name_plural = _("journal counters")
        constraints = [
            models.UniqueConstraint(fields=["journal", "year"], name="journal_counter_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.journal} {self.year}: {self.last_number}"


class Case(models.Model):
    """A case (справа) of a body's nomenclature for one year, with its retention period."""

    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("body"),
        on_delete=models.PROTECT,
        related_name="docflow_cases",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    index = models.CharField(_("case index"), max_length=20)
    title = models.CharField(_("case title"), max_length=500)
    retention_years = models.PositiveSmallIntegerField(
        _("retention period, years"),
        null=True,
        blank=True,
        help_text=_("Leave empty for permanent retention."),
    )
    retention_basis = models.CharField(
        _("retention basis"),
        max_length=200,
        blank=True,
        help_text=_("The article of the list of standard documents that sets the period."),
    )
    closed_on = models.DateField(_("closed and moved to the archive on"), null=True, blank=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["organisation__name", "year", "index"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "index"], name="case_unique_index"
            ),
            models.CheckConstraint(
                condition=Q(retention_years__isnull=True) | Q(retention_years__gte=1),
                name="case_retention_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.index} {self.title} ({self.year})"

    @property
    def is_permanent(self) -> bool:
        return self.retention_years is None

    @property
    def retention_ends_year(self) -> int | None:
        """Retention counts from 1 January of the year after the case was closed."""
        if self.retention_years is None or self.closed_on is None:
            return None
        return self.closed_on.year + self.retention_years


class Document(models.Model):
    """A document with its registration card."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        ON_APPROVAL = "on_approval", _("On approval")
        RETURNED = "returned", _("Returned for revision")
        REJECTED = "rejected", _("Rejected")
        APPROVED = "approved", _("Approved")
        SIGNED = "signed", _("Signed")

    class Medium(models.TextChoices):
        ELECTRONIC = "electronic", _("Electronic")
        PAPER = "paper", _("Paper")

    kind = models.CharField(_("kind"), max_length=32, choices=DocumentKind.choices)
    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("registering body"),
        on_delete=models.PROTECT,
        related_name="docflow_documents",
    )
    journal = models.ForeignKey(
        Journal, verbose_name=_("journal"), on_delete=models.PROTECT, related_name="documents"
    )
    year = models.PositiveSmallIntegerField(_("registration year"))
    number = models.PositiveIntegerField(_("registration number"))
    registration_index = models.CharField(_("registration index"), max_length=60)
    registered_on = models.DateField(_("registration date"))
    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    correspondent = models.CharField(_("author or correspondent"), max_length=300, blank=True)
    correspondent_number = models.CharField(_("correspondent's number"), max_length=60, blank=True)
    correspondent_date = models.DateField(_("correspondent's date"), null=True, blank=True)
    received_on = models.DateField(_("date received"), null=True, blank=True)
    summary = models.CharField(_("short summary"), max_length=1000)
    body = models.TextField(_("full text"), blank=True)
    addressee = models.CharField(_("addressee"), max_length=300, blank=True)
    addressee_bodies = models.ManyToManyField(
        "core.Organisation",
        verbose_name=_("addressee bodies"),
        blank=True,
        related_name="docflow_addressed",
    )
    signatory = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signatory"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="docflow_to_sign",
    )
    signatory_name = models.CharField(_("signed by (as printed)"), max_length=200, blank=True)
    pages = models.PositiveIntegerField(_("pages"), default=1)
    attachment_pages = models.PositiveIntegerField(_("pages of attachments"), default=0)
    attachments_note = models.CharField(_("attachments"), max_length=300, blank=True)
    restricted = models.BooleanField(
        _("restricted access"),
        default=False,
        help_text=_("For official use only: shown only to the people the document concerns."),
    )
    is_public = models.BooleanField(
        _("published in the public register"),
        default=False,
        help_text=_("Decisions marked public are published with their full text."),
    )
    medium = models.CharField(
        _("original medium"), max_length=12, choices=Medium.choices, default=Medium.ELECTRONIC
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.REGISTERED
    )
    # Card fields and the text of the files, kept together for full-text search.
    search_text = models.TextField(_("searchable text"), blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-registered_on", "-id"]
        constraints = [
            # No duplicates, whatever the application does.
            models.UniqueConstraint(
                fields=["journal", "year", "number"], name="document_unique_number"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="document_number_positive"),
            models.CheckConstraint(
                condition=Q(is_public=False) | Q(restricted=False),
                name="document_public_not_restricted",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "kind", "registered_on"]),
            models.Index(fields=["status"]),
            # Newest first without a sort (selectors.document_search).
            models.Index(fields=["registered_on", "id"], name="docflow_doc_registered_idx"),
        ]

    def __str__(self) -> str:
        return f"№ {self.registration_index} від {self.registered_on:%d.%m.%Y}"

    def get_absolute_url(self) -> str:
        return reverse("docflow:document", kwargs={"pk": self.pk})

    def get_public_url(self) -> str:
        return reverse("docflow:decision", kwargs={"pk": self.pk})

    def responsible_organisation_ids(self) -> set[int]:
        return {self.organisation_id}

    @property
    def is_decision(self) -> bool:
        return self.kind in DECISION_KINDS


class DocumentLink(models.Model):
    class Kind(models.TextChoices):
        REPLY_TO = "reply_to", _("In reply to")
        AMENDS = "amends", _("Amends")
        CANCELS = "cancels", _("Cancels")

    source = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.CASCADE, related_name="links"
    )
    target = models.ForeignKey(
        Document,
        verbose_name=_("linked document"),
        on_delete=models.PROTECT,
        related_name="linked_from",
    )
    kind = models.CharField(_("link"), max_length=12, choices=Kind.choices)

    class Meta:
        verbose_name = _("link between documents")
        verbose_name_plural = _("links between documents")
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "kind"], name="link_unique"),
            models.CheckConstraint(
                condition=~Q(source=models.F("target")), name="link_not_to_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.get_kind_display()} {self.target}"


class DocumentFile(models.Model):
    """A file of a document; every upload under the same title is a new version."""

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.CASCADE, related_name="files"
    )
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        verbose_name = _("document file")
        verbose_name_plural = _("document files")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["document", "title"], name="file_unique_title")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def current(self) -> FileVersion | None:
        return self.versions.order_by("-number").first()


def _version_path(instance: FileVersion, filename: str) -> str:
    return f"docflow/{instance.file.document_id}/{instance.file_id}/v{instance.number}-{filename}"


class TextStatus(models.TextChoices):
    """Where a file version's searchable text came from (docflow.ocr)."""

    NONE = "none", _("no text to read")
    EXTRACTED = "extracted", _("text layer of the file")
    QUEUED = "queued", _("scan: text recognition queued")
    RECOGNISED = "recognised", _("scan: text recognised (OCR)")
    FAILED = "failed", _("scan: text recognition failed")
    NO_OCR = "no_ocr", _("scan: no text recognition on this server")


class FileVersion(models.Model):
    file = models.ForeignKey(
        DocumentFile, verbose_name=_("file"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    content = models.FileField(
        _("content"), upload_to=_version_path, storage=private_storage_of_documents, max_length=400
    )
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size, bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    text = models.TextField(_("extracted text"), blank=True)
    text_status = models.CharField(
        _("text"), max_length=12, choices=TextStatus.choices, default=TextStatus.NONE
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("file version")
        verbose_name_plural = _("file versions")
        ordering = ["file", "number"]
        constraints = [
            models.UniqueConstraint(fields=["file", "number"], name="file_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.file} v{self.number}"

    @property
    def is_scan(self) -> bool:
        return self.text_status not in (TextStatus.NONE, TextStatus.EXTRACTED)


class AccessGrant(models.Model):
    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.CASCADE, related_name="grants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="docflow_grants",
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)

    class Meta:
        verbose_name = _("access grant")
        verbose_name_plural = _("access grants")
        constraints = [
            models.UniqueConstraint(fields=["document", "user"], name="grant_unique_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.document}"


class RouteTemplate(models.Model):
    """A reusable approval route for a document kind, kept by an administrator."""

    kind = models.CharField(_("document kind"), max_length=32, choices=DocumentKind.choices)
    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("body"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="docflow_route_templates",
        help_text=_("Leave empty for a template every body may use."),
    )
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("approval route template")
        verbose_name_plural = _("approval route templates")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class RouteTemplateStep(models.Model):
    template = models.ForeignKey(
        RouteTemplate, verbose_name=_("template"), on_delete=models.CASCADE, related_name="steps"
    )
    stage = models.PositiveSmallIntegerField(
        _("stage"), help_text=_("Approvers of the same stage approve in parallel.")
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approver"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    term_days = models.PositiveSmallIntegerField(_("term, working days"), default=2)

    class Meta:
        verbose_name = _("template step")
        verbose_name_plural = _("template steps")
        ordering = ["template", "stage", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "approver"], name="template_step_unique_approver"
            ),
            models.CheckConstraint(condition=Q(stage__gte=1), name="template_stage_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.stage}: {self.approver}"


class ApprovalRoute(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        RETURNED = "returned", _("Returned for revision")

    document = models.ForeignKey(
        Document,
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="approval_routes",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.IN_PROGRESS
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("approval route")
        verbose_name_plural = _("approval routes")
        ordering = ["document", "id"]
        constraints = [
            # One route in progress per document at a time.
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(status="in_progress"),
                name="route_one_in_progress",
            )
        ]

    def __str__(self) -> str:
        return f"{self.document}: {self.get_status_display()}"


class ApprovalStep(models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        RETURNED = "returned", _("Returned for revision")

    route = models.ForeignKey(
        ApprovalRoute, verbose_name=_("route"), on_delete=models.CASCADE, related_name="steps"
    )
    stage = models.PositiveSmallIntegerField(_("stage"))
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approver"),
        on_delete=models.PROTECT,
        related_name="docflow_approval_steps",
    )
    term_days = models.PositiveSmallIntegerField(_("term, working days"), default=2)
    due_on = models.DateField(_("due"), null=True, blank=True)
    decision = models.CharField(
        _("decision"), max_length=12, choices=Decision.choices, default=Decision.PENDING
    )
    comment = models.TextField(_("comment"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")
        ordering = ["route", "stage", "id"]
        constraints = [
            models.UniqueConstraint(fields=["route", "approver"], name="step_unique_approver"),
            models.CheckConstraint(condition=Q(stage__gte=1), name="step_stage_positive"),
            models.CheckConstraint(
                condition=Q(decision="pending") | Q(decided_at__isnull=False),
                name="step_decided_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(decision__in=["rejected", "returned"]) | ~Q(comment=""),
                name="step_refusal_has_comment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.route.document} — {self.approver}: {self.get_decision_display()}"


class Signature(models.Model):
    """A PAdES signature made in Hromada, with the signed PDF it produced."""

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.PROTECT, related_name="signatures"
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signer"),
        on_delete=models.PROTECT,
        related_name="docflow_signatures",
    )
    signed_at = models.DateTimeField(_("signed"))
    certificate_subject = models.CharField(_("certificate subject"), max_length=400)
    certificate_serial = models.CharField(_("certificate serial number"), max_length=80)
    backend = models.CharField(_("signature backend"), max_length=100)
    pdf = models.FileField(
        _("signed PDF"), upload_to="docflow/signed/", storage=private_storage_of_documents
    )
    sha256 = models.CharField(_("SHA-256 of the signed PDF"), max_length=64)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["document", "signed_at"]

    def __str__(self) -> str:
        return f"{self.document} — {self.certificate_subject}"


class StaffCertificate(models.Model):
    """A staff member's signing certificate; the key is kept encrypted in the data folder."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        related_name="docflow_certificates",
    )
    serial = models.CharField(_("serial number"), max_length=80, unique=True)
    subject = models.CharField(_("subject"), max_length=400)
    certificate_pem = models.TextField(_("certificate (PEM)"))
    issued_at = models.DateTimeField(_("issued"))
    valid_until = models.DateTimeField(_("valid until"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("staff certificate")
        verbose_name_plural = _("staff certificates")
        ordering = ["user", "-issued_at"]

    def __str__(self) -> str:
        return self.subject


class Resolution(models.Model):
    """A resolution (резолюція) on a document, and its control of execution."""

    class Status(models.TextChoices):
        ON_CONTROL = "on_control", _("On control")
        REPORTED = "reported", _("Execution reported")
        REMOVED = "removed", _("Removed from control")

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.CASCADE, related_name="resolutions"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author of the resolution"),
        on_delete=models.PROTECT,
        related_name="docflow_resolutions_written",
    )
    instruction = models.TextField(_("instruction"))
    lead_executor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead executor"),
        on_delete=models.PROTECT,
        related_name="docflow_resolutions_led",
    )
    co_executors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("co-executors"),
        blank=True,
        related_name="docflow_resolutions_shared",
    )
    controller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("controller"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="docflow_resolutions_controlled",
    )
    term_days = models.PositiveSmallIntegerField(_("term, calendar days"))
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ON_CONTROL
    )
    created_at = models.DateTimeField(_("signed and dated"))
    reported_on = models.DateField(_("execution reported on"), null=True, blank=True)
    removed_at = models.DateTimeField(_("removed from control"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("removed from control by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reminded_on = models.DateField(_("reminder sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(term_days__gte=1), name="resolution_term_positive"),
            models.CheckConstraint(
                condition=~Q(status="removed") | Q(removed_at__isnull=False),
                name="resolution_removed_has_time",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.document}: {self.instruction[:60]}"

    @property
    def done_on_time(self) -> bool | None:
        if self.reported_on is None:
            return None
        return self.reported_on <= self.due_on


class ExecutionReport(models.Model):
    resolution = models.ForeignKey(
        Resolution, verbose_name=_("resolution"), on_delete=models.CASCADE, related_name="reports"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("executor"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("what was done"))
    reported_at = models.DateTimeField(_("reported"))

    class Meta:
        verbose_name = _("execution report")
        verbose_name_plural = _("execution reports")
        ordering = ["resolution", "reported_at"]

    def __str__(self) -> str:
        return f"{self.resolution}: {self.author}"
