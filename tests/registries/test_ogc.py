import pytest

from hromada.registries.models import Record, RegistryDefinition

ITEMS = "/ogc/collections/{}/items"
KHMELNYTSKYI = "26.90,49.36,27.10,49.48"


def test_landing_conformance_and_openapi_are_json_by_default(client, demo_registries):
    landing = client.get("/ogc/")
    assert landing["Content-Type"].startswith("application/json")
    rels = {link["rel"] for link in landing.json()["links"]}
    assert {"self", "service-desc", "conformance", "data"} <= rels
    conformance = client.get("/ogc/conformance").json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson" in conformance
    api = client.get("/ogc/api")
    assert api["Content-Type"].startswith("application/vnd.oai.openapi+json")
    assert "/collections/{collectionId}/items" in api.json()["paths"]


def test_browsers_get_html(client, demo_registries):
    response = client.get("/ogc/collections", HTTP_ACCEPT="text/html,application/xhtml+xml")
    assert response["Content-Type"].startswith("text/html")
    assert "культурної спадщини" in response.content.decode()
    assert client.get("/ogc/collections?f=html")["Content-Type"].startswith("text/html")


def test_collections_list_the_published_registries_with_extents(client, demo_registries):
    collections = client.get("/ogc/collections").json()["collections"]
    assert {collection["id"] for collection in collections} == set(demo_registries)
    heritage = next(item for item in collections if item["id"] == "cultural_heritage")
    minx, miny, maxx, maxy = heritage["extent"]["spatial"]["bbox"][0]
    assert 26.8 < minx <= maxx < 27.2 and 49.3 < miny <= maxy < 49.6


def test_items_page_with_next_links_and_counts(client, demo_registries):
    page = client.get(ITEMS.format("housing_stock"), {"limit": 50}).json()
    assert page["numberMatched"] == 120
    assert page["numberReturned"] == 50
    following = next(link["href"] for link in page["links"] if link["rel"] == "next")
    second = client.get(following.replace("http://testserver", "")).json()
    assert second["numberReturned"] == 50
    assert not {f["id"] for f in page["features"]} & {f["id"] for f in second["features"]}
    last = client.get(ITEMS.format("housing_stock"), {"limit": 50, "offset": 100}).json()
    assert not any(link["rel"] == "next" for link in last["links"])


