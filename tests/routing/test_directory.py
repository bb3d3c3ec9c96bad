import math

import pytest

from routing import directory

# Hand-computed: along a meridian 0.1° is R·0.1·π/180 = 6371.0088 × 0.00174533 = 11.1195 km;
# along the parallel of 22.80524° it is that times cos(22.80524°) = 0.921813 → 10.2502 km.
SHUNDE = (22.80524, 113.293359)
LECHANG = (25.130602, 113.347545)


def test_great_circle_matches_hand_computed_distances():
    assert directory.great_circle_km(22.0, 113.0, 22.1, 113.0) == pytest.approx(11.1195, abs=0.001)
    assert directory.great_circle_km(*SHUNDE, SHUNDE[0], SHUNDE[1] + 0.1) == pytest.approx(10.2502, abs=0.002)
    # Guangzhou (23.1291, 113.2644) to Shenzhen (22.5431, 114.0579): the haversine formula by hand gives 104.0 km
    phi1, phi2 = math.radians(23.1291), math.radians(22.5431)
    a = math.sin((phi2 - phi1) / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(114.0579 - 113.2644) / 2) ** 2
    assert directory.great_circle_km(23.1291, 113.2644, 22.5431, 114.0579) == pytest.approx(2 * 6371.0088 * math.asin(math.sqrt(a)))
    assert directory.great_circle_km(23.1291, 113.2644, 22.5431, 114.0579) == pytest.approx(104.0, abs=0.5)


def test_her_region_is_served_by_its_most_local_office_first(sessions):
    with sessions() as db:
        chain = directory.for_region(db, "广东省佛山市顺德区")
        assert [o.name for o in chain] == ["佛山市顺德区妇女联合会", "佛山市妇女联合会", "广东省妇女联合会"]
        assert [o.name for o in directory.for_region(db, "广东省佛山市顺德区", level="city")][0] == "佛山市妇女联合会"
        assert directory.for_region(db, "湖南省长沙市") == []


def test_a_location_beside_a_community_office_gets_the_community_office(sessions):
    with sessions() as db:
        found = directory.nearest(db, 23.147, 113.337)  # 0.01° east of the sample 妇女之家
        assert found[0].organisation.level == "village"
        assert found[0].distance_km == pytest.approx(1.0224, abs=0.002)  # 1.11195 km per 0.01° × cos(23.147°) = 0.91951


def test_a_location_in_a_county_without_grassroots_offices_gets_the_nearest_county_offices(sessions):
    with sessions() as db:
        found = directory.nearest(db, LECHANG[0] + 0.1, LECHANG[1])  # 11.1 km north of 乐昌市's centre
        assert found[0].organisation.level == "county"
        assert len(found) == 3 and [m.distance_km for m in found] == sorted(m.distance_km for m in found)
        assert found[0].organisation.name == "韶关市乐昌市妇女联合会"
        assert found[0].distance_km == pytest.approx(11.1195, abs=0.002)


def test_a_level_she_asked_for_is_respected(sessions):
    with sessions() as db:
        found = directory.nearest(db, *SHUNDE, level="city", limit=2)
        assert [m.organisation.name for m in found][0] == "佛山市妇女联合会"
        assert all(m.organisation.level == "city" for m in found)


def test_far_from_every_office_she_still_gets_one(sessions):
    with sessions() as db:
        found = directory.nearest(db, 18.0, 112.0)  # at sea, south of Zhanjiang: nothing within 160 km
        assert [m.organisation.level for m in found] == ["province"]
        assert found[0].distance_km > 500
