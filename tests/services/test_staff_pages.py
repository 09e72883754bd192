from django.urls import reverse
from django.utils import timezone

from hromada.services.models import Application, Status


def test_staff_queue_shows_own_body_with_deadline_colours(client, service, resident, staff, submit):
    application = submit(service, resident)
    overdue = submit(service, resident, key="k2")
    Application.objects.filter(pk=overdue.pk).update(
        due_date=timezone.localdate() - timezone.timedelta(days=2)
    )
    client.force_login(staff)

    page = client.get(reverse("services:staff_queue")).content.decode()
    assert application.number in page and overdue.number in page
    assert "chip-overdue" in page

    only_overdue = client.get(reverse("services:staff_queue"), {"overdue": "on"}).content.decode()
    assert overdue.number in only_overdue
    assert application.number not in only_overdue


def test_staff_queue_filters_by_service(client, bodies, service, resident, staff, submit):
    from tests.services.conftest import make_service

    other = make_service(bodies, code="dovidka-reyestratsiia")
    certificate = submit(service, resident)
    residence = submit(other, resident, key="k2")
    client.force_login(staff)

    page = client.get(reverse("services:staff_queue")).content.decode()
    assert f'<option value="{other.code}">' in page and f'<option value="{service.code}">' in page
    only = client.get(reverse("services:staff_queue"), {"service": other.code}).content.decode()
    assert residence.number in only and certificate.number not in only
    assert f'<option value="{other.code}" selected>' in only


def test_queue_is_closed_to_residents(client, resident):
    client.force_login(resident)
    assert client.get(reverse("services:staff_queue")).status_code == 403


def test_staff_page_actions_request_info_then_conflict_message(
    client, service, resident, staff, submit
):
    application = submit(service, resident)
    client.force_login(staff)
    url = reverse("services:staff_application", kwargs={"pk": application.pk})
    stale_version = application.version

    client.post(
        url,
        {
            "action": "request_info",
            "request_info-version": stale_version,
            "request_info-note": "Додайте свідоцтво про шлюб.",
        },
    )
    application.refresh_from_db()
    assert application.status == Status.INFO_REQUESTED

    response = client.post(
        url,
        {"action": "refuse", "refuse-version": stale_version, "refuse-ground": "Ст. 10."},
        follow=True,
    )
    assert "Someone else changed this application" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.INFO_REQUESTED


def test_internal_comment_is_hidden_from_the_resident(client, service, resident, staff, submit):
    application = submit(service, resident)
    client.force_login(staff)
    client.post(
        reverse("services:staff_application", kwargs={"pk": application.pk}),
        {"action": "comment", "comment-note": "Перевірити підпис."},
    )
    client.force_login(resident)
    page = client.get(application.get_absolute_url()).content.decode()
    assert "Перевірити підпис." not in page
    assert application.events.filter(internal=True).count() == 1


def test_statistics_page_and_download(client, service, resident, staff, submit):
    from hromada.services.services import application_approve

    application = submit(service, resident)
    application_approve(
        application=application,
        actor=staff,
        result_text="Текст.",
        expected_version=application.version,
    )
    page = client.get(reverse("services:statistics")).content.decode()
    assert "Видача довідки про склад сім" in page
    csv = b"".join(
        client.get(reverse("services:statistics"), {"format": "csv"}).streaming_content
    ).decode()
    assert csv.splitlines()[1].startswith("Видача довідки про склад сім'ї,")
    assert ",100.0," in csv.splitlines()[1]
