"""The action plan as a public, accountable record (OGP commitment template + IRM scales)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hromada.core.models import Organisation, Person

# Stable identifiers such as "khm-2021-1.3": letters, digits, dots, hyphens, underscores.
EXTERNAL_ID = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9._-]*$", _("Use letters, digits, “.”, “-” or “_”.")
)


class OgpValue(models.TextChoices):
    TRANSPARENCY = "transparency", _("Transparency")
    PARTICIPATION = "participation", _("Civic participation")
    ACCOUNTABILITY = "accountability", _("Public accountability")
    TECHNOLOGY = "technology", _("Technology and innovation")


class Completion(models.TextChoices):
    """The IRM's completion scale."""

    NOT_STARTED = "not_started", _("Not started")
    LIMITED = "limited", _("Limited")
    SUBSTANTIAL = "substantial", _("Substantial")
    COMPLETE = "complete", _("Complete")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Plan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CONSULTATION = "consultation", _("In consultation")
        APPROVED = "approved", _("Approved")
        IMPLEMENTATION = "implementation", _("In implementation")
        COMPLETED = "completed", _("Completed")

    external_id = models.SlugField(_("identifier"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=500)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    act_body = models.CharField(_("approved by"), max_length=300, blank=True)
    act_kind = models.CharField(_("kind of act"), max_length=100, blank=True)
    act_number = models.CharField(_("act number"), max_length=50, blank=True)
    act_date = models.DateField(_("act date"), null=True, blank=True)
    act_title = models.CharField(_("act title"), max_length=500, blank=True)
    act_preamble = models.TextField(_("act preamble"), blank=True)
    act_items = models.JSONField(_("items of the act"), default=list, blank=True)
    act_signed_by = models.CharField(_("signed by"), max_length=200, blank=True)
    description = models.TextField(_("general description"), blank=True)
    coordinators = models.ManyToManyField(
        Organisation, verbose_name=_("coordinators"), blank=True, related_name="coordinated_plans"
    )

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["-period_start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="plan_period_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plans:plan", kwargs={"plan": self.external_id})

    @property
    def accepts_comments(self) -> bool:
        return self.status in {self.Status.DRAFT, self.Status.CONSULTATION}

    def responsible_organisation_ids(self) -> set[int]:
        return set(self.coordinators.values_list("pk", flat=True))


class Commitment(models.Model):
    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="commitments"
    )
    number = models.CharField(_("number"), max_length=10)
    title = models.TextField(_("title"))
    problem = models.TextField(_("problem it solves"), blank=True)
    goal = models.TextField(_("long-term goal"), blank=True)
    sectors_text = models.CharField(_("sectors"), max_length=500, blank=True)
    values_text = models.CharField(_("OGP values (as written)"), max_length=500, blank=True)
    ogp_values = models.JSONField(_("OGP values"), default=list, blank=True)
    basis = models.TextField(_("basis and resources"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="commitment_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title[:120]}"

    def get_absolute_url(self) -> str:
        return reverse(
            "plans:commitment", kwargs={"plan": self.plan.external_id, "number": self.number}
        )

    def ogp_value_labels(self) -> list[str]:
        return [str(OgpValue(value).label) for value in self.ogp_values if value in OgpValue.values]

    def responsible_organisation_ids(self) -> set[int]:
        return self.plan.responsible_organisation_ids()


class Measure(models.Model):
    """A milestone of a commitment: what is done, by whom, when, with what result."""

    commitment = models.ForeignKey(
        Commitment, verbose_name=_("commitment"), on_delete=models.CASCADE, related_name="measures"
    )
    number = models.CharField(_("number"), max_length=10)
    external_id = models.CharField(
        _("identifier"), max_length=100, unique=True, validators=[EXTERNAL_ID]
    )
    text = models.TextField(_("measure"))
    lead = models.ForeignKey(
        Organisation,
        verbose_name=_("lead organisation"),
        on_delete=models.PROTECT,
        related_name="led_measures",
    )
    responsible = models.ManyToManyField(
        Organisation,
        verbose_name=_("responsible organisations"),
        related_name="measures",
        through="MeasureResponsibility",
    )
    responsible_text = models.TextField(_("responsible (as written)"), blank=True)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    term_text = models.CharField(_("term (as written)"), max_length=200, blank=True)
    partners_text = models.TextField(_("partners (as written)"), blank=True)
    expected_results = models.TextField(_("expected results"))
    weight = models.DecimalField(
        _("weight"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    progress = models.PositiveSmallIntegerField(
        _("progress, %"), default=0, validators=[MaxValueValidator(100)]
    )
    completion = models.CharField(
        _("completion"), max_length=20, choices=Completion.choices, default=Completion.NOT_STARTED
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["commitment__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["commitment", "number"], name="measure_number_unique"),
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="measure_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="measure_progress_at_most_100"
            ),
            models.CheckConstraint(condition=Q(weight__gte=0), name="measure_weight_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:120]}"

    def get_absolute_url(self) -> str:
        return reverse("plans:measure", kwargs={"external_id": self.external_id})

    @property
    def overdue(self) -> bool:
        return self.end < timezone.localdate() and self.completion not in {
            Completion.COMPLETE,
            Completion.WITHDRAWN,
        }

    def responsible_organisation_ids(self) -> set[int]:
        ids = {row.organisation_id for row in self.responsibilities.all()}
        ids.add(self.lead_id)
        return ids


class MeasureResponsibility(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="responsibilities")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="measure_responsibilities"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "organisation"], name="measure_responsibility_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.measure.number}"


class Partner(models.Model):
    """A partner of a measure: an organisation, a named person, or a description."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="partnerships"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="partnerships"
    )
    text = models.CharField(_("description"), max_length=300, blank=True)
    role = models.CharField(_("role"), max_length=300, blank=True)
    by_consent = models.BooleanField(_("by consent («за згодою»)"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["position"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(organisation__isnull=False, person__isnull=True, text="")
                    | Q(organisation__isnull=True, person__isnull=False, text="")
                    | (Q(organisation__isnull=True, person__isnull=True) & ~Q(text=""))
                ),
                name="partner_is_one_thing",
            )
        ]

    def __str__(self) -> str:
        name = str(self.organisation or self.person or self.text)
        return f"{name} (за згодою)" if self.by_consent else name


class Indicator(models.Model):
    class Direction(models.TextChoices):
        INCREASE = "increase", _("Higher is better")
        DECREASE = "decrease", _("Lower is better")

    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="indicators"
    )
    name = models.CharField(_("name"), max_length=300)
    unit = models.CharField(_("unit"), max_length=50)
    baseline = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    metric_key = models.CharField(
        _("live metric"),
        max_length=100,
        blank=True,
        help_text=_("Empty for a manual indicator; otherwise the key of a live metric provider."),
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["measure", "id"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "name"], name="indicator_name_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("plans:indicator", kwargs={"pk": self.pk})

    @property
    def is_live(self) -> bool:
        return bool(self.metric_key)

    def responsible_organisation_ids(self) -> set[int]:
        return self.measure.responsible_organisation_ids()


class IndicatorValue(models.Model):
    class Source(models.TextChoices):
        MANUAL = "manual", _("Entered by staff")
        LIVE = "live", _("Measured by the system")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    date = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator", "date"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "date"], name="indicator_value_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value} ({self.date})"


class ProgressReport(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        PUBLISHED = "published", _("Published")
        RETURNED = "returned", _("Returned for revision")

    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="reports"
    )
    period_start = models.DateField(_("reporting period from"))
    period_end = models.DateField(_("reporting period to"))
    completion = models.CharField(_("completion"), max_length=20, choices=Completion.choices)
    progress = models.PositiveSmallIntegerField(
        _("progress, %"), validators=[MaxValueValidator(100)]
    )
    narrative = models.TextField(_("what was done"))
    author_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="plan_reports",
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    return_reason = models.TextField(_("why it was returned"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-period_end", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="report_progress_at_most_100"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="report_period_ordered"
            ),
            # One report per measure and period: the key that import and export share.
            models.UniqueConstraint(
                fields=["measure", "period_start", "period_end"], name="report_one_per_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure.number}: {self.period_start:%m.%Y}–{self.period_end:%m.%Y}"

    def get_absolute_url(self) -> str:
        return reverse("plans:report", kwargs={"pk": self.pk})

    def responsible_organisation_ids(self) -> set[int]:
        return self.measure.responsible_organisation_ids()


class Evidence(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("link"), blank=True)
    file = models.FileField(_("file"), upload_to="plans/evidence/%Y/%m/", blank=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.CheckConstraint(
                condition=~Q(url="") | ~Q(file=""), name="evidence_has_link_or_file"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def href(self) -> str:
        if self.file:
            return reverse("plans:evidence", kwargs={"pk": self.pk})
        return self.url


class Assessment(models.Model):
    """An independent reviewer's judgement of a measure (IRM scales)."""

    class Potential(models.TextChoices):
        UNCLEAR = "unclear", _("Unclear")
        MODEST = "modest", _("Modest")
        SUBSTANTIAL = "substantial", _("Substantial")

    class OpenedGovernment(models.TextChoices):
        WORSENED = "worsened", _("Worsened")
        DID_NOT_CHANGE = "did_not_change", _("Did not change")
        MARGINAL = "marginal", _("Marginal")
        MAJOR = "major", _("Major")
        OUTSTANDING = "outstanding", _("Outstanding")

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="assessments")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewer_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="assessments"
    )
    completion = models.CharField(_("completion"), max_length=20, choices=Completion.choices)
    potential = models.CharField(
        _("potential for results"), max_length=20, choices=Potential.choices
    )
    opened_government = models.CharField(
        _("did it open government?"), max_length=20, choices=OpenedGovernment.choices
    )
    comment = models.TextField(_("comment"))
    evidence_url = models.URLField(_("evidence"), blank=True)
    created_at = models.DateTimeField(_("assessed"), auto_now_add=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.measure.number}: {self.get_opened_government_display()}"


class Follow(models.Model):
    """A person following a plan, a commitment or a measure."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plan_follows"
    )
    plan = models.ForeignKey(
        Plan, null=True, blank=True, on_delete=models.CASCADE, related_name="follows"
    )
    commitment = models.ForeignKey(
        Commitment, null=True, blank=True, on_delete=models.CASCADE, related_name="follows"
    )
    measure = models.ForeignKey(
        Measure, null=True, blank=True, on_delete=models.CASCADE, related_name="follows"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(plan__isnull=False, commitment__isnull=True, measure__isnull=True)
                    | Q(plan__isnull=True, commitment__isnull=False, measure__isnull=True)
                    | Q(plan__isnull=True, commitment__isnull=True, measure__isnull=False)
                ),
                name="follow_exactly_one_target",
            ),
            models.UniqueConstraint(fields=["user", "plan"], name="follow_plan_once"),
            models.UniqueConstraint(fields=["user", "commitment"], name="follow_commitment_once"),
            models.UniqueConstraint(fields=["user", "measure"], name="follow_measure_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.plan or self.commitment or self.measure}"


class MeasureReminder(models.Model):
    """Reminders already sent, so the daily task never sends one twice."""

    class Kind(models.TextChoices):
        ENDING_SOON = "ending_soon", _("Term ends soon")
        TERM_PASSED = "term_passed", _("Term passed")

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["measure", "kind"], name="measure_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.measure.number}: {self.kind}"


class Comment(models.Model):
    """A co-creation comment on a commitment or a measure of a plan in draft or consultation."""

    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting moderation")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected by moderation")

    class Outcome(models.TextChoices):
        PENDING = "", _("Not answered yet")
        ACCEPTED = "accepted", _("Taken into account")
        PARTLY = "partly", _("Partly taken into account")
        DECLINED = "declined", _("Not taken into account")
        NOT_APPLICABLE = "not_applicable", _("Outside the plan's scope")

    commitment = models.ForeignKey(
        Commitment, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    measure = models.ForeignKey(
        Measure, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="plan_comments"
    )
    text = models.TextField(_("comment"))
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.PENDING
    )
    outcome = models.CharField(
        _("how it was taken into account"),
        max_length=20,
        choices=Outcome.choices,
        default=Outcome.PENDING,
        blank=True,
    )
    response = models.TextField(_("coordinator's answer"), blank=True)
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(commitment__isnull=False, measure__isnull=True)
                | Q(commitment__isnull=True, measure__isnull=False),
                name="comment_on_one_target",
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def target(self) -> Commitment | Measure:
        return self.measure or self.commitment
