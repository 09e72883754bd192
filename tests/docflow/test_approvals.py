import pytest
from django.core.exceptions import ValidationError

from hromada.docflow.errors import AlreadyDecided, NotOnRoute, WrongState
from hromada.docflow.models import ApprovalStep, Document, RouteTemplate, RouteTemplateStep
from hromada.docflow.services import StepPlan, approval_decide, route_start, steps_from_template


@pytest.fixture
def internal(register, office):
    return register(
        kind="internal", summary="Про графік прийому громадян", signatory=office.signatory
    )


def _parallel(office):
    return [StepPlan(1, office.approver_a), StepPlan(1, office.approver_b)]


def test_parallel_approvers_both_approve_in_any_order(internal, office):
    route_start(actor=office.clerk, document=internal, steps=_parallel(office))
    approval_decide(actor=office.approver_b, document=internal, decision="approved")
    internal.refresh_from_db()
    assert internal.status == Document.Status.ON_APPROVAL
    approval_decide(actor=office.approver_a, document=internal, decision="approved")
    internal.refresh_from_db()
    assert internal.status == Document.Status.APPROVED


def test_sequential_stage_waits_for_the_one_before(internal, office):
    route_start(
        actor=office.clerk,
        document=internal,
        steps=[StepPlan(1, office.approver_a), StepPlan(2, office.approver_b)],
    )
    with pytest.raises(WrongState):
        approval_decide(actor=office.approver_b, document=internal, decision="approved")
    approval_decide(actor=office.approver_a, document=internal, decision="approved")
    step_b = ApprovalStep.objects.get(approver=office.approver_b)
    assert step_b.due_on is not None
    approval_decide(actor=office.approver_b, document=internal, decision="approved")
    internal.refresh_from_db()
    assert internal.status == Document.Status.APPROVED


def test_approval_by_someone_not_on_the_route_is_refused(internal, office):
    route_start(actor=office.clerk, document=internal, steps=_parallel(office))
    with pytest.raises(NotOnRoute):
        approval_decide(actor=office.executor, document=internal, decision="approved")
    assert not ApprovalStep.objects.exclude(decision="pending").exists()


def test_second_approval_by_the_same_person_is_refused(internal, office):
    route_start(actor=office.clerk, document=internal, steps=_parallel(office))
    approval_decide(actor=office.approver_a, document=internal, decision="approved")
    with pytest.raises(AlreadyDecided):
        approval_decide(actor=office.approver_a, document=internal, decision="approved")
    assert ApprovalStep.objects.filter(decision="approved").count() == 1


def test_rejection_needs_a_comment_and_ends_the_route(internal, office):
    route_start(actor=office.clerk, document=internal, steps=_parallel(office))
    with pytest.raises(ValidationError):
        approval_decide(actor=office.approver_a, document=internal, decision="rejected")
    approval_decide(
        actor=office.approver_a,
        document=internal,
        decision="rejected",
        comment="Суперечить регламенту",
    )
    internal.refresh_from_db()
    assert internal.status == Document.Status.REJECTED
    with pytest.raises(WrongState):
        approval_decide(actor=office.approver_b, document=internal, decision="approved")


def test_returned_document_can_be_sent_again(internal, office):
    route_start(actor=office.clerk, document=internal, steps=_parallel(office))
    approval_decide(
        actor=office.approver_a,
        document=internal,
        decision="returned",
        comment="Уточніть години прийому",
    )
    internal.refresh_from_db()
    assert internal.status == Document.Status.RETURNED
    route_start(actor=office.clerk, document=internal, steps=_parallel(office))
    assert internal.approval_routes.count() == 2


def test_route_template_of_the_kind_gives_the_steps(internal, office):
    template = RouteTemplate.objects.create(kind="internal", name="Внутрішні документи")
    RouteTemplateStep.objects.create(template=template, stage=1, approver=office.approver_a)
    RouteTemplateStep.objects.create(template=template, stage=1, approver=office.approver_b)
    route = route_start(
        actor=office.clerk, document=internal, steps=steps_from_template(template=template)
    )
    assert route.steps.filter(stage=1).count() == 2


def test_an_approver_twice_on_a_route_is_refused(internal, office):
    with pytest.raises(ValidationError):
        route_start(
            actor=office.clerk,
            document=internal,
            steps=[StepPlan(1, office.approver_a), StepPlan(2, office.approver_a)],
        )
    internal.refresh_from_db()
    assert internal.status == Document.Status.REGISTERED
    assert not internal.approval_routes.exists()
