"""Demo: the Khmelnytskyi plan word for word, plausible progress reports, indicators
(bound to live metrics where a module provides them), an independent assessment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

from hromada.accounts.models import User
from hromada.core.metrics import provider
from hromada.plans.models import Completion, Indicator, Measure, ProgressReport
from hromada.plans.services import engagement, indicators, loader, reports
from hromada.plans.tasks import measure_reminders_send

PLAN_FILE = Path(__file__).parent / "data" / "khmelnytskyi-2021-2022.yaml"
STAFF = {
    "executive_committee": "staff.executive@demo.hromada.local",
    "infocentre": "staff.infocentre@demo.hromada.local",
    "economy_dept": "staff.economy@demo.hromada.local",
    "spetskomuntrans": "staff.spetskomuntrans@demo.hromada.local",
    "culture_tourism_dept": "staff.culture@demo.hromada.local",
}


@dataclass(frozen=True)
class DemoReport:
    start: date
    end: date
    completion: str
    progress: int
    narrative: str
    evidence: tuple[tuple[str, str], ...] = ()


REPORTS: dict[str, list[DemoReport]] = {
    "khm-2021-1.1": [
        DemoReport(
            date(2021, 11, 1),
            date(2022, 6, 30),
            Completion.LIMITED,
            40,
            "Розгорнуто єдину систему електронного документообігу для апарату виконавчого "
            "комітету та 14 структурних підрозділів; 212 працівників отримали кваліфіковані "
            "електронні підписи. Вхідна кореспонденція реєструється в електронній формі, "
            "внутрішні документи частково погоджуються на папері.",
        ),
        DemoReport(
            date(2022, 7, 1),
            date(2022, 12, 31),
            Completion.SUBSTANTIAL,
            85,
            "До системи підключено всі виконавчі органи та комунальні підприємства-розпорядники. "
            "Накази, доповідні та службові записки погоджуються й підписуються електронно; "
            "на папері лишаються документи з обмеженим доступом і кореспонденція від "
            "громадян, що надходить поштою.",
            (("Звіт про впровадження СЕД у виконавчих органах", "https://khm.gov.ua/"),),
        ),
    ],
    "khm-2021-1.2": [
        DemoReport(
            date(2021, 9, 1),
            date(2022, 6, 30),
            Completion.SUBSTANTIAL,
            55,
            "У «Кабінеті мешканця» MyCity запрацювали 41 електронна послуга, зокрема "
            "довідки про склад сім'ї, реєстрація місця проживання та запис до ЦНАП. "
            "Для входу підключено id.gov.ua (BankID, «Дія.Підпис»).",
            (("Кабінет мешканця MyCity", "https://mycity.khm.gov.ua"),),
        ),
        DemoReport(
            date(2022, 7, 1),
            date(2022, 12, 31),
            Completion.SUBSTANTIAL,
            80,
            "Онлайн доступні 78% муніципальних послуг; додано подання заяв на компенсації "
            "внутрішньо переміщеним особам та дозволи на розміщення тимчасових споруд.",
        ),
    ],
    "khm-2021-1.3": [
        DemoReport(
            date(2021, 9, 1),
            date(2022, 7, 31),
            Completion.COMPLETE,
            100,
            "На геопорталі міської ради опубліковано реєстри нерухомого комунального майна, "
            "житлового фонду, моніторингу стану доріг, «бюджет розвитку на мапі» та об'єктів "
            "культурної спадщини; набори даних оновлюються щокварталу на порталі відкритих даних.",
            (("Геопортал Хмельницької міської ради", "https://khm.gov.ua/"),),
        ),
    ],
    "khm-2021-2.1": [
        DemoReport(
            date(2021, 3, 1),
            date(2022, 6, 30),
            Completion.COMPLETE,
            100,
            "Консультанти «Дабл-ю Ес Аткінс Інтернешнел Лтд.» за методикою ЄБРР провели "
            "технічну оцінку 36 показників довкілля; відбулися 3 громадські обговорення та "
            "онлайн-опитування (1 240 учасників). План дій «Зелене місто» погоджено "
            "виконавчим комітетом.",
        ),
    ],
    "khm-2021-2.2": [
        DemoReport(
            date(2020, 9, 1),
            date(2021, 12, 31),
            Completion.SUBSTANTIAL,
            90,
            "Інтерактивний «Центр турів» на полігоні ХКП «Спецкомунтранс» відкрито для "
            "відвідувачів: 4 тематичні зали, сортувальна лінія з оглядовим майданчиком. "
            "За перші чотири місяці центр відвідали 6 850 осіб, переважно школярі.",
        ),
    ],
    "khm-2021-3.1": [
        DemoReport(
            date(2021, 10, 1),
            date(2022, 10, 31),
            Completion.SUBSTANTIAL,
            85,
            "Проведено 118 курсів цифрової грамотності (1 870 слухачів, з них 64% — люди "
            "старшого віку); відкрито 14 точок доступу в ЦНАП, бібліотеках і партнерських "
            "компаніях; 46 цифрових волонтерів пройшли навчання тренерів.",
        ),
    ],
    "khm-2021-3.2": [
        DemoReport(
            date(2021, 8, 1),
            date(2022, 11, 30),
            Completion.SUBSTANTIAL,
            75,
            "Модернізовано 6 сільських бібліотек (Давидківці, Мацьківці, Шаровечка, "
            "Колом'є, Водички, Масівці): ноутбуки, Wi-Fi, навчальні зони; бібліотекарі "
            "провели 240 занять з користування смартфонами та е-послугами.",
        ),
    ],
}

# name, unit, baseline, target, metric key, historical values (date, value)
INDICATORS = {
    "khm-2021-1.1": (
        "Частка документів, створених, погоджених і підписаних електронно",
        "%",
        Decimal(12),
        Decimal(100),
        "docflow.paperless_share",
        [(date(2022, 6, 30), 41), (date(2022, 12, 31), 86)],
    ),
    "khm-2021-1.2": (
        "Частка муніципальних послуг, доступних онлайн",
        "%",
        Decimal(18),
        Decimal(100),
        "services.online_share",
        [(date(2022, 6, 30), 55), (date(2022, 12, 31), 78)],
    ),
    "khm-2021-1.3": (
        "Реєстри, опубліковані на геопорталі",
        "реєстрів",
        Decimal(0),
        Decimal(5),
        "registries.published_count",
        [(date(2022, 7, 31), 5)],
    ),
    "khm-2021-2.2": (
        "Відвідувачі «Центру турів» за 12 місяців",
        "осіб",
        Decimal(0),
        Decimal(27000),
        "green.centre_visitors_12m",
        [
            (date(2021, 12, 31), 6850),
            (date(2022, 12, 31), 17400),
            (date(2023, 12, 31), 22300),
            (date(2024, 12, 31), 25100),
            (date(2025, 12, 31), 26350),
        ],
    ),
    "khm-2021-3.1": (
        "Мешканці, які пройшли курси цифрової грамотності",
        "осіб",
        Decimal(0),
        Decimal(2000),
        "skills.residents_trained",
        [(date(2022, 3, 31), 620), (date(2022, 10, 31), 1870)],
    ),
    "khm-2021-3.2": (
        "Сільські бібліотеки у форматі смарт-бібліотеки",
        "бібліотек",
        Decimal(0),
        Decimal(8),
        "",
        [(date(2022, 3, 31), 2), (date(2022, 11, 30), 6)],
    ),
}


def _user(email: str) -> User:
    return User.objects.get(email=email)


def _reporter(measure: Measure) -> User:
    for key in [measure.lead.key] + [r.organisation.key for r in measure.responsibilities.all()]:
        if key in STAFF:
            return _user(STAFF[key])
    raise LookupError(f"no demo staff for measure {measure.external_id}")


def _build_reports(coordinator: User) -> int:
    made = 0
    for external_id, items in REPORTS.items():
        measure = Measure.objects.get(external_id=external_id)
        if measure.reports.exists():
            continue
        author = _reporter(measure)
        for item in items:
            report = reports.report_create(
                actor=author,
                measure=measure,
                data=reports.ReportInput(
                    period_start=item.start,
                    period_end=item.end,
                    completion=item.completion,
                    progress=item.progress,
                    narrative=item.narrative,
                ),
            )
            for title, url in item.evidence:
                reports.evidence_add(actor=author, report=report, title=title, url=url)
            reports.report_submit(actor=author, report=report)
            reports.report_publish(actor=coordinator, report=report)
            made += 1
    return made


def _build_indicators() -> None:
    for external_id, (name, unit, baseline, target, key, history) in INDICATORS.items():
        measure = Measure.objects.get(external_id=external_id)
        indicator, created = Indicator.objects.get_or_create(
            measure=measure,
            name=name,
            defaults={
                "unit": unit,
                "baseline": baseline,
                "target": target,
                "baseline_date": measure.start,
                "target_date": measure.end,
            },
        )
        if not created:
            if key and not indicator.metric_key and provider(key) is not None:
                indicators.indicator_bind(actor=None, indicator=indicator, metric_key=key)
            continue
        for day, value in history:
            indicators.indicator_value_record(
                actor=None,
                indicator=indicator,
                on=day,
                value=value,
                note="За звітом відповідального виконавця",
            )
        # Bound last, so the history above stays as reported; today comes from live data.
        if key and provider(key) is not None:
            indicators.indicator_bind(actor=None, indicator=indicator, metric_key=key)
    indicators.indicators_snapshot(on=timezone.localdate())


def _build_assessment() -> None:
    reviewer = _user("reviewer@demo.hromada.local")
    measure = Measure.objects.get(external_id="khm-2021-1.3")
    if not measure.assessments.exists():
        engagement.assessment_record(
            actor=reviewer,
            measure=measure,
            completion=Completion.COMPLETE,
            potential="substantial",
            opened_government="major",
            comment="Реєстри справді опубліковані на геопорталі й доступні як відкриті дані; "
            "громадські організації вже використовують дані про ремонт доріг для "
            "моніторингу закупівель. Варто додати історію змін записів.",
        )


def build(*, stdout) -> list:
    plan = loader.plan_load(path=PLAN_FILE)
    coordinator = _user("coordinator@demo.hromada.local")
    made = _build_reports(coordinator)
    _build_indicators()
    _build_assessment()
    engagement.follow_set(user=_user("resident@demo.hromada.local"), target=plan, following=True)
    published = ProgressReport.objects.filter(state=ProgressReport.State.PUBLISHED).count()
    stdout.write(f"  plan “{plan.title[:40]}…”, {made} new reports ({published} published)")
    return []


def finish(*, stdout) -> None:
    """After every module's demo data exists: measure the live indicators, send reminders."""
    today = timezone.localdate()
    stored = indicators.indicators_snapshot(on=today)
    sent = measure_reminders_send(on=today)
    stdout.write(f"  {stored} live indicator values measured, {sent} term reminders sent")
