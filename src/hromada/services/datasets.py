"""The service catalogue as an open data set (CMU Resolution No. 835 lists it)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Max
from django.urls import reverse

from hromada.opendata.sources import Column, DatasetSource, register
from hromada.services.models import ServiceCard
from hromada.services.selectors import catalogue_rows, service_cards_public

_COLUMN_TITLES = {
    "code": "Код послуги",
    "name": "Назва послуги",
    "register_id": "Ідентифікатор у Реєстрі адмінпослуг",
    "subject": "Суб'єкт звернення",
    "required_documents": "Перелік документів",
    "fee_uah": "Плата, грн",
    "fee_payment": "Порядок оплати",
    "term_days": "Строк надання",
    "term_kind": "Вид строку",
    "term_basis": "Підстава строку",
    "refusal_grounds": "Підстави для відмови",
    "result": "Результат",
    "result_delivery": "Способи отримання результату",
    "legal_basis": "Правові підстави",
    "responsible_body": "Суб'єкт надання",
    "life_situations": "Життєві ситуації",
    "online": "Доступна онлайн",
    "requires_identity": "Потрібна ідентифікація",
}
_TYPES = {"term_days": "integer", "online": "boolean", "requires_identity": "boolean"}


def _columns() -> list[Column]:
    header, _rows = catalogue_rows(ServiceCard.objects.none())
    return [
        Column(name, _COLUMN_TITLES.get(name, name), type=_TYPES.get(name, "string"))
        for name in header
    ]


def _rows():
    _header, rows = catalogue_rows(service_cards_public())
    return rows


def _modified() -> datetime | None:
    from hromada.core.models import AuditEvent

    return AuditEvent.objects.filter(target_type="services.servicecard").aggregate(
        last=Max("created_at")
    )["last"]


register(
    DatasetSource(
        key="service-catalogue",
        title="Перелік адміністративних та муніципальних послуг",
        title_en="Catalogue of administrative and municipal services",
        description=(
            "Інформаційні картки послуг громади: документи, плата, строк, результат, "
            "правові підстави, суб'єкт надання, доступність онлайн."
        ),
        keeper_key="admin_services",
        update_frequency="monthly",
        theme="services",
        tags=("послуги", "ЦНАП"),
        columns=_columns,
        rows=_rows,
        modified=_modified,
        page_url=lambda: reverse("services:index"),
    )
)
