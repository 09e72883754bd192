"""Test data for the registries and the catalogue: the keepers and the demo registries."""

from __future__ import annotations

import io

from hromada.core.models import Organisation

KEEPERS = {
    "economy_dept": "Управління економіки",
    "infrastructure_dept": "Управління житлової політики і майна",
    "capital_construction_dept": "Управління капітального будівництва",
    "culture_tourism_dept": "Управління культури і туризму",
}


def make_keepers() -> dict[str, Organisation]:
    return {
        key: Organisation.objects.get_or_create(
            key=key,
            defaults={
                "name": name,
                "kind": Organisation.Kind.DEPARTMENT,
                "email": f"{key}@khm.gov.ua",
            },
        )[0]
        for key, name in KEEPERS.items()
    }


def build_demo() -> None:
    """The demo registries, published, and their data sets in the catalogue."""
    from hromada.opendata.services import datasets_sync
    from hromada.registries import demo

    make_keepers()
    demo.build(stdout=io.StringIO())
    datasets_sync(actor=None)
