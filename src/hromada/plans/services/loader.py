"""Loading an action plan from its YAML data file, idempotently and all-or-nothing."""

from __future__ import annotations

import calendar as month_calendar
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from hromada.core.audit import audit_record, diff, snapshot
from hromada.core.models import Organisation
from hromada.core.services import organisations_load, person_get_or_create
from hromada.plans.models import (
    Commitment,
    Measure,
    MeasureResponsibility,
    OgpValue,
    Partner,
    Plan,
)

PLAN_FIELDS = [
    "title",
    "period_start",
    "period_end",
    "status",
    "act_body",
    "act_kind",
    "act_number",
    "act_date",
    "act_title",
    "act_preamble",
    "act_items",
    "act_signed_by",
    "description",
]
COMMITMENT_FIELDS = [
    "title",
    "problem",
    "goal",
    "sectors_text",
    "values_text",
    "ogp_values",
    "basis",
    "position",
]
MEASURE_FIELDS = [
    "commitment_id",
    "number",
    "text",
    "lead_id",
    "responsible_text",
    "start",
    "end",
    "term_text",
    "partners_text",
    "expected_results",
    "position",
]


class PlanFileError(ValueError):
    """A malformed plan file: names the line and the field at fault."""

    def __init__(self, path: str, line: int, field_name: str, message: str):
        self.path, self.line, self.field_name = path, line, field_name
        super().__init__(f"{path}:{line}: field '{field_name}': {message}")


class _Mapping(dict):
    line: int = 0
    lines: dict[str, int]


