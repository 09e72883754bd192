"""Measures and reports in one tabular format for export AND import (CSV or XLSX).

Export writes exactly the columns import reads, keyed by stable external IDs, so an
exported file re-imports with no change. Import is all-or-nothing: every row is
checked first, and any fault is reported by row, column and value with nothing saved.
"""

from __future__ import annotations

import calendar as month_calendar
import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from hromada.accounts.models import Role
from hromada.accounts.permissions import has_role
from hromada.core.audit import audit_record, diff, snapshot
from hromada.core.models import Organisation
from hromada.plans.models import (
    Commitment,
    Completion,
    Measure,
    MeasureResponsibility,
    Plan,
    ProgressReport,
)
from hromada.plans.selectors import measures_of_plan
from hromada.plans.services.reports import measure_progress_from_reports

MEASURE_COLUMNS = [
    "external_id",
    "commitment",
    "number",
    "text",
    "lead",
    "responsible",
    "start",
    "end",
    "term_text",
    "partners_text",
    "expected_results",
    "weight",
    "progress",
    "completion",
]
MEASURE_FIELDS = [
    "commitment_id",
    "number",
    "text",
    "lead_id",
    "start",
    "end",
    "term_text",
    "partners_text",
    "expected_results",
    "weight",
    "progress",
    "completion",
]
REPORT_COLUMNS = [
    "measure",
    "period_start",
    "period_end",
    "completion",
    "progress",
    "narrative",
    "author_organisation",
    "state",
    "published_at",
]


def _month(value: date) -> str:
    return f"{value:%Y-%m}"


def measure_rows(*, plan: Plan) -> Iterator[list[Any]]:
    for measure in measures_of_plan(plan=plan):
        yield [
            measure.external_id,
            measure.commitment.number,
            measure.number,
            measure.text,
            measure.lead.key,
            ";".join(row.organisation.key for row in measure.responsibilities.all()),
            _month(measure.start),
            _month(measure.end),
            measure.term_text,
            measure.partners_text,
            measure.expected_results,
            f"{measure.weight:.2f}",
            measure.progress,
            measure.completion,
        ]


def report_rows(*, reports: Iterable) -> Iterator[list[Any]]:
    for report in reports:
        yield [
            report.measure.external_id,
            report.period_start.isoformat(),
            report.period_end.isoformat(),
            report.completion,
            report.progress,
            report.narrative,
            report.author_organisation.key,
            report.state,
            report.published_at.isoformat() if report.published_at else "",
        ]


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        return _("row %(row)s, column “%(column)s”, value “%(value)s”: %(reason)s") % {
            "row": self.row,
            "column": self.column,
            "value": self.value[:60],
            "reason": self.reason,
        }


class ImportRejected(Exception):
    """The file had faults; nothing was saved."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(f"{len(errors)} error(s); nothing imported")


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int


def read_table(*, name: str, content: bytes) -> list[dict[str, str]]:
    """Rows of a CSV (UTF-8 with or without BOM, `,` or `;`) or XLSX file, as dicts."""
    if name.lower().endswith(".xlsx"):
        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        except Exception as error:  # openpyxl raises many kinds for a broken file
            raise ImportRejected([RowError(0, "-", name, _("not a readable XLSX file"))]) from error
        rows = [
            ["" if cell is None else str(cell) for cell in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    else:
        text = _decode(name, content)
        header_line = text.split("\n", 1)[0]
        # Excel in a Ukrainian locale saves CSV with ";"; the header tells which it is.
        delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not rows:
        raise ImportRejected([RowError(0, "-", name, _("the file is empty"))])
    header = [cell.strip() for cell in rows[0]]
    return [
        dict(zip(header, row + [""] * (len(header) - len(row)), strict=False))
        for row in rows[1:]
        if any(cell.strip() for cell in row)
    ]


def _decode(name: str, content: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1251, as spreadsheets save it here."""
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRejected(
        [RowError(0, "-", name, _("the file is neither UTF-8 nor Windows-1251 text"))]
    )


def _parse_month(value: str, *, end: bool) -> date | None:
    try:
        year, month = (int(part) for part in value.strip().split("-")[:2])
        return date(year, month, month_calendar.monthrange(year, month)[1] if end else 1)
    except (ValueError, TypeError):
        return None


def _columns_missing(
    index: int, row: dict[str, str], columns: Sequence[str], errors: list[RowError]
) -> bool:
    """Records one error naming every missing column; True when any is missing."""
    missing = [column for column in columns if column not in row]
    if missing:
        errors.append(RowError(index, ", ".join(missing), "", _("column missing")))
    return bool(missing)


@dataclass
class _MeasureRow:
    number: int
    values: dict[str, Any]
    responsible: list[int]
    external_id: str


