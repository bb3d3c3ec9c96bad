"""各地精选 in the chat (actions/local_services.py): one line when an answer touches a
service, and browsing the columns by words or buttons."""
import json

import pytest

from actions.answers import ActionAnswerRequest
from actions.local_services import ActionLocalServicesShow
from tests.actions.dialogue_support import bot_event, crisis_event, run_action, said, user_event
from tests.actions.fakes import InMemoryHandoffStore


@pytest.fixture(scope="module")
def index(knowledge_index):
    return knowledge_index


def answer(index, events, slots=None):
    return run_action(ActionAnswerRequest(InMemoryHandoffStore(), index), events, slots)


def service_lines(messages):
    return [line for m in messages for line in m["text"].split("\n") if line.startswith("🌟 各地精选：")]


def test_looking_for_flexible_work_offers_mama_jobs_in_her_city(index):
    messages, _ = answer(index, [user_event("想找个能接送孩子的灵活工作", "job_seeking")],
                         slots={"region": "广东省佛山市顺德区"})
    lines = service_lines(messages)
    assert len(lines) == 1 and lines[0].startswith("🌟 各地精选：妈妈岗（佛山市）") and "以当地最新政策为准" in lines[0]
    assert len(messages) <= 3 and "🌟" not in messages[-1]["text"]


def test_her_own_city_service_comes_first(index):
    messages, _ = answer(index, [user_event("想找个能接送孩子的灵活工作", "job_seeking")],
                         slots={"region": "广东省中山市"})
    assert service_lines(messages)[0].startswith("🌟 各地精选：中山妈妈岗（中山市）")


def test_housekeeping_in_guangzhou_offers_yangcheng_housekeeping(index):
    messages, _ = answer(index, [user_event("我想去学做家政当月嫂，哪里有培训", "job_seeking")],
                         slots={"region": "广东省广州市天河区"})
    assert service_lines(messages)[0].startswith("🌟 各地精选：羊城家政")


def test_a_service_already_offered_is_not_offered_again(index):
    first, _ = answer(index, [user_event("想找个能接送孩子的灵活工作", "job_seeking")],
                      slots={"region": "广东省佛山市顺德区"})
    events = [bot_event(m["text"]) for m in first] + [user_event("想找个能接送孩子的灵活工作", "job_seeking")]
    again, _ = answer(index, events, slots={"region": "广东省佛山市顺德区"})
    assert not any(line.startswith("🌟 各地精选：妈妈岗") for line in service_lines(again))


def test_a_question_that_touches_no_service_gets_no_line(index):
    messages, _ = answer(index, [user_event("离婚冷静期是多少天", "legal_divorce")])
    assert "各地精选" not in said(messages)


def payload_value(button):
    return json.loads(button["payload"].removeprefix("/choose_local_service"))


def test_asking_for_gedi_jingxuan_shows_the_columns_as_buttons(index):
    messages, _ = answer(index, [user_event("各地精选有什么", "nlu_fallback")])
    assert len(messages) == 1 and "选一类看看" in messages[0]["text"]
    titles = [b["title"] for b in messages[0]["buttons"]]
    assert {"创业帮帮", "少儿培训", "老人大学", "妈妈岗", "家政服务"} <= set(titles)
    assert all(b["payload"].startswith("/choose_local_service") for b in messages[0]["buttons"])


def test_chuangye_bangbang_lists_the_checked_startup_services_with_how_to_reach_them(index):
    messages, _ = answer(index, [user_event("创业帮帮", "startup_business")], slots={"region": "广东省江门市"})
    text = messages[0]["text"]
    assert len(messages) == 1 and text.startswith("【各地精选·创业帮帮】江门市可以找这些：")
    assert "创业担保贷款" in text and "怎么找：" in text and text.endswith("（以当地最新政策为准）")
    assert "还有什么想问的" not in text  # a list, not an FAQ answer


def test_a_column_in_her_city_names_other_cities_services_apart(index):
    messages, _ = answer(index, [user_event("有冇老人大學", "care_children_elderly")], slots={"region": "广东省佛山市"})
    text = messages[0]["text"]
    assert "1. 国家老年大学（线上学习）" in text and "其他城市的：" in text
    assert text.index("国家老年大学") < text.index("广东老年大学（广州市）")


@pytest.mark.parametrize("text, intent", [("我妈在老年大学被人骗了三千块钱 能报警吗", "legal_fraud"),
                                          ("带孩子去少年宫的路上被车撞了 能赔吗", "legal_aid")])
def test_a_column_named_inside_a_story_is_not_shown(index, text, intent):
    messages, _ = answer(index, [user_event(text, intent)])
    assert "【各地精选·" not in said(messages)


@pytest.mark.parametrize("text", ["镇上有没有老人大学 我想去学唱歌", "少年宫暑假班几时报名", "创业帮帮是什么"])
def test_a_question_about_a_column_opens_it(index, text):
    messages, _ = answer(index, [user_event(text, "care_children_elderly")])
    assert messages[0]["text"].startswith("【各地精选·")


def test_mama_jobs_by_itself_still_gets_its_answer_not_the_column(index):
    messages, _ = answer(index, [user_event("妈妈岗在哪里报名", "job_seeking")])
    assert "【各地精选·" not in said(messages)


def test_inside_a_crisis_the_column_is_not_shown(index):
    messages, _ = answer(index, [crisis_event("他打我 我在躲着", "violence"), bot_event("你现在安全吗"),
                                 user_event("各地精选", "nlu_fallback")],
                         slots={"crisis_episode": {"type": "violence", "whose": "self", "safe": False}})
    assert "选一类看看" not in said(messages)


@pytest.mark.parametrize("value, expected", [({"local_column": "children"}, "【各地精选·少儿培训】"),
                                             ({}, "选一类看看"), ({"local_column": "nope"}, "选一类看看")])
def test_a_button_shows_its_column_or_the_columns(value, expected):
    entities = [{"entity": k, "value": v} for k, v in value.items()]
    messages, _ = run_action(ActionLocalServicesShow(InMemoryHandoffStore()),
                             [user_event("/choose_local_service", "choose_local_service", entities=entities)],
                             slots={"region": "广东省广州市"})
    assert expected in messages[0]["text"]


def test_the_column_buttons_open_each_column(index):
    menu, _ = answer(index, [user_event("各地精选", "nlu_fallback")])
    for button in menu[0]["buttons"]:
        entities = [{"entity": k, "value": v} for k, v in payload_value(button).items()]
        shown, _ = run_action(ActionLocalServicesShow(InMemoryHandoffStore()),
                              [user_event(button["payload"], "choose_local_service", entities=entities)])
        assert shown[0]["text"].startswith(f"【各地精选·{button['title']}】") and "怎么找：" in shown[0]["text"]
        assert shown[0]["buttons"][0]["title"] == "看看其他精选"
