"""Demo registries: the built-in definitions, published, with generated but realistic records
on real streets of Khmelnytskyi and villages of the hromada. Deterministic (fixed seed and
dates), so a second run changes nothing."""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from typing import Any

from hromada.core.models import Organisation
from hromada.registries.builtin import BUILTIN
from hromada.registries.models import RegistryDefinition
from hromada.registries.services import records_load, registry_set_state, registry_upsert

# (street, latitude, longitude, bearing of the street in degrees from north)
STREETS = [
    ("вул. Проскурівська", 49.4213, 26.9935, 75),
    ("вул. Кам'янецька", 49.4150, 26.9862, 170),
    ("просп. Миру", 49.4315, 27.0180, 60),
    ("вул. Свободи", 49.4268, 26.9690, 100),
    ("вул. Зарічанська", 49.4428, 26.9640, 80),
    ("вул. Соборна", 49.4226, 26.9858, 170),
    ("вул. Подільська", 49.4196, 26.9962, 80),
    ("вул. Грушевського", 49.4243, 26.9925, 80),
    ("вул. Шевченка", 49.4162, 26.9985, 75),
    ("Львівське шосе", 49.4318, 26.9420, 95),
    ("Староконстянтинівське шосе", 49.4420, 26.9905, 20),
    ("вул. Героїв Майдану", 49.4232, 26.9760, 160),
    ("вул. Інститутська", 49.4128, 26.9585, 120),
    ("вул. Степана Бандери", 49.4355, 27.0010, 60),
    ("вул. Тернопільська", 49.4305, 26.9555, 100),
    ("вул. Чорновола", 49.4298, 26.9810, 170),
    ("вул. Володимирська", 49.4192, 26.9893, 80),
    ("вул. Майборського", 49.4372, 26.9680, 60),
    ("вул. Панаса Мирного", 49.4346, 26.9738, 150),
    ("Вінницьке шосе", 49.4052, 27.0240, 120),
    ("вул. Пілотська", 49.4002, 27.0005, 80),
    ("вул. Трудова", 49.4140, 27.0105, 30),
    ("вул. Геологів", 49.4252, 27.0310, 10),
    ("вул. Курчатова", 49.4418, 26.9425, 70),
    ("вул. Озерна", 49.4468, 26.9552, 90),
]
VILLAGES = [
    ("с. Шаровечка, вул. Центральна", 49.4040, 26.9205, 90),
    ("с. Масівці, вул. Шкільна", 49.4585, 27.0620, 40),
    ("с. Лезнево, вул. Миру", 49.3905, 27.0520, 120),
    ("с. Іванківці, вул. Садова", 49.4720, 26.9830, 10),
]
COMPANIES = [
    ("ТОВ «Хмельницькшляхбуд»", "31245678"),
    ("ПП «Поділля-Дорбуд»", "35871234"),
    ("ТОВ «Будівельна компанія «Проскурів»", "40123569"),
    ("КП «Хмельницьктеплокомуненерго»", "03356570"),
    ("ТОВ «Автомагістраль-Поділля»", "38456120"),
]
BALANCE_HOLDERS = [
    ("Управління комунального майна Хмельницької міської ради", "02345670"),
    ("Управління освіти Хмельницької міської ради", "02147392"),
    ("Управління культури і туризму Хмельницької міської ради", "02228473"),
    ("КП «Хмельницькінфоцентр»", "38524001"),
]
MANAGERS = [
    "КП «Управляюча муніципальна компанія «Центральна»",
    "КП «Управляюча муніципальна компанія «Дубове»",
    "ОСББ «Проскурівське»",
    "ОСББ «Затишок»",
    "ТОВ «Житлосервіс Поділля»",
]
LESSEES = [
    "ФОП Коваль Ірина Петрівна",
    "ГО «Хмельницька ініціатива»",
    "ТОВ «Подільська кава»",
    "ФОП Мельник Олег Васильович",
    "Благодійний фонд «Серце Поділля»",
    "ТОВ «Аптека Здоров'я»",
]
HERITAGE = [
    ("Будинок колишньої Проскурівської чоловічої гімназії", "архітектури", "кінець XIX ст."),
    ("Будинок колишнього реального училища", "архітектури", "1912 р."),
    ("Костел Пресвятої Трійці", "архітектури", "1900 р."),
    ("Собор Різдва Пресвятої Богородиці", "архітектури", "1910 р."),
    ("Свято-Покровська церква", "архітектури", "XIX ст."),
    ("Будинок колишнього земського банку", "архітектури", "1911 р."),
    ("Будинок, у якому містилася перша міська бібліотека", "історії", "1908 р."),
    ("Пам'ятник Тарасу Шевченку", "монументального мистецтва", "1970 р."),
    ("Пам'ятник Богданові Хмельницькому", "монументального мистецтва", "1954 р."),
    ("Меморіал загиблим учасникам АТО", "історії", "2016 р."),
    ("Будинок колишнього готелю «Бельвю»", "архітектури", "початок XX ст."),
    ("Водонапірна вежа", "архітектури", "1920-ті рр."),
    ("Будинок колишньої жіночої гімназії", "архітектури", "1909 р."),
    ("Городище ранньослов'янського часу", "археології", "VI–VII ст."),
    ("Будинок міської думи", "архітектури", "кінець XIX ст."),
    ("Братська могила воїнів", "історії", "1944 р."),
    ("Будинок колишнього кінотеатру «Модерн»", "архітектури", "1913 р."),
    ("Будинок колишньої синагоги", "архітектури", "XIX ст."),
]
DEVELOPMENT = [
    ("Реконструкція стадіону ліцею № 17", "0611010"),
    ("Капітальний ремонт даху закладу дошкільної освіти № 28", "0611010"),
    ("Будівництво спортивного майданчика", "1115062"),
    ("Реконструкція скверу", "1217461"),
    ("Капітальний ремонт амбулаторії загальної практики", "0712111"),
    ("Будівництво укриття закладу загальної середньої освіти", "0611021"),
    ("Встановлення сонячних панелей на даху школи", "0611021"),
    ("Капітальний ремонт зовнішнього освітлення", "1216030"),
    ("Реконструкція Центру надання адміністративних послуг", "0217130"),
    ("Будівництво велодоріжки", "1217461"),
]
PURPOSES = ["офіс", "магазин", "кафе", "громадська організація", "склад", "освітні послуги"]


