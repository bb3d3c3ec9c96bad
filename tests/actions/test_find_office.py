import asyncio

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.find_office import ActionFindOffice
from actions.routing_protocol import RoutingRefused
from nlu.gazetteer import load_gazetteer
from tests.actions.fakes import FOSHAN, SHUNDE, FakeDirectory, place
from tests.conftest import make_tracker, user_event

def run(directory, text, intent, entities=(), slots=None):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker([user_event(text, intent, entities=list(entities))], slots=slots)
    events = asyncio.run(ActionFindOffice(directory, load_gazetteer()).run(dispatcher, tracker, {}))
    return dispatcher.messages, {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def test_without_a_place_she_is_asked_where_with_a_location_button():
    messages, slots = run(FakeDirectory(), "离我最近的妇联在哪", "find_office")
    assert "你在哪个市" in messages[0]["text"]
    assert messages[0]["buttons"] == [{"title": "发送我的位置", "payload": "/share_location"}]
    assert slots["awaiting_place"] is True


def test_her_place_gets_the_local_office_with_address_phone_hours_map_and_the_office_above():
    directory = FakeDirectory()
    messages, slots = run(directory, "我在顺德", "inform_place", [place("广东省佛山市顺德区")])
    text = messages[0]["text"]
    for expected in ("佛山市顺德区妇女联合会", "佛山市顺德区某路1号", "0757-00000000", "周一至周五 9:00-17:30",
                     "https://uri.amap.com/marker?position=113.293359,22.80524", "上一级是佛山市妇女联合会", "110"):
        assert expected in text
    assert "示例数据" not in text
    assert directory.calls == [("region", "广东省佛山市顺德区", None)]
    assert slots["region"] == "广东省佛山市顺德区"


def test_a_level_she_asked_for_is_answered_for_that_level():
    directory = FakeDirectory()
    messages, _ = run(directory, "顺德的市妇联在哪", "find_office",
                      [place("广东省佛山市顺德区"), {"entity": "org_level", "value": "city"}])
    assert directory.calls == [("region", "广东省佛山市顺德区", "city")]
    assert messages[0]["text"].startswith("你问的市妇联（顺德区）：") and "佛山市妇女联合会" in messages[0]["text"]


def test_the_place_she_gave_earlier_is_remembered():
    directory = FakeDirectory()
    run(directory, "妇联在哪里", "find_office", slots={"region": "广东省佛山市顺德区"})
    assert directory.calls[0][1] == "广东省佛山市顺德区"


def test_a_shared_location_lists_the_nearest_offices_with_distance_and_sets_her_region():
    directory = FakeDirectory()
    messages, slots = run(directory, '/share_location{"latitude": 22.81, "longitude": 113.30}', "share_location",
                          [{"entity": "latitude", "value": 22.81}, {"entity": "longitude", "value": 113.30}])
    assert directory.calls == [("nearest", 22.81, 113.30, None)]
    assert "按直线距离" in messages[0]["text"] and "距离你约 1.0 公里" in messages[0]["text"]
    assert slots["region"] == "广东省佛山市顺德区"


def test_a_location_outside_guangdong_gets_an_honest_answer_and_the_hotline():
    directory = FakeDirectory()
    messages, _ = run(directory, "/share_location", "share_location",
                      [{"entity": "latitude", "value": 39.90}, {"entity": "longitude", "value": 116.40}])
    assert directory.calls == []
    assert "不在广东省" in messages[0]["text"] and "12338" in messages[0]["text"]


def test_a_place_outside_guangdong_gets_an_honest_answer_and_the_hotline():
    messages, _ = run(FakeDirectory(), "我在长沙", "inform_place", [place("湖南省长沙市")])
    text = messages[0]["text"]
    assert text.startswith("长沙市在湖南省，不在广东省") and "12338" in text and "湖南省妇联" in text


def test_an_unknown_place_after_the_question_gets_an_honest_answer_and_the_hotline():
    messages, slots = run(FakeDirectory(), "我在火星", "nlu_fallback", slots={"awaiting_place": True})
    assert "没能认出这个地方" in messages[0]["text"] and "12338" in messages[0]["text"]
    assert slots["awaiting_place"] is False


@pytest.mark.parametrize("entities", [
    [{"entity": "latitude", "value": "north"}, {"entity": "longitude", "value": 113.3}],
    [{"entity": "latitude", "value": 95}, {"entity": "longitude", "value": 113.3}],
    [{"entity": "latitude", "value": float("nan")}, {"entity": "longitude", "value": 113.3}],
    [],
])
def test_a_location_button_without_usable_coordinates_asks_for_the_place_in_words(entities):
    messages, _ = run(FakeDirectory(), "/share_location", "share_location", entities)
    assert "告诉我你在哪个市" in messages[0]["text"] and not messages[0]["buttons"]


def test_when_the_directory_is_down_she_still_gets_the_hotline():
    messages, _ = run(FakeDirectory(down=True), "我在顺德", "inform_place", [place("广东省佛山市顺德区")])
    assert "12338" in messages[0]["text"] and "出了点问题" in messages[0]["text"]


def test_when_the_directory_refuses_she_still_gets_the_hotline():
    directory = FakeDirectory(failure=RoutingRefused(422, "query.latitude: out of range"))
    messages, _ = run(directory, "/share_location", "share_location",
                      [{"entity": "latitude", "value": 22.81}, {"entity": "longitude", "value": 113.30}])
    assert "12338" in messages[0]["text"] and "出了点问题" in messages[0]["text"]


def test_sample_offices_are_labelled_as_sample_data():
    directory = FakeDirectory([dict(SHUNDE, sample=True)])
    messages, _ = run(directory, "我在顺德", "inform_place", [place("广东省佛山市顺德区")])
    assert "示例数据" in messages[0]["text"]


def test_a_place_she_named_that_is_not_in_the_gazetteer_gets_an_honest_answer():
    messages, _ = run(FakeDirectory(), "我在虎门", "inform_place")
    assert "没能认出这个地方" in messages[0]["text"] and "12338" in messages[0]["text"]


RONGGUI = dict(SHUNDE, id="org-440606-t1", name="佛山市顺德区容桂街道妇女联合会", level="town",
               region="广东省佛山市顺德区容桂街道", phone="12338")


def test_a_town_gets_its_own_federation_with_the_county_and_city_above_it():
    directory = FakeDirectory([RONGGUI, SHUNDE, FOSHAN])
    messages, slots = run(directory, "顺德容桂妇联在哪", "find_office", [place("广东省佛山市顺德区容桂街道")])
    text = messages[0]["text"]
    assert directory.calls == [("region", "广东省佛山市顺德区容桂街道", None)]
    assert text.startswith("离你最近的妇联组织（容桂街道）：") and "乡镇（街道）妇联" in text
    assert "上一级是佛山市顺德区妇女联合会，电话0757-00000000；再上一级是佛山市妇女联合会，电话0757-11111111" in text
    assert slots["region"] == "广东省佛山市顺德区容桂街道"


def test_a_town_outside_guangdong_that_shares_a_guangdong_name_gets_the_honest_answer_first_time():
    directory = FakeDirectory()
    messages, slots = run(directory, "南安水头镇妇联在哪", "find_office")
    assert directory.calls == []
    text = messages[0]["text"]
    assert text.startswith("福建省泉州市南安市水头镇不在广东省") and "12338" in text and "佛冈" not in text
    assert slots == {"awaiting_place": False}


def test_a_guangdong_town_she_named_is_not_mistaken_for_one_elsewhere():
    directory = FakeDirectory()
    run(directory, "佛冈水头镇妇联", "find_office", [place("广东省清远市佛冈县水头镇")])
    assert directory.calls == [("region", "广东省清远市佛冈县水头镇", None)]


def test_another_place_after_an_office_card_gets_that_places_office():
    """「那顺德呢」 (「那中山坦洲镇呢」) after an office card: the classifier is unsure, the place is clear."""
    directory = FakeDirectory()
    office_topic = {"topic": {"office": "广东省东莞市", "area": None, "turn": 1}, "region": "广东省东莞市"}
    messages, _ = run(directory, "那顺德呢", "inform_place", [place("广东省佛山市顺德区")],
                      slots=office_topic)
    assert directory.calls == [("region", "广东省佛山市顺德区", None)]
    assert "佛山市顺德区妇女联合会" in messages[0]["text"]

