"""Reads of the resident's cabinet: catalogue, queues, cabinet, statistics, reports."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hromada.core.calendar import add_working_days
from hromada.core.models import Organisation
from hromada.services.models import (
    OPEN_STATUSES,
    Application,
    ApplicationEvent,
    ApplicationFile,
    IssueCategory,
    IssueReport,
    IssueStatus,
    LifeSituation,
    ServiceCard,
    Status,
)

QUEUE_PAGE_SIZE = 50


# --- catalogue -------------------------------------------------------------------------------


def life_situations_with_counts() -> QuerySet[LifeSituation]:
    return LifeSituation.objects.annotate(
        service_count=Count("services", filter=Q(services__published=True))
    ).order_by("order", "name")


def service_cards_public(
    *, query: str = "", situation: str = "", online_only: bool = False
) -> QuerySet[ServiceCard]:
    cards = (
        ServiceCard.objects.filter(published=True)
        .select_related("organisation")
        .prefetch_related("life_situations")
        .order_by("name")
    )
    for word in query.split()[:8]:
        # Case-insensitive on both databases for Cyrillic: SQLite's LIKE folds only ASCII,
        # so the name is also matched with the word's capitalised and lower forms.
        cards = cards.filter(
            Q(name__icontains=word)
            | Q(name__contains=word.lower())
            | Q(name__contains=word.capitalize())
            | Q(result__icontains=word)
            | Q(subject__icontains=word)
        )
    if situation:
        cards = cards.filter(life_situations__key=situation)
    if online_only:
        cards = cards.filter(online=True)
    return cards.distinct()


def service_card_by_code(*, code: str) -> ServiceCard:
    return (
        ServiceCard.objects.select_related("organisation", "centre")
        .prefetch_related("life_situations")
        .get(code=code, published=True)
    )


def catalogue_rows(cards: QuerySet[ServiceCard]) -> tuple[list[str], Any]:
    header = [
        "code",
        "name",
        "register_id",
        "subject",
        "required_documents",
        "fee_uah",
        "fee_payment",
        "term_days",
        "term_kind",
        "term_basis",
        "refusal_grounds",
        "result",
        "result_delivery",
        "legal_basis",
        "responsible_body",
        "life_situations",
        "online",
        "requires_identity",
    ]

    def rows():
        for card in cards:
            yield [
                card.code,
                card.name,
                card.register_id,
                card.subject,
                "; ".join(
                    f"{d['name']}" + (f" ({d['requirements']})" if d.get("requirements") else "")
                    for d in card.required_documents
                ),
                "0" if card.is_free else card.fee,
                card.fee_payment,
                card.term_days,
                card.term_kind,
                card.term_basis,
                card.refusal_grounds,
                card.result,
                card.result_delivery,
                card.legal_basis,
                card.organisation.name,
                "; ".join(s.name for s in card.life_situations.all()),
                card.online,
                card.requires_identity,
            ]

    return header, rows()


# --- applications ----------------------------------------------------------------------------


def applications_of(*, applicant: Any) -> QuerySet[Application]:
    return (
        Application.objects.filter(applicant=applicant)
        .exclude(status=Status.DRAFT)
        .select_related("service")
        .order_by("-submitted_at", "-id")
    )


def drafts_of(*, applicant: Any) -> QuerySet[Application]:
    return Application.objects.filter(applicant=applicant, status=Status.DRAFT).select_related(
        "service"
    )


def application_for_applicant(*, pk: int, applicant: Any) -> Application:
    return (
        Application.objects.select_related("service", "service__organisation", "organisation")
        .prefetch_related(
            Prefetch(
                "events",
                queryset=ApplicationEvent.objects.filter(internal=False).select_related("actor"),
            ),
            "files",
        )
        .exclude(status=Status.DRAFT)
        .get(pk=pk, applicant=applicant)
    )


def application_for_staff(*, pk: int) -> Application:
    return (
        Application.objects.select_related(
            "service", "service__organisation", "organisation", "applicant", "assignee"
        )
        .prefetch_related(
            Prefetch("events", queryset=ApplicationEvent.objects.select_related("actor")),
            "files",
        )
        .exclude(status=Status.DRAFT)
        .get(pk=pk)
    )


def result_files(application: Application) -> list[ApplicationFile]:
    return [f for f in application.files.all() if f.kind == ApplicationFile.Kind.RESULT]


def attachments(application: Application) -> list[ApplicationFile]:
    return [f for f in application.files.all() if f.kind == ApplicationFile.Kind.ATTACHMENT]


def deadline_state(application: Any, *, today: date | None = None) -> str:
    """overdue / due_soon / on_track / paused / closed: the queue's colour."""
    today = today or timezone.localdate()
    if application.status == Status.INFO_REQUESTED:
        return "paused"
    if application.status not in OPEN_STATUSES or application.due_date is None:
        return "closed"
    if application.due_date < today:
        return "overdue"
    if application.due_date <= add_working_days(today, 2):
        return "due_soon"
    return "on_track"


