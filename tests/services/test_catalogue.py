import pytest
from django.urls import reverse

from hromada.core.metrics import provider
from hromada.core.models import AuditEvent
from hromada.services.models import IssueCategory, ServiceCard
from hromada.services.services import CATALOGUE_FILE, catalogue_load

from .conftest import make_service


def test_demo_catalogue_loads_forty_plus_cards_idempotently(plan_bodies):
    loaded = catalogue_load(actor=None)
    assert loaded >= 40
    assert ServiceCard.objects.count() == loaded
    assert IssueCategory.objects.filter(code="pothole").exists()
    card = ServiceCard.objects.get(code="order-vydalennia-zelenykh-nasadzhen")
    assert card.organisation.key == "infrastructure_dept"
    assert card.required_documents and card.legal_basis and card.refusal_grounds
    events = AuditEvent.objects.order_by("-pk").first().pk

    catalogue_load(actor=None)

    assert (
        list(
            AuditEvent.objects.filter(pk__gt=events).values_list("action", "target_repr", "changes")
        )
        == []
    )


def test_catalogue_with_a_bad_card_loads_nothing_and_names_the_card(plan_bodies, tmp_path):
    source = CATALOGUE_FILE.read_text(encoding="utf-8")
    broken = source.replace("organisation: trade_dept", "organisation: no_such_body", 1)
    path = tmp_path / "catalogue.yaml"
    path.write_text(broken, encoding="utf-8")

    with pytest.raises(ValueError, match="rezhym-roboty-torhivli"):
        catalogue_load(actor=None, path=path)

    assert not ServiceCard.objects.exists()


def test_online_share_counts_services_with_a_working_online_form(bodies):
    make_service(bodies, code="online-one")
    make_service(bodies, code="offline-one", online=False, form=[])
    make_service(bodies, code="offline-two", online=False, form=[])
    make_service(bodies, code="online-two")

    assert str(provider("services.online_share").value()) == "50.00"


def test_search_is_case_insensitive_for_cyrillic(client, bodies):
    make_service(bodies)

    response = client.get(reverse("services:index"), {"q": "ДОВІДКИ"})
    assert "Видача довідки про склад сім" in response.content.decode()

    response = client.get(reverse("services:index"), {"q": "довідки"})
    assert "Видача довідки про склад сім" in response.content.decode()


def test_browse_by_life_situation_and_read_the_card(client, service):
    page = client.get(reverse("services:situation", kwargs={"key": "documents"})).content.decode()
    assert service.get_absolute_url() in page
    card = client.get(service.get_absolute_url()).content.decode()
    assert "Закон України «Про адміністративні послуги»" in card
    assert reverse("services:apply", kwargs={"code": service.code}) in card


def test_catalogue_downloads_as_open_data(client, service):
    response = client.get(reverse("services:catalogue_download", kwargs={"fmt": "csv"}))
    body = b"".join(response.streaming_content).decode()
    assert body.splitlines()[0].startswith("code,name,register_id")
    assert "dovidka-sklad-simi" in body
    api = client.get("/api/services/cards?situation=documents").json()
    assert api[0]["code"] == "dovidka-sklad-simi"
    assert api[0]["life_situations"] == ["documents"]
