from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from rdflib import Graph
from rdflib.namespace import DCAT, DCTERMS, RDF

from hromada.core.metrics import provider
from hromada.opendata.models import Dataset
from hromada.opendata.services import datasets_sync
from hromada.opendata.sources import _SOURCES, Column, DatasetSource, register
from hromada.registries.models import RegistryDefinition
from hromada.registries.services import registry_set_state


def test_every_published_registry_is_a_data_set(demo_catalogue):
    assert set(Dataset.objects.filter(public=True).values_list("key", flat=True)) == {
        key.replace("_", "-") for key in demo_catalogue
    }


def test_unpublishing_a_registry_withdraws_its_data_set(demo_catalogue):
    registry_set_state(
        actor=None, registry=demo_catalogue["roads"], state=RegistryDefinition.State.DRAFT
    )
    result = datasets_sync(actor=None)
    assert result.withdrawn == 1
    assert not Dataset.objects.get(key="roads").public


def test_sync_twice_changes_nothing(demo_catalogue):
    result = datasets_sync(actor=None)
    assert (result.created, result.updated, result.withdrawn) == (0, 0, 0)


def test_other_modules_register_their_lists(demo_catalogue):
    source = DatasetSource(
        key="test-module-list",
        title="Заходи плану дій",
        description="Заходи Плану дій з впровадження ініціативи «Партнерство Відкритий Уряд».",
        keeper_key="economy_dept",
        update_frequency="monthly",
        theme="plan",
        columns=lambda: [Column("code", "Код"), Column("title", "Назва")],
        rows=lambda: iter([("1.1", "=1+1"), ("1.2", "Паперова")]),
    )
    register(source)
    try:
        datasets_sync(actor=None)
        dataset = Dataset.objects.get(key="test-module-list")
        assert dataset.theme == "plan"
    finally:
        _SOURCES.pop("test-module-list")


def test_csv_escapes_formulas(client, demo_catalogue):
    register(
        DatasetSource(
            key="formulas",
            title="Формули",
            description="",
            keeper_key="economy_dept",
            columns=lambda: [Column("text")],
            rows=lambda: iter([("=HYPERLINK(1)",)]),
        )
    )
    try:
        datasets_sync(actor=None)
        body = b"".join(client.get("/opendata/formulas/data.csv").streaming_content).decode()
        assert "'=HYPERLINK(1)" in body
    finally:
        _SOURCES.pop("formulas")


def test_distributions_download(client, demo_catalogue):
    csv = b"".join(client.get("/opendata/cultural-heritage/data.csv").streaming_content).decode()
    assert csv.splitlines()[0].startswith("id,register_number,name")
    bom = b"".join(client.get("/opendata/cultural-heritage/data-excel.csv").streaming_content)
    assert bom.startswith("\ufeff".encode())
    xlsx = client.get("/opendata/cultural-heritage/data.xlsx")
    assert xlsx.content.startswith(b"PK")
    geojson = b"".join(client.get("/opendata/cultural-heritage/data.geojson").streaming_content)
    assert b'"FeatureCollection"' in geojson
    assert client.get("/opendata/cultural-heritage/data.pdf").status_code == 404
    assert client.get("/opendata/nothing/data.csv").status_code == 404


def test_dataset_page_shows_the_passport(client, demo_catalogue):
    page = client.get("/opendata/roads/").content.decode()
    assert "infrastructure_dept@khm.gov.ua" in page
    assert "datapackage.json" in page


@pytest.mark.django_db(transaction=True)
def test_frictionless_validates_the_data_package(live_server):
    from frictionless import validate

    from tests.registries.factories import build_demo

    build_demo()
    for key in ("communal-property", "roads", "cultural-heritage"):
        report = validate(f"{live_server.url}/opendata/{key}/datapackage.json")
        assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]


def test_dcat_turtle_parses_with_the_mandatory_properties(client, demo_catalogue):
    response = client.get("/catalog.ttl")
    graph = Graph().parse(data=response.content.decode(), format="turtle")
    catalogue = next(graph.subjects(RDF.type, DCAT.Catalog))
    assert graph.value(catalogue, DCTERMS.title) and graph.value(catalogue, DCTERMS.description)
    datasets = list(graph.objects(catalogue, DCAT.dataset))
    assert len(datasets) == 6
    for dataset in datasets:
        assert graph.value(dataset, DCTERMS.title) and graph.value(dataset, DCTERMS.description)
        assert graph.value(dataset, DCTERMS.publisher)
        for distribution in graph.objects(dataset, DCAT.distribution):
            assert graph.value(distribution, DCAT.accessURL)


def test_dcat_json_ld_parses(client, demo_catalogue):
    graph = Graph().parse(data=client.get("/catalog.jsonld").content.decode(), format="json-ld")
    assert len(list(graph.subjects(RDF.type, DCAT.Dataset))) == 6


def test_overdue_list_and_fresh_share(client, demo_catalogue):
    assert provider("opendata.fresh_share").value() == 100
    Dataset.objects.filter(key="road-repairs").update(
        data_modified_at=timezone.now() - timedelta(days=30)
    )
    page = client.get("/opendata/overdue/")
    assert [row["dataset"].key for row in page.context["rows"]] == ["road-repairs"]
    assert provider("opendata.fresh_share").value() == Decimal("83.33")