def _check_measure_row(
    index: int,
    row: dict[str, str],
    *,
    plan: Plan,
    commitments: dict[str, Commitment],
    orgs: dict[str, Organisation],
    errors: list[RowError],
) -> _MeasureRow | None:
    start_count = len(errors)

    def fail(column: str, reason: str) -> None:
        errors.append(RowError(index, column, row.get(column, ""), reason))

    if _columns_missing(index, row, MEASURE_COLUMNS, errors):
        return None
    for column in ("external_id", "commitment", "number", "text", "lead", "expected_results"):
        if not row[column].strip():
            fail(column, _("is required"))
    commitment = commitments.get(row["commitment"].strip())
    if row["commitment"].strip() and commitment is None:
        fail("commitment", _("no such commitment in this plan"))
    lead = orgs.get(row["lead"].strip())
    if row["lead"].strip() and lead is None:
        fail("lead", _("unknown organisation"))
    responsible = []
    for key in filter(None, (part.strip() for part in row["responsible"].split(";"))):
        if key not in orgs:
            fail("responsible", _("unknown organisation “%(key)s”") % {"key": key})
        else:
            responsible.append(orgs[key].pk)
    start, end = _parse_month(row["start"], end=False), _parse_month(row["end"], end=True)
    if start is None:
        fail("start", _("must be a month YYYY-MM"))
    if end is None:
        fail("end", _("must be a month YYYY-MM"))
    if start and end and end < start:
        fail("end", _("the end is before the start"))
    try:
        progress = int(row["progress"] or 0)
        if not 0 <= progress <= 100:
            raise ValueError
    except ValueError:
        fail("progress", _("must be a whole number from 0 to 100"))
        progress = 0
    try:
        weight = Decimal(row["weight"] or "1").quantize(Decimal("0.01"))
        if weight < 0:
            raise InvalidOperation
    except InvalidOperation:
        fail("weight", _("must be a number not below 0"))
        weight = Decimal(1)
    if row["completion"] not in Completion.values:
        fail(
            "completion", _("must be one of: %(values)s") % {"values": ", ".join(Completion.values)}
        )
    existing = (
        Measure.objects.filter(external_id=row["external_id"].strip())
        .select_related("commitment")
        .first()
    )
    if existing and existing.commitment.plan_id != plan.pk:
        fail("external_id", _("belongs to another plan"))
    if len(errors) > start_count:
        return None
    return _MeasureRow(
        number=index,
        external_id=row["external_id"].strip(),
        responsible=responsible or [lead.pk],
        values={
            "commitment_id": commitment.pk,
            "number": row["number"].strip(),
            "text": row["text"].strip(),
            "lead_id": lead.pk,
            "start": start,
            "end": end,
            "term_text": row["term_text"].strip(),
            "partners_text": row["partners_text"].strip(),
            "expected_results": row["expected_results"].strip(),
            "weight": weight,
            "progress": progress,
            "completion": row["completion"],
        },
    )


@transaction.atomic
def measures_import(*, actor: Any, plan: Plan, rows: list[dict[str, str]]) -> ImportResult:
    if actor is not None and not has_role(actor, Role.COORDINATOR, Role.ADMINISTRATOR):
        raise PermissionDenied(_("Only the plan's coordinator may import measures."))
    commitments = {c.number: c for c in plan.commitments.all()}
    orgs = {org.key: org for org in Organisation.objects.all()}
    errors: list[RowError] = []
    checked = [
        _check_measure_row(index, row, plan=plan, commitments=commitments, orgs=orgs, errors=errors)
        for index, row in enumerate(rows, start=2)  # row 1 is the header
    ]
    seen: dict[str, int] = {}
    for item in filter(None, checked):
        if item.external_id in seen:
            errors.append(
                RowError(
                    item.number,
                    "external_id",
                    item.external_id,
                    _("also in row %(row)s") % {"row": seen[item.external_id]},
                )
            )
        seen[item.external_id] = item.number
    if errors:
        raise ImportRejected(errors)
    created = updated = unchanged = 0
    for item in checked:
        outcome = _apply_measure_row(actor, item)
        created += outcome == "created"
        updated += outcome == "updated"
        unchanged += outcome == "unchanged"
    return ImportResult(created=created, updated=updated, unchanged=unchanged)


def _apply_measure_row(actor: Any, item: _MeasureRow) -> str:
    measure = Measure.objects.filter(external_id=item.external_id).first()
    if measure is None:
        measure = Measure.objects.create(external_id=item.external_id, **item.values)
        audit_record(
            actor=actor,
            action="measure.import",
            target=measure,
            changes=diff({}, snapshot(measure, MEASURE_FIELDS)),
        )
        outcome = "created"
    else:
        before = snapshot(measure, MEASURE_FIELDS)
        for name, value in item.values.items():
            setattr(measure, name, value)
        changes = diff(before, snapshot(measure, MEASURE_FIELDS))
        if changes:
            measure.save()
            audit_record(actor=actor, action="measure.import", target=measure, changes=changes)
        outcome = "updated" if changes else "unchanged"
    current = list(measure.responsibilities.values_list("organisation_id", flat=True))
    if current != item.responsible:
        measure.responsibilities.all().delete()
        MeasureResponsibility.objects.bulk_create(
            MeasureResponsibility(measure=measure, organisation_id=org_id, position=position)
            for position, org_id in enumerate(item.responsible)
        )
        if outcome == "unchanged":
            outcome = "updated"
    return outcome


