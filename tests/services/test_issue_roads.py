"""A report of a road problem is linked to the road of the roads registry it was made on
(issue 5: "road reports linked to the roads registry when it exists")."""

from decimal import Decimal

import pytest

from hromada.core.models import AuditEvent
from hromada.registries.builtin import BUILTIN
from hromada.registries.selectors import nearest_record
from hromada.registries.services import record_create, registry_upsert
from hromada.services.services import issue_category_upsert, issue_report_create

# Along вул. Проскурівська, Khmelnytskyi, west to east.
PROSKURIVSKA = [[26.9790, 49.4220], [26.9870, 49.4230]]
# About 11 m north of the line's middle; about 200 m north of it.
NEAR = (Decimal("49.422600"), Decimal("26.983000"))
FAR = (Decimal("49.424300"), Decimal("26.983000"))


@pytest.fixture
def roads(bodies):
    definition = next(d for d in BUILTIN if d["key"] == "roads")
    fields = {name: value for name, value in definition.items() if name not in {"key", "keeper"}}
    registry = registry_upsert(
        actor=None, key="roads", keeper=bodies["infrastructure_dept"], **fields
    )
    return record_create(
        actor=None,
        registry=registry,
        properties={
            "segment_id": "Д-001",
            "name": "вул. Проскурівська (ділянка 1)",
            "category": "магістральна",
            "condition_rating": 2,
        },
        geometry={"type": "LineString", "coordinates": PROSKURIVSKA},
    )


@pytest.fixture
def lighting(bodies):
    return issue_category_upsert(
        actor=None,
        code="lighting",
        name="Не світить ліхтар",
        group="Освітлення",
        organisation=bodies["infrastructure_dept"],
    )


def _report(category, point):
    latitude, longitude = point
    return issue_report_create(
        category=category, description="Глибока вибоїна", latitude=latitude, longitude=longitude
    )


def test_a_pothole_near_a_road_is_linked_to_it(roads, pothole, client):
    report = _report(pothole, NEAR)
    assert report.road == roads
    event = AuditEvent.objects.get(action="service.issue.create")
    assert event.changes["road"] == [None, "вул. Проскурівська (ділянка 1)"]
    page = client.get(report.get_absolute_url()).content.decode()
    assert f'href="{roads.get_absolute_url()}" id="report-road"' in page


def test_no_road_when_far_from_every_road_or_not_a_road_problem(roads, pothole, lighting):
    assert _report(pothole, FAR).road is None
    assert _report(lighting, NEAR).road is None


def test_no_road_when_the_city_keeps_no_roads_registry(pothole):
    assert _report(pothole, NEAR).road is None


def test_nearest_record_measures_in_metres(roads):
    point = {"longitude": float(NEAR[1]), "latitude": float(NEAR[0])}
    assert nearest_record(registry_key="roads", within_m=20, **point) == roads
    assert nearest_record(registry_key="roads", within_m=5, **point) is None