@dataclass(frozen=True)
class QueueFilter:
    status: str = ""
    overdue: bool = False
    assignee: str = ""  # "", "me", "none"
    service: str = ""


def staff_queue(
    *, organisation_ids: set[int], filters: QueueFilter, user: Any
) -> QuerySet[Application]:
    """One body's applications, nearest deadline first.

    With a status: served by app_queue_idx (organisation, status, due_date, id); without
    one (all open, and "overdue only"): by the partial app_open_queue_idx. Both give rows
    in the page's order, so the first page reads 50 index entries, not the whole queue.
    The status condition is written exactly as the partial index's predicate so the
    planner can use it."""
    queue = Application.objects.filter(organisation_id__in=organisation_ids)
    if filters.status == Status.DRAFT:
        return queue.none()  # drafts are the applicant's own, never in a queue
    if filters.status:
        queue = queue.filter(status=filters.status)
    else:
        queue = queue.filter(status__in=list(OPEN_STATUSES))
    if filters.overdue:
        queue = queue.filter(status__in=list(OPEN_STATUSES), due_date__lt=timezone.localdate())
    if filters.assignee == "me":
        queue = queue.filter(assignee=user)
    elif filters.assignee == "none":
        queue = queue.filter(assignee__isnull=True)
    if filters.service:
        queue = queue.filter(service__code=filters.service)
    return (
        queue.select_related("service", "applicant", "assignee")
        # Only what the queue shows: the answers (JSON) and the card's form and route
        # (JSON) would be decoded for every row otherwise.
        .only(*QUEUE_COLUMNS)
        .order_by("due_date", "id")
    )


QUEUE_COLUMNS = (
    "id",
    "number",
    "status",
    "due_date",
    "organisation_id",
    "service__name",
    "applicant__full_name",
    "applicant__email",
    "assignee__full_name",
)


DEADLINE_LABELS = {
    "overdue": _("overdue"),
    "due_soon": _("due soon"),
    "on_track": _("on time"),
    "paused": _("term paused"),
    "closed": _("closed"),
}


@dataclass(frozen=True)
class QueueRow:
    """One line of the staff queue, worked out once in Python: the page shows 50, and per
    row a template lookup, a `date` filter or a lazy translation costs ~0.1 ms each."""

    pk: int
    url: str
    number: str
    service: str
    applicant: str
    status: str
    status_label: str
    due_iso: str
    due_text: str
    state: str
    state_label: str
    assignee: str


QUEUE_VALUES = (
    "id",
    "number",
    "status",
    "due_date",
    "service__name",
    "applicant__full_name",
    "applicant__email",
    "assignee__full_name",
)


def queue_page(queue: QuerySet[Application], number: Any) -> Page:
    """One page of the queue as plain named rows of what the page shows: building 50
    model objects (and their three related objects) costs more than the query itself.
    The count is taken on the queue itself: counted through the rows' joins to the
    card and the users it would join them for every matching application."""
    paginator = Paginator(queue.values_list(*QUEUE_VALUES, named=True), QUEUE_PAGE_SIZE)
    paginator.count = queue.count()  # sets the cached_property
    return paginator.get_page(number)


def queue_rows(applications: Any, *, today: date | None = None) -> list[QueueRow]:
    """Lines of the queue from applications or from queue_page rows."""
    today = today or timezone.localdate()
    # Each label is translated once per page, not once per row.
    status_labels = {value: str(label) for value, label in Status.choices}
    state_labels = {key: str(label) for key, label in DEADLINE_LABELS.items()}
    # One reverse() per page; the row's id goes into its place.
    url_of = reverse("services:staff_application", kwargs={"pk": 0}).rsplit("0/", 1)[0]
    rows = []
    for a in applications:
        if isinstance(a, Application):
            pk, service = a.pk, a.service.name
            applicant = a.applicant.full_name or a.applicant.email
            assignee = a.assignee.full_name if a.assignee_id and a.assignee else ""
        else:
            pk, service = a.id, a.service__name
            applicant = a.applicant__full_name or a.applicant__email
            assignee = a.assignee__full_name or ""
        state = deadline_state(a, today=today)
        due = a.due_date
        rows.append(
            QueueRow(
                pk=pk,
                url=f"{url_of}{pk}/",
                number=a.number or "",
                service=service,
                applicant=applicant,
                status=a.status,
                status_label=status_labels.get(a.status, a.status),
                due_iso=due.isoformat() if due else "",
                due_text=due.strftime("%d.%m.%Y") if due else "",
                state=state,
                state_label=state_labels[state],
                assignee=assignee,
            )
        )
    return rows


def organisations_with_applications() -> set[int]:
    """Bodies that have any application: one index probe per body (EXISTS), not a join
    over every application."""
    has_any = Application.objects.filter(organisation=OuterRef("pk"))
    return set(Organisation.objects.filter(Exists(has_any)).values_list("pk", flat=True))


def organisations_for_queue(ids: set[int]) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=ids).order_by("name")


def queue_services(organisation_ids: set[int]) -> list[tuple[str, str]]:
    """(code, name) of the services the bodies are responsible for, for the queue filter."""
    cards = ServiceCard.objects.filter(organisation_id__in=organisation_ids).order_by("name")
    return list(cards.values_list("code", "name"))


