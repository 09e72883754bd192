"""The resident's cabinet: service cards, online applications, city-issue reports."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition


class LifeSituation(models.Model):
    """A category residents think in ("a child is born", "I run a business")."""

    key = models.SlugField(_("key"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("life situation")
        verbose_name_plural = _("life situations")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("services:situation", kwargs={"key": self.key})


class ServiceCard(models.Model):
    """The information card of one administrative service, and its form and route as data."""

    class Term(models.TextChoices):
        CALENDAR = "calendar", _("calendar days")
        WORKING = "working", _("working days")

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=400)
    register_id = models.CharField(
        _("identifier in the national register of administrative services"),
        max_length=20,
        blank=True,
    )
    subject = models.TextField(_("who may apply"))
    required_documents = models.JSONField(
        _("required documents"),
        default=list,
        blank=True,
        help_text=_("A list of {name, requirements} objects."),
    )
    is_free = models.BooleanField(_("free of charge"), default=True)
    fee = models.DecimalField(_("fee, UAH"), max_digits=10, decimal_places=2, null=True, blank=True)
    fee_payment = models.TextField(_("how to pay"), blank=True)
    term_days = models.PositiveSmallIntegerField(_("statutory term"))
    term_kind = models.CharField(
        _("term counted in"), max_length=10, choices=Term.choices, default=Term.CALENDAR
    )
    term_basis = models.CharField(_("law that sets the term"), max_length=300, blank=True)
    refusal_grounds = models.TextField(_("grounds for refusal"))
    result = models.TextField(_("result"))
    result_delivery = models.TextField(_("ways to receive the result"))
    legal_basis = models.TextField(_("legal basis"))
    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("responsible body"),
        on_delete=models.PROTECT,
        related_name="service_cards",
    )
    centre = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("administrative services centre"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    life_situations = models.ManyToManyField(
        LifeSituation, verbose_name=_("life situations"), related_name="services", blank=True
    )
    online = models.BooleanField(_("online application available"), default=False)
    requires_identity = models.BooleanField(_("needs a verified identity"), default=True)
    form_schema = models.JSONField(_("application form"), default=list, blank=True)
    route = models.JSONField(_("processing route"), default=list, blank=True)
    published = models.BooleanField(_("published"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("service card")
        verbose_name_plural = _("service cards")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_days__gte=1) & Q(term_days__lte=365), name="service_term_sane"
            ),
            models.CheckConstraint(
                condition=Q(is_free=True) | Q(fee__gt=0), name="service_paid_has_fee"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("services:card", kwargs={"code": self.code})

    def responsible_organisation_ids(self) -> set[int]:
        return {self.organisation_id}


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_PROGRESS = "in_progress", _("In progress")
    INFO_REQUESTED = "info_requested", _("More information requested")
    DONE = "done", _("Result issued")
    REFUSED = "refused", _("Refused")


OPEN_STATUSES = (Status.SUBMITTED, Status.IN_PROGRESS, Status.INFO_REQUESTED)
STAFF_ACTIONABLE = [Status.SUBMITTED, Status.IN_PROGRESS]


class Application(models.Model):
    """One resident's application for a service; its lifecycle is a fixed state machine."""

    service = models.ForeignKey(
        ServiceCard,
        verbose_name=_("service"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="service_applications",
    )
    status = FSMField(_("status"), default=Status.DRAFT, choices=Status.choices)
    number = models.CharField(_("number"), max_length=20, null=True, blank=True, unique=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("number in the year"), null=True, blank=True)
    data = models.JSONField(_("answers"), default=dict, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=64, null=True, blank=True)
    # The body whose queue holds it now: the current route step's organisation.
    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("body handling it"),
        on_delete=models.PROTECT,
        related_name="service_applications",
    )
    step = models.PositiveSmallIntegerField(_("route step"), default=0)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_service_applications",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    paused_on = models.DateField(_("term paused on"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    refusal_ground = models.TextField(_("legal ground for refusal"), blank=True)
    rating = models.PositiveSmallIntegerField(_("applicant's rating"), null=True, blank=True)
    # Optimistic lock: every write is UPDATE … WHERE version = N.
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "sequence"], name="application_number_unique_in_year"
            ),
            models.UniqueConstraint(
                fields=["applicant", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="application_idempotency_key_unique",
            ),
            models.UniqueConstraint(
                fields=["applicant", "service"],
                condition=Q(status="draft"),
                name="application_one_draft_per_service",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(number__isnull=False) & Q(due_date__isnull=False)),
                name="application_submitted_has_number_and_due_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(refusal_ground=""),
                name="application_refusal_has_ground",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | (Q(rating__gte=1) & Q(rating__lte=5)),
                name="application_rating_one_to_five",
            ),
        ]
        indexes = [
            # The staff queue filtered by a status: one body's applications in that status
            # by deadline, in the page's exact order (due date, then id), so the first page
            # is the index's first 50 entries.
            models.Index(fields=["organisation", "status", "due_date", "id"], name="app_queue_idx"),
            # The default queue and "overdue only": every open application of one body by
            # deadline. Partial, so it holds the open ~10 % only, and a range over three
            # statuses needs no sort of all the body's open applications.
            models.Index(
                fields=["organisation", "due_date", "id"],
                condition=Q(status__in=["submitted", "in_progress", "info_requested"]),
                name="app_open_queue_idx",
            ),
            models.Index(fields=["applicant", "-created_at"], name="app_applicant_idx"),
        ]

    def __str__(self) -> str:
        return self.number or f"draft {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("services:my_application", kwargs={"pk": self.pk})

    def responsible_organisation_ids(self) -> set[int]:
        return {self.organisation_id}

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    # The fixed lifecycle (django-fsm-2); the services decide who may call each one.
    @transition(field=status, source=Status.DRAFT, target=Status.SUBMITTED)
    def submit(self) -> None:
        pass

    @transition(field=status, source=STAFF_ACTIONABLE, target=Status.IN_PROGRESS)
    def take(self) -> None:
        pass

    @transition(field=status, source=STAFF_ACTIONABLE, target=Status.INFO_REQUESTED)
    def request_info(self) -> None:
        pass

    @transition(field=status, source=Status.INFO_REQUESTED, target=Status.IN_PROGRESS)
    def provide_info(self) -> None:
        pass

    @transition(field=status, source=STAFF_ACTIONABLE, target=Status.DONE)
    def approve(self) -> None:
        pass

    @transition(field=status, source=STAFF_ACTIONABLE, target=Status.REFUSED)
    def refuse(self) -> None:
        pass


