import pytest

from nlu.gazetteer import load_gazetteer
from bot.sample_directory import GRASSROOTS_FILE, SAMPLE_FILE, build, read_grassroots, render


def test_the_committed_sample_directory_is_what_the_gazetteer_generates():
    grassroots = read_grassroots(GRASSROOTS_FILE)
    expected = render(build(load_gazetteer(), grassroots))
    assert SAMPLE_FILE.read_text(encoding="utf-8") == expected, "run `python -m bot sample-directory`"


def test_every_guangdong_county_has_an_office_at_its_gazetteer_coordinates():
    gazetteer = load_gazetteer()
    offices = {o["region"]: o for o in build(gazetteer, [])["organisations"]}
    for county in gazetteer.guangdong("county"):
        office = offices[county.full_name]
        assert (office["latitude"], office["longitude"]) == (round(county.latitude, 6), round(county.longitude, 6))
        assert offices[gazetteer.parent(county).full_name]["id"] == office["parent"]
        assert "示例" in office["address"]


TOWN = ("- {county: '440106000000', id_suffix: linhe, name: 林和街道妇女联合会, level: town, region_suffix: 林和街道, "
        "latitude: 23.146, longitude: 113.325}\n")
VILLAGE = ("- {county: '440106000000', id_suffix: linhe-home, parent_suffix: linhe, name: 示例社区妇女之家, "
           "level: village, region_suffix: 林和街道示例社区, latitude: 23.147, longitude: 113.327}\n")


def _grassroots(tmp_path, text):
    path = tmp_path / "sample_grassroots.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_town_and_a_village_under_it_pass(tmp_path):
    assert [item["level"] for item in read_grassroots(_grassroots(tmp_path, TOWN + VILLAGE))] == ["town", "village"]


@pytest.mark.parametrize("text, fault", [
    (TOWN.replace("'440106000000'", "440106000000"), "'0.county' must be text"),
    (TOWN.replace("'440106000000'", "'350583000000'"), "'0.county'"),
    (TOWN.replace("level: town", "level: street"), "unknown level 'street' in '0.level'"),
    (TOWN.replace("name: 林和街道妇女联合会, ", ""), "missing field 'name' in '0'"),
    (TOWN.replace("name: 林和街道妇女联合会", "name: ' '"), "'0.name' is empty"),
    (TOWN.replace("id_suffix: linhe", "id_suffix: Lin He"), "'0.id_suffix'"),
    (TOWN.replace("latitude: 23.146", "latitude: '23.146'"), "'0.latitude' must be a number"),
    (TOWN.replace("longitude: 113.325", "longitude: 213.325"), "'0.longitude'"),
    (TOWN.replace("latitude: 23.146", "latitude: 23.146, phone: '12338'"), "unknown field \\('phone' was unexpected\\)"),
    (TOWN + VILLAGE.replace("parent_suffix: linhe, ", ""), "missing field 'parent_suffix' in '1'"),
    (TOWN + VILLAGE.replace("parent_suffix: linhe", "parent_suffix: daliang"), "parent 'daliang' is not a town"),
    (VILLAGE + TOWN, "parent 'linhe' is not a town listed before it"),
    (TOWN.replace("level: town", "level: town, parent_suffix: linhe"), "a town hangs under its county"),
    ("county: '440106000000'\n", "must be a list"),
    ("", "sample_grassroots.yml"),
])
def test_a_grassroots_file_that_breaks_a_rule_is_refused_saying_where(tmp_path, text, fault):
    with pytest.raises(ValueError, match=fault):
        read_grassroots(_grassroots(tmp_path, text))
