"""Reads of the registries: public definitions, filtered records, rows for downloads."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import orjson
import shapely
from django.core.cache import cache
from django.db.models import Count, F, Max, Q, QuerySet, Subquery, TextField
from django.db.models.functions import Cast
from shapely.geometry import Point, shape

from hromada.registries.models import GeometryType, Record, RegistryDefinition
from hromada.registries.validation import coerce_value

TABLE_SCHEMA_TYPES = {
    "string": "string",
    "integer": "integer",
    "number": "number",
    "date": "date",
    "boolean": "boolean",
}


@dataclass
class RecordFilter:
    """What a map, table, OGC request or download narrows records by."""

    bbox: tuple[float, float, float, float] | None = None
    q: str = ""
    properties: dict[str, Any] = field(default_factory=dict)
    changed_from: datetime | None = None
    changed_to: datetime | None = None


def registries_public() -> QuerySet[RegistryDefinition]:
    return (
        RegistryDefinition.objects.filter(state=RegistryDefinition.State.PUBLISHED)
        .select_related("keeper")
        .annotate(record_count=Count("records"))
        .order_by("title")
    )


def registries_on_map() -> QuerySet[RegistryDefinition]:
    return registries_public().exclude(geometry_type=GeometryType.NONE)


def registry_by_key(*, key: str, public_only: bool = True) -> RegistryDefinition:
    queryset = RegistryDefinition.objects.select_related("keeper")
    if public_only:
        queryset = queryset.filter(state=RegistryDefinition.State.PUBLISHED)
    return queryset.get(key=key)


def registries_kept_by(*, organisation_ids: set[int]) -> QuerySet[RegistryDefinition]:
    return RegistryDefinition.objects.filter(keeper_id__in=organisation_ids).order_by("title")


def filterable_fields(registry: RegistryDefinition) -> list[dict[str, Any]]:
    """Fields with a closed set of values: the attribute filters of the map and table."""
    return [
        definition
        for definition in registry.fields
        if definition.get("choices") or definition["type"] == "boolean"
    ]


def parse_property_filters(
    registry: RegistryDefinition, params: dict[str, str]
) -> tuple[dict[str, Any], dict[str, str]]:
    """Typed ``{field: value}`` from query parameters named like fields, and faults."""
    values: dict[str, Any] = {}
    faults: dict[str, str] = {}
    for definition in registry.fields:
        raw = params.get(definition["name"])
        if raw in (None, ""):
            continue
        try:
            values[definition["name"]] = coerce_value({**definition, "pattern": ""}, raw)
        except ValueError as problem:
            faults[definition["name"]] = str(problem)
    return values, faults


@dataclass(frozen=True)
class RegistryStats:
    """What bbox queries and paging need to know about a registry's records as a whole."""

    count: int
    # The widest and tallest bounding box of any record, in degrees (0 for points).
    span_x: float
    span_y: float


STATS_SECONDS = 600


def registry_stats(registry: RegistryDefinition) -> RegistryStats:
    """Count and largest bbox span of the registry's records, cached per data version.

    Every write of records goes through the services, which move ``data_modified_at`` in
    the same transaction, so the timestamp versions the figures; without one (nothing
    written through the services yet) they are computed afresh."""
    version = registry.data_modified_at
    key = f"registries:stats:{registry.pk}:{version.timestamp() if version else ''}"
    if version is not None:
        cached = cache.get(key)
        if cached is not None:
            return RegistryStats(*cached)
    figures = Record.objects.filter(registry=registry).aggregate(
        count=Count("id"),
        span_x=Max(F("maxx") - F("minx")),
        span_y=Max(F("maxy") - F("miny")),
    )
    stats = RegistryStats(figures["count"], figures["span_x"] or 0.0, figures["span_y"] or 0.0)
    if version is not None:
        cache.set(key, (stats.count, stats.span_x, stats.span_y), STATS_SECONDS)
    return stats