def _offset(lat: float, lon: float, metres_north: float, metres_east: float) -> tuple[float, float]:
    return (
        lat + metres_north / 111_320,
        lon + metres_east / (111_320 * math.cos(math.radians(lat))),
    )


def _point_near(rng: random.Random, place: tuple[str, float, float, int], spread: float = 250):
    _name, lat, lon, _bearing = place
    lat, lon = _offset(lat, lon, rng.uniform(-spread, spread), rng.uniform(-spread, spread))
    return {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]}


def _line_along(rng: random.Random, place: tuple[str, float, float, int], length_m: float):
    _name, lat, lon, bearing = place
    lat, lon = _offset(lat, lon, rng.uniform(-300, 300), rng.uniform(-300, 300))
    points = [(lon, lat)]
    steps = 4
    for _step in range(steps):
        angle = math.radians(bearing + rng.uniform(-8, 8))
        lat, lon = _offset(
            lat, lon, math.cos(angle) * length_m / steps, math.sin(angle) * length_m / steps
        )
        points.append((lon, lat))
    return {"type": "LineString", "coordinates": [[round(x, 6), round(y, 6)] for x, y in points]}


def _footprint(
    rng: random.Random, place: tuple[str, float, float, int], long_m: float, wide_m: float
):
    point = _point_near(rng, place, 350)
    lon, lat = point["coordinates"]
    angle = math.radians(place[3] + rng.choice([0, 90]))
    corners = []
    for along, across in ((-1, -1), (1, -1), (1, 1), (-1, 1), (-1, -1)):
        north = along * long_m / 2 * math.cos(angle) - across * wide_m / 2 * math.sin(angle)
        east = along * long_m / 2 * math.sin(angle) + across * wide_m / 2 * math.cos(angle)
        y, x = _offset(lat, lon, north, east)
        corners.append([round(x, 6), round(y, 6)])
    return {"type": "Polygon", "coordinates": [corners]}


def _house_number(rng: random.Random) -> str:
    number = rng.randint(1, 140)
    return f"{number}{rng.choice(['', '', '', '/1', 'А'])}"


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


