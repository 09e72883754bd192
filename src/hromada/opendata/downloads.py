"""Distributions of a data set: CSV (and CSV with BOM), XLSX, JSON, GeoJSON and a
Frictionless ``datapackage.json`` with a Table Schema. Rows are streamed (flat memory)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import reverse

from hromada.core.exports import csv_chunks, export_response
from hromada.opendata.models import Dataset
from hromada.opendata.selectors import DISTRIBUTIONS, licence_info
from hromada.opendata.sources import Column, DatasetSource

EXPORT_CODES = {"csv": "csv", "csv-excel": "csv-excel", "xlsx": "xlsx", "json": "json"}


def distribution_url(request: HttpRequest | None, dataset: Dataset, code: str) -> str:
    filename = next(item.filename for item in DISTRIBUTIONS if item.code == code)
    path = reverse("opendata:download", kwargs={"key": dataset.key, "filename": filename})
    return request.build_absolute_uri(path) if request else path


def _coalesced(chunks: Iterable[bytes], size: int = 1 << 16) -> Iterator[bytes]:
    """Join small chunks into about ``size`` bytes each (one write per chunk, not per row)."""
    pending: list[bytes] = []
    length = 0
    for chunk in chunks:
        pending.append(chunk)
        length += len(chunk)
        if length >= size:
            yield b"".join(pending)
            pending, length = [], 0
    if pending:
        yield b"".join(pending)


def tabular_response(dataset: Dataset, source: DatasetSource, code: str) -> HttpResponse:
    columns = source.columns()
    if code in ("csv", "csv-excel"):
        response = StreamingHttpResponse(
            csv_chunks([column.name for column in columns], source.rows(), bom=code == "csv-excel"),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{dataset.key}.csv"'
        return response
    response = export_response(
        fmt=EXPORT_CODES[code],
        filename=dataset.key,
        header=[column.name for column in columns],
        rows=source.rows(),
    )
    if response.streaming:
        response.streaming_content = _coalesced(response.streaming_content)
    return response


def _geojson_chunks(source: DatasetSource) -> Iterator[str]:
    yield '{"type":"FeatureCollection","features":['
    for index, feature in enumerate(source.features()):
        yield ("," if index else "") + json.dumps(feature, ensure_ascii=False, default=str)
    yield "]}"


def geojson_response(dataset: Dataset, source: DatasetSource) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        _coalesced(chunk.encode() for chunk in _geojson_chunks(source)),
        content_type="application/geo+json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{dataset.key}.geojson"'
    return response


def table_schema_field(column: Column) -> dict[str, Any]:
    field: dict[str, Any] = {"name": column.name, "type": column.type}
    if column.title:
        field["title"] = column.title
    description = column.description
    if column.unit:
        description = f"{description} ({column.unit})".strip()
    if description:
        field["description"] = description
    constraints: dict[str, Any] = {}
    if column.required:
        constraints["required"] = True
    if column.enum:
        constraints["enum"] = [
            int(value) if column.type == "integer" else value for value in column.enum
        ]
    if column.pattern and column.type == "string":
        constraints["pattern"] = column.pattern
    if constraints:
        field["constraints"] = constraints
    return field


def datapackage(request: HttpRequest, dataset: Dataset, source: DatasetSource) -> dict[str, Any]:
    columns = source.columns()
    title, url = licence_info(dataset.licence)
    schema: dict[str, Any] = {"fields": [table_schema_field(column) for column in columns]}
    if columns and columns[0].name == "id":
        schema["primaryKey"] = ["id"]
    return {
        "profile": "tabular-data-package",
        "name": dataset.key,
        "title": dataset.title,
        "description": dataset.description,
        "homepage": request.build_absolute_uri(dataset.get_absolute_url()),
        "version": (dataset.data_modified_at or dataset.metadata_modified_at).strftime(
            "%Y%m%d.%H%M%S"
        ),
        "created": dataset.created_at.isoformat(),
        "keywords": dataset.tags,
        "licenses": [{"name": dataset.licence, "title": title, "path": url}],
        "contributors": [
            {"title": dataset.keeper.name, "role": "publisher", "email": dataset.contact_email}
        ],
        "resources": [
            {
                "name": dataset.key.replace("_", "-"),
                "profile": "tabular-data-resource",
                "path": distribution_url(request, dataset, "csv"),
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ",", "doubleQuote": True, "header": True},
                "schema": schema,
            }
        ],
    }