def records_filtered(*, registry: RegistryDefinition, where: RecordFilter) -> QuerySet[Record]:
    queryset = Record.objects.filter(registry=registry)
    if where.bbox:
        minx, miny, maxx, maxy = where.bbox
        stats = registry_stats(registry)
        # Boxes intersect when neither lies wholly beside the other. No record is wider than
        # span_x, so its minx is also >= minx - span_x: a closed range on the leading columns
        # of the record_bbox index instead of half the registry (for points, span_x is 0).
        queryset = queryset.filter(
            minx__gte=minx - stats.span_x,
            minx__lte=maxx,
            maxx__gte=minx,
            miny__gte=miny - stats.span_y,
            miny__lte=maxy,
            maxy__gte=miny,
        )
    if where.q:
        queryset = queryset.filter(search_text__contains=where.q.strip().lower())
    for name, value in where.properties.items():
        queryset = queryset.filter(**{f"properties__{name}": value})
    if where.changed_from:
        queryset = queryset.filter(updated_at__gte=where.changed_from)
    if where.changed_to:
        queryset = queryset.filter(updated_at__lte=where.changed_to)
    return queryset.order_by("id")


# Metres per degree of latitude, and of longitude at the equator (WGS 84, rounded).
METRES_PER_DEGREE_LAT = 110_574.0
METRES_PER_DEGREE_LON = 111_320.0


def nearest_record(
    *, registry_key: str, longitude: float, latitude: float, within_m: float
) -> Record | None:
    """The record of a registry whose geometry passes closest to a point, if within
    ``within_m`` metres (e.g. the road a pothole was reported on); None when the
    registry does not exist. Candidates come from the bbox index."""
    registry = RegistryDefinition.objects.filter(key=registry_key).first()
    if registry is None:
        return None
    cos_lat = math.cos(math.radians(latitude))
    dx = within_m / (METRES_PER_DEGREE_LON * cos_lat)
    dy = within_m / METRES_PER_DEGREE_LAT
    box = (longitude - dx, latitude - dy, longitude + dx, latitude + dy)
    candidates = records_filtered(registry=registry, where=RecordFilter(bbox=box)).exclude(
        geometry=""
    )

    # Metres east and north of the point: a local plane, exact enough over a city.
    origin = np.array([longitude, latitude])
    scale = np.array([METRES_PER_DEGREE_LON * cos_lat, METRES_PER_DEGREE_LAT])
    best, best_distance = None, within_m
    for record in candidates.only("id", "label", "geometry", "registry"):
        local = shapely.transform(
            shape(json.loads(record.geometry)), lambda xy: (xy - origin) * scale
        )
        distance = local.distance(Point(0, 0))
        if distance <= best_distance:
            best, best_distance = record, distance
    return best


def is_unfiltered(where: RecordFilter) -> bool:
    return not (where.bbox or where.q or where.properties or where.changed_from or where.changed_to)


def records_matched(
    *, registry: RegistryDefinition, where: RecordFilter, queryset: QuerySet[Record]
) -> int:
    """How many records ``where`` matches; the whole registry's count comes from the stats."""
    if is_unfiltered(where):
        return registry_stats(registry).count
    return queryset.count()


def records_page(queryset: QuerySet[Record], offset: int, limit: int) -> QuerySet[Record]:
    """One page in id order. The ids are paged first (an index-only scan of record_page),
    then only those rows are read: a deep offset skips index entries, not whole rows."""
    ids = queryset.order_by("id").values("id")[offset : offset + limit]
    return Record.objects.filter(id__in=Subquery(ids)).order_by("id")


def registry_extent(registry: RegistryDefinition) -> tuple[float, float, float, float] | None:
    from django.db.models import Min

    box = Record.objects.filter(registry=registry, minx__isnull=False).aggregate(
        minx=Min("minx"), miny=Min("miny"), maxx=Max("maxx"), maxy=Max("maxy")
    )
    if box["minx"] is None:
        return None
    return (box["minx"], box["miny"], box["maxx"], box["maxy"])


def registry_time_extent(registry: RegistryDefinition) -> tuple[datetime | None, datetime | None]:
    from django.db.models import Min

    span = Record.objects.filter(registry=registry).aggregate(
        start=Min("updated_at"), end=Max("updated_at")
    )
    return span["start"], span["end"]


def record_by_id(*, registry: RegistryDefinition, pk: int) -> Record:
    return Record.objects.select_related("registry").get(registry=registry, pk=pk)