def communal_property_rows(rng: random.Random) -> list[tuple[dict[str, Any], Any]]:
    rows = []
    for number in range(1, 61):
        place = rng.choice(STREETS + VILLAGES)
        kind = rng.choices(["будівля", "нежитлове приміщення", "земельна ділянка"], [3, 5, 2])[0]
        status = rng.choices(
            ["використовується", "в оренді", "вільне", "на приватизації"], [4, 4, 2, 1]
        )[0]
        holder, holder_code = rng.choice(BALANCE_HOLDERS)
        lease_start = (
            _day(rng, date(2019, 1, 1), date(2024, 6, 30)) if status == "в оренді" else None
        )
        name = {
            "будівля": "Будівля",
            "нежитлове приміщення": "Нежитлове приміщення",
            "земельна ділянка": "Земельна ділянка",
        }[kind]
        rows.append(
            (
                {
                    "inventory_number": f"{10_000 + number * 37:08d}",
                    "object_name": f"{name}, {place[0]}, {_house_number(rng)}",
                    "object_kind": kind,
                    "address": f"{place[0]}, {_house_number(rng)}, м. Хмельницький",
                    "owner": "Хмельницька міська територіальна громада",
                    "balance_holder": holder,
                    "balance_holder_edrpou": holder_code,
                    "area": round(rng.uniform(18, 2400), 1),
                    "purpose": rng.choice(PURPOSES),
                    "use_status": status,
                    "lessee": rng.choice(LESSEES) if lease_start else "",
                    "lease_start": lease_start,
                    "lease_end": lease_start.replace(year=lease_start.year + rng.choice([2, 3, 5]))
                    if lease_start
                    else None,
                    "cadastral_number": f"6810100000:{rng.randint(1, 30):02d}:{rng.randint(1, 99):03d}:{rng.randint(1, 9999):04d}"
                    if kind == "земельна ділянка"
                    else "",
                },
                _point_near(rng, place),
            )
        )
    return rows


def housing_rows(rng: random.Random) -> list[tuple[dict[str, Any], Any]]:
    rows = []
    for number in range(1, 121):
        place = rng.choice(STREETS)
        floors = rng.choice([5, 5, 9, 9, 10, 12, 16, 4, 3])
        sections = rng.randint(1, 6)
        year = rng.randint(1958, 2021)
        condition = rng.choices(
            ["добрий", "задовільний", "незадовільний", "аварійний"], [3, 5, 2, 0.3]
        )[0]
        rows.append(
            (
                {
                    "building_id": f"Ж-{number:04d}",
                    "address": f"{place[0]}, {_house_number(rng)}",
                    "year_built": year,
                    "floors": floors,
                    "apartments": floors * sections * rng.choice([3, 4]),
                    "total_area": round(floors * sections * rng.uniform(200, 320), 1),
                    "wall_material": "цегла"
                    if year < 1965
                    else rng.choice(["цегла", "панель", "моноліт", "блоки"]),
                    "management_company": rng.choice(MANAGERS),
                    "condition": condition,
                },
                _footprint(rng, place, 18 * sections, 14),
            )
        )
    return rows


def roads_rows(rng: random.Random) -> list[tuple[dict[str, Any], Any]]:
    rows = []
    for number, place in enumerate(STREETS * 2, start=1):
        length = rng.uniform(300, 1400)
        last = _day(rng, date(2012, 1, 1), date(2024, 10, 31))
        contractor = rng.choice(COMPANIES)[0]
        rating = rng.choices([1, 2, 3, 4, 5], [1, 3, 4, 3, 2])[0]
        rows.append(
            (
                {
                    "segment_id": f"Д-{number:03d}",
                    "name": f"{place[0]} (ділянка {1 + (number - 1) // len(STREETS)})",
                    "category": rng.choice(
                        ["магістральна", "районного значення", "місцевого значення"]
                    ),
                    "length_km": round(length / 1000, 2),
                    "surface": rng.choices(
                        ["асфальтобетон", "бруківка", "щебінь", "ґрунт"], [8, 2, 1, 0.5]
                    )[0],
                    "condition_rating": rating,
                    "last_repair": last,
                    "planned_repair": rng.choice([2025, 2026, 2027]) if rating <= 3 else None,
                    "contractor": contractor,
                    "cost": round(length * rng.uniform(1800, 4200), 2),
                },
                _line_along(rng, place, length),
            )
        )
    return rows


