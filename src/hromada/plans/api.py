"""Read endpoints of the action plan (public)."""

from __future__ import annotations

from datetime import date, datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from hromada.plans import selectors
from hromada.plans.models import Assessment, Indicator, Measure, Plan

router = Router(tags=["plans"])


class PlanOut(Schema):
    external_id: str
    title: str
    status: str
    period_start: date
    period_end: date
    act_number: str
    act_date: date | None
    progress: float


class CommitmentOut(Schema):
    number: str
    title: str
    problem: str
    goal: str
    sectors_text: str
    ogp_values: list[str]
    basis: str
    measures: list[str]


class PartnerOut(Schema):
    name: str
    by_consent: bool


class MeasureOut(Schema):
    external_id: str
    commitment: str
    number: str
    text: str
    lead: str
    responsible: list[str]
    start: date
    end: date
    term_text: str
    partners: list[PartnerOut]
    expected_results: str
    completion: str
    progress: int


class IndicatorValueOut(Schema):
    date: date
    value: float
    source: str


class IndicatorOut(Schema):
    id: int
    measure: str
    name: str
    unit: str
    baseline: float | None
    target: float
    direction: str
    metric_key: str
    values: list[IndicatorValueOut]


class ReportOut(Schema):
    id: int
    measure: str
    period_start: date
    period_end: date
    completion: str
    progress: int
    narrative: str
    author_organisation: str
    published_at: datetime | None
    evidence: list[str]


class AssessmentOut(Schema):
    measure: str
    completion: str
    potential: str
    opened_government: str
    comment: str
    created_at: datetime


def _measure_out(measure: Measure) -> dict:
    return {
        "external_id": measure.external_id,
        "commitment": measure.commitment.number,
        "number": measure.number,
        "text": measure.text,
        "lead": measure.lead.key,
        "responsible": [row.organisation.key for row in measure.responsibilities.all()],
        "start": measure.start,
        "end": measure.end,
        "term_text": measure.term_text,
        "partners": [
            {"name": str(p.organisation or p.person or p.text), "by_consent": p.by_consent}
            for p in measure.partners.all()
        ],
        "expected_results": measure.expected_results,
        "completion": measure.completion,
        "progress": measure.progress,
    }


@router.get("/plans", response=list[PlanOut])
def plan_list(request):
    return [
        {
            **{f: getattr(p, f) for f in PlanOut.model_fields if f != "progress"},
            "progress": float(
                selectors.weighted_progress(Measure.objects.filter(commitment__plan=p))
            ),
        }
        for p in selectors.plans_public()
    ]


@router.get("/plans/{external_id}/commitments", response=list[CommitmentOut])
def commitment_list(request, external_id: str):
    plan = get_object_or_404(Plan, external_id=external_id)
    return [
        {
            "number": c.number,
            "title": c.title,
            "problem": c.problem,
            "goal": c.goal,
            "sectors_text": c.sectors_text,
            "ogp_values": c.ogp_values,
            "basis": c.basis,
            "measures": [m.external_id for m in c.measures.all()],
        }
        for c in selectors.commitments_with_measures(plan=plan)
    ]


@router.get("/plans/{external_id}/measures", response=list[MeasureOut])
def measure_list(request, external_id: str):
    plan = get_object_or_404(Plan, external_id=external_id)
    return [_measure_out(m) for m in selectors.measures_of_plan(plan=plan)]


@router.get("/measures/{external_id}", response=MeasureOut)
def measure_detail(request, external_id: str):
    measure = get_object_or_404(
        Measure.objects.select_related("commitment", "lead").prefetch_related(
            "responsibilities__organisation", "partners__organisation", "partners__person"
        ),
        external_id=external_id,
    )
    return _measure_out(measure)


@router.get("/indicators", response=list[IndicatorOut])
def indicator_list(request):
    return [
        {
            "id": i.pk,
            "measure": i.measure.external_id,
            "name": i.name,
            "unit": i.unit,
            "baseline": i.baseline,
            "target": i.target,
            "direction": i.direction,
            "metric_key": i.metric_key,
            "values": [
                {"date": v.date, "value": v.value, "source": v.source} for v in i.values.all()
            ],
        }
        for i in Indicator.objects.select_related("measure").prefetch_related("values")
    ]


@router.get("/reports", response=list[ReportOut])
def report_list(request):
    return [
        {
            "id": r.pk,
            "measure": r.measure.external_id,
            "period_start": r.period_start,
            "period_end": r.period_end,
            "completion": r.completion,
            "progress": r.progress,
            "narrative": r.narrative,
            "author_organisation": r.author_organisation.key,
            "published_at": r.published_at,
            "evidence": [request.build_absolute_uri(e.href) for e in r.evidence.all()],
        }
        for r in selectors.published_reports()
    ]


@router.get("/assessments", response=list[AssessmentOut])
def assessment_list(request):
    return [
        {
            "measure": a.measure.external_id,
            "completion": a.completion,
            "potential": a.potential,
            "opened_government": a.opened_government,
            "comment": a.comment,
            "created_at": a.created_at,
        }
        for a in Assessment.objects.select_related("measure")
    ]
