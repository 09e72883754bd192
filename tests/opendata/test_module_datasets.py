"""Other modules' public lists are data sets of the catalogue (CMU Resolution No. 835)."""

from pathlib import Path

from hromada.opendata.services import datasets_sync
from hromada.plans.services.loader import plan_load

PLAN_FILE = (
    Path(__file__).resolve().parents[2] / "src/hromada/plans/data/khmelnytskyi-2021-2022.yaml"
)


def test_plan_services_and_decisions_are_published_as_data_sets(client, db):
    plan_load(path=PLAN_FILE)
    datasets_sync(actor=None)

    names = client.get("/api/3/action/package_list").json()["result"]

    assert {"plan-measures", "plan-reports", "service-catalogue", "decisions"} <= set(names)
    package = client.get("/api/3/action/package_show", {"id": "plan-measures"}).json()["result"]
    assert {r["format"] for r in package["resources"]} >= {"CSV", "XLSX", "JSON"}
    csv = b"".join(client.get("/opendata/plan-measures/data.csv").streaming_content).decode()
    assert csv.splitlines()[0].startswith("external_id,commitment,number")
    assert csv.count("khm-2021-") == 7
