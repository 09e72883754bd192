from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hromada.core.models import Notification
from hromada.plans.models import Comment, MeasureReminder, Plan
from hromada.plans.services import engagement
from hromada.plans.tasks import measure_reminders_send


@pytest.fixture
def consultation(plan):
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.CONSULTATION)
    plan.refresh_from_db()
    return plan


def test_comment_waits_for_moderation_then_is_answered(
    consultation, measure, user_factory, coordinator
):
    resident = user_factory()
    comment = engagement.comment_submit(
        actor=resident, target=measure, text="Додайте онлайн-запис до ЦНАП у старостатах."
    )
    assert comment.state == Comment.State.PENDING
    engagement.comment_moderate(actor=coordinator, comment=comment, publish=True)
    engagement.comment_answer(
        actor=coordinator,
        comment=comment,
        outcome="accepted",
        response="Враховано: запис додано до заходу 1.2.",
    )
    comment.refresh_from_db()
    assert comment.outcome == "accepted" and comment.answered_at
    assert Notification.objects.filter(recipient=resident).exists()


def test_comments_are_refused_once_the_plan_is_approved(plan, measure, user_factory):
    with pytest.raises(ValidationError):
        engagement.comment_submit(actor=user_factory(), target=measure, text="Пропозиція до плану.")
    assert not Comment.objects.exists()


def test_too_short_comment_is_refused(consultation, measure, user_factory):
    with pytest.raises(ValidationError):
        engagement.comment_submit(actor=user_factory(), target=measure, text="так")


def test_only_the_coordinator_moderates(consultation, measure, user_factory, infocentre_staff):
    comment = engagement.comment_submit(
        actor=user_factory(), target=measure, text="Пропозиція щодо відкритих даних."
    )
    with pytest.raises(PermissionDenied):
        engagement.comment_moderate(actor=infocentre_staff, comment=comment, publish=True)
    comment.refresh_from_db()
    assert comment.state == Comment.State.PENDING


def test_following_twice_is_one_follow(measure, user_factory):
    user = user_factory()
    engagement.follow_set(user=user, target=measure, following=True)
    engagement.follow_set(user=user, target=measure, following=True)
    assert user.plan_follows.count() == 1
    engagement.follow_set(user=user, target=measure, following=False)
    assert user.plan_follows.count() == 0


def test_reminders_go_once_to_staff_and_followers(plan, infocentre_staff, user_factory):
    follower = user_factory()
    engagement.follow_set(user=follower, target=plan, following=True)
    # 1.1 and 1.2 end 31.12.2022: "ending soon"; the five others have already passed
    assert measure_reminders_send(on=date(2022, 12, 20), days=14) == 2 + 5
    assert Notification.objects.filter(recipient=infocentre_staff).exists()
    assert Notification.objects.filter(recipient=follower).exists()
    assert measure_reminders_send(on=date(2022, 12, 21), days=14) == 0
    # after their term, 1.1 and 1.2 are reported as passed, once
    assert measure_reminders_send(on=date(2023, 1, 5), days=14) == 2
    assert MeasureReminder.objects.filter(kind="term_passed").count() == 7


def test_reviewer_records_an_assessment(measure, user_factory):
    from hromada.accounts.models import Role

    reviewer = user_factory(role=Role.REVIEWER)
    engagement.assessment_record(
        actor=reviewer,
        measure=measure,
        completion="substantial",
        potential="modest",
        opened_government="marginal",
        comment="Послуги є, але мало хто ними користується.",
    )
    assert measure.assessments.count() == 1


def test_staff_cannot_assess_their_own_measures(measure, infocentre_staff):
    with pytest.raises(PermissionDenied):
        engagement.assessment_record(
            actor=infocentre_staff,
            measure=measure,
            completion="complete",
            potential="substantial",
            opened_government="outstanding",
            comment="Усе чудово.",
        )


def test_daily_jobs_run_from_the_command(plan, capsys):
    from django.core.management import call_command

    call_command("plan_daily")
    assert "reminders sent" in capsys.readouterr().out
    assert MeasureReminder.objects.filter(kind="term_passed").count() == 7


def test_in_process_scheduler_runs_due_periodic_tasks(plan):
    from datetime import datetime

    from hromada.core.scheduler import run_due_periodic_tasks

    # 08:00 is the reminders' slot; 02:10 the snapshots'
    assert run_due_periodic_tasks(datetime(2026, 11, 30, 8, 0)) >= 1
    assert MeasureReminder.objects.count() == 7
    assert MeasureReminder.objects.count() == 7  # nothing twice