class _LineLoader(yaml.SafeLoader):
    """A safe YAML loader that remembers the line of every mapping and key."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _Mapping:
    mapping = _Mapping(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    mapping.lines = {key.value: value.start_mark.line + 1 for key, value in node.value}
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


@dataclass
class _Reader:
    path: str
    errors: list[PlanFileError] = field(default_factory=list)

    def fail(self, where: _Mapping, name: str, message: str) -> None:
        line = where.lines.get(name, where.line) if isinstance(where, _Mapping) else 0
        raise PlanFileError(self.path, line, name, message)

    def text(self, where: _Mapping, name: str, *, required: bool = True) -> str:
        value = where.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(where, name, "is required")
            return ""
        if not isinstance(value, str | int | float):
            self.fail(where, name, "must be text")
        return str(value).strip()

    def day(self, where: _Mapping, name: str, *, required: bool = True) -> date | None:
        value = where.get(name)
        if value is None and not required:
            return None
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.fail(where, name, f"must be a date YYYY-MM-DD, not {value!r}")
        return None

    def month(self, where: _Mapping, name: str, *, end: bool) -> date:
        value = str(where.get(name, "")).strip()
        try:
            year, month = (int(part) for part in value.split("-")[:2])
            day = month_calendar.monthrange(year, month)[1] if end else 1
            return date(year, month, day)
        except (ValueError, TypeError):
            self.fail(where, name, f"must be a month YYYY-MM, not {value!r}")
        raise AssertionError  # unreachable: fail() raises

    def mapping(self, where: Any, name: str) -> _Mapping:
        value = where.get(name) if isinstance(where, dict) else None
        if not isinstance(value, dict):
            self.fail(where, name, "must be a mapping")
        return value

    def sequence(self, where: _Mapping, name: str) -> list:
        value = where.get(name)
        if not isinstance(value, list) or not value:
            self.fail(where, name, "must be a non-empty list")
        return value


def read_plan_file(path: Path) -> _Mapping:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)  # noqa: S506
    except UnicodeDecodeError as error:
        raise PlanFileError(str(path), 0, "-", "the file is not UTF-8 text") from error
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else 0
        raise PlanFileError(str(path), line, "-", f"not valid YAML: {error.problem}") from error
    if not isinstance(data, dict):
        raise PlanFileError(str(path), 1, "-", "the file must hold a mapping with 'plan'")
    return data


def _organisations(reader: _Reader, data: _Mapping) -> list[dict[str, Any]]:
    entries = data.get("organisations") or []
    known = set()
    for entry in entries:
        for name in ("key", "name", "kind"):
            reader.text(entry, name)
        if entry["kind"] not in Organisation.Kind.values:
            reader.fail(entry, "kind", f"unknown kind {entry['kind']!r}")
        known.add(entry["key"])
    return entries


def _check_org_key(reader: _Reader, where: _Mapping, name: str, key: Any, known: set[str]) -> None:
    if key not in known:
        reader.fail(where, name, f"unknown organisation {key!r}")


def validate_plan_file(path: Path) -> _Mapping:
    """Parse and check the whole file; raises PlanFileError at the first fault."""
    reader = _Reader(str(path))
    data = read_plan_file(path)
    plan = reader.mapping(data, "plan")
    reader.text(plan, "external_id")
    reader.text(plan, "title")
    start, end = reader.day(plan, "period_start"), reader.day(plan, "period_end")
    if end < start:
        reader.fail(plan, "period_end", "is before period_start")
    if plan.get("status") not in Plan.Status.values:
        reader.fail(plan, "status", f"must be one of {', '.join(Plan.Status.values)}")
    act = plan.get("approving_act") or _Mapping()
    if act:
        reader.day(act, "date")
    entries = _organisations(reader, data)
    known = {entry["key"] for entry in entries} | set(
        Organisation.objects.values_list("key", flat=True)
    )
    for key in plan.get("coordinators") or []:
        _check_org_key(reader, plan, "coordinators", key, known)
    numbers, ids = set(), set()
    for commitment in reader.sequence(data, "commitments"):
        number = reader.text(commitment, "number")
        if number in numbers:
            reader.fail(commitment, "number", f"commitment {number} appears twice")
        numbers.add(number)
        reader.text(commitment, "title")
        for value in commitment.get("ogp_values") or []:
            if value not in OgpValue.values:
                reader.fail(commitment, "ogp_values", f"unknown OGP value {value!r}")
        for measure in reader.sequence(commitment, "measures"):
            external_id = reader.text(measure, "external_id")
            if external_id in ids:
                reader.fail(measure, "external_id", f"{external_id} appears twice")
            ids.add(external_id)
            for name in ("number", "text", "expected_results"):
                reader.text(measure, name)
            if reader.month(measure, "end", end=True) < reader.month(measure, "start", end=False):
                reader.fail(measure, "end", "is before start")
            _check_org_key(reader, measure, "lead", measure.get("lead"), known)
            for key in measure.get("responsible") or []:
                _check_org_key(reader, measure, "responsible", key, known)
            for partner in measure.get("partners") or []:
                if not any(partner.get(kind) for kind in ("org", "person", "text")):
                    reader.fail(partner, "org", "a partner needs org, person or text")
                if partner.get("org"):
                    _check_org_key(reader, partner, "org", partner["org"], known)
    return data


def _upsert(
    model,
    lookup: dict[str, Any],
    values: dict[str, Any],
    fields: list[str],
    *,
    actor: Any,
    action: str,
):
    """Create or update one row; audit the changed fields only (so reloading is silent)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean(validate_unique=False, validate_constraints=False)
        obj.save()
        audit_record(
            actor=actor,
            action=f"{action}.create",
            target=obj,
            changes=diff({}, snapshot(obj, fields)),
        )
        return obj
    before = snapshot(obj, fields)
    for name, value in values.items():
        setattr(obj, name, value)
    changes = diff(before, snapshot(obj, fields))
    if changes:
        obj.save()
        audit_record(actor=actor, action=f"{action}.update", target=obj, changes=changes)
    return obj


def _sync_responsibilities(
    measure: Measure, keys: list[str], orgs: dict[str, Organisation]
) -> None:
    wanted = [orgs[key].pk for key in keys]
    current = list(measure.responsibilities.values_list("organisation_id", flat=True))
    if current == wanted:
        return
    measure.responsibilities.all().delete()
    MeasureResponsibility.objects.bulk_create(
        MeasureResponsibility(measure=measure, organisation_id=org_id, position=index)
        for index, org_id in enumerate(wanted)
    )