def _parse_iso_date(value: str) -> date | None:
    try:
        return parse_date(value.strip())
    except ValueError:
        return None


REPORT_FIELDS = ["completion", "progress", "narrative", "author_organisation_id", "state"]


@dataclass
class _ReportRow:
    measure: Measure
    period_start: date
    period_end: date
    values: dict[str, Any]
    published_at: datetime | None


def _check_report_row(
    index: int,
    row: dict[str, str],
    *,
    plan: Plan,
    measures: dict[str, Measure],
    orgs: dict[str, Organisation],
    errors: list[RowError],
) -> _ReportRow | None:
    start_count = len(errors)

    def fail(column: str, reason: str) -> None:
        errors.append(RowError(index, column, row.get(column, ""), reason))

    if _columns_missing(index, row, REPORT_COLUMNS, errors):
        return None
    measure = measures.get(row["measure"].strip())
    if measure is None:
        fail("measure", _("no such measure in this plan"))
    start, end = _parse_iso_date(row["period_start"]), _parse_iso_date(row["period_end"])
    if start is None:
        fail("period_start", _("must be a date YYYY-MM-DD"))
    if end is None:
        fail("period_end", _("must be a date YYYY-MM-DD"))
    if start and end and end < start:
        fail("period_end", _("the end is before the start"))
    try:
        progress = int(row["progress"])
        if not 0 <= progress <= 100:
            raise ValueError
    except ValueError:
        fail("progress", _("must be a whole number from 0 to 100"))
        progress = 0
    if row["completion"] not in Completion.values:
        fail(
            "completion", _("must be one of: %(values)s") % {"values": ", ".join(Completion.values)}
        )
    if not row["narrative"].strip():
        fail("narrative", _("is required"))
    author = orgs.get(row["author_organisation"].strip())
    if author is None:
        fail("author_organisation", _("unknown organisation"))
    elif measure is not None and author.pk not in measure.responsible_organisation_ids():
        fail("author_organisation", _("is not responsible for this measure"))
    if row["state"] not in ProgressReport.State.values:
        fail(
            "state",
            _("must be one of: %(values)s") % {"values": ", ".join(ProgressReport.State.values)},
        )
    published_at = None
    if row["published_at"].strip():
        published_at = parse_datetime(row["published_at"].strip())
        if published_at is None:
            fail("published_at", _("must be a date and time in ISO 8601"))
    if len(errors) > start_count:
        return None
    return _ReportRow(
        measure=measure,
        period_start=start,
        period_end=end,
        published_at=published_at,
        values={
            "completion": row["completion"],
            "progress": progress,
            "narrative": row["narrative"].strip(),
            "author_organisation_id": author.pk,
            "state": row["state"],
        },
    )


@transaction.atomic
def reports_import(*, actor: Any, plan: Plan, rows: list[dict[str, str]]) -> ImportResult:
    """Upsert reports keyed by (measure, period); measures follow their latest published report."""
    if actor is not None and not has_role(actor, Role.COORDINATOR, Role.ADMINISTRATOR):
        raise PermissionDenied(_("Only the plan's coordinator may import reports."))
    measures = {m.external_id: m for m in measures_of_plan(plan=plan)}
    orgs = {org.key: org for org in Organisation.objects.all()}
    errors: list[RowError] = []
    checked = [
        _check_report_row(index, row, plan=plan, measures=measures, orgs=orgs, errors=errors)
        for index, row in enumerate(rows, start=2)
    ]
    if errors:
        raise ImportRejected(errors)
    created = updated = unchanged = 0
    touched: dict[int, Measure] = {}
    for item in checked:
        report = ProgressReport.objects.filter(
            measure=item.measure, period_start=item.period_start, period_end=item.period_end
        ).first()
        if report is None:
            report = ProgressReport.objects.create(
                measure=item.measure,
                period_start=item.period_start,
                period_end=item.period_end,
                published_at=item.published_at
                or (timezone.now() if item.values["state"] == "published" else None),
                **item.values,
            )
            audit_record(
                actor=actor,
                action="report.import",
                target=report,
                changes=diff({}, snapshot(report, REPORT_FIELDS)),
            )
            created += 1
        else:
            before = snapshot(report, REPORT_FIELDS)
            for name, value in item.values.items():
                setattr(report, name, value)
            changes = diff(before, snapshot(report, REPORT_FIELDS))
            if not changes:
                unchanged += 1
                continue
            report.save()
            audit_record(actor=actor, action="report.import", target=report, changes=changes)
            updated += 1
        touched[item.measure.pk] = item.measure
    for measure in touched.values():
        measure_progress_from_reports(actor=actor, measure=measure)
    return ImportResult(created=created, updated=updated, unchanged=unchanged)
