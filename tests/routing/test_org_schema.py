"""The office directory's schema, one test per rule (routing/org_schema.py)."""
import pytest
import yaml

from routing import org_data, org_schema

OFFICE = {"id": "gd", "name": "广东省妇女联合会", "level": "province", "parent": None, "region": "广东省",
          "address": "广州市某路1号", "phone": "020-00000000", "hours": "周一至周五", "latitude": 23.13,
          "longitude": 113.27}
DEPARTMENTS = [{"id": "rights", "name": "权益部", "category": "legal", "specialty": "法律"}]


def problems_of(**changes):
    return org_schema.problems({"departments": DEPARTMENTS, "organisations": [dict(OFFICE, **changes)]})


def test_the_shipped_sample_directory_follows_the_schema():
    data = yaml.safe_load(org_data.SAMPLE_FILE.read_text(encoding="utf-8"))
    assert org_schema.problems(data) == [] and org_data.check(data) == []


def test_a_good_office_has_no_problem():
    assert problems_of() == []


@pytest.mark.parametrize("field", ["id", "name", "level", "region"])
def test_every_required_field_of_an_office(field):
    office = dict(OFFICE)
    del office[field]
    assert org_schema.problems({"organisations": [office]}) == [f"organisation #1 (gd): missing '{field}'"
                                                                if field != "id" else
                                                                "organisation #1 (None): missing 'id'"]


def test_a_required_text_may_not_be_blank():
    assert problems_of(region="  ") == ["organisation #1 (gd): 'region' is empty"]


def test_the_level_is_one_of_the_five():
    assert problems_of(level="capital") == [
        "organisation #1 (gd): level must be one of province, city, county, town, village, not 'capital'"]


@pytest.mark.parametrize("field, value", [("latitude", 95), ("latitude", -91), ("longitude", 181)])
def test_coordinates_are_on_the_earth(field, value):
    assert problems_of(**{field: value}) == [f"organisation #1 (gd): coordinates out of range ({field} {value})"]


def test_a_coordinate_is_a_number_or_absent():
    assert problems_of(latitude="north")[0].startswith("organisation #1 (gd): 'latitude' must be a number")
    assert problems_of(latitude=None, longitude=None) == []


def test_a_phone_number_written_without_quotes_is_refused_before_it_loses_its_leading_zero():
    assert problems_of(phone=2012345678) == [
        "organisation #1 (gd): 'phone' must be text (put it in quotes), not 2012345678"]


def test_an_unknown_field_is_refused_rather_than_ignored():
    assert problems_of(telephone="12338") == ["organisation #1 (gd): unknown field ('telephone' was unexpected)"]


def test_a_department_names_a_known_area():
    assert org_schema.problems({"departments": [dict(DEPARTMENTS[0], category="sports")],
                                "organisations": [OFFICE]}) == [
        "department #1 (rights): category must be one of entrepreneurship, legal, family_education, care, not 'sports'"]


@pytest.mark.parametrize("data, problem", [
    ({}, "the directory: missing 'organisations'"),
    ({"organisations": []}, "the directory: [] should be non-empty"),
    ({"organisations": "gd"}, "the directory: 'organisations' must be a list, not 'gd'"),
    ({"organisations": [OFFICE], "offices": []}, "the directory: unknown field ('offices' was unexpected)"),
    ([OFFICE], "the directory must be a mapping with 'organisations:' (and 'departments:')"),
])
def test_the_file_holds_a_list_of_organisations(data, problem):
    assert problem in org_schema.problems(data)


def test_a_shape_problem_is_reported_before_the_offices_are_compared():
    data = {"departments": DEPARTMENTS, "organisations": [dict(OFFICE, level="capital"), dict(OFFICE)]}
    assert org_data.check(data, require_departments=False) == [
        "organisation #1 (gd): level must be one of province, city, county, town, village, not 'capital'"]
    assert org_data.check({"organisations": [OFFICE, OFFICE]}, require_departments=False) == [
        "organisation #2 (gd): duplicate id"]
