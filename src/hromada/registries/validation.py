"""Checks of registry data: field definitions, typed values, and geometry (Shapely).

Every check raises :class:`Problem` with a reason a person can act on; importers collect
them per row and field.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from shapely import wkt as shapely_wkt
from shapely.errors import ShapelyError
from shapely.geometry import mapping, shape
from shapely.validation import explain_validity

from hromada.registries.models import GeometryType

FIELD_TYPES = ("string", "integer", "number", "date", "boolean")
FIELD_KEYS = {"name", "title", "type", "required", "choices", "unit", "pattern", "description"}
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
# Names the tabular exports use for geometry and the record id.
RESERVED_NAMES = {"id", "longitude", "latitude", "wkt", "geometry"}

# WGS 84 bounds of Ukraine with a small margin: coordinates outside are rejected.
UKRAINE_BOUNDS = (22.0, 44.0, 40.5, 52.5)

GEOMETRY_KINDS = {
    GeometryType.POINT: {"Point", "MultiPoint"},
    GeometryType.LINE: {"LineString", "MultiLineString"},
    GeometryType.POLYGON: {"Polygon", "MultiPolygon"},
}

TRUE_WORDS = {"true", "1", "yes", "так", "да", "+"}
FALSE_WORDS = {"false", "0", "no", "ні", "нет", "-"}


class Problem(ValueError):
    """A value, geometry or definition that cannot be accepted; ``reason`` says why."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class CheckedGeometry:
    geojson: str
    bounds: tuple[float, float, float, float]


def check_field_definitions(fields: Any) -> list[dict[str, Any]]:
    """Normalised field definitions, or Problem naming the first fault."""
    if not isinstance(fields, list) or not fields:
        raise Problem(_("A registry needs a list of at least one field."))
    seen: set[str] = set()
    normalised = []
    for position, field in enumerate(fields, start=1):
        if not isinstance(field, dict):
            raise Problem(_("Field %(n)s is not an object.") % {"n": position})
        unknown = set(field) - FIELD_KEYS
        if unknown:
            raise Problem(
                _("Field %(n)s has unknown keys: %(keys)s.")
                % {"n": position, "keys": ", ".join(sorted(unknown))}
            )
        name = field.get("name", "")
        if not isinstance(name, str) or not NAME_PATTERN.match(name) or name in RESERVED_NAMES:
            raise Problem(
                _(
                    "Field %(n)s: the name “%(name)s” must be lower-case Latin letters, digits "
                    "and underscores, start with a letter, and not be id, longitude, latitude, "
                    "wkt or geometry."
                )
                % {"n": position, "name": name}
            )
        if name in seen:
            raise Problem(_("The field name “%(name)s” is used twice.") % {"name": name})
        seen.add(name)
        kind = field.get("type", "string")
        if kind not in FIELD_TYPES:
            raise Problem(
                _("Field “%(name)s”: unknown type “%(type)s”; use one of %(types)s.")
                % {"name": name, "type": kind, "types": ", ".join(FIELD_TYPES)}
            )
        pattern = field.get("pattern") or ""
        if pattern:
            try:
                re.compile(pattern)
            except re.error as error:
                raise Problem(
                    _("Field “%(name)s”: the pattern is not a valid regular expression (%(e)s).")
                    % {"name": name, "e": error}
                ) from error
        choices = field.get("choices") or []
        if not isinstance(choices, list):
            raise Problem(_("Field “%(name)s”: choices must be a list.") % {"name": name})
        normalised.append(
            {
                "name": name,
                "title": str(field.get("title") or name),
                "type": kind,
                "required": bool(field.get("required", False)),
                "choices": [str(choice) for choice in choices],
                "unit": str(field.get("unit") or ""),
                "pattern": pattern,
                "description": str(field.get("description") or ""),
            }
        )
    return normalised


def _blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _as_integer(raw: Any) -> int:
    if isinstance(raw, bool):
        raise Problem(_("Expected a whole number."))
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    text = str(raw).strip().replace("\u00a0", "").replace(" ", "")
    if not re.fullmatch(r"[-+]?\d+", text):
        raise Problem(_("Expected a whole number."))
    return int(text)


def _as_number(raw: Any) -> float:
    if isinstance(raw, bool):
        raise Problem(_("Expected a number."))
    if isinstance(raw, int | float | Decimal):
        return float(raw)
    # Ukrainian spreadsheets write 1 234,5: accept the space and the decimal comma.
    text = str(raw).strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation as error:
        raise Problem(_("Expected a number.")) from error
    if not value.is_finite():
        raise Problem(_("Expected a number."))
    return float(value)


