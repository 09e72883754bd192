"""The open data catalogue: one data set per public list of any module, with its passport
(Cabinet of Ministers Resolution No. 835) kept in sync with the module's dataset source."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hromada.core.models import Organisation


class UpdateFrequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    ANNUAL = "annual", _("Annually")
    IRREGULAR = "irregular", _("When it changes")


# Days a data set stays fresh for each update frequency (None: never overdue).
FREQUENCY_DAYS: dict[str, int | None] = {
    "daily": 1,
    "weekly": 7,
    "monthly": 31,
    "quarterly": 92,
    "annual": 366,
    "irregular": None,
}
# The EU Publications Office frequency vocabulary, for DCAT-AP.
FREQUENCY_URIS = {
    "daily": "http://publications.europa.eu/resource/authority/frequency/DAILY",
    "weekly": "http://publications.europa.eu/resource/authority/frequency/WEEKLY",
    "monthly": "http://publications.europa.eu/resource/authority/frequency/MONTHLY",
    "quarterly": "http://publications.europa.eu/resource/authority/frequency/QUARTERLY",
    "annual": "http://publications.europa.eu/resource/authority/frequency/ANNUAL",
    "irregular": "http://publications.europa.eu/resource/authority/frequency/IRREG",
}


class Dataset(models.Model):
    key = models.SlugField(_("identifier"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=300)
    title_en = models.CharField(_("title in English"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    keeper = models.ForeignKey(
        Organisation, verbose_name=_("keeper"), on_delete=models.PROTECT, related_name="datasets"
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    update_frequency = models.CharField(
        _("update frequency"),
        max_length=12,
        choices=UpdateFrequency.choices,
        default=UpdateFrequency.IRREGULAR,
    )
    licence = models.CharField(_("licence"), max_length=40, default="CC-BY-4.0")
    tags = models.JSONField(_("keywords"), default=list, blank=True)
    theme = models.SlugField(_("theme"), max_length=60, blank=True)
    geometric = models.BooleanField(_("has geometry"), default=False)
    public = models.BooleanField(_("published"), default=True)
    page_url = models.CharField(_("page of the source"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    metadata_modified_at = models.DateTimeField(_("passport changed"), auto_now=True)
    data_modified_at = models.DateTimeField(_("data changed"), null=True, blank=True)

    class Meta:
        verbose_name = _("data set")
        verbose_name_plural = _("data sets")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(update_frequency__in=list(FREQUENCY_DAYS)),
                name="dataset_frequency_known",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("opendata:dataset", kwargs={"key": self.key})

    def responsible_organisation_ids(self) -> set[int]:
        return {self.keeper_id}
