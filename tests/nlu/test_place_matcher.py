import pytest
import yaml

from nlu.gazetteer import load_gazetteer
from bot.sample_directory import SAMPLE_FILE
from nlu.place_matcher import PlaceMatcher, org_level, read_rules

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


@pytest.mark.parametrize("text, full_name", [
    ("顺德容桂妇联在哪", "广东省佛山市顺德区容桂街道"), ("我在容桂", "广东省佛山市顺德区容桂街道"),
    ("容桂妇联电话多少", "广东省佛山市顺德区容桂街道"), ("容桂街道", "广东省佛山市顺德区容桂街道"),
    ("佛山市顺德区容桂街道", "广东省佛山市顺德区容桂街道"), ("住在东莞虎门", "广东省东莞市虎门镇"),
    ("我在乐昌坪石镇", "广东省韶关市乐昌市坪石镇"), ("增城新塘", "广东省广州市增城区新塘镇"),
    ("佛冈水头镇", "广东省清远市佛冈县水头镇"), ("我在容桂，老公打我", "广东省佛山市顺德区容桂街道"),
])
def test_towns_with_their_county_or_in_a_place_frame(matcher, text, full_name):
    assert matcher.best(text).place.full_name == full_name


@pytest.mark.parametrize("text", [
    "我在建设路上班", "我在人民医院", "新塘镇",  # 新塘镇: 广州增城 and 潮州饶平 both have one
    "南安水头镇妇联在哪",  # Fujian's 水头镇, never 佛冈's
])
def test_no_town_where_the_name_is_a_word_shared_or_elsewhere(matcher, text):
    found = matcher.best(text)
    assert found is None or found.place.level != "town", text


def test_a_town_outside_guangdong_is_named_for_the_honest_answer(matcher):
    assert matcher.outside("南安水头镇妇联在哪") == "福建省泉州市南安市水头镇"
    assert matcher.outside("佛冈水头镇妇联在哪") is None


_RULES = ("ambiguous_short_names: [和平]\nqualified_only: [城区]\ncues_before: [在]\ncues_after: [这边]\n"
          "filler_words: [我]\n")


def _rules_file(tmp_path, text):
    path = tmp_path / "place_rules.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_place_rules_pass_their_schema():
    rules = read_rules()
    assert "和平" in rules["ambiguous_short_names"] and "这边" in rules["cues_after"]


@pytest.mark.parametrize("text, fault", [
    (_RULES.replace("[和平]", "和平"), "'ambiguous_short_names' must be a list"),
    (_RULES.replace("[这边]", "这边"), "'cues_after' must be a list"),
    (_RULES.replace("[我]", "['  ']"), "'filler_words.0' is empty"),
    (_RULES.replace("qualified_only: [城区]\n", ""), "missing field 'qualified_only'"),
    (_RULES + "cue_after: [那边]\n", "unknown field.*cue_after"),
    (_RULES.replace("[在]", "[5]"), "'cues_before.0' must be text"),
    ("", "place_rules.yml"),
])
def test_a_place_rules_file_that_breaks_a_rule_is_refused_saying_where(tmp_path, text, fault):
    with pytest.raises(ValueError, match=fault):
        read_rules(_rules_file(tmp_path, text))