def _partner_rows(
    measure: Measure, partners: list[dict], orgs: dict[str, Organisation]
) -> list[Partner]:
    rows = []
    for index, entry in enumerate(partners):
        row = Partner(
            measure=measure,
            position=index,
            by_consent=bool(entry.get("by_consent")),
            role=entry.get("role", "") or "",
        )
        if entry.get("org"):
            row.organisation = orgs[entry["org"]]
        elif entry.get("person"):
            row.person = person_get_or_create(full_name=entry["person"], note=row.role)
        else:
            row.text = entry["text"]
        rows.append(row)
    return rows


def _sync_partners(measure: Measure, partners: list[dict], orgs: dict[str, Organisation]) -> None:
    wanted = [
        (p.organisation_id, p.person_id, p.text, p.role, p.by_consent)
        for p in _partner_rows(measure, partners, orgs)
    ]
    current = list(
        measure.partners.values_list("organisation_id", "person_id", "text", "role", "by_consent")
    )
    if current == wanted:
        return
    measure.partners.all().delete()
    Partner.objects.bulk_create(_partner_rows(measure, partners, orgs))


@transaction.atomic
def plan_load(*, path: Path, actor: Any = None) -> Plan:
    """Load the plan in ``path`` (see plans/data/*.yaml). Idempotent; nothing is saved
    if any part of the file is at fault."""
    data = validate_plan_file(path)
    orgs = organisations_load(
        actor=actor, entries=[dict(entry) for entry in data.get("organisations") or []]
    )
    orgs.update({org.key: org for org in Organisation.objects.exclude(key__in=orgs)})
    source = data["plan"]
    act = source.get("approving_act") or {}
    reader = _Reader(str(path))
    plan = _upsert(
        Plan,
        {"external_id": source["external_id"]},
        {
            "title": source["title"].strip(),
            "period_start": reader.day(source, "period_start"),
            "period_end": reader.day(source, "period_end"),
            "status": source["status"],
            "act_body": act.get("body", ""),
            "act_kind": act.get("kind", ""),
            "act_number": str(act.get("number", "")),
            "act_date": reader.day(act, "date", required=False) if act else None,
            "act_title": act.get("title", ""),
            "act_preamble": act.get("preamble", ""),
            "act_items": list(act.get("items") or []),
            "act_signed_by": act.get("signed_by", ""),
            "description": source.get("description", ""),
        },
        PLAN_FIELDS,
        actor=actor,
        action="plan",
    )
    coordinator_keys = source.get("coordinators") or []
    if coordinator_keys:
        plan.coordinators.set([orgs[key] for key in coordinator_keys])
    for position, item in enumerate(data["commitments"]):
        commitment = _upsert(
            Commitment,
            {"plan": plan, "number": str(item["number"])},
            {
                "title": item["title"].strip(),
                "problem": item.get("problem", ""),
                "goal": item.get("goal", ""),
                "sectors_text": item.get("sectors_text", ""),
                "values_text": item.get("values_text", ""),
                "ogp_values": list(item.get("ogp_values") or []),
                "basis": item.get("basis", ""),
                "position": position,
            },
            COMMITMENT_FIELDS,
            actor=actor,
            action="commitment",
        )
        for measure_position, entry in enumerate(item["measures"]):
            responsible = list(entry.get("responsible") or [entry["lead"]])
            measure = _upsert(
                Measure,
                {"external_id": entry["external_id"]},
                {
                    "commitment_id": commitment.pk,
                    "number": str(entry["number"]),
                    "text": entry["text"].strip(),
                    "lead_id": orgs[entry["lead"]].pk,
                    "responsible_text": entry.get("responsible_text", ""),
                    "start": reader.month(entry, "start", end=False),
                    "end": reader.month(entry, "end", end=True),
                    "term_text": entry.get("term_text", ""),
                    "partners_text": entry.get("partners_text", ""),
                    "expected_results": entry["expected_results"].strip(),
                    "position": measure_position,
                },
                MEASURE_FIELDS,
                actor=actor,
                action="measure",
            )
            _sync_responsibilities(measure, responsible, orgs)
            _sync_partners(measure, list(entry.get("partners") or []), orgs)
    return plan
