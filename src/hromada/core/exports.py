"""Downloads of every public list: CSV (UTF-8, or with a BOM for Excel), XLSX, JSON.

Rows are streamed so large exports keep memory flat. Cells that a spreadsheet would
run as a formula are escaped (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from openpyxl import Workbook

FORMATS = ("csv", "csv-excel", "xlsx", "json")
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def safe_cell(value: Any) -> str:
    """A cell that cannot run as a formula; plain negative numbers stay numbers."""
    text = cell_text(value)
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return text
    if text.startswith(_FORMULA_PREFIXES):
        return "'" + text
    return text


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(
    header: Sequence[str], rows: Iterable[Sequence[Any]], *, bom: bool = False
) -> Iterator[str]:
    writer = csv.writer(_Echo())
    if bom:
        yield "\ufeff"
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow([safe_cell(value) for value in row])


# Rows per chunk of a streamed download: about 20–60 KB, so the server writes a few
# thousand chunks for 100 000 rows instead of one per row.
CHUNK_ROWS = 250


def csv_chunks(
    header: Sequence[str], rows: Iterable[Sequence[Any]], *, bom: bool = False
) -> Iterator[bytes]:
    """The CSV of :func:`csv_lines`, byte for byte, in chunks of CHUNK_ROWS rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if bom:
        buffer.write("\ufeff")
    writer.writerow(header)
    batch: list[list[Any]] = []
    for row in rows:
        # A cell as core.exports.safe_cell writes it; safe_cell is skipped where the csv
        # module already writes the same text (numbers, None, strings that cannot be
        # formulas), as this runs for every cell of a download.
        batch.append(
            [
                value
                if value is None
                or (kind := type(value)) is int
                or kind is float
                or (kind is str and not value.startswith(_FORMULA_PREFIXES))
                else safe_cell(value)
                for value in row
            ]
        )
        if len(batch) == CHUNK_ROWS:
            writer.writerows(batch)
            batch.clear()
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    writer.writerows(batch)
    yield buffer.getvalue().encode()


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def json_chunks(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    yield "["
    for index, row in enumerate(rows):
        record = {name: _json_value(value) for name, value in zip(header, row, strict=True)}
        yield ("," if index else "") + json.dumps(record, ensure_ascii=False)
    yield "]"


def xlsx_bytes(
    header: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str = "data"
) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(list(header))
    for row in rows:
        sheet.append([safe_cell(value) if isinstance(value, str) else value for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_response(
    *, fmt: str, filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse | StreamingHttpResponse:
    """The download of ``rows`` in ``fmt`` (one of FORMATS) as ``filename.<ext>``."""
    if fmt in ("csv", "csv-excel"):
        response = StreamingHttpResponse(
            csv_chunks(header, rows, bom=fmt == "csv-excel"), content_type="text/csv; charset=utf-8"
        )
        extension = "csv"
    elif fmt == "json":
        response = StreamingHttpResponse(
            json_chunks(header, rows), content_type="application/json; charset=utf-8"
        )
        extension = "json"
    elif fmt == "xlsx":
        response = HttpResponse(
            xlsx_bytes(header, rows, title=filename),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        extension = "xlsx"
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{extension}"'
    return response
