"""Readers of import files: CSV (UTF-8 or Windows-1251, `,` `;` or tab), XLSX, GeoJSON and
zipped Shapefile. Each turns a file into :class:`SourceRow` objects; a file that cannot be
read at all raises :class:`~hromada.registries.validation.Problem`.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from hromada.registries.validation import Problem

FORMATS = ("csv", "xlsx", "geojson", "json", "zip")


@dataclass
class SourceRow:
    """One row as a person sees it: ``number`` is the line of a CSV (the header is line 1),
    the row of a sheet, or the position of a feature (from 1)."""

    number: int
    values: dict[str, Any]
    geometry: Any = None
    # A fault of the whole row found while reading (not a feature, too many cells …).
    problem: str = ""


@dataclass
class SourceTable:
    columns: list[str]
    rows: list[SourceRow]
    has_feature_geometry: bool = False


def max_expanded_bytes() -> int:
    return getattr(settings, "REGISTRY_IMPORT_MAX_EXPANDED_BYTES", 200 * 1024 * 1024)


def max_upload_bytes() -> int:
    return getattr(settings, "REGISTRY_IMPORT_MAX_BYTES", settings.UPLOAD_MAX_BYTES)


def decode_text(data: bytes) -> str:
    """Text of a CSV file in UTF-8 (with or without BOM) or Windows-1251."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1251")
        except UnicodeDecodeError as error:
            raise Problem(
                _("The file is neither UTF-8 nor Windows-1251 text (byte %(pos)s).")
                % {"pos": error.start}
            ) from error
    control = sum(1 for char in text[:20000] if ord(char) < 32 and char not in "\t\r\n")
    if "\x00" in text or control > 10:
        raise Problem(_("The file is not text: it cannot be read as UTF-8 or Windows-1251."))
    return text


def _delimiter(first_line: str) -> str:
    counts = {delimiter: first_line.count(delimiter) for delimiter in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def read_csv(data: bytes) -> SourceTable:
    text = decode_text(data)
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    try:
        header = [column.strip() for column in next(reader)]
    except StopIteration as empty:
        raise Problem(_("The file is empty.")) from empty
    except csv.Error as error:
        raise Problem(_("The CSV file cannot be read: %(e)s.") % {"e": error}) from error
    rows = []
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            number = reader.line_num
            if len(row) > len(header):
                rows.append(
                    SourceRow(
                        number,
                        {},
                        problem=_("The row has %(cells)s cells; the header has %(columns)s.")
                        % {"cells": len(row), "columns": len(header)},
                    )
                )
                continue
            rows.append(SourceRow(number, dict(zip(header, row, strict=False))))
    except csv.Error as error:
        raise Problem(
            _("The CSV file cannot be read at line %(line)s: %(e)s.")
            % {"line": reader.line_num, "e": error}
        ) from error
    return SourceTable(header, rows)


def read_xlsx(data: bytes) -> SourceTable:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged file
        raise Problem(_("The file is not a readable XLSX workbook.")) from error
    sheet = workbook.worksheets[0]
    iterator = sheet.iter_rows(values_only=True)
    try:
        header = ["" if cell is None else str(cell).strip() for cell in next(iterator)]
    except StopIteration as empty:
        raise Problem(_("The file is empty.")) from empty
    while header and not header[-1]:
        header.pop()
    rows = []
    for number, row in enumerate(iterator, start=2):
        cells = list(row)[: len(header)]
        if all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells):
            continue
        rows.append(SourceRow(number, dict(zip(header, cells, strict=False))))
    workbook.close()
    return SourceTable(header, rows)


