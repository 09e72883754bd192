import pytest

from hromada.registries.validation import (
    Problem,
    check_field_definitions,
    check_geometry,
    coerce_value,
)

IDENTIFIER = {"name": "edrpou", "type": "string", "pattern": "[0-9]{8}"}


def test_identifier_keeps_leading_zeros():
    assert coerce_value(IDENTIFIER, "02345670") == "02345670"


def test_identifier_turned_into_a_number_by_a_spreadsheet_is_reported():
    with pytest.raises(Problem, match="does not match"):
        coerce_value(IDENTIFIER, 2345670.0)


def test_numbers_accept_decimal_comma_and_spaces():
    assert coerce_value({"name": "area", "type": "number"}, "1 234,5") == 1234.5


def test_dates_accept_ukrainian_form():
    assert coerce_value({"name": "d", "type": "date"}, "01.09.2021") == "2021-09-01"


def test_value_outside_choices_is_refused():
    with pytest.raises(Problem, match="not one of the allowed values"):
        coerce_value({"name": "c", "type": "string", "choices": ["так"]}, "ні")


def test_required_value_is_refused_when_blank():
    with pytest.raises(Problem, match="required"):
        coerce_value({"name": "n", "type": "string", "required": True}, "  ")


def test_field_definitions_refuse_reserved_and_duplicate_names():
    with pytest.raises(Problem):
        check_field_definitions([{"name": "geometry"}])
    with pytest.raises(Problem, match="twice"):
        check_field_definitions([{"name": "a"}, {"name": "a"}])
    with pytest.raises(Problem, match="unknown type"):
        check_field_definitions([{"name": "a", "type": "money"}])


def test_point_in_khmelnytskyi_is_accepted():
    checked = check_geometry({"type": "Point", "coordinates": [26.99, 49.42]}, "point")
    assert checked.bounds == (26.99, 49.42, 26.99, 49.42)


def test_wrong_geometry_type_is_refused():
    line = {"type": "LineString", "coordinates": [[26.99, 49.42], [27.0, 49.43]]}
    with pytest.raises(Problem, match="is a LineString"):
        check_geometry(line, "point")


def test_self_intersecting_polygon_is_refused():
    bowtie = {
        "type": "Polygon",
        "coordinates": [
            [[26.98, 49.41], [27.0, 49.43], [27.0, 49.41], [26.98, 49.43], [26.98, 49.41]]
        ],
    }
    with pytest.raises(Problem, match="Self-intersection"):
        check_geometry(bowtie, "polygon")


def test_swapped_latitude_and_longitude_are_named():
    with pytest.raises(Problem, match="swapped"):
        check_geometry({"type": "Point", "coordinates": [49.42, 26.99]}, "point")


def test_coordinates_outside_ukraine_are_refused():
    with pytest.raises(Problem, match="outside Ukraine"):
        check_geometry({"type": "Point", "coordinates": [2.35, 48.85]}, "point")


def test_malformed_geojson_geometry_is_refused():
    with pytest.raises(Problem):
        check_geometry({"type": "Point", "coordinates": "here"}, "point")
