"""Nothing clear, or only the area (actions/answers.py `clarify`, actions/clarify.py)."""
from actions.answers import ActionAnswerRequest
from actions.clarify import ActionChooseArea
from bot.knowledge_index import default_index
from tests.actions.dialogue_support import run_action, user_event
from tests.actions.fakes import InMemoryHandoffStore


def unsure(events, with_slots=False):
    messages, slots = run_action(ActionAnswerRequest(InMemoryHandoffStore(), default_index()), events)
    return (messages, slots) if with_slots else messages[0]


def test_first_miss_asks_for_the_area_with_four_buttons_and_a_person():
    message = unsure([user_event("嗯那个就是", "nlu_fallback", 0.1)])
    assert "换个说法" in message["text"]
    assert [b["title"] for b in message["buttons"]] == ["创业创新", "法律维权", "家庭教育", "关爱服务", "转人工"]


def test_emoji_only_message_is_asked_for_words():
    assert "没看到文字" in unsure([user_event("😭😭😭", "nlu_fallback", 1.0)])["text"]


def test_second_miss_in_a_row_offers_a_person():
    message = unsure([user_event("嗯", "nlu_fallback", 0.1), user_event("啊这", "nlu_fallback", 0.1)])
    assert "转接真人" in message["text"] and message["buttons"][0]["payload"] == "/request_human"


def test_choosing_an_area_lists_its_topics_and_sets_the_area():
    messages, slots = run_action(ActionChooseArea(), [user_event("/choose_area", "choose_area")], {"area": "care"})
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert "/care_mental_health" in payloads and all(p.startswith("/care_") for p in payloads[:-1])
    assert payloads[-1] == "/request_human" and slots["service_area"] == "care"


def test_a_clear_area_with_an_unclear_topic_shows_that_areas_topics():
    event = user_event("抚养权还是财产", "nlu_fallback", 0.1,
                       intent_ranking=[{"name": "nlu_fallback", "confidence": 0.1},
                                       {"name": "legal_divorce", "confidence": 0.05},
                                       {"name": "legal_family_property", "confidence": 0.045}])
    messages, slots = unsure([event], with_slots=True)
    titles = [b["title"] for m in messages for b in m["buttons"]]
    assert slots["service_area"] == "legal" and "创业创新" not in titles
