"""Reads of the catalogue: public data sets, their distributions, search and freshness."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hromada.opendata.models import FREQUENCY_DAYS, Dataset
from hromada.opendata.sources import DatasetSource, all_sources

# Themes (CKAN groups) data sets are filed under; a source may name another theme.
THEMES = {
    "geodata": ("Геодані", "Geodata"),
    "registries": ("Реєстри", "Registries"),
    "plan": ("План дій з відкритого врядування", "Open government action plan"),
    "services": ("Адміністративні послуги", "Administrative services"),
    "participation": ("Електронна демократія", "E-democracy"),
    "documents": ("Документи", "Documents"),
}
LICENCES = {
    "CC-BY-4.0": (
        "Creative Commons Attribution 4.0",
        "https://creativecommons.org/licenses/by/4.0/",
    ),
    "CC0-1.0": ("Creative Commons Zero 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "ODC-BY-1.0": (
        "Open Data Commons Attribution License",
        "https://opendatacommons.org/licenses/by/1-0/",
    ),
}


@dataclass(frozen=True)
class Distribution:
    """One downloadable form of a data set (a CKAN resource, a DCAT distribution)."""

    code: str
    format: str
    media_type: str
    title: str
    filename: str

    def resource_id(self, dataset_key: str) -> str:
        return f"{dataset_key}--{self.code}"


DISTRIBUTIONS = [
    Distribution("csv", "CSV", "text/csv", _("CSV (UTF-8)"), "data.csv"),
    Distribution(
        "csv-excel", "CSV", "text/csv", _("CSV for Excel (UTF-8 with BOM)"), "data-excel.csv"
    ),
    Distribution(
        "xlsx",
        "XLSX",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _("Excel workbook (XLSX)"),
        "data.xlsx",
    ),
    Distribution("json", "JSON", "application/json", _("JSON"), "data.json"),
    Distribution("geojson", "GeoJSON", "application/geo+json", _("GeoJSON"), "data.geojson"),
    Distribution(
        "datapackage",
        "datapackage",
        "application/json",
        _("Frictionless Data Package descriptor with Table Schema"),
        "datapackage.json",
    ),
]


def distributions_of(dataset: Dataset) -> list[Distribution]:
    return [item for item in DISTRIBUTIONS if item.code != "geojson" or dataset.geometric]


def distribution_by_resource_id(resource_id: str) -> tuple[str, Distribution] | None:
    key, _sep, code = resource_id.rpartition("--")
    for item in DISTRIBUTIONS:
        if item.code == code and key:
            return key, item
    return None


def dataset_uuid(dataset: Dataset) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"hromada:dataset:{dataset.key}"))


def datasets_public() -> QuerySet[Dataset]:
    return Dataset.objects.filter(public=True).select_related("keeper").order_by("title")


def dataset_by_key(*, key: str) -> Dataset:
    """A public data set by its name or by its id (CKAN clients send either)."""
    datasets = datasets_public()
    found = datasets.filter(key=key).first()
    if found is None:
        found = next((item for item in datasets if dataset_uuid(item) == key), None)
    if found is None:
        raise Dataset.DoesNotExist(key)
    return found


def source_of(dataset: Dataset) -> DatasetSource | None:
    return all_sources().get(dataset.key)


def due_date(dataset: Dataset) -> datetime | None:
    days = FREQUENCY_DAYS.get(dataset.update_frequency)
    if days is None:
        return None
    changed = dataset.data_modified_at or dataset.created_at
    return changed + timedelta(days=days)


def is_overdue(dataset: Dataset, *, now: datetime | None = None) -> bool:
    due = due_date(dataset)
    return due is not None and due < (now or timezone.now())


def datasets_overdue(
    *, now: datetime | None = None, keeper_ids: set[int] | None = None
) -> list[Dataset]:
    """Public data sets past their update frequency, most overdue first."""
    now = now or timezone.now()
    datasets = datasets_public()
    if keeper_ids is not None:
        datasets = datasets.filter(keeper_id__in=keeper_ids)
    overdue = [dataset for dataset in datasets if is_overdue(dataset, now=now)]
    return sorted(overdue, key=lambda dataset: due_date(dataset))


def fresh_counts(*, now: datetime | None = None) -> tuple[int, int]:
    """(fresh, total) over public data sets that have a regular update frequency."""
    now = now or timezone.now()
    scheduled = [
        dataset
        for dataset in datasets_public()
        if FREQUENCY_DAYS.get(dataset.update_frequency) is not None
    ]
    fresh = sum(1 for dataset in scheduled if not is_overdue(dataset, now=now))
    return fresh, len(scheduled)


def theme_title(theme: str, language: str = "uk") -> str:
    titles = THEMES.get(theme)
    if not titles:
        return theme
    return titles[1] if language == "en" else titles[0]


def licence_info(code: str) -> tuple[str, str]:
    return LICENCES.get(code, (code, ""))
