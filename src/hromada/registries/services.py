"""Every write to the registries: definitions, single records, and all-or-nothing imports."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hromada.core.audit import audit_record, diff, snapshot
from hromada.core.models import Organisation
from hromada.registries.importers import SourceRow, SourceTable, read_source
from hromada.registries.models import Record, RegistryDefinition
from hromada.registries.validation import (
    CheckedGeometry,
    Problem,
    check_field_definitions,
    check_geometry,
    coerce_value,
    parse_geometry_text,
)

REGISTRY_FIELDS = [
    "title",
    "title_en",
    "description",
    "geometry_type",
    "fields",
    "id_field",
    "label_field",
    "keeper_id",
    "contact_email",
    "licence",
    "update_frequency",
    "state",
    "tags",
]
# How many problems an import report lists; the count covers them all.
REPORT_LIMIT = 1000
BATCH = 1000

LONGITUDE_COLUMNS = {"longitude", "lon", "lng", "x", "довгота"}
LATITUDE_COLUMNS = {"latitude", "lat", "y", "широта"}
GEOMETRY_COLUMNS = {"wkt", "geometry", "геометрія"}
IGNORED_COLUMNS = {"id", "fid", "ogc_fid"}


@dataclass(frozen=True)
class RowProblem:
    row: int
    field: str
    value: str
    reason: str


class ImportRejected(Exception):
    """Nothing was imported; ``problems`` says which rows, fields and values, and why."""

    def __init__(self, problems: list[RowProblem], *, total: int, rows: int = 0):
        super().__init__(f"{total} problem(s)")
        self.problems = problems
        self.total = total
        self.rows = rows


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    rows: int = 0
    records: list[Record] = field(default_factory=list, repr=False)


def _notify_catalogue() -> None:
    from hromada.opendata.sources import source_changed

    transaction.on_commit(lambda: source_changed(None))


# --- definitions -----------------------------------------------------------------------------


def _check_definition(registry: RegistryDefinition) -> None:
    try:
        registry.fields = check_field_definitions(registry.fields)
    except Problem as problem:
        raise ValidationError({"fields": problem.reason}) from problem
    names = set(registry.field_names())
    for attribute in ("id_field", "label_field"):
        value = getattr(registry, attribute)
        if value and value not in names:
            raise ValidationError({attribute: _("There is no field “%(name)s”.") % {"name": value}})
    registry.full_clean()


@transaction.atomic
def registry_upsert(
    *, actor: Any, key: str, keeper: Organisation, **fields: Any
) -> RegistryDefinition:
    """Create the registry ``key`` or bring its definition to ``fields``; audit real changes."""
    registry = RegistryDefinition.objects.select_for_update().filter(key=key).first()
    before = snapshot(registry, REGISTRY_FIELDS) if registry else {}
    if registry is None:
        registry = RegistryDefinition(key=key, keeper=keeper, **fields)
    else:
        registry.keeper = keeper
        for name, value in fields.items():
            setattr(registry, name, value)
    _check_definition(registry)
    changes = diff(before, snapshot(registry, REGISTRY_FIELDS))
    if changes:
        action = "registry.update" if registry.pk else "registry.create"
        registry.save()
        audit_record(actor=actor, action=action, target=registry, changes=changes)
        _notify_catalogue()
    return registry


@transaction.atomic
def registry_set_state(
    *, actor: Any, registry: RegistryDefinition, state: str
) -> RegistryDefinition:
    if state not in RegistryDefinition.State.values:
        raise ValidationError({"state": _("Unknown state.")})
    if registry.state != state:
        before = registry.state
        registry.state = state
        registry.save(update_fields=["state", "updated_at"])
        audit_record(
            actor=actor,
            action="registry.state",
            target=registry,
            changes={"state": [before, state]},
        )
        _notify_catalogue()
    return registry


# --- records ---------------------------------------------------------------------------------


def _label(registry: RegistryDefinition, properties: dict[str, Any], ref: str) -> str:
    if registry.label_field and properties.get(registry.label_field) not in (None, ""):
        return str(properties[registry.label_field])[:300]
    for definition in registry.fields:
        value = properties.get(definition["name"])
        if definition["type"] == "string" and value:
            return str(value)[:300]
    return ref or "—"


def _search_text(properties: dict[str, Any]) -> str:
    return " ".join(str(value) for value in properties.values() if value not in (None, "")).lower()


def _apply(
    record: Record,
    registry: RegistryDefinition,
    properties: dict[str, Any],
    checked: CheckedGeometry | None,
) -> None:
    record.properties = properties
    record.ref = str(properties.get(registry.id_field) or "") if registry.id_field else record.ref
    record.label = _label(registry, properties, record.ref)
    record.search_text = _search_text(properties)
    if checked is None:
        record.geometry = ""
        record.minx = record.miny = record.maxx = record.maxy = None
    else:
        record.geometry = checked.geojson
        record.minx, record.miny, record.maxx, record.maxy = checked.bounds


def check_properties(
    registry: RegistryDefinition, values: dict[str, Any]
) -> tuple[dict[str, Any], list[tuple[str, str, str]]]:
    """Typed properties of ``values`` (keyed by field name) and (field, value, reason) faults."""
    properties: dict[str, Any] = {}
    faults: list[tuple[str, str, str]] = []
    for definition in registry.fields:
        raw = values.get(definition["name"])
        try:
            properties[definition["name"]] = coerce_value(definition, raw)
        except Problem as problem:
            faults.append((definition["name"], "" if raw is None else str(raw), problem.reason))
    return properties, faults


def _record_payload(
    *, registry: RegistryDefinition, properties: dict[str, Any], geometry: Any
) -> tuple[dict[str, Any], CheckedGeometry | None]:
    typed, faults = check_properties(registry, properties)
    errors: dict[str, list[str]] = {}
    for name, _value, reason in faults:
        errors.setdefault(name, []).append(reason)
    checked = None
    try:
        checked = check_geometry(geometry, registry.geometry_type)
    except Problem as problem:
        errors.setdefault("geometry", []).append(problem.reason)
    if errors:
        raise ValidationError(errors)
    return typed, checked


@transaction.atomic
def record_create(
    *, actor: Any, registry: RegistryDefinition, properties: dict[str, Any], geometry: Any = None
) -> Record:
    typed, checked = _record_payload(registry=registry, properties=properties, geometry=geometry)
    record = Record(registry=registry)
    _apply(record, registry, typed, checked)
    if record.ref and registry.records.filter(ref=record.ref).exists():
        raise ValidationError({registry.id_field: _("A record with this identifier exists.")})
    record.save()
    audit_record(
        actor=actor,
        action="record.create",
        target=record,
        changes=diff({}, {**typed, "geometry": record.geometry}),
    )
    _touch(registry)
    return record


@transaction.atomic
def record_update(
    *, actor: Any, record: Record, properties: dict[str, Any], geometry: Any = None
) -> Record:
    registry = record.registry
    typed, checked = _record_payload(registry=registry, properties=properties, geometry=geometry)
    before = {**record.properties, "geometry": record.geometry}
    _apply(record, registry, typed, checked)
    changes = diff(before, {**typed, "geometry": record.geometry})
    if changes:
        record.save()
        audit_record(actor=actor, action="record.update", target=record, changes=changes)
        _touch(registry)
    return record


@transaction.atomic
def record_delete(*, actor: Any, record: Record) -> None:
    registry = record.registry
    audit_record(
        actor=actor,
        action="record.delete",
        target=record,
        changes=diff(record.properties, {}),
    )
    record.delete()
    _touch(registry)


def _touch(registry: RegistryDefinition) -> None:
    registry.data_modified_at = timezone.now()
    registry.save(update_fields=["data_modified_at"])
    _notify_catalogue()


# --- imports ---------------------------------------------------------------------------------


@dataclass
class _ColumnPlan:
    fields: dict[str, str]  # column → field name
    longitude: str = ""
    latitude: str = ""
    geometry: str = ""


def _plan_columns(
    registry: RegistryDefinition, table: SourceTable
) -> tuple[_ColumnPlan, list[RowProblem]]:
    by_name = {definition["name"]: definition["name"] for definition in registry.fields}
    by_title = {
        definition["title"].strip().lower(): definition["name"] for definition in registry.fields
    }
    plan = _ColumnPlan(fields={})
    problems = []
    for column in table.columns:
        lowered = column.strip().lower()
        if not lowered or lowered in IGNORED_COLUMNS:
            continue
        name = by_name.get(lowered) or by_title.get(lowered)
        if name is None and len(lowered) == 10:
            # Shapefile (dBase) column names are cut to 10 characters.
            name = next((field for field in by_name if field.startswith(lowered)), None)
        if name:
            plan.fields[column] = name
        elif lowered in LONGITUDE_COLUMNS and not table.has_feature_geometry:
            plan.longitude = column
        elif lowered in LATITUDE_COLUMNS and not table.has_feature_geometry:
            plan.latitude = column
        elif lowered in GEOMETRY_COLUMNS and not table.has_feature_geometry:
            plan.geometry = column
        else:
            problems.append(
                RowProblem(1, column, column, _("This column is not a field of the registry."))
            )
    missing = [
        definition["name"]
        for definition in registry.fields
        if definition["required"] and definition["name"] not in plan.fields.values()
    ]
    for name in missing:
        problems.append(RowProblem(1, name, "", _("The required column is missing.")))
    geometry_columns = plan.geometry or (plan.longitude and plan.latitude)
    if registry.has_geometry and not table.has_feature_geometry and not geometry_columns:
        problems.append(
            RowProblem(
                1,
                "geometry",
                "",
                _("Give the geometry as longitude and latitude columns, or a WKT column."),
            )
        )
    return plan, problems


def _row_geometry(plan: _ColumnPlan, row: Any, table: SourceTable) -> Any:
    if table.has_feature_geometry:
        return row.geometry
    if plan.geometry:
        text = row.values.get(plan.geometry)
        return parse_geometry_text(str(text)) if text not in (None, "") else None
    if plan.longitude and plan.latitude:
        lon, lat = row.values.get(plan.longitude), row.values.get(plan.latitude)
        if lon in (None, "") and lat in (None, ""):
            return None
        try:
            x = float(str(lon).replace(",", "."))
            y = float(str(lat).replace(",", "."))
        except ValueError as error:
            raise Problem(_("Longitude and latitude must be numbers.")) from error
        return {"type": "Point", "coordinates": [x, y]}
    return None


def _check_rows(
    registry: RegistryDefinition,
    table: SourceTable,
    progress: Callable[[int], None] | None,
) -> tuple[list[tuple[dict[str, Any], CheckedGeometry | None]], list[RowProblem], int]:
    plan, problems = _plan_columns(registry, table)
    total = len(problems)
    checked_rows = []
    seen_refs: dict[str, int] = {}
    for index, row in enumerate(table.rows, start=1):
        row_problems: list[RowProblem] = []
        if row.problem:
            row_problems.append(RowProblem(row.number, "", "", row.problem))
        else:
            values = {
                plan.fields[column]: value
                for column, value in row.values.items()
                if column in plan.fields
            }
            properties, faults = check_properties(registry, values)
            row_problems += [RowProblem(row.number, *fault) for fault in faults]
            checked = None
            raw_geometry: Any = None
            try:
                raw_geometry = _row_geometry(plan, row, table)
                checked = check_geometry(raw_geometry, registry.geometry_type)
            except Problem as problem:
                shown = (
                    raw_geometry if raw_geometry is not None else row.values.get(plan.geometry, "")
                )
                text = shown if isinstance(shown, str) else json.dumps(shown, ensure_ascii=False)
                row_problems.append(RowProblem(row.number, "geometry", text[:200], problem.reason))
            ref = str(properties.get(registry.id_field) or "") if registry.id_field else ""
            if ref:
                if ref in seen_refs:
                    row_problems.append(
                        RowProblem(
                            row.number,
                            registry.id_field,
                            ref,
                            _("The same identifier is already in row %(row)s.")
                            % {"row": seen_refs[ref]},
                        )
                    )
                seen_refs.setdefault(ref, row.number)
            if not row_problems:
                checked_rows.append((properties, checked))
        total += len(row_problems)
        if len(problems) < REPORT_LIMIT:
            problems += row_problems[: REPORT_LIMIT - len(problems)]
        if progress and index % 500 == 0:
            progress(500)
    if progress:
        progress(len(table.rows) % 500)
    return checked_rows, problems, total


@transaction.atomic
def records_import(
    *,
    actor: Any,
    registry: RegistryDefinition,
    filename: str,
    data: bytes,
    replace: bool = False,
    progress: Callable[[int], None] | None = None,
    on_rows: Callable[[int], None] | None = None,
) -> ImportResult:
    """Import a file into ``registry``: every row valid, or nothing at all.

    Rows whose identifier (the registry's ``id_field``) exists update that record; others
    are added. With ``replace``, records absent from the file are deleted. Raises
    :class:`ImportRejected` with a row-level report when anything is wrong."""
    try:
        table = read_source(filename, data)
    except Problem as problem:
        raise ImportRejected([RowProblem(0, "", filename, problem.reason)], total=1) from problem
    if on_rows:
        on_rows(len(table.rows))
    checked_rows, problems, total = _check_rows(registry, table, progress)
    if total:
        raise ImportRejected(problems, total=total, rows=len(table.rows))
    if not checked_rows:
        raise ImportRejected(
            [RowProblem(0, "", filename, _("The file has no rows to import."))], total=1
        )
    return _write_rows(
        actor=actor, registry=registry, rows=checked_rows, replace=replace, filename=filename
    )


@transaction.atomic
def records_load(
    *,
    actor: Any,
    registry: RegistryDefinition,
    rows: list[tuple[dict[str, Any], Any]],
    replace: bool = False,
    source: str = "",
) -> ImportResult:
    """Import already-structured rows (properties by field name, GeoJSON geometry) all or
    nothing, as a file import would: the demo and other modules use this."""
    table = SourceTable(
        columns=registry.field_names(),
        rows=[
            SourceRow(number, values, geometry) for number, (values, geometry) in enumerate(rows, 1)
        ],
        has_feature_geometry=True,
    )
    checked_rows, problems, total = _check_rows(registry, table, None)
    if total:
        raise ImportRejected(problems, total=total, rows=len(rows))
    return _write_rows(
        actor=actor, registry=registry, rows=checked_rows, replace=replace, filename=source
    )


def _write_rows(
    *,
    actor: Any,
    registry: RegistryDefinition,
    rows: list[tuple[dict[str, Any], CheckedGeometry | None]],
    replace: bool,
    filename: str,
) -> ImportResult:
    result = ImportResult(rows=len(rows))
    existing = (
        {record.ref: record for record in registry.records.exclude(ref="")}
        if registry.id_field
        else {}
    )
    old_ids = set(registry.records.values_list("id", flat=True)) if replace else set()
    now = timezone.now()
    to_create: list[Record] = []
    to_update: list[Record] = []
    kept_ids: set[int] = set()
    for properties, checked in rows:
        ref = str(properties.get(registry.id_field) or "") if registry.id_field else ""
        record = existing.get(ref) if ref else None
        if record is None:
            record = Record(registry=registry, created_at=now, updated_at=now)
            _apply(record, registry, properties, checked)
            to_create.append(record)
            continue
        kept_ids.add(record.pk)
        before = {**record.properties, "geometry": record.geometry}
        _apply(record, registry, properties, checked)
        changes = diff(before, {**properties, "geometry": record.geometry})
        if changes:
            record.updated_at = now
            to_update.append(record)
            # Updates keep per-record history; additions are one event on the registry.
            audit_record(actor=actor, action="record.update", target=record, changes=changes)
        else:
            result.unchanged += 1
    Record.objects.bulk_create(to_create, batch_size=BATCH)
    Record.objects.bulk_update(
        to_update,
        [
            "properties",
            "label",
            "ref",
            "search_text",
            "geometry",
            "minx",
            "miny",
            "maxx",
            "maxy",
            "updated_at",
        ],
        batch_size=BATCH,
    )
    result.created, result.updated = len(to_create), len(to_update)
    stale_ids = sorted(old_ids - kept_ids)
    for start in range(0, len(stale_ids), BATCH):
        stale = Record.objects.filter(pk__in=stale_ids[start : start + BATCH])
        for record in stale.only("id", "label", "properties", "registry_id"):
            audit_record(
                actor=actor,
                action="record.delete",
                target=record,
                changes=diff(record.properties, {}),
            )
        result.deleted += stale.delete()[0]
    if result.created or result.updated or result.deleted:
        registry.data_modified_at = now
        registry.save(update_fields=["data_modified_at"])
        audit_record(
            actor=actor,
            action="registry.import",
            target=registry,
            changes={
                "file": [None, filename],
                "created": [None, result.created],
                "updated": [None, result.updated],
                "deleted": [None, result.deleted],
            },
        )
        _notify_catalogue()
    return result