def test_bbox_keeps_only_features_inside(client, demo_registries):
    everything = client.get(ITEMS.format("development_budget"), {"limit": 1000}).json()
    inside = client.get(
        ITEMS.format("development_budget"), {"bbox": "26.98,49.41,27.00,49.43", "limit": 1000}
    ).json()
    assert 0 < inside["numberMatched"] < everything["numberMatched"]
    for feature in inside["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert 26.98 <= lon <= 27.00 and 49.41 <= lat <= 49.43


def test_property_filter_and_datetime(client, demo_registries):
    national = client.get(
        ITEMS.format("cultural_heritage"), {"protection_category": "національного значення"}
    ).json()
    assert (
        national["numberMatched"]
        == Record.objects.filter(
            registry__key="cultural_heritage",
            properties__protection_category="національного значення",
        ).count()
    )
    assert all(
        feature["properties"]["protection_category"] == "національного значення"
        for feature in national["features"]
    )
    rating = client.get(ITEMS.format("roads"), {"condition_rating": "2"}).json()
    assert all(feature["properties"]["condition_rating"] == 2 for feature in rating["features"])
    future = client.get(ITEMS.format("roads"), {"datetime": "2999-01-01T00:00:00Z/.."}).json()
    assert future["numberMatched"] == 0
    recent = client.get(ITEMS.format("roads"), {"datetime": "2000-01-01/.."}).json()
    assert recent["numberMatched"] == 50


@pytest.mark.parametrize(
    "params",
    [
        {"limit": "0"},
        {"limit": "10001"},
        {"limit": "many"},
        {"bbox": "1,2,3"},
        {"bbox": "a,b,c,d"},
        {"datetime": "yesterday"},
        {"unknown": "1"},
        {"year": "good"},
        {"f": "xml"},
        {"bbox-crs": "EPSG:3857"},
    ],
)
def test_bad_parameters_get_ogc_errors(client, heritage, params):
    response = client.get(ITEMS.format("monuments"), params)
    assert response.status_code == 400
    assert response.json()["code"] == "InvalidParameterValue"


def test_unknown_collection_and_feature_are_404(client, demo_registries):
    assert client.get(ITEMS.format("nothing")).status_code == 404
    assert client.get(ITEMS.format("roads") + "/999999").json()["code"] == "NotFound"
    assert client.get(ITEMS.format("roads") + "/abc").status_code == 404


def test_single_feature_links_to_its_record_page(client, demo_registries):
    record = Record.objects.filter(registry__key="roads").first()
    feature = client.get(f"{ITEMS.format('roads')}/{record.pk}").json()
    assert feature["geometry"]["type"] == "LineString"
    alternate = next(link["href"] for link in feature["links"] if link["rel"] == "alternate")
    assert alternate.endswith(record.get_absolute_url())


@pytest.mark.django_db(transaction=True)
def test_owslib_reads_the_collections_and_a_bbox(live_server):
    from owslib.ogcapi.features import Features

    from tests.registries.factories import build_demo

    build_demo()
    service = Features(live_server.url + "/ogc/")
    ids = {collection["id"] for collection in service.collections()["collections"]}
    assert {"communal_property", "roads", "cultural_heritage"} <= ids
    assert (
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"
        in service.conformance()["conformsTo"]
    )
    items = service.collection_items(
        "cultural_heritage", bbox=[26.90, 49.36, 27.10, 49.48], limit=100
    )
    assert items["numberReturned"] == items["numberMatched"] == 36
    assert items["features"][0]["geometry"]["type"] == "Point"


def test_next_link_seeks_after_the_last_id_and_keeps_the_position(client, demo_registries):
    first = client.get(ITEMS.format("housing_stock"), {"limit": 50}).json()
    following = next(link["href"] for link in first["links"] if link["rel"] == "next")
    assert f"after={first['features'][-1]['id']}" in following
    assert "offset=50" in following
    by_key = client.get(following.replace("http://testserver", "")).json()
    by_offset = client.get(ITEMS.format("housing_stock"), {"limit": 50, "offset": 50}).json()
    assert [f["id"] for f in by_key["features"]] == [f["id"] for f in by_offset["features"]]
    assert by_key["numberMatched"] == 120
    assert any(link["rel"] == "prev" and "offset=0" in link["href"] for link in by_key["links"])
    last = client.get(ITEMS.format("housing_stock"), {"limit": 60, "offset": 60}).json()
    assert last["numberReturned"] == 60
    assert not any(link["rel"] == "next" for link in last["links"])


def test_bad_after_is_an_ogc_error(client, demo_registries):
    response = client.get(ITEMS.format("housing_stock"), {"after": "x"})
    assert response.status_code == 400
    assert response.json()["code"] == "InvalidParameterValue"


def test_bbox_inside_a_long_line_still_finds_it(client, demo_registries):
    """The bbox range on the index is widened by the registry's widest record."""
    roads = demo_registries["roads"]
    widest = max(
        Record.objects.filter(registry=roads), key=lambda record: record.maxx - record.minx
    )
    middle_x = (widest.minx + widest.maxx) / 2
    middle_y = (widest.miny + widest.maxy) / 2
    box = f"{middle_x - 1e-5},{middle_y - 1e-5},{middle_x + 1e-5},{middle_y + 1e-5}"
    found = client.get(ITEMS.format("roads"), {"bbox": box, "limit": 1000}).json()
    assert widest.pk in {feature["id"] for feature in found["features"]}


def test_counts_and_spans_follow_new_records(client, demo_registries):
    from hromada.registries.services import record_create

    roads = RegistryDefinition.objects.get(key="roads")
    before = client.get(ITEMS.format("roads"), {"limit": 1}).json()["numberMatched"]
    properties = dict(Record.objects.filter(registry=roads).first().properties)
    properties["segment_id"] = "R-BENCH-1"
    line = {"type": "LineString", "coordinates": [[26.80, 49.30], [27.20, 49.55]]}
    record = record_create(actor=None, registry=roads, properties=properties, geometry=line)
    after = client.get(ITEMS.format("roads"), {"limit": 1}).json()["numberMatched"]
    assert after == before + 1
    found = client.get(ITEMS.format("roads"), {"bbox": "27.0,49.42,27.0001,49.4201"}).json()
    assert record.pk in {feature["id"] for feature in found["features"]}


def test_counts_follow_deletions_in_the_back_office(client, demo_registries, rf):
    from django.contrib.admin.sites import site

    before = client.get(ITEMS.format("roads"), {"limit": 1}).json()["numberMatched"]
    record = Record.objects.filter(registry__key="roads").first()
    site._registry[Record].delete_model(rf.get("/"), record)
    after = client.get(ITEMS.format("roads"), {"limit": 1}).json()["numberMatched"]
    assert after == before - 1