def read_geojson(data: bytes) -> SourceTable:
    try:
        document = json.loads(decode_text(data))
    except json.JSONDecodeError as error:
        raise Problem(
            _("The file is not valid JSON: %(e)s (line %(line)s, column %(col)s).")
            % {"e": error.msg, "line": error.lineno, "col": error.colno}
        ) from error
    if isinstance(document, dict) and document.get("type") == "Feature":
        features = [document]
    elif isinstance(document, dict) and document.get("type") == "FeatureCollection":
        features = document.get("features")
        if not isinstance(features, list):
            raise Problem(_("The FeatureCollection has no list of features."))
    else:
        raise Problem(_("The file is not a GeoJSON Feature or FeatureCollection."))
    rows: list[SourceRow] = []
    columns: dict[str, None] = {}
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            rows.append(SourceRow(number, {}, problem=_("This is not a GeoJSON Feature.")))
            continue
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            rows.append(SourceRow(number, {}, problem=_("Its properties are not an object.")))
            continue
        columns.update(dict.fromkeys(properties))
        rows.append(SourceRow(number, dict(properties), geometry=feature.get("geometry")))
    return SourceTable(list(columns), rows, has_feature_geometry=True)


def _safe_zip(data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise Problem(_("The file is not a readable ZIP archive.")) from error
    members = archive.infolist()
    expanded = sum(member.file_size for member in members)
    limit = max_expanded_bytes()
    if len(members) > 100 or expanded > limit:
        raise Problem(
            _("The archive expands to %(size)s in %(count)s files; the limit is %(limit)s.")
            % {
                "size": filesizeformat(expanded),
                "count": len(members),
                "limit": filesizeformat(limit),
            }
        )
    return archive


def read_shapefile_zip(data: bytes) -> SourceTable:
    import shapefile

    archive = _safe_zip(data)
    parts: dict[str, str] = {}
    for name in archive.namelist():
        path = PurePosixPath(name)
        if path.suffix.lower() in {".shp", ".shx", ".dbf", ".prj", ".cpg"}:
            parts.setdefault(path.suffix.lower(), name)
    missing = [suffix for suffix in (".shp", ".shx", ".dbf") if suffix not in parts]
    if missing:
        raise Problem(
            _("The archive has no Shapefile: %(missing)s missing.")
            % {"missing": ", ".join(missing)}
        )
    if ".prj" in parts:
        prj = archive.read(parts[".prj"]).decode("latin-1").upper()
        if "PROJCS" in prj or ("WGS" not in prj and "4326" not in prj):
            raise Problem(
                _("The Shapefile is not in WGS 84 (EPSG:4326); reproject it before importing.")
            )
    encoding = "utf-8"
    if ".cpg" in parts:
        declared = archive.read(parts[".cpg"]).decode("latin-1").strip().lower()
        encoding = "cp1251" if "1251" in declared else "utf-8"
    try:
        reader = shapefile.Reader(
            shp=io.BytesIO(archive.read(parts[".shp"])),
            shx=io.BytesIO(archive.read(parts[".shx"])),
            dbf=io.BytesIO(archive.read(parts[".dbf"])),
            encoding=encoding,
            encodingErrors="strict",
        )
        columns = [field[0] for field in reader.fields[1:]]
        rows = []
        for number, shape_record in enumerate(reader.iterShapeRecords(), start=1):
            geometry = shape_record.shape.__geo_interface__ if shape_record.shape.points else None
            rows.append(SourceRow(number, shape_record.record.as_dict(), geometry=geometry))
    except UnicodeDecodeError as error:
        raise Problem(
            _("The Shapefile's attributes are not %(encoding)s text.") % {"encoding": encoding}
        ) from error
    except shapefile.ShapefileException as error:
        raise Problem(_("The Shapefile cannot be read: %(e)s.") % {"e": error}) from error
    return SourceTable(columns, rows, has_feature_geometry=True)


READERS: dict[str, Callable[[bytes], SourceTable]] = {
    "csv": read_csv,
    "xlsx": read_xlsx,
    "geojson": read_geojson,
    "json": read_geojson,
    "zip": read_shapefile_zip,
}


def read_source(filename: str, data: bytes) -> SourceTable:
    """Rows of ``data``, read by the reader its extension names."""
    limit = max_upload_bytes()
    if len(data) > limit:
        raise Problem(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(len(data)), "limit": filesizeformat(limit)}
        )
    extension = PurePosixPath(filename.lower()).suffix.lstrip(".")
    reader = READERS.get(extension)
    if reader is None:
        raise Problem(
            _(
                "Files of type “%(ext)s” cannot be imported; "
                "use CSV, XLSX, GeoJSON or a zipped Shapefile."
            )
            % {"ext": extension or "?"}
        )
    return reader(data)
