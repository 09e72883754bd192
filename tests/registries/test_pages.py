from urllib.parse import urlencode

from django.core.files.uploadedfile import SimpleUploadedFile

from hromada.accounts.models import Role
from hromada.core.metrics import provider
from hromada.registries.models import Record

ARCHAEOLOGY = {"layer": "cultural_heritage", "object_type": "археології"}


def test_geoportal_lists_the_layers_and_counts(client, demo_registries):
    response = client.get("/geoportal/")
    assert response.status_code == 200
    assert response.context["total"] == Record.objects.count()
    assert {layer["key"] for layer in response.context["layers"]} == set(demo_registries)


def test_filter_narrows_the_map_and_the_table_alike(client, demo_registries):
    expected = Record.objects.filter(
        registry__key="cultural_heritage", properties__object_type="археології"
    ).count()
    assert client.get("/geoportal/", ARCHAEOLOGY).context["total"] == expected
    table = client.get("/geoportal/table/", ARCHAEOLOGY)
    assert table.context["total"] == expected
    assert len(table.context["sections"][0]["rows"]) == expected


def test_bbox_in_the_permalink_narrows_the_table(client, demo_registries):
    wide = client.get("/geoportal/table/", {"layer": "development_budget"}).context["total"]
    narrow = client.get(
        "/geoportal/table/", {"layer": "development_budget", "bbox": "26.98,49.41,27.00,49.43"}
    ).context["total"]
    assert 0 < narrow < wide


def test_table_downloads_the_filtered_rows(client, demo_registries):
    response = client.get("/geoportal/table/?" + urlencode({**ARCHAEOLOGY, "format": "csv"}))
    lines = b"".join(response.streaming_content).decode().strip().splitlines()
    assert lines[0].startswith("id,register_number,name")
    assert len(lines) - 1 == Record.objects.filter(properties__object_type="археології").count()


def test_record_page_shows_values_and_history(client, demo_registries):
    record = Record.objects.filter(registry__key="communal_property").first()
    response = client.get(record.get_absolute_url())
    assert record.properties["object_name"] in response.content.decode()
    assert client.get("/registries/communal_property/999999/").status_code == 404


def test_keeper_staff_import_from_the_web(client, demo_registries, user_factory, keepers):
    registry = demo_registries["cultural_heritage"]
    staff = user_factory(role=Role.STAFF, organisation=keepers["culture_tourism_dept"])
    client.force_login(staff)
    upload = SimpleUploadedFile(
        "new.csv",
        "register_number;name;object_type;protection_category;address;longitude;latitude\n"
        "999-Хм;Млин;архітектури;місцевого значення;вул. Млинова, 1;26,99;49,42\n".encode("cp1251"),
    )
    response = client.post(f"/registries/{registry.key}/import/", {"file": upload})
    assert response.status_code == 200
    assert response.context["result"].created == 1
    assert Record.objects.filter(registry=registry, ref="999-Хм").exists()


def test_web_import_with_a_bad_row_shows_the_report(client, demo_registries, user_factory, keepers):
    registry = demo_registries["cultural_heritage"]
    client.force_login(user_factory(role=Role.STAFF, organisation=keepers["culture_tourism_dept"]))
    before = Record.objects.count()
    upload = SimpleUploadedFile(
        "bad.csv",
        b"register_number,name,object_type,protection_category,address,longitude,latitude\n"
        b"998,A,unknown,x,y,26.99,49.42\n",
    )
    response = client.post(f"/registries/{registry.key}/import/", {"file": upload})
    assert response.status_code == 422
    assert {problem.field for problem in response.context["rejected"].problems} >= {"object_type"}
    assert Record.objects.count() == before


def test_staff_of_another_body_may_not_import(client, demo_registries, user_factory, keepers):
    client.force_login(user_factory(role=Role.STAFF, organisation=keepers["economy_dept"]))
    assert client.get("/registries/cultural_heritage/import/").status_code == 403


def test_published_count_metric(demo_registries):
    assert provider("registries.published_count").value() == 6
