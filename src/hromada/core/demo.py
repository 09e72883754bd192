"""Demo data of the shared kernel: the calendar and the organisations of the plan."""

from __future__ import annotations

from pathlib import Path

import yaml

from hromada.core.services import calendar_load, organisations_load

PLAN_FILE = (
    Path(__file__).resolve().parent.parent / "plans" / "data" / "khmelnytskyi-2021-2022.yaml"
)

# Contact details the plan does not give: public addresses of the city's bodies.
ADDRESSES = {
    "city_council": "вул. Гагаріна, 3, м. Хмельницький, 29013",
    "executive_committee": "вул. Гагаріна, 3, м. Хмельницький, 29013",
    "infocentre": "вул. Соборна, 16, м. Хмельницький, 29000",
    "admin_services": "вул. Соборна, 16, м. Хмельницький, 29000",
    "spetskomuntrans": "вул. Вінницьке шосе, 16, м. Хмельницький, 29025",
}


def build(*, stdout) -> list:
    calendar_load()
    entries = yaml.safe_load(PLAN_FILE.read_text(encoding="utf-8"))["organisations"]
    for entry in entries:
        if entry["key"] in ADDRESSES:
            entry["address"] = ADDRESSES[entry["key"]]
    organisations = organisations_load(actor=None, entries=entries)
    stdout.write(f"  calendar and {len(organisations)} organisations")
    return []