def application_upload_path(instance: ApplicationFile, filename: str) -> str:
    return f"services/applications/{instance.application_id}/{filename}"


class ApplicationFile(models.Model):
    class Kind(models.TextChoices):
        ATTACHMENT = "attachment", _("Attachment from the applicant")
        RESULT = "result", _("Result document")

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="files",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    field = models.CharField(_("form field"), max_length=64, blank=True)
    file = models.FileField(_("file"), upload_to=application_upload_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("application file")
        verbose_name_plural = _("application files")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class ApplicationEvent(models.Model):
    """One entry of an application's timeline; internal ones are seen by staff only."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ASSIGNED = "assigned", _("Assigned")
        TAKEN = "taken", _("Taken into work")
        STEP = "step", _("Passed to the next step")
        COMMENT = "comment", _("Internal comment")
        INFO_REQUESTED = "info_requested", _("More information requested")
        INFO_PROVIDED = "info_provided", _("Information provided")
        RESULT = "result", _("Result issued")
        REFUSED = "refused", _("Refused")
        RATED = "rated", _("Rated")

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    note = models.TextField(_("note"), blank=True)
    internal = models.BooleanField(_("staff only"), default=False)

    class Meta:
        verbose_name = _("application event")
        verbose_name_plural = _("application events")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["application", "created_at"], name="app_event_idx")]

    def __str__(self) -> str:
        return f"{self.application} {self.kind}"


class ApplicationCounter(models.Model):
    """The last number given in a year; locked while a number is taken, so no gaps."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("application counter")
        verbose_name_plural = _("application counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class IssueCategory(models.Model):
    """A kind of city problem; an Open311 "service"."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    group = models.CharField(_("group"), max_length=100, blank=True)
    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("responsible body"),
        on_delete=models.PROTECT,
        related_name="issue_categories",
    )
    is_road = models.BooleanField(_("about roads"), default=False)

    class Meta:
        verbose_name = _("issue category")
        verbose_name_plural = _("issue categories")
        ordering = ["group", "name"]

    def __str__(self) -> str:
        return self.name


class IssueStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    PLANNED = "planned", _("Planned")
    FIXED = "fixed", _("Fixed")
    CLOSED = "closed", _("Closed")
    NOT_RESPONSIBLE = "not_responsible", _("Not the city's responsibility")


ISSUE_CLOSED = (IssueStatus.FIXED, IssueStatus.CLOSED, IssueStatus.NOT_RESPONSIBLE)


def issue_photo_path(instance: IssueReport, filename: str) -> str:
    return f"services/issues/{filename}"


class IssueReport(models.Model):
    """A resident's report of a problem at a point: a pothole, a broken street light."""

    category = models.ForeignKey(
        IssueCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("responsible body"),
        on_delete=models.PROTECT,
        related_name="issue_reports",
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="issue_reports",
    )
    reporter_name = models.CharField(_("name"), max_length=200, blank=True)
    reporter_email = models.EmailField(_("e-mail"), blank=True)
    description = models.TextField(_("description"))
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    # A road report's road in the roads registry (registries), when one passes nearby.
    road = models.ForeignKey(
        "registries.Record",
        verbose_name=_("road in the roads registry"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="issue_reports",
    )
    photo = models.ImageField(_("photo"), upload_to=issue_photo_path, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=IssueStatus.choices, default=IssueStatus.OPEN
    )
    status_note = models.TextField(_("note on the status"), blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
    )
    created_at = models.DateTimeField(_("reported"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("issue report")
        verbose_name_plural = _("issue reports")
        ordering = ["-created_at", "-id"]
        constraints = [
            # A report is located by a point, or (Open311 address_string) by an address.
            models.CheckConstraint(
                condition=(Q(latitude__isnull=False) & Q(longitude__isnull=False))
                | (Q(latitude__isnull=True) & Q(longitude__isnull=True) & ~Q(address="")),
                name="issue_has_point_or_address",
            ),
            models.CheckConstraint(
                condition=~Q(duplicate_of=models.F("id")), name="issue_not_own_duplicate"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "status"], name="issue_queue_idx")]

    def __str__(self) -> str:
        return f"№ {self.pk}: {self.category}"

    def get_absolute_url(self) -> str:
        return reverse("services:issue", kwargs={"pk": self.pk})

    def responsible_organisation_ids(self) -> set[int]:
        return {self.organisation_id}

    @property
    def is_closed(self) -> bool:
        return self.status in ISSUE_CLOSED
