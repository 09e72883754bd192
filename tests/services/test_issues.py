import io
from decimal import Decimal

import pytest
import requests
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from hromada.accounts.models import Role
from hromada.services.models import IssueCategory, IssueReport, IssueStatus
from hromada.services.services import (
    ServiceRefused,
    issue_category_upsert,
    issue_merge,
    issue_report_create,
    issue_status_set,
)


def jpeg_with_gps(size=(3000, 2000)) -> SimpleUploadedFile:
    image = Image.new("RGB", size, "grey")
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (49.0, 25.0, 0.0)}  # GPSInfo
    exif[0x010F] = "PhoneMaker"
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile("yama.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_report_photo_is_downscaled_and_stripped_of_location(pothole):
    report = issue_report_create(
        category=pothole,
        description="Яма.",
        latitude=Decimal("49.4215"),
        longitude=Decimal("26.996"),
        photo=jpeg_with_gps(),
    )
    stored = Image.open(report.photo.open("rb"))
    assert max(stored.size) == 1600
    assert not stored.getexif()
    assert report.organisation.key == "infrastructure_dept"


def test_point_outside_the_community_is_refused(pothole):
    with pytest.raises(ServiceRefused, match="outside"):
        issue_report_create(
            category=pothole,
            description="Яма.",
            latitude=Decimal("50.45"),
            longitude=Decimal("30.52"),
        )
    assert not IssueReport.objects.exists()


def test_status_change_needs_the_responsible_body_and_notifies(pothole, user_factory, bodies):
    resident = user_factory()
    report = issue_report_create(
        category=pothole, description="Яма.", address="вул. Соборна, 1", reporter=resident
    )
    with pytest.raises(ServiceRefused):
        issue_status_set(report=report, actor=resident, status=IssueStatus.FIXED)
    road_staff = user_factory(role=Role.STAFF, organisation=bodies["infrastructure_dept"])
    issue_status_set(
        report=report,
        actor=road_staff,
        status=IssueStatus.PLANNED,
        note="У графіку ремонту на травень.",
    )
    assert resident.notifications.count() == 1


def test_duplicates_are_merged_into_the_original(pothole, user_factory, bodies):
    road_staff = user_factory(role=Role.STAFF, organisation=bodies["infrastructure_dept"])
    first = issue_report_create(category=pothole, description="Яма.", address="вул. Соборна, 1")
    second = issue_report_create(
        category=pothole, description="Та сама яма.", address="вул. Соборна, 1"
    )
    issue_merge(report=second, into=first, actor=road_staff)
    second.refresh_from_db()
    assert second.duplicate_of == first and second.status == IssueStatus.CLOSED
    with pytest.raises(ServiceRefused):
        issue_merge(report=first, into=second, actor=road_staff)


def test_report_form_page(client, pothole, user_factory):
    client.force_login(user_factory())
    response = client.post(
        reverse("services:issue_new"),
        {
            "category": pothole.pk,
            "description": "Яма біля переходу.",
            "latitude": "49.421500",
            "longitude": "26.996000",
        },
    )
    report = IssueReport.objects.get()
    assert response.url == report.get_absolute_url()
    assert report.get_absolute_url() in client.get(reverse("services:issues")).content.decode()
    assert "Яма біля переходу." in client.get(report.get_absolute_url()).content.decode()
    listing = client.get(reverse("services:issues"), {"format": "csv"})
    assert "Вибоїна на дорозі" in b"".join(listing.streaming_content).decode()


def test_open311_round_trip(client, pothole):
    services = client.get("/open311/v2/services.json").json()
    assert services[0]["service_code"] == "pothole"
    assert client.get("/open311/v2/services/pothole.json").json()["attributes"] == []

    created = client.post(
        "/open311/v2/requests.json",
        {
            "service_code": "pothole",
            "lat": "49.4215",
            "long": "26.996",
            "description": "Яма на Проскурівській.",
            "email": "olena@example.org",
        },
    )
    assert created.status_code == 201
    request_id = created.json()[0]["service_request_id"]

    fetched = client.get(f"/open311/v2/requests/{request_id}.json").json()[0]
    assert fetched["status"] == "open"
    assert fetched["lat"] == pytest.approx(49.4215)
    assert fetched["description"] == "Яма на Проскурівській."

    by_address = client.post(
        "/open311/v2/requests.json",
        {
            "service_code": "pothole",
            "address_string": "вул. Соборна, 16",
            "description": "Яма.",
        },
    )
    assert by_address.status_code == 201
    listed = client.get(
        "/open311/v2/requests.json", {"service_code": "pothole", "status": "open"}
    ).json()
    assert len(listed) == 2


def test_open311_bad_requests_are_explained(client, pothole):
    outside = client.post(
        "/open311/v2/requests.json",
        {
            "service_code": "pothole",
            "lat": "50.45",
            "long": "30.52",
            "description": "Яма.",
        },
    )
    assert outside.status_code == 400
    assert "outside" in outside.json()[0]["description"]
    unknown = client.post("/open311/v2/requests.json", {"service_code": "nope"})
    assert unknown.status_code == 400
    no_place = client.post(
        "/open311/v2/requests.json", {"service_code": "pothole", "description": "Яма."}
    )
    assert no_place.status_code == 400
    assert client.get("/open311/v2/requests/999.json").status_code == 404
    assert not IssueReport.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_georeport_client_lists_services_and_reads_a_posted_request(
    live_server, organisation_factory
):
    from georeport import GeoReport

    body = organisation_factory(key="infrastructure_dept", name="Департамент інфраструктури")
    issue_category_upsert(
        actor=None, code="street-light", name="Не працює освітлення", organisation=body
    )
    client = GeoReport(f"{live_server.url}/open311/v2")
    assert [s["service_code"] for s in client.get_service_list()] == ["street-light"]
    # georeport reads; the POST helper is plain requests, as the spec's form-encoded POST.
    posted = requests.post(
        f"{live_server.url}/open311/v2/requests.json",
        data={
            "service_code": "street-light",
            "lat": "49.431",
            "long": "26.954",
            "description": "Не світять ліхтарі.",
        },
        timeout=10,
    ).json()
    request_id = posted[0]["service_request_id"]
    fetched = client.get_service_requests(service_request_id=request_id)
    assert fetched[0]["status"] == "open"
    assert IssueCategory.objects.count() == 1
