import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from hromada.core.calendar import add_calendar_days, add_working_days
from hromada.core.models import Notification
from hromada.services.models import Application, ApplicationEvent, Status
from hromada.services.services import (
    ApplicationConflict,
    ServiceRefused,
    application_advance,
    application_approve,
    application_assign,
    application_provide_info,
    application_refuse,
    application_request_info,
    receipt_for,
)

from .conftest import make_service, pdf


def test_submit_gives_a_number_a_working_day_due_date_and_a_receipt(service, resident, submit):
    application = submit(service, resident)

    today = timezone.localdate()
    assert application.status == Status.SUBMITTED
    assert application.number == f"{today.year}-000001"
    assert application.due_date == add_working_days(today, 1)
    text = "".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO(receipt_for(application=application))).pages
    )
    assert application.number in text
    assert "Видача довідки про склад сім'ї" in text
    assert Notification.objects.filter(recipient=resident).count() == 1


def test_calendar_day_term_ends_on_a_working_day(bodies, resident, submit):
    service = make_service(bodies, code="kalendarni", term_kind="calendar", term_days=30)
    application = submit(service, resident)
    assert application.due_date == add_calendar_days(timezone.localdate(), 30)


def test_numbers_run_without_gaps_within_the_year(bodies, resident, submit):
    first = submit(make_service(bodies, code="a"), resident, key="a")
    second = submit(make_service(bodies, code="b"), resident, key="b")
    assert second.sequence == first.sequence + 1


def test_the_same_idempotency_key_twice_creates_one_application(service, resident, submit):
    first = submit(service, resident, key="same")
    again = submit(service, resident, key="same")
    assert again.pk == first.pk
    assert Application.objects.exclude(status=Status.DRAFT).count() == 1


def test_unverified_resident_is_asked_for_an_e_id(client, service, user_factory):
    client.force_login(user_factory())
    response = client.get(reverse("services:apply", kwargs={"code": service.code}))
    assert response.status_code == 403
    assert not Application.objects.exists()


def test_draft_saved_then_submitted_with_its_attachment(client, service, resident):
    client.force_login(resident)
    url = reverse("services:apply", kwargs={"code": service.code})
    client.post(url, {"address": "вул. Соборна, 16", "passport": pdf(), "save_draft": "1"})
    draft = Application.objects.get(status=Status.DRAFT)
    assert draft.data == {"address": "вул. Соборна, 16"}
    assert draft.files.count() == 1

    response = client.post(
        url,
        {"address": "вул. Соборна, 16", "purpose": "bank", "idempotency_key": "abc", "submit": "1"},
    )

    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED, response.content.decode()[:3000]
    assert response.url == draft.get_absolute_url()


def test_missing_fields_are_refused_and_nothing_is_submitted(client, service, resident):
    client.force_login(resident)
    url = reverse("services:apply", kwargs={"code": service.code})
    response = client.post(url, {"address": "", "idempotency_key": "x", "submit": "1"})
    assert response.status_code == 200
    assert not Application.objects.exclude(status=Status.DRAFT).exists()


def test_request_for_information_pauses_the_term_and_the_answer_extends_it(
    service, resident, staff, submit
):
    application = submit(service, resident)
    application_request_info(
        application=application,
        actor=staff,
        note="Додайте свідоцтво.",
        expected_version=application.version,
    )
    assert application.status == Status.INFO_REQUESTED
    assert (
        Notification.objects.filter(recipient=resident, url=application.get_absolute_url()).count()
        == 2
    )
    # The applicant answers three days later.
    application.paused_on = timezone.localdate() - timezone.timedelta(days=3)
    Application.objects.filter(pk=application.pk).update(paused_on=application.paused_on)
    due_before = application.due_date

    application_provide_info(
        application=application, applicant=resident, note="Додаю.", uploads=[pdf("svidotstvo.pdf")]
    )

    from hromada.core.calendar import working_days_between

    paused = working_days_between(
        application.paused_on or timezone.localdate() - timezone.timedelta(days=3),
        timezone.localdate(),
    )
    application.refresh_from_db()
    assert application.status == Status.IN_PROGRESS
    assert application.due_date == add_working_days(due_before, paused)
    assert application.files.filter(original_name="svidotstvo.pdf").exists()


