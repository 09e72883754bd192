"""Dataset sources: how any module offers one of its public lists to the open data catalogue.

A module declares its sources in its own ``datasets.py`` (discovered like ``metrics.py``):

    from hromada.opendata.sources import Column, DatasetSource, register

    register(DatasetSource(
        key="plan-measures", title="Заходи плану дій", description="…",
        keeper_key="infocentre", update_frequency="monthly", theme="plan",
        columns=lambda: [Column("code", "Код"), Column("title", "Назва"), …],
        rows=lambda: measure_rows(),          # an iterator of tuples, in column order
        modified=lambda: last_change(),       # datetime of the latest data change, or None
        page_url=lambda: reverse("plans:index"),
    ))

A module whose data sets are themselves data (the registries) registers a *provider*, a
function returning its current sources. After a change commits, the module calls
:func:`source_changed` so the catalogue refreshes the data set's passport.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from hromada.core.discovery import import_app_modules

# Table Schema (Frictionless) field types the catalogue describes columns with.
COLUMN_TYPES = ("string", "integer", "number", "date", "datetime", "boolean")


@dataclass(frozen=True)
class Column:
    name: str
    title: str = ""
    type: str = "string"
    description: str = ""
    required: bool = False
    enum: tuple[str, ...] = ()
    pattern: str = ""
    unit: str = ""


@dataclass(frozen=True)
class DatasetSource:
    key: str
    title: str
    description: str
    keeper_key: str
    columns: Callable[[], list[Column]]
    rows: Callable[[], Iterable[Sequence[Any]]]
    update_frequency: str = "irregular"
    licence: str = "CC-BY-4.0"
    tags: tuple[str, ...] = ()
    theme: str = ""
    contact_email: str = ""
    title_en: str = ""
    modified: Callable[[], datetime | None] | None = None
    # GeoJSON Feature dicts, for sources with geometry.
    features: Callable[[], Iterable[dict[str, Any]]] | None = None
    page_url: Callable[[], str] | None = None
    extras: dict[str, str] = field(default_factory=dict)

    @property
    def geometric(self) -> bool:
        return self.features is not None


_SOURCES: dict[str, DatasetSource] = {}
_PROVIDERS: list[Callable[[], Iterable[DatasetSource]]] = []
_discovered = False


def register(source: DatasetSource) -> DatasetSource:
    _SOURCES[source.key] = source
    return source


def register_provider(provider: Callable[[], Iterable[DatasetSource]]):
    """Decorator: ``provider()`` returns the current sources of a module."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def _discover() -> None:
    global _discovered
    if _discovered:
        return
    import_app_modules("datasets")
    _discovered = True


def all_sources() -> dict[str, DatasetSource]:
    _discover()
    sources = dict(_SOURCES)
    for provider in _PROVIDERS:
        for source in provider():
            sources[source.key] = source
    return sources


def source_changed(key: str | None = None) -> None:
    """Call after a commit that changed a source's data (``None``: the set of sources)."""
    from hromada.opendata.tasks import datasets_sync_task

    datasets_sync_task(key)