# --- statistics ------------------------------------------------------------------------------


@dataclass
class ServiceStats:
    name: str
    body: str
    total: int
    open_now: int
    overdue_now: int
    done: int
    refused: int
    on_time_share: float | None
    median_days: float | None
    rating: float | None


def statistics_by_service(*, today: date | None = None) -> list[ServiceStats]:
    today = today or timezone.localdate()
    submitted = Application.objects.exclude(status=Status.DRAFT)
    counts = {
        row["service_id"]: row
        for row in submitted.values("service_id").annotate(
            total=Count("id"),
            open_now=Count("id", filter=Q(status__in=OPEN_STATUSES)),
            overdue_now=Count("id", filter=Q(status__in=OPEN_STATUSES, due_date__lt=today)),
            done=Count("id", filter=Q(status=Status.DONE)),
            refused=Count("id", filter=Q(status=Status.REFUSED)),
        )
    }
    finished: dict[int, list[tuple[float, bool]]] = {}
    ratings: dict[int, list[int]] = {}
    for service_id, submitted_at, closed_at, due, rating in submitted.filter(
        closed_at__isnull=False
    ).values_list("service_id", "submitted_at", "closed_at", "due_date", "rating"):
        days = (closed_at - submitted_at).total_seconds() / 86400
        on_time = timezone.localdate(closed_at) <= due
        finished.setdefault(service_id, []).append((days, on_time))
        if rating:
            ratings.setdefault(service_id, []).append(rating)
    result = []
    cards = ServiceCard.objects.filter(pk__in=counts).select_related("organisation")
    for card in cards.order_by("name"):
        row = counts[card.pk]
        closed = finished.get(card.pk, [])
        result.append(
            ServiceStats(
                name=card.name,
                body=str(card.organisation),
                total=row["total"],
                open_now=row["open_now"],
                overdue_now=row["overdue_now"],
                done=row["done"],
                refused=row["refused"],
                on_time_share=round(100 * sum(ok for _d, ok in closed) / len(closed), 1)
                if closed
                else None,
                median_days=round(statistics.median(d for d, _ok in closed), 1) if closed else None,
                rating=round(statistics.mean(ratings[card.pk]), 2)
                if ratings.get(card.pk)
                else None,
            )
        )
    return result


def statistics_by_body(rows: list[ServiceStats]) -> list[dict[str, Any]]:
    bodies: dict[str, dict[str, Any]] = {}
    for row in rows:
        body = bodies.setdefault(
            row.body,
            {
                "body": row.body,
                "total": 0,
                "open_now": 0,
                "overdue_now": 0,
                "done": 0,
                "refused": 0,
            },
        )
        for key in ("total", "open_now", "overdue_now", "done", "refused"):
            body[key] += getattr(row, key)
    return sorted(bodies.values(), key=lambda b: -b["total"])


# --- city-issue reports ----------------------------------------------------------------------


def issue_categories() -> QuerySet[IssueCategory]:
    return IssueCategory.objects.select_related("organisation").order_by("group", "name")


def issue_reports_public(
    *,
    category: str = "",
    status: str = "",
    start: Any = None,
    end: Any = None,
    ids: list[int] | None = None,
) -> QuerySet[IssueReport]:
    reports = IssueReport.objects.select_related("category", "organisation")
    if ids:
        return reports.filter(pk__in=ids)
    if category:
        reports = reports.filter(category__code__in=category.split(","))
    if status:
        reports = reports.filter(status__in=status.split(","))
    if start:
        reports = reports.filter(created_at__gte=start)
    if end:
        reports = reports.filter(created_at__lte=end)
    return reports.order_by("-created_at", "-id")


MAP_POINTS_LIMIT = 2000


def issue_map_points(reports: QuerySet[IssueReport]) -> list[dict[str, Any]]:
    """The reports that have a point, for the public map: the newest MAP_POINTS_LIMIT
    (the table below the map and the downloads hold every report)."""
    url_of = reverse("services:issue", kwargs={"pk": 0}).rsplit("0/", 1)[0]
    labels = {value: str(label) for value, label in IssueStatus.choices}
    rows = reports.filter(latitude__isnull=False, longitude__isnull=False).values_list(
        "pk", "latitude", "longitude", "status", "category__name", "address"
    )[:MAP_POINTS_LIMIT]
    return [
        {
            "id": pk,
            "lat": float(lat),
            "lng": float(lng),
            "status": status,
            "status_label": labels.get(status, status),
            "category": category,
            "address": address,
            "url": f"{url_of}{pk}/",
        }
        for pk, lat, lng, status, category, address in rows
    ]


def issue_reports_recent_default() -> QuerySet[IssueReport]:
    """Open311's default window: the most recent 90 days."""
    return issue_reports_public(start=timezone.now() - timedelta(days=90))


def issue_reports_of(*, user: Any) -> QuerySet[IssueReport]:
    return IssueReport.objects.filter(reporter=user).select_related("category")
