"""The staff queue stays a fixed handful of queries however long it is, and on PostgreSQL
its page and count are served by the queue indexes (benchmarks/services_queue.py)."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hromada.services import selectors
from hromada.services.models import Application, Status


def fill_queue(*, service, body, applicants, assignees, count, start=0):
    """``count`` submitted applications straight into the table (the services' submit path
    is covered elsewhere): each with its own applicant and assignee, so a lazy relation
    would show up as one query per row."""
    today = timezone.localdate()
    statuses = [Status.SUBMITTED, Status.IN_PROGRESS, Status.INFO_REQUESTED, Status.DONE]
    Application.objects.bulk_create(
        Application(
            service=service,
            applicant=applicants[i % len(applicants)],
            assignee=assignees[i % len(assignees)],
            organisation=body,
            status=statuses[i % len(statuses)],
            number=f"2031-{i:06d}",
            year=2031,
            sequence=i,
            submitted_at=timezone.now() - timedelta(days=20),
            due_date=today - timedelta(days=1 + i % 5),
        )
        for i in range(start, start + count)
    )


def queue_queries(client, body) -> tuple[int, str]:
    url = reverse("services:staff_queue")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(
            url, {"organisation": body.pk, "status": "in_progress", "overdue": "on"}
        )
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_staff_queue_query_count_does_not_grow_with_rows(
    client, service, bodies, staff, user_factory
):
    body = bodies["admin_services"]
    people = [user_factory(full_name=f"Заявник {i}") for i in range(12)]
    client.force_login(staff)
    fill_queue(service=service, body=body, applicants=people[:2], assignees=people[:2], count=8)
    few, page = queue_queries(client, body)
    assert page.count('href="/services/staff/') == 2  # in progress and overdue: 2 of 8

    fill_queue(service=service, body=body, applicants=people, assignees=people, count=200, start=8)
    many, page = queue_queries(client, body)
    assert page.count('href="/services/staff/') == selectors.QUEUE_PAGE_SIZE
    assert many == few


def test_staff_queue_filtered_first_page_is_in_deadline_order(service, bodies, staff, user_factory):
    body = bodies["admin_services"]
    people = [user_factory() for _ in range(3)]
    fill_queue(service=service, body=body, applicants=people, assignees=people, count=40)
    queue = selectors.staff_queue(
        organisation_ids={body.pk},
        filters=selectors.QueueFilter(status=Status.IN_PROGRESS, overdue=True),
        user=staff,
    )
    rows = list(queue[:50])
    assert rows and all(a.status == Status.IN_PROGRESS for a in rows)
    assert [(a.due_date, a.pk) for a in rows] == sorted((a.due_date, a.pk) for a in rows)
    everything_open = selectors.staff_queue(
        organisation_ids={body.pk}, filters=selectors.QueueFilter(overdue=True), user=staff
    )
    assert {a.status for a in everything_open} == {
        Status.SUBMITTED,
        Status.IN_PROGRESS,
        Status.INFO_REQUESTED,
    }


def test_administrator_sees_every_body_with_applications(service, bodies, user_factory):
    people = [user_factory()]
    fill_queue(
        service=service, body=bodies["admin_services"], applicants=people, assignees=people, count=2
    )
    assert selectors.organisations_with_applications() == {bodies["admin_services"].pk}


def plan_of(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # A test table is tiny, so the planner would rightly scan it; what is checked here
        # is that the index CAN serve the query (its columns and partial predicate match).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="plans are PostgreSQL's")
def test_queue_page_is_served_by_the_queue_indexes_on_postgresql(
    service, bodies, staff, user_factory
):
    body = bodies["admin_services"]
    people = [user_factory()]
    fill_queue(service=service, body=body, applicants=people, assignees=people, count=20)
    by_status = selectors.staff_queue(
        organisation_ids={body.pk},
        filters=selectors.QueueFilter(status=Status.IN_PROGRESS, overdue=True),
        user=staff,
    )
    all_open = selectors.staff_queue(
        organisation_ids={body.pk}, filters=selectors.QueueFilter(overdue=True), user=staff
    )
    # With a status either queue index fits (the planner picks by statistics); without
    # one, only the partial index of open applications does.
    assert re.search(r"app_(open_)?queue_idx", plan_of(by_status[:50]))
    assert "app_open_queue_idx" in plan_of(all_open[:50])
    # The page needs no sort: the index gives (due date, id) order.
    assert "Sort" not in plan_of(all_open[:50])
