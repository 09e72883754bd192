"""The built-in registry definitions of measure 1.3 of the plan (data, not code: an
administrator may change them in the back office or add more).

Field names of communal property follow the structure of the national open data portal's
sets of communal property and its lease (Resolution No. 835): object, address, balance
holder and its EDRPOU code, area, purpose, state of use, lessee, lease term.
"""

from __future__ import annotations

from typing import Any

EDRPOU = r"[0-9]{8}"
CADASTRAL = r"[0-9]{10}:[0-9]{2}:[0-9]{3}:[0-9]{4}"
PROZORRO = r"UA-[0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9]{6}-[a-z]"


def _f(name: str, title: str, kind: str = "string", **extra: Any) -> dict[str, Any]:
    return {"name": name, "title": title, "type": kind, **extra}


BUILTIN: list[dict[str, Any]] = [
    {
        "key": "communal_property",
        "title": "Об'єкти комунальної власності",
        "title_en": "Communal property",
        "description": (
            "Будівлі, нежитлові приміщення та земельні ділянки комунальної власності "
            "Хмельницької міської територіальної громади: балансоутримувач, площа, "
            "призначення, стан використання та оренда."
        ),
        "geometry_type": "point",
        "keeper": "economy_dept",
        "update_frequency": "monthly",
        "id_field": "inventory_number",
        "label_field": "object_name",
        "tags": ["комунальне майно", "оренда", "нерухомість"],
        "fields": [
            _f("inventory_number", "Інвентарний номер", required=True, pattern=r"[0-9]{6,10}"),
            _f("object_name", "Найменування об'єкта", required=True),
            _f(
                "object_kind",
                "Вид об'єкта",
                required=True,
                choices=["будівля", "нежитлове приміщення", "земельна ділянка"],
            ),
            _f("address", "Адреса", required=True),
            _f("owner", "Власник", required=True),
            _f("balance_holder", "Балансоутримувач", required=True),
            _f("balance_holder_edrpou", "Код ЄДРПОУ балансоутримувача", pattern=EDRPOU),
            _f("area", "Загальна площа", "number", unit="м²"),
            _f("purpose", "Призначення"),
            _f(
                "use_status",
                "Стан використання",
                required=True,
                choices=["використовується", "в оренді", "вільне", "на приватизації"],
            ),
            _f("lessee", "Орендар"),
            _f("lease_start", "Початок оренди", "date"),
            _f("lease_end", "Кінець оренди", "date"),
            _f("cadastral_number", "Кадастровий номер", pattern=CADASTRAL),
        ],
    },
    {
        "key": "housing_stock",
        "title": "Житловий фонд",
        "title_en": "Housing stock",
        "description": (
            "Багатоквартирні житлові будинки громади: рік побудови, поверховість, кількість "
            "квартир, площа, управитель або ОСББ, технічний стан."
        ),
        "geometry_type": "polygon",
        "keeper": "infrastructure_dept",
        "update_frequency": "quarterly",
        "id_field": "building_id",
        "label_field": "address",
        "tags": ["житло", "ОСББ", "багатоквартирні будинки"],
        "fields": [
            _f("building_id", "Ідентифікатор будинку", required=True),
            _f("address", "Адреса", required=True),
            _f("year_built", "Рік побудови", "integer"),
            _f("floors", "Поверховість", "integer", required=True),
            _f("apartments", "Кількість квартир", "integer"),
            _f("total_area", "Загальна площа", "number", unit="м²"),
            _f("wall_material", "Матеріал стін", choices=["цегла", "панель", "моноліт", "блоки"]),
            _f("management_company", "Управитель / ОСББ"),
            _f(
                "condition",
                "Технічний стан",
                required=True,
                choices=["добрий", "задовільний", "незадовільний", "аварійний"],
            ),
        ],
    },
    {
        "key": "roads",
        "title": "Дороги: ділянки та їхній стан",
        "title_en": "Roads: segments and their condition",
        "description": (
            "Ділянки вулиць і доріг комунальної власності: категорія, довжина, покриття, "
            "оцінка стану (моніторинг), останній і запланований ремонт."
        ),
        "geometry_type": "line",
        "keeper": "infrastructure_dept",
        "update_frequency": "monthly",
        "id_field": "segment_id",
        "label_field": "name",
        "tags": ["дороги", "ремонт доріг", "моніторинг стану"],
        "fields": [
            _f("segment_id", "Код ділянки", required=True),
            _f("name", "Назва вулиці (ділянка)", required=True),
            _f(
                "category",
                "Категорія",
                required=True,
                choices=["магістральна", "районного значення", "місцевого значення"],
            ),
            _f("length_km", "Довжина", "number", unit="км"),
            _f("surface", "Покриття", choices=["асфальтобетон", "бруківка", "щебінь", "ґрунт"]),
            _f(
                "condition_rating",
                "Оцінка стану (1 — аварійний, 5 — відмінний)",
                "integer",
                required=True,
                choices=["1", "2", "3", "4", "5"],
            ),
            _f("last_repair", "Останній ремонт", "date"),
            _f("planned_repair", "Запланований ремонт (рік)", "integer"),
            _f("contractor", "Підрядник останнього ремонту"),
            _f("cost", "Вартість останнього ремонту", "number", unit="грн"),
        ],
    },
    {
        "key": "road_repairs",
        "title": "Ремонти доріг",
        "title_en": "Road repairs",
        "description": (
            "Капітальні та поточні ремонти вулиць: строки, підрядник, вартість і "
            "ідентифікатор закупівлі в Prozorro."
        ),
        "geometry_type": "line",
        "keeper": "infrastructure_dept",
        "update_frequency": "weekly",
        "id_field": "repair_id",
        "label_field": "road_name",
        "tags": ["дороги", "ремонт доріг", "Prozorro"],
        "fields": [
            _f("repair_id", "Номер ремонту", required=True),
            _f("road_name", "Вулиця", required=True),
            _f(
                "kind", "Вид ремонту", required=True, choices=["капітальний", "поточний", "ямковий"]
            ),
            _f("status", "Стан", required=True, choices=["заплановано", "триває", "завершено"]),
            _f("start_date", "Початок", "date"),
            _f("end_date", "Завершення", "date"),
            _f("contractor", "Підрядник"),
            _f("contractor_edrpou", "Код ЄДРПОУ підрядника", pattern=EDRPOU),
            _f("cost", "Вартість", "number", unit="грн"),
            _f("procurement_id", "Ідентифікатор закупівлі", pattern=PROZORRO),
        ],
    },
    {
        "key": "development_budget",
        "title": "Бюджет розвитку на карті",
        "title_en": "Development budget on the map",
        "description": (
            "Об'єкти капітального будівництва та реконструкції за рахунок бюджету розвитку: "
            "бюджетна програма, заплановані та сплачені кошти, етап, підрядник, закупівля."
        ),
        "geometry_type": "point",
        "keeper": "capital_construction_dept",
        "update_frequency": "monthly",
        "id_field": "object_id",
        "label_field": "object_name",
        "tags": ["бюджет розвитку", "капітальне будівництво", "Prozorro"],
        "fields": [
            _f("object_id", "Код об'єкта", required=True),
            _f("object_name", "Об'єкт", required=True),
            _f("address", "Розташування", required=True),
            _f("programme_code", "Код програмної класифікації (КПКВК)", pattern=r"[0-9]{7}"),
            _f("amount_planned", "Заплановано", "number", unit="грн", required=True),
            _f("amount_paid", "Сплачено", "number", unit="грн"),
            _f(
                "stage",
                "Етап",
                required=True,
                choices=["проєктування", "закупівля", "будівництво", "завершено"],
            ),
            _f("contractor", "Підрядник"),
            _f("contractor_edrpou", "Код ЄДРПОУ підрядника", pattern=EDRPOU),
            _f("procurement_id", "Ідентифікатор закупівлі", pattern=PROZORRO),
            _f("year", "Рік", "integer", required=True),
        ],
    },
    {
        "key": "cultural_heritage",
        "title": "Об'єкти культурної спадщини",
        "title_en": "Cultural-heritage objects",
        "description": (
            "Пам'ятки архітектури, історії та монументального мистецтва громади: вид, "
            "категорія охорони, номер і дата внесення до Державного реєстру, адреса, період."
        ),
        "geometry_type": "point",
        "keeper": "culture_tourism_dept",
        "update_frequency": "annual",
        "id_field": "register_number",
        "label_field": "name",
        "tags": ["культурна спадщина", "пам'ятки", "туризм"],
        "fields": [
            _f("register_number", "Охоронний номер", required=True),
            _f("name", "Назва", required=True),
            _f(
                "object_type",
                "Вид пам'ятки",
                required=True,
                choices=["архітектури", "історії", "монументального мистецтва", "археології"],
            ),
            _f(
                "protection_category",
                "Категорія",
                required=True,
                choices=["національного значення", "місцевого значення", "щойно виявлений"],
            ),
            _f("register_date", "Дата внесення до реєстру", "date"),
            _f("address", "Адреса", required=True),
            _f("period", "Період (дата створення)"),
        ],
    },
]
