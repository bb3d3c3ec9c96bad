import pytest
import yaml

from nlu.gazetteer import load_gazetteer
from bot.sample_directory import SAMPLE_FILE
from nlu.place_matcher import PlaceMatcher, org_level

SAMPLE_COUNTIES = [o["region"] for o in yaml.safe_load(SAMPLE_FILE.read_text(encoding="utf-8"))["organisations"]
                   if o["level"] == "county"]
QUALIFIED = {"城区": "汕尾城区"}  # too common a word to stand alone


@pytest.fixture(scope="module")
def matcher():
    return PlaceMatcher.from_files(load_gazetteer())


def _names(full_name):
    place = load_gazetteer().by_full_name(full_name)
    return [QUALIFIED.get(n, n) for n in (place.name, place.short_name) if n]


@pytest.mark.parametrize("full_name", SAMPLE_COUNTIES)
def test_every_county_in_the_sample_by_its_full_and_short_name(matcher, full_name):
    assert len(SAMPLE_COUNTIES) >= 119
    for name in _names(full_name):
        for sentence in (f"我住在{name}", f"{name}这边", f"我在{name}，离我最近的妇联在哪", name):
            found = matcher.best(sentence)
            assert found is not None and found.place.full_name == full_name, sentence
            assert sentence[found.start:found.end].endswith(name)


@pytest.mark.parametrize("text, full_name", [
    ("我在顺德", "广东省佛山市顺德区"), ("天河区这边", "广东省广州市天河区"), ("住在韶关乐昌", "广东省韶关市乐昌市"),
    ("我老家在佛山市南海区", "广东省佛山市南海区"), ("住喺番禺", "广东省广州市番禺区"),
    ("我在东莞", "广东省东莞市"), ("我在长沙", "湖南省长沙市"), ("我是香港人", "香港特别行政区"),
    ("我在广州，老家在乐昌", "广东省韶关市乐昌市"),
])
def test_places_in_free_text(matcher, text, full_name):
    assert matcher.best(text).place.full_name == full_name


@pytest.mark.parametrize("text", ["世界和平", "阳春面好吃吗", "离我最近的妇联在哪", "我在城区上班", "中山大学附近", "", "🙂🙂"])
def test_no_place_where_a_word_only_looks_like_one(matcher, text):
    assert matcher.best(text) is None


@pytest.mark.parametrize("text, level", [
    ("区妇联在哪", "county"), ("佛山市妇联电话", "city"), ("县妇联几点上班", "county"), ("省妇联地址", "province"),
    ("街道妇联", "town"), ("村里的妇女之家", "village"), ("离我最近的妇联", None),
])
def test_the_level_of_federation_she_asks_about(text, level):
    assert org_level(text) == level
