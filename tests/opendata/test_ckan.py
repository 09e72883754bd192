import json
import os
from pathlib import Path

import pytest

ACTION = "/api/3/action/{}"


def _call(client, action, **params):
    return client.get(ACTION.format(action), params)


def test_both_prefixes_answer_without_redirect(client, demo_catalogue):
    for prefix in ("/api/3/action/", "/api/action/"):
        response = client.get(prefix + "status_show")
        assert response.status_code == 200
        body = response.json()
        assert body["success"] is True and body["help"]
        assert body["result"]["ckan_version"].startswith("2.")


def test_package_list_and_show_by_name_or_id(client, demo_catalogue):
    names = _call(client, "package_list").json()["result"]
    assert "roads" in names and "cultural-heritage" in names
    package = _call(client, "package_show", id="roads", use_default_schema="true").json()["result"]
    assert package["organization"]["name"] == "infrastructure-dept"
    assert {resource["format"] for resource in package["resources"]} >= {
        "CSV",
        "XLSX",
        "JSON",
        "GeoJSON",
    }
    assert _call(client, "package_show", id=package["id"]).json()["result"]["name"] == "roads"


def test_post_with_json_body(client, demo_catalogue):
    response = client.post(
        ACTION.format("package_search"),
        data=json.dumps({"q": "дороги", "rows": "1"}),
        content_type="application/json",
    )
    result = response.json()["result"]
    assert result["count"] == 2
    assert len(result["results"]) == 1


def test_package_search_filters_facets_and_paging(client, demo_catalogue):
    by_org = _call(client, "package_search", fq="organization:infrastructure-dept").json()["result"]
    assert {item["name"] for item in by_org["results"]} == {
        "roads",
        "road-repairs",
        "housing-stock",
    }
    by_tag = _call(client, "package_search", fq='tags:"культурна спадщина"').json()["result"]
    assert [item["name"] for item in by_tag["results"]] == ["cultural-heritage"]
    geo = _call(client, "package_search", fq="res_format:GeoJSON", rows="1000").json()["result"]
    assert geo["count"] == 6
    recent = _call(
        client, "package_search", fq="metadata_modified:[2020-01-01T00:00:00Z TO *]"
    ).json()["result"]
    assert recent["count"] == 6
    future = _call(
        client, "package_search", fq="metadata_modified:[2999-01-01T00:00:00Z TO *]"
    ).json()["result"]
    assert future["count"] == 0
    paged = _call(client, "package_search", rows="2", start="2", sort="name asc").json()["result"]
    assert [item["name"] for item in paged["results"]] == ["development-budget", "housing-stock"]
    facets = _call(client, "package_search", **{"facet.field": '["organization"]'}).json()["result"]
    assert facets["facets"]["organization"]["infrastructure-dept"] == 3
    assert facets["search_facets"]["organization"]["items"]


def test_rows_are_capped_at_a_thousand(client, demo_catalogue):
    result = _call(client, "package_search", rows="5000").json()["result"]
    assert result["count"] == len(result["results"]) == 6


@pytest.mark.parametrize(
    ("name", "params", "status", "kind"),
    [
        ("package_show", {"id": "nothing"}, 404, "Not Found Error"),
        ("package_show", {}, 409, "Validation Error"),
        ("package_search", {"rows": "many"}, 409, "Validation Error"),
        ("package_search", {"sort": "colour up"}, 409, "Validation Error"),
        ("resource_show", {"id": "roads--pdf"}, 404, "Not Found Error"),
        ("organization_show", {"id": "nobody"}, 404, "Not Found Error"),
        ("no_such_action", {}, 400, "Bad Request"),
    ],
)
def test_errors_use_ckan_shapes(client, demo_catalogue, name, params, status, kind):
    response = _call(client, name, **params)
    assert response.status_code == status
    body = response.json()
    assert body["success"] is False
    assert body["error"]["__type"] == kind


def test_malformed_json_body_is_a_bad_request(client, demo_catalogue):
    response = client.post(ACTION.format("package_show"), data="{", content_type="application/json")
    assert response.status_code == 400


def test_organisations_groups_tags_resources_help(client, demo_catalogue):
    organisations = _call(client, "organization_list", all_fields="true").json()["result"]
    assert {item["name"]: item["package_count"] for item in organisations}[
        "infrastructure-dept"
    ] == 3
    shown = _call(
        client, "organization_show", id="culture-tourism-dept", include_datasets="true"
    ).json()
    assert [item["name"] for item in shown["result"]["packages"]] == ["cultural-heritage"]
    assert _call(client, "group_list").json()["result"] == ["geodata"]
    assert _call(client, "group_show", id="geodata").json()["result"]["package_count"] == 6
    assert "дороги" in _call(client, "tag_list").json()["result"]
    resource = _call(client, "resource_show", id="roads--csv").json()["result"]
    assert resource["url"].endswith("/opendata/roads/data.csv")
    assert "rows" in _call(client, "help_show", name="package_search").json()["result"]
    listed = _call(client, "current_package_list_with_resources", limit="2").json()["result"]
    assert len(listed) == 2 and listed[0]["resources"]


@pytest.mark.django_db(transaction=True)
def test_ckanapi_client_and_dump_command(live_server, tmp_path):
    import subprocess
    import sys

    import ckanapi

    from tests.registries.factories import build_demo

    build_demo()
    ckanapi_script = str(Path(sys.executable).parent / "ckanapi")
    # The dump command starts its workers as `ckanapi` from PATH.
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    remote = ckanapi.RemoteCKAN(live_server.url, user_agent="hromada-tests")
    assert remote.action.status_show()["ckan_version"]
    names = remote.action.package_list()
    assert len(names) == 6
    assert remote.action.package_show(id="roads")["title"].startswith("Дороги")
    assert remote.action.package_search(q="спадщини")["count"] == 1
    with pytest.raises(ckanapi.NotFound):
        remote.action.package_show(id="nothing")
    dump = tmp_path / "datasets.jsonl"
    command = [
        ckanapi_script,
        "dump",
        "datasets",
        "--all",
        "-r",
        live_server.url,
        "-O",
        str(dump),
        "-p",
        "1",
        "-q",
    ]
    finished = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)
    assert finished.returncode == 0, finished.stderr
    lines = dump.read_text(encoding="utf-8").splitlines()
    assert sorted(json.loads(line)["name"] for line in lines) == sorted(names)
    search = subprocess.run(
        [ckanapi_script, "search", "datasets", "q=дороги", "-r", live_server.url],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert search.returncode == 0, search.stderr
    assert "roads" in search.stdout
