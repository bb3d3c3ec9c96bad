from rasa_sdk.executor import CollectingDispatcher

from actions.answers import ActionAnswerRequest
from tests.conftest import make_tracker, user_event


def test_service_request_gets_its_guidance_an_expert_offer_and_its_area():
    tracker = make_tracker([user_event("老公不给抚养费怎么办", "legal_family_property")])
    dispatcher = CollectingDispatcher()
    events = ActionAnswerRequest().run(dispatcher, tracker, {})
    assert [m["response"] for m in dispatcher.messages] == [
        "utter_topic_legal_family_property",
        "utter_offer_expert",
    ]
    assert events == [{"event": "slot", "name": "service_area", "value": "legal", "timestamp": None}]


def test_a_non_service_intent_is_asked_to_clarify():
    tracker = make_tracker([user_event("你好", "greet")])
    dispatcher = CollectingDispatcher()
    assert ActionAnswerRequest().run(dispatcher, tracker, {}) == []
    assert dispatcher.messages[0]["response"] == "utter_clarify_area"
