"""GIS registries defined as data: a definition (typed fields, geometry type, keeper,
licence, update frequency, publication state) and its records (properties as JSON,
geometry as GeoJSON text with an indexed bounding box, so a bbox query needs no PostGIS).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hromada.core.models import Organisation


class GeometryType(models.TextChoices):
    POINT = "point", _("Point")
    LINE = "line", _("Line")
    POLYGON = "polygon", _("Polygon")
    NONE = "none", _("No geometry")


class UpdateFrequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    ANNUAL = "annual", _("Annually")
    IRREGULAR = "irregular", _("When it changes")


# How long a data set stays fresh, in days, for each update frequency (None: never overdue).
FREQUENCY_DAYS: dict[str, int | None] = {
    UpdateFrequency.DAILY: 1,
    UpdateFrequency.WEEKLY: 7,
    UpdateFrequency.MONTHLY: 31,
    UpdateFrequency.QUARTERLY: 92,
    UpdateFrequency.ANNUAL: 366,
    UpdateFrequency.IRREGULAR: None,
}


class RegistryDefinition(models.Model):
    """A typed data set. ``fields`` is a list of field definitions, for example
    ``{"name": "edrpou", "title": "Код ЄДРПОУ", "type": "string", "required": true,
    "pattern": "^[0-9]{8}$", "choices": [], "unit": ""}``; see ``validation.FIELD_TYPES``."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    key = models.SlugField(_("key"), max_length=64, unique=True)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    geometry_type = models.CharField(
        _("geometry type"), max_length=10, choices=GeometryType.choices
    )
    fields = models.JSONField(_("fields"), default=list)
    id_field = models.CharField(
        _("identifier field"),
        max_length=64,
        blank=True,
        help_text=_("The field whose value identifies a record; imports update by it."),
    )
    label_field = models.CharField(_("title field"), max_length=64, blank=True)
    keeper = models.ForeignKey(
        Organisation,
        verbose_name=_("keeper"),
        on_delete=models.PROTECT,
        related_name="registries",
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    licence = models.CharField(_("licence"), max_length=40, default="CC-BY-4.0")
    update_frequency = models.CharField(
        _("update frequency"),
        max_length=12,
        choices=UpdateFrequency.choices,
        default=UpdateFrequency.MONTHLY,
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default="draft")
    tags = models.JSONField(_("keywords"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("definition changed"), auto_now=True)
    data_modified_at = models.DateTimeField(_("data changed"), null=True, blank=True)

    class Meta:
        verbose_name = _("registry")
        verbose_name_plural = _("registries")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(geometry_type__in=GeometryType.values),
                name="registry_geometry_type_known",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["draft", "published", "archived"]),
                name="registry_state_known",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("registries:registry", kwargs={"key": self.key})

    def responsible_organisation_ids(self) -> set[int]:
        return {self.keeper_id}

    @property
    def is_public(self) -> bool:
        return self.state == self.State.PUBLISHED

    @property
    def has_geometry(self) -> bool:
        return self.geometry_type != GeometryType.NONE

    def field_map(self) -> dict[str, dict]:
        return {field["name"]: field for field in self.fields}

    def field_names(self) -> list[str]:
        return [field["name"] for field in self.fields]


class Record(models.Model):
    registry = models.ForeignKey(
        RegistryDefinition,
        verbose_name=_("registry"),
        on_delete=models.CASCADE,
        related_name="records",
    )
    ref = models.CharField(_("identifier"), max_length=120, blank=True)
    label = models.CharField(_("title"), max_length=300)
    properties = models.JSONField(_("properties"), default=dict)
    geometry = models.TextField(_("geometry (GeoJSON)"), blank=True)
    minx = models.FloatField(null=True, blank=True)
    miny = models.FloatField(null=True, blank=True)
    maxx = models.FloatField(null=True, blank=True)
    maxy = models.FloatField(null=True, blank=True)
    # Lower-cased values, so text search works on Cyrillic on SQLite too.
    search_text = models.TextField(blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("record")
        verbose_name_plural = _("records")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["registry", "minx", "miny", "maxx", "maxy"], name="record_bbox"),
            # Pages in id order within a registry (OGC items, tables, downloads).
            models.Index(fields=["registry", "id"], name="record_page"),
            models.Index(fields=["registry", "maxx"], name="record_maxx"),
            models.Index(fields=["registry", "maxy"], name="record_maxy"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["registry", "ref"], condition=~Q(ref=""), name="record_unique_ref"
            ),
            models.CheckConstraint(
                condition=(
                    Q(geometry="", minx__isnull=True)
                    | (
                        ~Q(geometry="")
                        & Q(minx__isnull=False, miny__isnull=False)
                        & Q(minx__lte=models.F("maxx"), miny__lte=models.F("maxy"))
                    )
                ),
                name="record_bbox_matches_geometry",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("registries:record", kwargs={"key": self.registry.key, "pk": self.pk})

    def responsible_organisation_ids(self) -> set[int]:
        return {self.registry.keeper_id}
