import io
import json
import zipfile

import pytest
import shapefile
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from hromada.core.audit import public_history
from hromada.registries.models import Record
from hromada.registries.services import ImportRejected, records_import

HEADER = "code,name,category,year,area,longitude,latitude\n"


def _import(registry, name, data, **kwargs):
    return records_import(actor=None, registry=registry, filename=name, data=data, **kwargs)


def test_csv_in_utf8_with_commas_is_imported(heritage):
    data = (HEADER + "0101,Водонапірна вежа,місцевого значення,1920,120.5,26.99,49.42\n").encode()
    result = _import(heritage, "monuments.csv", data)
    assert result.created == 1
    record = Record.objects.get(registry=heritage)
    assert record.properties["code"] == "0101"  # leading zero kept
    assert record.properties["year"] == 1920
    assert record.label == "Водонапірна вежа"
    assert (record.minx, record.miny) == (26.99, 49.42)


def test_csv_in_windows_1251_with_semicolons_is_imported(heritage):
    text = "Охоронний номер;Назва;Категорія;longitude;latitude\n0102;Костел;національного значення;26,98;49,41\n"
    result = _import(heritage, "monuments.csv", text.encode("cp1251"))
    assert result.created == 1
    assert Record.objects.get().properties["name"] == "Костел"


def test_xlsx_is_imported(heritage):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["code", "name", "year", "longitude", "latitude"])
    sheet.append(["0103", "Ратуша", 1911, 26.97, 49.43])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert _import(heritage, "m.xlsx", buffer.getvalue()).created == 1


def test_geojson_is_imported(parcels):
    square = [[[26.98, 49.41], [26.99, 49.41], [26.99, 49.42], [26.98, 49.42], [26.98, 49.41]]]
    document = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"cadastral": "6810100000:01:001:0001"},
                "geometry": {"type": "Polygon", "coordinates": square},
            }
        ],
    }
    assert _import(parcels, "parcels.geojson", json.dumps(document).encode()).created == 1


def test_zipped_shapefile_is_imported(heritage):
    shp, shx, dbf = io.BytesIO(), io.BytesIO(), io.BytesIO()
    with shapefile.Writer(shp=shp, shx=shx, dbf=dbf, shapeType=shapefile.POINT) as writer:
        writer.field("code", "C", size=10)
        writer.field("name", "C", size=80)
        writer.point(26.99, 49.42)
        writer.record("0104", "Пам'ятник")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("m.shp", shp.getvalue())
        bundle.writestr("m.shx", shx.getvalue())
        bundle.writestr("m.dbf", dbf.getvalue())
        bundle.writestr("m.cpg", "UTF-8")
    assert _import(heritage, "m.zip", archive.getvalue()).created == 1
    assert Record.objects.get().properties["name"] == "Пам'ятник"


def test_one_bad_row_among_ten_thousand_imports_nothing_and_names_it(heritage):
    lines = [HEADER]
    for number in range(10_000):
        year = "не рік" if number == 6_789 else "1900"
        lines.append(f"{number:04d},Об'єкт {number},,{year},,26.99,49.42\n")
    data = "".join(lines).encode()
    with pytest.raises(ImportRejected) as rejected:
        _import(heritage, "big.csv", data)
    problems = rejected.value.problems
    assert rejected.value.total == 1
    # Line 1 is the header, so data row 6 789 (from 0) is line 6 791.
    assert (problems[0].row, problems[0].field, problems[0].value) == (6_791, "year", "не рік")
    assert not Record.objects.exists()


def test_each_bad_input_is_reported_and_nothing_is_imported(heritage):
    cases = {
        "swapped.csv": (HEADER + "0105,Вежа,,,,49.42,26.99\n").encode(),
        "choice.csv": (HEADER + "0106,Вежа,всесвітнього значення,,,26.99,49.42\n").encode(),
        "pattern.csv": (HEADER + "105,Вежа,,,,26.99,49.42\n").encode(),
        "binary.csv": bytes(range(256)) * 4,
        "broken.geojson": b'{"type": "FeatureCollection", "features": [',
        "wrong.geojson": json.dumps(
            {
                "type": "Feature",
                "properties": {"code": "0107", "name": "Лінія"},
                "geometry": {"type": "LineString", "coordinates": [[26.9, 49.4], [27.0, 49.5]]},
            }
        ).encode(),
        "notes.txt": b"hello",
    }
    for name, data in cases.items():
        with pytest.raises(ImportRejected) as rejected:
            _import(heritage, name, data)
        assert rejected.value.problems, name
        assert rejected.value.problems[0].reason, name
    assert not Record.objects.exists()


def test_oversized_file_and_zip_bomb_are_refused(heritage, settings):
    settings.REGISTRY_IMPORT_MAX_BYTES = 1000
    with pytest.raises(ImportRejected, match="problem") as rejected:
        _import(heritage, "big.csv", b"x" * 2000)
    assert "limit" in rejected.value.problems[0].reason
    settings.REGISTRY_IMPORT_MAX_BYTES = 10_000_000
    settings.REGISTRY_IMPORT_MAX_EXPANDED_BYTES = 100_000
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("m.shp", b"\0" * 1_000_000)
    with pytest.raises(ImportRejected) as rejected:
        _import(heritage, "bomb.zip", archive.getvalue())
    assert "expands" in rejected.value.problems[0].reason


def test_reimport_updates_by_identifier_and_keeps_history(heritage):
    _import(heritage, "a.csv", (HEADER + "0108,Вежа,,1920,,26.99,49.42\n").encode())
    result = _import(heritage, "b.csv", (HEADER + "0108,Вежа,,1921,,26.99,49.42\n").encode())
    assert (result.created, result.updated) == (0, 1)
    record = Record.objects.get()
    assert record.properties["year"] == 1921
    assert public_history(record).get(action="record.update").changes == {"year": [1920, 1921]}


def test_replace_deletes_records_missing_from_the_file(heritage):
    _import(heritage, "a.csv", (HEADER + "0109,А,,,,26.99,49.42\n0110,Б,,,,26.99,49.42\n").encode())
    result = _import(heritage, "b.csv", (HEADER + "0109,А,,,,26.99,49.42\n").encode(), replace=True)
    assert result.deleted == 1
    assert list(Record.objects.values_list("ref", flat=True)) == ["0109"]


def test_import_command_imports_a_file(heritage, tmp_path):
    path = tmp_path / "monuments.csv"
    path.write_text(HEADER + "0111,Вежа,,,,26.99,49.42\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import", "monuments", str(path), stdout=out, stderr=io.StringIO())
    assert Record.objects.filter(ref="0111").exists()
    assert "1" in out.getvalue()


def test_import_command_prints_the_report_and_fails(heritage, tmp_path):
    path = tmp_path / "monuments.csv"
    path.write_text(HEADER + "0112,Вежа,,рік,,26.99,49.42\n", encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", "monuments", str(path), stdout=out, stderr=out)
    assert "year" in out.getvalue()
    assert not Record.objects.exists()