def road_repair_rows(rng: random.Random) -> list[tuple[dict[str, Any], Any]]:
    rows = []
    for number in range(1, 31):
        place = rng.choice(STREETS + VILLAGES)
        start = _day(rng, date(2023, 3, 1), date(2025, 9, 30))
        status = "завершено" if start < date(2025, 1, 1) else rng.choice(["триває", "заплановано"])
        contractor, code = rng.choice(COMPANIES)
        rows.append(
            (
                {
                    "repair_id": f"Р-{start.year}-{number:03d}",
                    "road_name": place[0],
                    "kind": rng.choice(["капітальний", "поточний", "ямковий"]),
                    "status": status,
                    "start_date": start,
                    "end_date": start + timedelta(days=rng.randint(14, 120)),
                    "contractor": contractor,
                    "contractor_edrpou": code,
                    "cost": round(rng.uniform(150_000, 12_000_000), 2),
                    "procurement_id": f"UA-{start:%Y-%m-%d}-{rng.randint(0, 999_999):06d}-{rng.choice('abcd')}",
                },
                _line_along(rng, place, rng.uniform(150, 700)),
            )
        )
    return rows


def development_rows(rng: random.Random) -> list[tuple[dict[str, Any], Any]]:
    rows = []
    for number in range(1, 41):
        place = rng.choice(STREETS + VILLAGES)
        title, programme = rng.choice(DEVELOPMENT)
        planned = round(rng.uniform(400_000, 48_000_000), 2)
        stage = rng.choices(
            ["проєктування", "закупівля", "будівництво", "завершено"], [1, 1, 2, 2]
        )[0]
        paid_share = {
            "проєктування": 0.02,
            "закупівля": 0.0,
            "будівництво": rng.uniform(0.2, 0.8),
            "завершено": 1,
        }[stage]
        contractor, code = (
            rng.choice(COMPANIES) if stage in {"будівництво", "завершено"} else ("", "")
        )
        year = rng.choice([2023, 2024, 2025])
        rows.append(
            (
                {
                    "object_id": f"БР-{year}-{number:03d}",
                    "object_name": f"{title}, {place[0]}",
                    "address": f"{place[0]}, {_house_number(rng)}",
                    "programme_code": programme,
                    "amount_planned": planned,
                    "amount_paid": round(planned * paid_share, 2),
                    "stage": stage,
                    "contractor": contractor,
                    "contractor_edrpou": code,
                    "procurement_id": f"UA-{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}-{rng.randint(0, 999_999):06d}-a"
                    if contractor
                    else "",
                    "year": year,
                },
                _point_near(rng, place),
            )
        )
    return rows


def heritage_rows(rng: random.Random) -> list[tuple[dict[str, Any], Any]]:
    rows = []
    centre = [street for street in STREETS if street[1] < 49.428 and 26.97 < street[2] < 27.0]
    for number, (name, kind, period) in enumerate(HERITAGE * 2, start=1):
        place = rng.choice(centre)
        suffix = "" if number <= len(HERITAGE) else f", {place[0]}"
        rows.append(
            (
                {
                    "register_number": f"{number + 120}-Хм",
                    "name": f"{name}{suffix}",
                    "object_type": kind,
                    "protection_category": rng.choices(
                        ["національного значення", "місцевого значення", "щойно виявлений"],
                        [1, 6, 2],
                    )[0],
                    "register_date": _day(rng, date(1979, 1, 1), date(2020, 12, 31)),
                    "address": f"{place[0]}, {_house_number(rng)}",
                    "period": period,
                },
                _point_near(rng, place, 180),
            )
        )
    return rows


ROWS = {
    "communal_property": communal_property_rows,
    "housing_stock": housing_rows,
    "roads": roads_rows,
    "road_repairs": road_repair_rows,
    "development_budget": development_rows,
    "cultural_heritage": heritage_rows,
}


def builtin_registries(*, actor: Any = None) -> list[RegistryDefinition]:
    keepers = {organisation.key: organisation for organisation in Organisation.objects.all()}
    registries = []
    for definition in BUILTIN:
        fields = {
            name: value for name, value in definition.items() if name not in {"key", "keeper"}
        }
        registries.append(
            registry_upsert(
                actor=actor, key=definition["key"], keeper=keepers[definition["keeper"]], **fields
            )
        )
    return registries


def build(*, stdout) -> list:
    total = 0
    for registry in builtin_registries():
        rows = ROWS[registry.key](random.Random(f"{registry.key}-784"))
        records_load(actor=None, registry=registry, rows=rows, replace=True, source="demo")
        registry_set_state(actor=None, registry=registry, state=RegistryDefinition.State.PUBLISHED)
        total += len(rows)
    stdout.write(f"  {len(BUILTIN)} registries with {total} records")
    return []
