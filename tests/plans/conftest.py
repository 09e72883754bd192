from pathlib import Path

import pytest

from hromada.accounts.models import Role
from hromada.core.models import Organisation
from hromada.plans.models import Measure
from hromada.plans.services.loader import plan_load

PLAN_FILE = (
    Path(__file__).resolve().parents[2] / "src/hromada/plans/data/khmelnytskyi-2021-2022.yaml"
)


@pytest.fixture
def plan(db):
    return plan_load(path=PLAN_FILE)


@pytest.fixture
def measure(plan) -> Measure:
    return Measure.objects.get(external_id="khm-2021-1.2")


@pytest.fixture
def infocentre_staff(plan, user_factory):
    return user_factory(role=Role.STAFF, organisation=Organisation.objects.get(key="infocentre"))


@pytest.fixture
def other_staff(plan, user_factory):
    return user_factory(
        role=Role.STAFF, organisation=Organisation.objects.get(key="spetskomuntrans")
    )


@pytest.fixture
def coordinator(plan, user_factory):
    return user_factory(role=Role.COORDINATOR)
