"""Fixtures of the resident's cabinet: bodies, a service with a form, residents, staff."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hromada.accounts.models import Role
from hromada.accounts.services import identity_verify
from hromada.core.models import Organisation
from hromada.services.services import (
    issue_category_upsert,
    life_situation_upsert,
    service_card_upsert,
)

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

FORM = [
    {"name": "address", "type": "text", "label": "Адреса", "required": True},
    {
        "name": "purpose",
        "type": "choice",
        "label": "Мета",
        "required": True,
        "choices": [["bank", "Для банку"], ["other", "Інше"]],
    },
    {
        "name": "purpose_other",
        "type": "text",
        "label": "Інша мета",
        "required": True,
        "show_if": {"field": "purpose", "equals": "other"},
    },
    {"name": "rnokpp", "type": "rnokpp", "label": "РНОКПП"},
    {"name": "passport", "type": "file", "label": "Паспорт", "required": True},
]


def pdf(name: str = "pasport.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def bodies(organisation_factory):
    return {
        "admin_services": organisation_factory(
            key="admin_services", name="Управління адміністративних послуг"
        ),
        "architecture_dept": organisation_factory(
            key="architecture_dept", name="Управління архітектури та містобудування"
        ),
        "infrastructure_dept": organisation_factory(
            key="infrastructure_dept", name="Департамент інфраструктури"
        ),
    }


def make_service(
    bodies,
    *,
    code="dovidka-sklad-simi",
    route=None,
    term_kind="working",
    term_days=1,
    online=True,
    form=None,
    organisation="admin_services",
):
    life_situation_upsert(actor=None, key="documents", name="Довідки та документи")
    return service_card_upsert(
        actor=None,
        code=code,
        situations=["documents"],
        name="Видача довідки про склад сім'ї",
        subject="Фізична особа",
        required_documents=[{"name": "Паспорт громадянина України"}],
        term_days=term_days,
        term_kind=term_kind,
        refusal_grounds="Подання неповного пакета документів.",
        result="Довідка про склад сім'ї",
        result_delivery="Особисто в ЦНАП; у кабінеті мешканця.",
        legal_basis="Закон України «Про адміністративні послуги»",
        organisation_id=bodies[organisation].pk,
        online=online,
        form_schema=FORM if form is None else form,
        route=route or [],
    )


@pytest.fixture
def service(bodies):
    return make_service(bodies)


@pytest.fixture
def resident(user_factory):
    user = user_factory(email="olena@example.org", full_name="Олена Петрівна Ковальчук")
    return identity_verify(user=user, provider="demo-id", subject="olena")


@pytest.fixture
def staff(user_factory, bodies):
    return user_factory(
        role=Role.STAFF,
        organisation=bodies["admin_services"],
        email="cnap@example.org",
        full_name="Наталія Мельничук",
    )


@pytest.fixture
def other_staff(user_factory, bodies):
    return user_factory(
        role=Role.STAFF,
        organisation=bodies["admin_services"],
        email="cnap2@example.org",
        full_name="Петро Коваль",
    )


@pytest.fixture
def foreign_staff(user_factory, bodies):
    return user_factory(
        role=Role.STAFF, organisation=bodies["architecture_dept"], email="arch@example.org"
    )


ANSWERS = {"address": "вул. Проскурівська, 41", "purpose": "bank"}


@pytest.fixture
def submit():
    from hromada.services.services import application_draft_get_or_create, application_submit

    def do(service, applicant, *, key="k1", answers=None, uploads=None):
        draft = application_draft_get_or_create(service=service, applicant=applicant)
        return application_submit(
            application=draft,
            applicant=applicant,
            answers=answers or dict(ANSWERS),
            uploads={"passport": pdf()} if uploads is None else uploads,
            idempotency_key=key,
        )

    return do


@pytest.fixture
def plan_bodies(db):
    """The real organisations and catalogue prerequisites, as the demo has them."""
    from hromada.core.services import organisations_load

    organisations_load(
        actor=None,
        entries=[
            {"key": key, "name": name, "kind": Organisation.Kind.DEPARTMENT}
            for key, name in [
                ("executive_committee", "Виконавчий комітет Хмельницької міської ради"),
                ("admin_services", "Управління адміністративних послуг"),
                ("infrastructure_dept", "Департамент інфраструктури"),
                ("education_dept", "Департамент освіти та науки"),
                ("culture_tourism_dept", "Управління культури та туризму"),
                ("youth_sports_dept", "Управління молоді та спорту"),
                ("spetskomuntrans", "КП «Спецкомунтранс»"),
            ]
        ],
    )


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Argon2 is deliberately slow; these tests create many users and check no password.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english_messages(settings):
    """These tests read the English message texts; the interface defaults to Ukrainian."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def pothole(bodies):
    """The road-damage category of city-issue reports (Open311 service code)."""
    return issue_category_upsert(
        actor=None,
        code="pothole",
        name="Вибоїна на дорозі",
        group="Дороги",
        organisation=bodies["infrastructure_dept"],
        is_road=True,
    )
