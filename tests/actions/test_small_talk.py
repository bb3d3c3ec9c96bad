"""Small talk never repeats a long text (actions/small_talk.py)."""
from actions.small_talk import ActionSmallTalk
from bot.knowledge_index import default_index
from tests.actions.dialogue_support import bot_event, run_action, topic, user_event
from tests.actions.fakes import InMemoryHandoffStore


def talk(events, slots=None):
    return run_action(ActionSmallTalk(InMemoryHandoffStore(), default_index()), events, slots)


def test_five_greetings_never_get_the_same_long_text_twice():
    events, sent = [], []
    for _ in range(5):
        events.append(user_event("你好", "greet", 0.95))
        messages, _ = talk(events)
        text = messages[0]["text"]
        assert len(text) < 40 or text not in sent
        sent.append(text)
        events.append(bot_event(text))


def test_asking_twice_whether_it_is_a_person_gets_a_new_answer():
    first, _ = talk([user_event("你是真人吗", "bot_challenge", 0.99)])
    second, _ = talk([user_event("你是真人吗", "bot_challenge", 0.99), bot_event(first[0]["text"]),
                      user_event("你到底是不是真人", "bot_challenge", 0.99)])
    assert second[0]["text"] != first[0]["text"] and "真人" in second[0]["text"]


def test_a_greeting_while_she_waits_says_her_request_is_handled():
    messages, _ = talk([user_event("你好", "greet", 0.95)], {"handoff_open": True, "handoff_id": "h1"})
    assert "求助" in messages[0]["text"]


def test_a_guess_of_small_talk_in_a_topic_is_read_as_a_follow_up():
    messages, slots = talk([user_event("儿子天天刷抖音", "family_screen_study"), bot_event("……"),
                            user_event("他12了 上六年级", "goodbye", 0.12)],
                           {"topic": topic("family_education", "family_education.phone_addiction")})
    assert slots["service_area"] == "family_education" and "照顾好自己" not in messages[0]["text"]


def test_taking_back_her_request_in_words_read_as_a_goodbye_withdraws_it():
    import asyncio

    from actions.handoff_types import HandoffRequest

    store = InMemoryHandoffStore()
    record = asyncio.run(store.open_request(HandoffRequest("woman-1", "rest", "legal", "legal_land_inheritance",
                                                           False, "村里不给分地", [])))
    messages, slots = run_action(ActionSmallTalk(store, default_index()),
                                 [user_event("算了 俺跟村里再说说 那个帮俺取消了吧", "goodbye", 0.23)],
                                 {"handoff_open": True, "handoff_id": record.id,
                                  "topic": topic("legal", "legal.land.married_out_women")})
    assert store.records[-1].status == "returned" and slots["handoff_open"] is False
    assert "已经取消了" in messages[0]["text"]


def test_while_her_request_is_open_a_guessed_goodbye_that_says_more_is_noted_and_passed_on():
    import asyncio

    from actions.handoff_types import HandoffRequest

    store = InMemoryHandoffStore()
    record = asyncio.run(store.open_request(HandoffRequest("woman-1", "rest", "care", "care_mental_health",
                                                           False, "一个人在东莞 很压抑", [])))
    messages, slots = run_action(ActionSmallTalk(store, default_index()),
                                 [user_event("我再说下 我晚上十点下班后才有空接电话", "goodbye", 0.12)],
                                 {"handoff_open": True, "handoff_id": record.id, "topic": topic("care")})
    assert "记下了" in messages[0]["text"] and "照顾好自己" not in messages[0]["text"]
    assert "转给" in messages[-1]["text"] and slots["service_area"] == "care"
    assert store.forwarded[-1][-1] == "我再说下 我晚上十点下班后才有空接电话"
    # a plain goodbye while she waits is still a goodbye
    messages, _ = run_action(ActionSmallTalk(store, default_index()), [user_event("好 我等电话", "goodbye", 0.3)],
                             {"handoff_open": True, "handoff_id": record.id, "topic": topic("care")})
    assert "记下了" not in messages[0]["text"]
