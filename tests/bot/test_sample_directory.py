from nlu.gazetteer import load_gazetteer
from bot.sample_directory import GRASSROOTS_FILE, SAMPLE_FILE, build, render

import yaml


def test_the_committed_sample_directory_is_what_the_gazetteer_generates():
    grassroots = yaml.safe_load(GRASSROOTS_FILE.read_text(encoding="utf-8"))
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
