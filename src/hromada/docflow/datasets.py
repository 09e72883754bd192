"""The public register of decisions as an open data set."""

from __future__ import annotations

from datetime import UTC, datetime, time

from django.db.models import Max
from django.urls import reverse

from hromada.docflow.selectors import public_decisions
from hromada.opendata.sources import Column, DatasetSource, register


def _rows():
    for decision in public_decisions().iterator(500):
        yield (
            str(decision.get_kind_display()),
            decision.registration_index,
            decision.registered_on,
            decision.organisation.name,
            decision.summary,
            decision.body,
            decision.get_public_url(),
        )


def _modified() -> datetime | None:
    last = public_decisions().aggregate(last=Max("registered_on"))["last"]
    return datetime.combine(last, time.min, tzinfo=UTC) if last else None


register(
    DatasetSource(
        key="decisions",
        title="Рішення виконавчого комітету та міської ради",
        title_en="Decisions of the executive committee and the city council",
        description="Оприлюднені рішення з повним текстом: вид, номер, дата, орган, назва, текст.",
        keeper_key="executive_committee",
        update_frequency="weekly",
        theme="decisions",
        tags=("рішення", "нормативні акти"),
        columns=lambda: [
            Column("kind", "Вид акта"),
            Column("number", "Номер", required=True),
            Column("date", "Дата", type="date"),
            Column("body", "Орган"),
            Column("title", "Назва"),
            Column("text", "Текст"),
            Column("url", "Сторінка"),
        ],
        rows=_rows,
        modified=_modified,
        page_url=lambda: reverse("docflow:decisions"),
    )
)
