from rasa_sdk.executor import CollectingDispatcher

from actions.clarify import ActionChooseArea, ActionClarify
from tests.conftest import make_tracker, user_event


def clarify(events):
    dispatcher = CollectingDispatcher()
    ActionClarify().run(dispatcher, make_tracker(events), {})
    return dispatcher.messages[0]


def test_first_miss_asks_for_the_area_with_four_buttons_and_a_person():
    message = clarify([user_event("嗯那个就是", "nlu_fallback")])
    assert message["response"] == "utter_clarify_area"
    titles = [b["title"] for b in message["buttons"]]
    assert titles == ["创业创新", "法律维权", "家庭教育", "关爱服务", "转人工"]


def test_emoji_only_message_is_asked_for_words():
    assert clarify([user_event("😭😭😭", "nlu_fallback")])["response"] == "utter_clarify_empty"


def test_second_miss_in_a_row_offers_a_person():
    message = clarify([user_event("嗯", "nlu_fallback"), user_event("啊这", "nlu_fallback")])
    assert message["response"] == "utter_clarify_again"


def test_choosing_an_area_lists_its_topics():
    dispatcher = CollectingDispatcher()
    tracker = make_tracker([user_event("/choose_area", "choose_area")], slots={"area": "care"})
    ActionChooseArea().run(dispatcher, tracker, {})
    payloads = [b["payload"] for b in dispatcher.messages[0]["buttons"]]
    assert "/care_mental_health" in payloads and all(p.startswith("/care_") for p in payloads[:-1])
    assert payloads[-1] == "/request_human"


def test_a_clear_area_with_an_unclear_topic_shows_that_areas_topics():
    event = user_event("抚养权还是财产", "nlu_fallback",
                       intent_ranking=[{"name": "nlu_fallback"}, {"name": "legal_divorce"},
                                       {"name": "legal_family_property"}])
    message = clarify([event])
    assert message["response"] == "utter_area_menu"
    assert "/legal_divorce" in [b["payload"] for b in message["buttons"]]