def test_approve_generates_a_result_pdf_the_resident_downloads(
    client, service, resident, staff, submit
):
    application = submit(service, resident)
    application_approve(
        application=application,
        actor=staff,
        expected_version=application.version,
        result_text="Склад сім'ї: Ковальчук Олена Петрівна.",
    )
    result = application.files.get(kind="result")
    client.force_login(resident)
    response = client.get(reverse("services:file", kwargs={"pk": result.pk}))
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF")
    assert "Ковальчук" in PdfReader(io.BytesIO(content)).pages[0].extract_text()


def test_another_resident_cannot_download_the_result(
    client, service, resident, staff, submit, user_factory
):
    application = submit(service, resident)
    application_approve(
        application=application,
        actor=staff,
        expected_version=application.version,
        result_text="Текст.",
    )
    client.force_login(user_factory())
    result = application.files.get(kind="result")
    assert client.get(reverse("services:file", kwargs={"pk": result.pk})).status_code == 404


def test_two_staff_acting_at_once_one_wins_the_other_is_told(
    service, resident, staff, other_staff, submit
):
    application = submit(service, resident)
    seen_by_both = application.version
    mine = Application.objects.get(pk=application.pk)
    theirs = Application.objects.get(pk=application.pk)

    application_request_info(
        application=mine, actor=staff, note="Потрібна довідка.", expected_version=seen_by_both
    )
    with pytest.raises(ApplicationConflict, match="Someone else changed"):
        application_refuse(
            application=theirs, actor=other_staff, ground="Ст. 10.", expected_version=seen_by_both
        )

    application.refresh_from_db()
    assert application.status == Status.INFO_REQUESTED
    assert application.refusal_ground == ""
    assert not application.events.filter(kind=ApplicationEvent.Kind.REFUSED).exists()


def test_stale_write_that_passed_the_check_is_still_refused_by_the_versioned_update(
    service, resident, staff, other_staff, submit
):
    application = submit(service, resident)
    stale = Application.objects.get(pk=application.pk)
    # The other staff member's write lands between our read and our UPDATE.
    Application.objects.filter(pk=application.pk).update(version=stale.version + 1)
    from hromada.services.services import _save_versioned

    stale.status = Status.REFUSED
    with pytest.raises(ApplicationConflict):
        _save_versioned(stale, expected_version=stale.version, fields=["status"])


def test_staff_of_another_body_may_not_act(service, resident, foreign_staff, submit):
    application = submit(service, resident)
    with pytest.raises(ServiceRefused):
        application_assign(
            application=application,
            actor=foreign_staff,
            assignee=foreign_staff,
            expected_version=application.version,
        )
    application.refresh_from_db()
    assert application.assignee is None


def test_refusal_needs_a_legal_ground(service, resident, staff, submit):
    application = submit(service, resident)
    with pytest.raises(ServiceRefused):
        application_refuse(
            application=application, actor=staff, ground=" ", expected_version=application.version
        )
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_a_transition_the_state_does_not_allow_is_refused(service, resident, staff, submit):
    application = submit(service, resident)
    application_refuse(
        application=application, actor=staff, ground="Ст. 10.", expected_version=application.version
    )
    with pytest.raises(ServiceRefused, match="cannot be done"):
        application_request_info(
            application=application, actor=staff, note="?", expected_version=application.version
        )


def test_route_passes_the_application_between_bodies(bodies, resident, staff, user_factory, submit):
    from hromada.accounts.models import Role

    route = [
        {"name": "Перевірка комплектності в ЦНАП", "organisation": "admin_services"},
        {"name": "Розгляд", "organisation": "architecture_dept"},
    ]
    service = make_service(bodies, code="reklama", route=route)
    architect = user_factory(role=Role.STAFF, organisation=bodies["architecture_dept"])
    application = submit(service, resident)
    assert application.organisation.key == "admin_services"
    with pytest.raises(ServiceRefused, match="further steps"):
        application_approve(
            application=application,
            actor=staff,
            result_text="Дозвіл.",
            expected_version=application.version,
        )

    application_advance(application=application, actor=staff, expected_version=application.version)
    assert application.organisation.key == "architecture_dept"
    with pytest.raises(ServiceRefused):
        application_refuse(
            application=application,
            actor=staff,
            ground="Ст. 10.",
            expected_version=application.version,
        )
    application_approve(
        application=application,
        actor=architect,
        result_text="Дозвіл.",
        expected_version=application.version,
    )
    assert application.status == Status.DONE