# --- tabular and GeoJSON shapes of records ----------------------------------------------------


def table_columns(registry: RegistryDefinition) -> list[dict[str, Any]]:
    """Columns of every tabular download: id, the fields, then the geometry."""
    columns = [{"name": "id", "title": "id", "type": "integer", "required": True}]
    for definition in registry.fields:
        columns.append(
            {
                "name": definition["name"],
                "title": definition["title"],
                "type": TABLE_SCHEMA_TYPES[definition["type"]],
                "required": definition["required"],
                "choices": definition["choices"],
                "pattern": definition["pattern"],
                "unit": definition["unit"],
                "description": definition["description"],
            }
        )
    if registry.geometry_type == GeometryType.POINT:
        columns += [
            {"name": "longitude", "title": "longitude", "type": "number", "required": False},
            {"name": "latitude", "title": "latitude", "type": "number", "required": False},
        ]
    elif registry.has_geometry:
        columns.append({"name": "wkt", "title": "WKT", "type": "string", "required": False})
    return columns


def _geometry_cells(registry: RegistryDefinition, geometry: str) -> list[Any]:
    if registry.geometry_type == GeometryType.POINT:
        if not geometry:
            return [None, None]
        value = json.loads(geometry)
        if value["type"] == "Point":
            return value["coordinates"][:2]
        centre = shape(value).centroid
        return [centre.x, centre.y]
    if registry.has_geometry:
        return [shape(json.loads(geometry)).wkt if geometry else None]
    return []


def properties_as_text() -> Cast:
    """The stored JSON of a record's properties as text: decoded with orjson (about three
    times faster than the json module on 100 000 rows), or embedded as it is."""
    return Cast("properties", output_field=TextField())


def _loads(text: str) -> dict[str, Any]:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        # What orjson refuses but the json module wrote (NaN, on SQLite) still reads.
        return json.loads(text)


def table_rows(
    *, registry: RegistryDefinition, queryset: QuerySet[Record] | None = None
) -> Iterator[list[Any]]:
    """Rows in :func:`table_columns` order, streamed in chunks (flat memory)."""
    names = registry.field_names()
    points = registry.geometry_type == GeometryType.POINT
    queryset = queryset if queryset is not None else Record.objects.filter(registry=registry)
    for pk, text, geometry, minx, miny, maxx, maxy in (
        queryset.order_by("id")
        .annotate(properties_text=properties_as_text())
        .values_list("id", "properties_text", "geometry", "minx", "miny", "maxx", "maxy")
        .iterator(chunk_size=2000)
    ):
        properties = _loads(text)
        row = [pk, *map(properties.get, names)]
        if points and minx is not None and minx == maxx and miny == maxy:
            # A point's bounding box is the point itself: no GeoJSON to parse.
            row += (minx, miny)
        else:
            row += _geometry_cells(registry, geometry)
        yield row


def feature_json(pk: int, label: str, properties: dict[str, Any] | str, geometry: str) -> str:
    """One GeoJSON Feature as text: the stored geometry (and properties, when given as the
    stored JSON text) are embedded as they are."""
    body = properties if isinstance(properties, str) else json.dumps(properties, ensure_ascii=False)
    return (
        f'{{"type":"Feature","id":{int(pk)},"geometry":{geometry or "null"},"properties":{body}}}'
    )


def features(
    *, registry: RegistryDefinition, queryset: QuerySet[Record] | None = None
) -> Iterator[dict[str, Any]]:
    queryset = queryset if queryset is not None else Record.objects.filter(registry=registry)
    for pk, properties, geometry in (
        queryset.order_by("id")
        .values_list("id", "properties", "geometry")
        .iterator(chunk_size=2000)
    ):
        yield {
            "type": "Feature",
            "id": pk,
            "geometry": json.loads(geometry) if geometry else None,
            "properties": properties,
        }


def published_count() -> int:
    return RegistryDefinition.objects.filter(state=RegistryDefinition.State.PUBLISHED).count()


def search_registries(*, q: str) -> QuerySet[RegistryDefinition]:
    return registries_public().filter(Q(title__icontains=q) | Q(description__icontains=q))