def _as_date(raw: Any) -> str:
    if isinstance(raw, datetime):
        return raw.date().isoformat()
    if isinstance(raw, date):
        return raw.isoformat()
    text = str(raw).strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    raise Problem(_("Expected a date as YYYY-MM-DD or DD.MM.YYYY."))


def _as_boolean(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise Problem(_("Expected yes or no (true/false, так/ні)."))


def _as_string(raw: Any) -> str:
    if isinstance(raw, float) and raw.is_integer():
        # A spreadsheet turned an identifier into a number; leading zeros may be gone,
        # which the pattern check then reports.
        raw = int(raw)
    return str(raw).strip()


_CONVERTERS = {
    "string": _as_string,
    "integer": _as_integer,
    "number": _as_number,
    "date": _as_date,
    "boolean": _as_boolean,
}


def coerce_value(field: dict[str, Any], raw: Any) -> Any:
    """The typed value of ``raw`` for ``field`` (None when blank), or Problem."""
    if _blank(raw):
        if field.get("required"):
            raise Problem(_("A value is required."))
        return None
    value = _CONVERTERS[field.get("type", "string")](raw)
    choices = field.get("choices") or []
    if choices and str(value) not in choices:
        raise Problem(
            _("“%(value)s” is not one of the allowed values: %(choices)s.")
            % {"value": value, "choices": ", ".join(choices)}
        )
    pattern = field.get("pattern")
    if pattern and not re.fullmatch(pattern, str(value)):
        raise Problem(
            _("“%(value)s” does not match the required form %(pattern)s.")
            % {"value": value, "pattern": pattern}
        )
    return value


def _inside(bounds: tuple[float, float, float, float]) -> bool:
    minx, miny, maxx, maxy = bounds
    west, south, east, north = UKRAINE_BOUNDS
    return west <= minx and maxx <= east and south <= miny and maxy <= north


def parse_geometry_text(text: str) -> dict[str, Any]:
    """A GeoJSON geometry from GeoJSON or WKT text, or Problem."""
    text = text.strip()
    if text.startswith("{"):
        try:
            value = json.loads(text)
        except json.JSONDecodeError as error:
            raise Problem(_("The geometry is not valid GeoJSON (%(e)s).") % {"e": error}) from error
        return value
    try:
        return mapping(shapely_wkt.loads(text))
    except (ShapelyError, ValueError, TypeError) as error:
        raise Problem(_("The geometry is neither GeoJSON nor WKT.")) from error


def check_geometry(geometry: Any, geometry_type: str) -> CheckedGeometry | None:
    """Validate a GeoJSON geometry (dict) against the registry's geometry type."""
    if geometry_type == GeometryType.NONE:
        if geometry:
            raise Problem(_("This registry has no geometry, but the row has one."))
        return None
    if not geometry:
        raise Problem(_("A geometry is required."))
    if not isinstance(geometry, dict) or "type" not in geometry:
        raise Problem(_("The geometry is not a GeoJSON geometry object."))
    allowed = GEOMETRY_KINDS[geometry_type]
    if geometry["type"] not in allowed:
        raise Problem(
            _("The geometry is a %(found)s; this registry expects %(expected)s.")
            % {"found": geometry["type"], "expected": " or ".join(sorted(allowed))}
        )
    try:
        geom = shape(geometry)
    except (ShapelyError, ValueError, TypeError, KeyError, IndexError, AttributeError) as error:
        raise Problem(_("The geometry is malformed GeoJSON (%(e)s).") % {"e": error}) from error
    if geom.is_empty:
        raise Problem(_("The geometry is empty."))
    if geom.has_z:
        geom = shape({"type": geometry["type"], "coordinates": _drop_z(geometry["coordinates"])})
    if not geom.is_valid:
        raise Problem(_("The geometry is not valid: %(why)s.") % {"why": explain_validity(geom)})
    bounds = tuple(float(value) for value in geom.bounds)
    if not _inside(bounds):
        swapped = (bounds[1], bounds[0], bounds[3], bounds[2])
        if _inside(swapped):
            raise Problem(
                _(
                    "The coordinates lie outside Ukraine; latitude and longitude seem to be "
                    "swapped (longitude comes first in GeoJSON and WKT)."
                )
            )
        raise Problem(
            _(
                "The coordinates lie outside Ukraine; use WGS 84 longitude and latitude "
                "in degrees (EPSG:4326)."
            )
        )
    return CheckedGeometry(geojson=json.dumps(mapping(geom), separators=(",", ":")), bounds=bounds)


def _drop_z(coordinates: Any) -> Any:
    if coordinates and isinstance(coordinates[0], int | float):
        return list(coordinates[:2])
    return [_drop_z(part) for part in coordinates]
