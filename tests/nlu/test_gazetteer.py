import pytest

from nlu.gazetteer import great_circle_km, load_gazetteer


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


def test_guangdong_is_covered_to_county_level_from_the_cpca_table(gazetteer):
    assert len(gazetteer.guangdong("city")) == 21
    counties = gazetteer.guangdong("county")
    assert len(counties) >= 119
    assert all(c.latitude and c.longitude for c in counties)
    assert {c.full_name for c in counties} >= {"广东省佛山市顺德区", "广东省广州市天河区", "广东省韶关市乐昌市"}


def test_places_outside_guangdong_are_known_to_city_level(gazetteer):
    changsha = gazetteer.by_full_name("湖南省长沙市")
    assert changsha is not None and not changsha.in_guangdong
    assert not any(p.level == "county" and not p.in_guangdong for p in gazetteer)


@pytest.mark.parametrize("name, short", [
    ("顺德区", "顺德"), ("乐昌市", "乐昌"), ("乳源瑶族自治县", "乳源"), ("连山壮族瑶族自治县", "连山"),
    ("城区", None), ("广西壮族自治区", "广西"), ("香港特别行政区", "香港"), ("佛山市", "佛山"),
])
def test_everyday_short_names(gazetteer, name, short):
    place = next(p for p in gazetteer if p.name == name)
    assert place.short_name == short


def test_nearest_county_to_a_location(gazetteer):
    county, distance = gazetteer.nearest_county(22.80, 113.29)
    assert county.full_name == "广东省佛山市顺德区" and distance < 1
    city, _ = gazetteer.nearest_county(23.02, 113.75)  # 东莞 has no counties: the city itself
    assert city.full_name == "广东省东莞市"


def test_great_circle_distance_by_hand():
    # 0.1° of latitude is 6371.0088 km × 0.1 × π / 180 = 11.1195 km
    assert great_circle_km(23.0, 113.0, 23.1, 113.0) == pytest.approx(11.1195, abs=0.001)


def test_guangdong_towns_sit_under_their_county_or_city(gazetteer):
    towns = gazetteer.guangdong("town")
    assert len(towns) >= 1500
    ronggui = gazetteer.by_full_name("广东省佛山市顺德区容桂街道")
    assert ronggui.level == "town" and ronggui.short_name == "容桂" and ronggui.latitude is None
    assert gazetteer.parent(ronggui).full_name == "广东省佛山市顺德区"
    humen = gazetteer.by_full_name("广东省东莞市虎门镇")
    assert gazetteer.parent(humen).full_name == "广东省东莞市"


def test_towns_do_not_change_the_nearest_county(gazetteer):
    county, _ = gazetteer.nearest_county(22.80, 113.29)
    assert county.level == "county"
