"""Reads of the plans module: the query shapes the pages and the API use."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q, QuerySet

from hromada.core.models import Organisation
from hromada.plans.models import (
    Comment,
    Commitment,
    Completion,
    Indicator,
    Measure,
    Plan,
    ProgressReport,
)

DONE = {Completion.COMPLETE, Completion.WITHDRAWN}


def plans_public() -> QuerySet[Plan]:
    return Plan.objects.all()


def plan_by_external_id(*, external_id: str) -> Plan:
    return Plan.objects.prefetch_related("coordinators").get(external_id=external_id)


def measures_of_plan(*, plan: Plan) -> QuerySet[Measure]:
    return (
        Measure.objects.filter(commitment__plan=plan)
        .select_related("commitment", "lead")
        .prefetch_related(
            "responsibilities__organisation", "partners__organisation", "partners__person"
        )
        .order_by("commitment__position", "position")
    )


def commitments_with_measures(*, plan: Plan) -> list[Commitment]:
    measures = measures_of_plan(plan=plan)
    return list(
        plan.commitments.prefetch_related(Prefetch("measures", queryset=measures)).order_by(
            "position"
        )
    )


def weighted_progress(measures) -> Decimal:
    """Progress rolled up from measures by weight (withdrawn measures left out)."""
    counted = [m for m in measures if m.completion != Completion.WITHDRAWN]
    total_weight = sum((m.weight for m in counted), Decimal(0))
    if not total_weight:
        return Decimal(0)
    weighted = sum((m.weight * m.progress for m in counted), Decimal(0))
    return (weighted / total_weight).quantize(Decimal("0.1"))


def is_overdue(measure: Measure, *, on: date) -> bool:
    return measure.end < on and measure.completion not in DONE


def is_at_risk(measure: Measure, *, on: date) -> bool:
    """Less than a quarter of the term left and less than half done."""
    if measure.completion in DONE or measure.end < on or measure.start > on:
        return False
    term = (measure.end - measure.start).days or 1
    left = (measure.end - on).days
    return left / term < 0.25 and measure.progress < 50


@dataclass(frozen=True)
class PlanOverview:
    plan: Plan
    commitments: list[Commitment]
    progress: Decimal
    completion_counts: list[tuple[str, str, int]]
    overdue: list[Measure]
    next_deadlines: list[Measure]
    measure_count: int


def plan_overview(*, plan: Plan, on: date) -> PlanOverview:
    commitments = commitments_with_measures(plan=plan)
    measures = [m for c in commitments for m in c.measures.all()]
    for commitment in commitments:
        commitment.progress_value = weighted_progress(commitment.measures.all())
    counts = Counter(m.completion for m in measures)
    return PlanOverview(
        plan=plan,
        commitments=commitments,
        progress=weighted_progress(measures),
        completion_counts=[
            (value, label, counts.get(value, 0)) for value, label in Completion.choices
        ],
        overdue=[m for m in measures if is_overdue(m, on=on)],
        next_deadlines=sorted(
            (m for m in measures if m.end >= on and m.completion not in DONE), key=lambda m: m.end
        )[:5],
        measure_count=len(measures),
    )


@dataclass(frozen=True)
class MeasureFilters:
    organisation: str = ""
    completion: str = ""
    ogp_value: str = ""
    term: str = ""  # "overdue", "current", "future", "ended"
    q: str = ""


def measures_filtered(*, plan: Plan, filters: MeasureFilters, on: date) -> list[Measure]:
    measures = measures_of_plan(plan=plan)
    if filters.organisation:
        measures = measures.filter(
            Q(lead__key=filters.organisation)
            | Q(responsibilities__organisation__key=filters.organisation)
        ).distinct()
    if filters.completion:
        measures = measures.filter(completion=filters.completion)
    if filters.q:
        for word in filters.q.split():
            measures = measures.filter(
                Q(text__icontains=word)
                | Q(expected_results__icontains=word)
                | Q(responsible_text__icontains=word)
                | Q(commitment__title__icontains=word)
            )
    if filters.term == "current":
        measures = measures.filter(start__lte=on, end__gte=on)
    elif filters.term == "future":
        measures = measures.filter(start__gt=on)
    elif filters.term == "ended":
        measures = measures.filter(end__lt=on)
    result = list(measures)
    if filters.ogp_value:
        # JSON containment differs between SQLite and PostgreSQL; the list is small.
        result = [m for m in result if filters.ogp_value in m.commitment.ogp_values]
    if filters.term == "overdue":
        result = [m for m in result if is_overdue(m, on=on)]
    return result


def measure_by_external_id(*, external_id: str) -> Measure:
    return (
        Measure.objects.select_related("commitment__plan", "lead")
        .prefetch_related(
            "responsibilities__organisation",
            "partners__organisation",
            "partners__person",
            "indicators__values",
        )
        .get(external_id=external_id)
    )


def published_reports(
    *, measure: Measure | None = None, plan: Plan | None = None
) -> QuerySet[ProgressReport]:
    reports = (
        ProgressReport.objects.filter(state=ProgressReport.State.PUBLISHED)
        .select_related("measure__commitment__plan", "author_organisation")
        .prefetch_related("evidence")
    )
    if measure is not None:
        reports = reports.filter(measure=measure)
    if plan is not None:
        reports = reports.filter(measure__commitment__plan=plan)
    return reports.order_by("-published_at")


def reports_for_review() -> QuerySet[ProgressReport]:
    return (
        ProgressReport.objects.filter(state=ProgressReport.State.SUBMITTED)
        .select_related("measure", "author_organisation", "author")
        .prefetch_related("evidence")
        .order_by("submitted_at")
    )


def reports_of_organisations(*, organisation_ids: set[int]) -> QuerySet[ProgressReport]:
    return (
        ProgressReport.objects.filter(author_organisation_id__in=organisation_ids)
        .select_related("measure")
        .order_by("-created_at")
    )


def measures_of_organisations(*, organisation_ids: set[int]) -> QuerySet[Measure]:
    return (
        Measure.objects.filter(
            Q(lead_id__in=organisation_ids)
            | Q(responsibilities__organisation_id__in=organisation_ids)
        )
        .distinct()
        .select_related("commitment__plan")
        .order_by("commitment__plan", "commitment__position", "position")
    )


def followers_of_measure(*, measure: Measure) -> list:
    User = get_user_model()
    return list(
        User.objects.filter(
            Q(plan_follows__measure=measure)
            | Q(plan_follows__commitment_id=measure.commitment_id)
            | Q(plan_follows__plan_id=measure.commitment.plan_id),
            is_active=True,
        ).distinct()
    )


def is_following(*, user, plan=None, commitment=None, measure=None) -> bool:
    if not user.is_authenticated:
        return False
    return user.plan_follows.filter(plan=plan, commitment=commitment, measure=measure).exists()


@dataclass(frozen=True)
class BodyLoad:
    organisation: Organisation
    measures: list[Measure]
    overdue: int
    at_risk: int
    complete: int
    progress: Decimal


def control_dashboard(*, plan: Plan, on: date) -> list[BodyLoad]:
    """Per responsible body: its measures, how many are overdue or at risk."""
    by_body: dict[int, list[Measure]] = {}
    bodies: dict[int, Organisation] = {}
    for measure in measures_of_plan(plan=plan):
        for row in measure.responsibilities.all():
            by_body.setdefault(row.organisation_id, []).append(measure)
            bodies[row.organisation_id] = row.organisation
    loads = [
        BodyLoad(
            organisation=bodies[org_id],
            measures=measures,
            overdue=sum(is_overdue(m, on=on) for m in measures),
            at_risk=sum(is_at_risk(m, on=on) for m in measures),
            complete=sum(m.completion == Completion.COMPLETE for m in measures),
            progress=weighted_progress(measures),
        )
        for org_id, measures in by_body.items()
    ]
    return sorted(loads, key=lambda load: (-load.overdue, -load.at_risk, str(load.organisation)))


def measures_ending_within(*, days: int, on: date) -> QuerySet[Measure]:
    return (
        Measure.objects.filter(end__gte=on, end__lte=on + timedelta(days=days))
        .exclude(completion__in=DONE)
        .select_related("commitment__plan")
    )


def measures_past_term(*, on: date) -> QuerySet[Measure]:
    return (
        Measure.objects.filter(end__lt=on)
        .exclude(completion__in=DONE)
        .select_related("commitment__plan")
    )


def live_indicators() -> QuerySet[Indicator]:
    return Indicator.objects.exclude(metric_key="")


def comments_public(*, plan: Plan) -> QuerySet[Comment]:
    return (
        Comment.objects.filter(
            Q(commitment__plan=plan) | Q(measure__commitment__plan=plan),
            state=Comment.State.PUBLISHED,
        )
        .select_related("commitment", "measure", "author")
        .order_by("created_at")
    )


def comments_for_moderation(*, plan: Plan) -> QuerySet[Comment]:
    return (
        Comment.objects.filter(Q(commitment__plan=plan) | Q(measure__commitment__plan=plan))
        .exclude(state=Comment.State.REJECTED)
        .filter(Q(state=Comment.State.PENDING) | Q(outcome=""))
        .select_related("commitment", "measure", "author")
        .order_by("created_at")
    )


def plans_involving(*, organisation: Organisation) -> QuerySet[Plan]:
    """Plans in which ``organisation`` leads or shares a measure."""
    return Plan.objects.filter(
        Q(commitments__measures__lead=organisation)
        | Q(commitments__measures__responsibilities__organisation=organisation)
    ).distinct()


def plan_headline() -> tuple[Plan, Decimal] | None:
    """The newest plan and its progress, for the home page."""
    plan = Plan.objects.order_by("-period_start").first()
    if plan is None:
        return None
    return plan, weighted_progress(Measure.objects.filter(commitment__plan=plan))
