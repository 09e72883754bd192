"""Reads of the document workflow: lists, search, dashboards, registers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from hromada.core.metrics import percent
from hromada.core.models import AuditEvent, Organisation
from hromada.docflow.access import access_branches, is_docflow_user, visible_documents
from hromada.docflow.models import (
    DECISION_KINDS,
    SIGNED_KINDS,
    ApprovalRoute,
    ApprovalStep,
    Case,
    Document,
    Journal,
    Resolution,
    Signature,
)
from hromada.docflow.services.approvals import active_stage

DUE_SOON_DAYS = 5
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class DocumentFilters:
    query: str = ""
    kind: str = ""
    organisation_id: int | None = None
    status: str = ""
    date_from: date | None = None
    date_to: date | None = None
    # (registered_on, id) of the last document of the previous page.
    before: tuple[date, int] | None = None


def _words(query: str) -> list[str]:
    return _WORD.findall(query.lower())[:12]


# The SQLite FTS rowid is a sort key: YYYYMMDD(registered_on) * 2**32 + id (migration 0003).
SORT_KEY_SHIFT = 2**32
_SQLITE_SORT_KEY = (
    "(CAST(replace(docflow_document.registered_on, '-', '') AS INTEGER) * 4294967296 "
    "+ docflow_document.id)"
)


def sort_key(day: date, pk: int = 0) -> int:
    """The FTS rowid of a document registered on ``day`` with id ``pk``."""
    return int(day.strftime("%Y%m%d")) * SORT_KEY_SHIFT + pk


def _as_prefix(word: str) -> bool:
    """Words match as prefixes, so "ремонт" finds "ремонту" and "ремонтом". Numbers and
    words of one or two letters match whole: "25" means house 25, not 250 or 2513, and
    "р" as a prefix would read the posting list of every word that starts with it."""
    return len(word) > 2 and not word.isdigit()


def _fts_match(words: list[str]) -> str:
    return " ".join(f'"{word}"*' if _as_prefix(word) else f'"{word}"' for word in words)


def _tsquery(words: list[str]) -> str:
    # Words are \w+ only, so no tsquery operator can be smuggled in.
    return " & ".join(f"{word}:*" if _as_prefix(word) else word for word in words)


_PG_MATCH = "docflow_document.search_vector @@ to_tsquery('simple'::regconfig, %s)"
# The same test in a form the GIN index does not serve (the column is never NULL).
_PG_MATCH_UNINDEXED = (
    "COALESCE(docflow_document.search_vector, ''::tsvector) @@ to_tsquery('simple'::regconfig, %s)"
)


def _full_text(queryset: QuerySet[Document], query: str) -> QuerySet[Document]:
    """Every word of ``query`` must occur (as a word prefix) in the card or file text.
    For small sets (public decisions); ``document_search`` has its own ordered plan."""
    words = _words(query)
    if not words:
        return queryset
    if connection.vendor == "sqlite":
        return queryset.extra(
            where=[
                f"{_SQLITE_SORT_KEY} IN (SELECT rowid FROM docflow_document_fts "
                "WHERE docflow_document_fts MATCH %s)"
            ],
            params=[_fts_match(words)],
        )
    if connection.vendor == "postgresql":
        return queryset.extra(where=[_PG_MATCH], params=[_tsquery(words)])
    for word in words:
        queryset = queryset.filter(search_text__icontains=word)
    return queryset


def _card_filters(queryset: QuerySet[Document], filters: DocumentFilters) -> QuerySet[Document]:
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.organisation_id:
        queryset = queryset.filter(organisation_id=filters.organisation_id)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.date_from:
        queryset = queryset.filter(registered_on__gte=filters.date_from)
    if filters.date_to:
        queryset = queryset.filter(registered_on__lte=filters.date_to)
    return queryset


def _sqlite_ranked_search(
    queryset: QuerySet[Document], words: list[str], filters: DocumentFilters
) -> QuerySet[Document]:
    """Drive the query from the FTS index walked newest first (rowid = sort key), joining
    each hit to its card by primary key, so ``[:20]`` stops after the first 20 hits that
    pass the access rule and filters instead of sorting every match."""
    where = [
        "docflow_document_fts MATCH %s",
        f"docflow_document.id = docflow_document_fts.rowid %% {SORT_KEY_SHIFT}",
    ]
    params: list[Any] = [_fts_match(words)]
    # Date filters become a rowid range inside FTS5, not a check on each hit.
    if filters.date_from:
        where.append("docflow_document_fts.rowid >= %s")
        params.append(sort_key(filters.date_from))
    if filters.date_to:
        where.append("docflow_document_fts.rowid < %s")
        params.append(sort_key(filters.date_to + timedelta(days=1)))
    if filters.before:
        where.append("docflow_document_fts.rowid < %s")
        params.append(sort_key(*filters.before))
    return queryset.extra(
        tables=["docflow_document_fts"],
        where=where,
        params=params,
        select={"search_rank": "docflow_document_fts.rowid"},
        # Equal to ("-registered_on", "-id") by construction of the key.
        order_by=["-search_rank"],
    )


SEARCH_PAGE = 25


def document_search(
    *, user: Any, filters: DocumentFilters, limit: int = SEARCH_PAGE
) -> list[Document]:
    """The first ``limit`` documents ``user`` may see that match ``filters``, newest first
    (registration date, then id); ``filters.before`` continues after a previous page.
    The access rule is part of the same SQL query as the match."""
    if not is_docflow_user(user):
        return []
    if connection.vendor == "postgresql":
        return _postgres_search(user, filters, limit)
    queryset = _card_filters(visible_documents(user), filters).select_related("organisation")
    words = _words(filters.query)
    if words and connection.vendor == "sqlite":
        return list(_sqlite_ranked_search(queryset, words, filters)[:limit])
    queryset = _before(_full_text(queryset, filters.query), filters.before)
    return list(queryset.order_by("-registered_on", "-id")[:limit])


def _before(queryset: QuerySet[Document], before: tuple[date, int] | None) -> QuerySet[Document]:
    if before is None:
        return queryset
    day, pk = before
    return queryset.filter(Q(registered_on__lt=day) | Q(registered_on=day, pk__lt=pk))


# How many of the newest cards (after the filters) are searched first, by walking them.
RECENT_WINDOW = 5000
# Up to this many matches the word index answers best (fetch them, keep the visible ones,
# sort); above it matches are dense enough that walking newest first finds a page sooner.
SPARSE_MATCHES = 2000


def _postgres_search(user: Any, filters: DocumentFilters, limit: int) -> list[Document]:
    """PostgreSQL, in up to three steps, each with a bounded cost.

    The planner alone cannot choose between walking the cards newest first and reading
    the GIN index: it multiplies the frequencies of words that come together ("оренду
    майна"), guesses at prefixes, and cannot see through the access rule as one OR.
    0. Whole words the planner expects to be rare (a number): the GIN index at once.
    1. Walk the newest RECENT_WINDOW cards: a common match fills the page there.
    2. Read a rare match from the GIN index (at most SPARSE_MATCHES), keep the visible.
    3. Otherwise walk newest first once per way of seeing a document (access branches,
       each with an honest estimate and an index of its own), merged by a UNION."""
    base = _before(_card_filters(Document.objects.all(), filters), filters.before)
    words = _words(filters.query)
    if not words:
        return _merged_branches(user, base, limit)
    tsquery = _tsquery(words)
    matched = base.extra(where=[_PG_MATCH], params=[tsquery])
    # Whole words only (numbers, "Вх"): the planner estimates them well and the GIN
    # index intersects them fast, so a rare one goes to the index at once.
    if not any(map(_as_prefix, words)) and _estimated_matches(tsquery) <= SPARSE_MATCHES:
        sparse = _sparse_match_ids(matched)
        if sparse is not None:
            return _newest_visible(user, Document.objects.filter(pk__in=sparse), limit)
    walked = base.extra(where=[_PG_MATCH_UNINDEXED], params=[tsquery])
    bound = list(
        base.order_by("-registered_on", "-id").values_list("registered_on", "id")[
            RECENT_WINDOW : RECENT_WINDOW + 1
        ]
    )
    recent = walked
    if bound:
        day, pk = bound[0]
        recent = walked.filter(Q(registered_on__gt=day) | Q(registered_on=day, pk__gt=pk))
    found = _newest_visible(user, recent, limit)
    if len(found) == limit or not bound:
        return found
    if _likely_sparse(recent.count() / RECENT_WINDOW, tsquery):
        sparse = _sparse_match_ids(matched)
        if sparse is not None:
            return _newest_visible(user, Document.objects.filter(pk__in=sparse), limit)
    return _merged_branches(user, walked, limit)


def _newest_visible(user: Any, queryset: QuerySet[Document], limit: int) -> list[Document]:
    visible = visible_documents(user, queryset).select_related("organisation")
    return list(visible.order_by("-registered_on", "-id")[:limit])


def _merged_branches(user: Any, queryset: QuerySet[Document], limit: int) -> list[Document]:
    branches = [
        queryset.filter(condition)
        .values("id", "registered_on")
        .order_by("-registered_on", "-id")[:limit]
        for condition in access_branches(user)
    ]
    merged = branches[0].union(*branches[1:]).order_by("-registered_on", "-id")[:limit]
    ids = [row["id"] for row in merged]
    by_id = Document.objects.select_related("organisation").in_bulk(ids)
    return [by_id[pk] for pk in ids]


def _likely_sparse(recent_share: float, tsquery: str) -> bool:
    """Worth reading from the GIN index: few matches among the newest cards, and the
    planner's guess for the words alone is low too (it knows frequent words well)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = 'docflow_document'::regclass")
        cards = max(cursor.fetchone()[0], 0)
    if recent_share * cards > SPARSE_MATCHES:
        return False
    return _estimated_matches(tsquery) <= 20 * SPARSE_MATCHES


def _estimated_matches(tsquery: str) -> float:
    """The planner's estimate of the cards matching the words (no query is run)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN (FORMAT JSON) SELECT 1 FROM docflow_document WHERE " + _PG_MATCH, [tsquery]
        )
        return cursor.fetchone()[0][0]["Plan"]["Plan Rows"]


def _sparse_match_ids(matched: QuerySet[Document]) -> list[int] | None:
    """The ids of every match when there are at most SPARSE_MATCHES, else None."""
    sql, params = matched.values("id").query.sql_with_params()
    with connection.cursor() as cursor, transaction.atomic():
        # Only a bitmap scan: with a LIMIT the planner may otherwise start a sequential
        # scan hoping to meet the matches early, and read the whole table.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"{sql} LIMIT {SPARSE_MATCHES + 1}", params)
        ids = [row[0] for row in cursor.fetchall()]
        cursor.execute("RESET enable_seqscan")
        cursor.execute("RESET enable_indexscan")
    return ids if len(ids) <= SPARSE_MATCHES else None


def document_detail(*, user: Any, pk: int) -> Document:
    """Raises Document.DoesNotExist also when the user may not see it."""
    return (
        visible_documents(user)
        .select_related("organisation", "case", "signatory", "journal", "created_by")
        .get(pk=pk)
    )


def document_history(*, document: Document) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        target_type="docflow.document", target_id=str(document.pk)
    ).order_by("id")


@dataclass
class RouteView:
    route: ApprovalRoute
    steps: list[ApprovalStep]
    active_stage: int | None


def document_routes(*, document: Document) -> list[RouteView]:
    views = []
    for route in document.approval_routes.order_by("id"):
        steps = list(route.steps.select_related("approver").order_by("stage", "id"))
        stage = active_stage(route) if route.status == ApprovalRoute.Status.IN_PROGRESS else None
        views.append(RouteView(route, steps, stage))
    return views


def pending_approvals(*, user: Any) -> list[ApprovalStep]:
    """Steps waiting for ``user`` whose stage has started."""
    steps = ApprovalStep.objects.filter(
        approver=user,
        decision=ApprovalStep.Decision.PENDING,
        route__status=ApprovalRoute.Status.IN_PROGRESS,
    ).select_related("route__document")
    earlier_pending = ApprovalStep.objects.filter(
        route=OuterRef("route"), decision=ApprovalStep.Decision.PENDING, stage__lt=OuterRef("stage")
    )
    return list(steps.filter(~Exists(earlier_pending)).order_by("due_on"))


def documents_to_sign(*, user: Any) -> QuerySet[Document]:
    routed = ApprovalRoute.objects.filter(document=OuterRef("pk"))
    return Document.objects.filter(signatory=user, kind__in=SIGNED_KINDS).filter(
        Q(status=Document.Status.APPROVED)
        | (Q(status=Document.Status.REGISTERED) & ~Exists(routed))
    )


def resolutions_to_execute(*, user: Any) -> QuerySet[Resolution]:
    return (
        Resolution.objects.filter(Q(lead_executor=user) | Q(co_executors=user))
        .filter(status=Resolution.Status.ON_CONTROL)
        .select_related("document")
        .distinct()
        .order_by("due_on")
    )


def resolutions_to_remove(*, user: Any, can_oversee: bool) -> QuerySet[Resolution]:
    reported = Resolution.objects.filter(status=Resolution.Status.REPORTED)
    if not can_oversee:
        reported = reported.filter(controller=user)
    return reported.select_related("document", "lead_executor").order_by("due_on")


@dataclass
class BodyExecution:
    organisation: Organisation
    done: int = 0
    on_time: int = 0
    overdue_open: int = 0

    @property
    def on_time_share(self) -> Decimal | None:
        return percent(self.on_time, self.done)


@dataclass
class ControlDashboard:
    due_soon: list[Resolution]
    overdue: list[Resolution]
    awaiting_removal: list[Resolution]
    bodies: list[BodyExecution] = field(default_factory=list)


def control_dashboard(*, user: Any, on: date | None = None) -> ControlDashboard:
    """Control of execution over resolutions on documents ``user`` may see."""
    on = on or timezone.localdate()
    visible = visible_documents(user).values("pk")
    resolutions = Resolution.objects.filter(document__in=visible).select_related(
        "document__organisation", "lead_executor"
    )
    open_ = resolutions.filter(status=Resolution.Status.ON_CONTROL)
    bodies: dict[int, BodyExecution] = {}
    done_rows = resolutions.exclude(status=Resolution.Status.ON_CONTROL)
    for resolution in done_rows:
        body = bodies.setdefault(
            resolution.document.organisation_id, BodyExecution(resolution.document.organisation)
        )
        body.done += 1
        body.on_time += bool(resolution.done_on_time)
    for resolution in open_.filter(due_on__lt=on):
        body = bodies.setdefault(
            resolution.document.organisation_id, BodyExecution(resolution.document.organisation)
        )
        body.overdue_open += 1
    return ControlDashboard(
        due_soon=list(open_.filter(due_on__gte=on, due_on__lte=on + timedelta(days=DUE_SOON_DAYS))),
        overdue=list(open_.filter(due_on__lt=on)),
        awaiting_removal=list(resolutions.filter(status=Resolution.Status.REPORTED)),
        bodies=sorted(bodies.values(), key=lambda body: body.organisation.name),
    )


# --- paperless share -----------------------------------------------------------------


def paperless_filter() -> Q:
    """A document is paperless when it exists only electronically: received or created
    as an electronic original, and, for documents the city signs, signed in Hromada
    (any approval having run in Hromada too, as every route does)."""
    signed = Signature.objects.filter(document=OuterRef("pk"))
    return Q(medium=Document.Medium.ELECTRONIC) & (~Q(kind__in=SIGNED_KINDS) | Q(Exists(signed)))


@dataclass(frozen=True)
class PaperlessShare:
    organisation: Organisation | None
    total: int
    paperless: int

    @property
    def share(self) -> Decimal | None:
        return percent(self.paperless, self.total)


def paperless_share(*, since: date | None = None) -> PaperlessShare:
    documents = Document.objects.all()
    if since:
        documents = documents.filter(registered_on__gte=since)
    return PaperlessShare(None, documents.count(), documents.filter(paperless_filter()).count())


def paperless_share_by_body() -> list[PaperlessShare]:
    rows = (
        Document.objects.values("organisation")
        .annotate(total=Count("pk"), paperless=Count("pk", filter=paperless_filter()))
        .order_by()
    )
    organisations = Organisation.objects.in_bulk([row["organisation"] for row in rows])
    return sorted(
        (
            PaperlessShare(organisations[row["organisation"]], row["total"], row["paperless"])
            for row in rows
        ),
        key=lambda item: item.organisation.name,
    )


# --- public register of decisions ----------------------------------------------------------


def public_decisions(
    *, query: str = "", kind: str = "", year: int | None = None
) -> QuerySet[Document]:
    decisions = Document.objects.filter(
        is_public=True, restricted=False, kind__in=DECISION_KINDS
    ).select_related("organisation")
    if kind:
        decisions = decisions.filter(kind=kind)
    if year:
        decisions = decisions.filter(year=year)
    return _full_text(decisions, query).order_by("-registered_on", "-number")


def public_decision(*, pk: int) -> Document:
    return public_decisions().get(pk=pk)


def public_signature(*, document: Document) -> Signature | None:
    return document.signatures.order_by("-signed_at").first()


# --- registers and archive -------------------------------------------------------------------


def journals(*, user: Any) -> list[tuple[Journal, int]]:
    visible = visible_documents(user)
    counts = dict(
        visible.values_list("journal")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("journal", "n")
    )
    listed = Journal.objects.filter(pk__in=counts).select_related("organisation")
    return [(journal, counts[journal.pk]) for journal in listed]


def journal_documents(*, user: Any, journal: Journal, year: int) -> QuerySet[Document]:
    return visible_documents(user).filter(journal=journal, year=year).order_by("number")


def nomenclature(*, year: int) -> QuerySet[Case]:
    """The combined nomenclature of cases of all bodies for ``year``."""
    return (
        Case.objects.filter(year=year)
        .select_related("organisation")
        .annotate(documents_count=Count("documents"))
        .order_by("organisation__name", "index")
    )


def archive_cases() -> QuerySet[Case]:
    return (
        Case.objects.filter(closed_on__isnull=False)
        .select_related("organisation")
        .order_by("-closed_on", "index")
    )


def retention_expired(*, on: date | None = None) -> list[Case]:
    """Closed cases whose retention ended before ``on``: to be reviewed for destruction."""
    on = on or timezone.localdate()
    candidates = archive_cases().filter(retention_years__isnull=False)
    return [case for case in candidates if case.retention_ends_year < on.year]
