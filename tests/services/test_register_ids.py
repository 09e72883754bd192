import re

from hromada.services.models import ServiceCard
from hromada.services.services import catalogue_load

# Identifiers found in public sources (guide.diia.gov.ua or municipal ЦНАП pages built on it);
# each card in the YAML cites its source. Exact values guard the leading zeros that an
# unquoted YAML number would lose.
FOUND = {
    "reyestratsiia-mistsia-prozhyvannia": "00034",
    "zniattia-z-reyestratsii": "00037",
    "reyestratsiia-dytyny": "01217",
    "dovidka-reyestratsiia": "00038",
    "prysvoiennia-adresy": "00153",
    "reyestratsiia-fop": "00106",
    "posvidchennia-bahatoditnoi-simi": "00121",
    "dovidka-vpo": "00169",
}


def test_demo_catalogue_carries_the_found_register_ids(plan_bodies):
    catalogue_load(actor=None)

    loaded = dict(ServiceCard.objects.filter(code__in=FOUND).values_list("code", "register_id"))

    assert loaded == FOUND


def test_register_ids_in_the_demo_catalogue_are_five_digits_when_present(plan_bodies):
    catalogue_load(actor=None)

    ids = ServiceCard.objects.exclude(register_id="").values_list("code", "register_id")

    assert len(ids) >= len(FOUND)
    assert [(code, rid) for code, rid in ids if not re.fullmatch(r"\d{5}", rid)] == []
