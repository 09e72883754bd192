"""The action plan's public lists as open data sets (measures and published reports)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Max
from django.urls import reverse

from hromada.opendata.sources import Column, DatasetSource, register
from hromada.plans.models import Plan, ProgressReport
from hromada.plans.selectors import published_reports
from hromada.plans.services.tabular import measure_rows, report_rows


def _current_plan() -> Plan | None:
    return Plan.objects.order_by("-period_start").first()


def _measure_rows():
    plan = _current_plan()
    return measure_rows(plan=plan) if plan else iter(())


def _measures_modified() -> datetime | None:
    from hromada.core.models import AuditEvent

    return AuditEvent.objects.filter(target_type="plans.measure").aggregate(last=Max("created_at"))[
        "last"
    ]


def _reports_modified() -> datetime | None:
    return ProgressReport.objects.filter(state=ProgressReport.State.PUBLISHED).aggregate(
        last=Max("published_at")
    )["last"]


def _plan_url() -> str:
    plan = _current_plan()
    return plan.get_absolute_url() if plan else reverse("plans:index")


register(
    DatasetSource(
        key="plan-measures",
        title="Заходи Плану дій «Відкритий Уряд»",
        title_en="Measures of the Open Government action plan",
        description=(
            "Заходи чинного Плану дій із впровадження Ініціативи «Партнерство «Відкритий Уряд»: "
            "текст, відповідальні, терміни, партнери, очікувані результати, рівень виконання "
            "та прогрес за оприлюдненими звітами. Ті самі стовпці приймає імпорт."
        ),
        keeper_key="infocentre",
        update_frequency="monthly",
        theme="plan",
        tags=("відкритий уряд", "OGP", "план дій"),
        columns=lambda: [
            Column("external_id", "Ідентифікатор заходу", required=True),
            Column("commitment", "Зобов’язання"),
            Column("number", "Номер"),
            Column("text", "Захід"),
            Column("lead", "Головний виконавець (ключ)"),
            Column("responsible", "Відповідальні (ключі через ;)"),
            Column("start", "Початок (рік-місяць)"),
            Column("end", "Завершення (рік-місяць)"),
            Column("term_text", "Термін реалізації"),
            Column("partners_text", "Партнери"),
            Column("expected_results", "Очікувані результати"),
            Column("weight", "Вага", type="number"),
            Column("progress", "Прогрес", type="integer", unit="%"),
            Column("completion", "Рівень виконання"),
        ],
        rows=_measure_rows,
        modified=_measures_modified,
        page_url=_plan_url,
    )
)

register(
    DatasetSource(
        key="plan-reports",
        title="Звіти про виконання Плану дій «Відкритий Уряд»",
        title_en="Progress reports on the Open Government action plan",
        description=(
            "Оприлюднені звіти відповідальних виконавців про виконання заходів Плану дій: "
            "період, рівень виконання за шкалою IRM, прогрес, опис зробленого."
        ),
        keeper_key="infocentre",
        update_frequency="monthly",
        theme="plan",
        tags=("відкритий уряд", "OGP", "звіти"),
        columns=lambda: [
            Column("measure", "Ідентифікатор заходу", required=True),
            Column("period_start", "Період з", type="date"),
            Column("period_end", "Період до", type="date"),
            Column("completion", "Рівень виконання"),
            Column("progress", "Прогрес", type="integer", unit="%"),
            Column("narrative", "Що зроблено"),
            Column("author_organisation", "Звітує (ключ організації)"),
            Column("state", "Стан"),
            Column("published_at", "Оприлюднено", type="datetime"),
        ],
        rows=lambda: report_rows(reports=published_reports()),
        modified=_reports_modified,
        page_url=_plan_url,
    )
)
