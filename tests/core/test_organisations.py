"""Organisations: audited upserts, the EDRPOU constraint, public history, page and API."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from hromada.core.audit import audit_record, public_history, verify_chain
from hromada.core.models import AuditEvent, Organisation
from hromada.core.services import organisation_update, organisation_upsert, organisations_load

INFOCENTRE = {
    "name": "Хмельницьке міське комунальне підприємство «Хмельницькінфоцентр»",
    "short_name": "ХМКП «Хмельницькінфоцентр»",
    "kind": Organisation.Kind.COMMUNAL_ENTERPRISE,
}


@pytest.fixture
def actor(user_factory):
    return user_factory(full_name="Світлана Матвійчук")


def test_creating_an_organisation_is_audited(actor):
    organisation = organisation_upsert(actor=actor, key="infocentre", **INFOCENTRE)

    event = AuditEvent.objects.get()
    assert event.action == "organisation.create"
    assert event.actor == actor
    assert event.target_type == "core.organisation"
    assert event.target_id == str(organisation.pk)
    assert event.changes["name"] == [None, INFOCENTRE["name"]]
    assert event.changes["kind"] == [None, "communal_enterprise"]
    assert event.changes["phone"] == [None, ""]


def test_upsert_with_the_same_values_writes_no_audit_event(actor):
    organisation = organisation_upsert(actor=actor, key="infocentre", **INFOCENTRE)

    again = organisation_upsert(actor=actor, key="infocentre", **INFOCENTRE)

    assert again.pk == organisation.pk
    assert Organisation.objects.count() == 1
    assert AuditEvent.objects.count() == 1


def test_update_records_only_what_changed(actor):
    organisation = organisation_upsert(actor=actor, key="infocentre", **INFOCENTRE)

    organisation_update(
        actor=actor, organisation=organisation, phone="+380 382 65 00 00", name=INFOCENTRE["name"]
    )

    event = AuditEvent.objects.order_by("id").last()
    assert event.action == "organisation.update"
    assert event.changes == {"phone": ["", "+380 382 65 00 00"]}
    organisation.refresh_from_db()
    assert organisation.phone == "+380 382 65 00 00"
    assert verify_chain() is None


def test_no_op_update_writes_no_audit_event(actor):
    organisation = organisation_upsert(actor=actor, key="infocentre", **INFOCENTRE)

    organisation_update(actor=actor, organisation=organisation, short_name=INFOCENTRE["short_name"])

    assert AuditEvent.objects.count() == 1


def test_organisations_load_resolves_parents_in_list_order(db):
    loaded = organisations_load(
        actor=None,
        entries=[
            {"key": "city_council", "name": "Хмельницька міська рада", "kind": "council"},
            {
                "key": "executive_committee",
                "name": "Виконавчий комітет",
                "kind": "executive_body",
                "parent": "city_council",
            },
        ],
    )

    assert loaded["executive_committee"].parent == loaded["city_council"]
    assert AuditEvent.objects.filter(action="organisation.create", actor=None).count() == 2


def test_organisations_load_with_unknown_parent_saves_nothing(db):
    entries = [
        {"key": "city_council", "name": "Хмельницька міська рада", "kind": "council"},
        {"key": "orphan", "name": "Відділ", "kind": "department", "parent": "no_such_body"},
    ]

    with pytest.raises(ValueError, match="unknown parent 'no_such_body'"):
        organisations_load(actor=None, entries=entries)

    assert not Organisation.objects.exists()
    assert not AuditEvent.objects.exists()


def test_organisations_load_twice_writes_no_new_audit_events(db):
    entries = [
        {"key": "city_council", "name": "Хмельницька міська рада", "kind": "council"},
        {
            "key": "culture",
            "name": "Управління культури",
            "kind": "department",
            "parent": "city_council",
        },
    ]
    organisations_load(actor=None, entries=entries)

    organisations_load(actor=None, entries=entries)

    assert Organisation.objects.count() == 2
    assert AuditEvent.objects.count() == 2


def test_edrpou_of_wrong_length_is_refused_by_the_database(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(key="bad", name="Підприємство", kind="business", edrpou="123")

    assert not Organisation.objects.exists()


def test_edrpou_of_wrong_length_is_refused_by_the_service(actor):
    with pytest.raises(ValidationError):
        organisation_upsert(actor=actor, key="bad", edrpou="123", **INFOCENTRE)

    assert not Organisation.objects.exists()
    assert not AuditEvent.objects.exists()


def test_edrpou_keeps_leading_zeros(actor):
    organisation = organisation_upsert(
        actor=actor, key="infocentre", edrpou="01234567", **INFOCENTRE
    )

    organisation.refresh_from_db()
    assert organisation.edrpou == "01234567"


def test_public_history_lists_public_events_of_that_organisation_only(actor):
    infocentre = organisation_upsert(actor=actor, key="infocentre", **INFOCENTRE)
    other = organisation_upsert(actor=actor, key="other", name="Інша установа", kind="institution")
    organisation_update(actor=actor, organisation=infocentre, website="https://infocentr.km.ua")
    audit_record(actor=actor, action="organisation.note", target=infocentre, public=False)

    history = list(public_history(infocentre))

    assert [event.action for event in history] == ["organisation.create", "organisation.update"]
    assert history[1].changes == {"website": ["", "https://infocentr.km.ua"]}
    assert list(public_history(other).values_list("action", flat=True)) == ["organisation.create"]


def test_organisation_page_shows_its_history(client, actor):
    organisation = organisation_upsert(actor=actor, key="infocentre", **INFOCENTRE)
    organisation_update(actor=actor, organisation=organisation, website="https://infocentr.km.ua")
    audit_record(actor=actor, action="organisation.note", target=organisation, public=False)

    response = client.get("/organisations/infocentre/")

    assert response.status_code == 200
    page = response.content.decode()
    assert f"<h1>{INFOCENTRE['name']}</h1>" in page
    history = page[page.index('<section class="history"') :]
    history = history[: history.index("</section>")]
    assert "Історія змін" in history
    assert history.count("<li><time datetime=") == 2  # the private event is not shown
    assert "<ins>https://infocentr.km.ua</ins>" in history
    assert "Світлана Матвійчук" in history


def test_unknown_organisation_page_is_404(client, db):
    assert client.get("/organisations/no-such-body/").status_code == 404


def test_organisations_api_returns_json(client, db):
    organisations_load(
        actor=None,
        entries=[
            {"key": "city_council", "name": "Хмельницька міська рада", "kind": "council"},
            {
                "key": "culture",
                "name": "Управління культури",
                "kind": "department",
                "parent": "city_council",
                "website": "https://culture.km.ua",
            },
        ],
    )

    response = client.get("/api/core/organisations")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    by_key = {row["key"]: row for row in response.json()}
    assert set(by_key) == {"city_council", "culture"}
    assert by_key["culture"] == {
        "key": "culture",
        "name": "Управління культури",
        "short_name": "",
        "name_en": "",
        "kind": "department",
        "parent": "city_council",
        "website": "https://culture.km.ua",
    }
    assert by_key["city_council"]["parent"] is None


def test_organisation_api_detail_and_404(client, actor):
    organisation_upsert(actor=actor, key="infocentre", **INFOCENTRE)

    detail = client.get("/api/core/organisations/infocentre")

    assert detail.json()["short_name"] == INFOCENTRE["short_name"]
    assert client.get("/api/core/organisations/nope").status_code == 404
