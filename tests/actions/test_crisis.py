from rasa_sdk.executor import CollectingDispatcher

from actions.crisis import ActionCrisisResponse, crisis_type_of
from tests.conftest import make_tracker, user_event


def run(tracker):
    dispatcher = CollectingDispatcher()
    events = ActionCrisisResponse().run(dispatcher, tracker, {})
    return dispatcher.messages, events


def test_crisis_reply_uses_the_detected_type_and_marks_the_conversation_urgent():
    tracker = make_tracker(
        [user_event("我不想活了", "crisis_self_harm", 1.0, crisis={"detected": True, "type": "self_harm"})]
    )
    messages, events = run(tracker)
    assert [m["response"] for m in messages] == ["utter_crisis_self_harm"]
    assert {"event": "slot", "name": "urgent", "value": True, "timestamp": None} in events
    assert any(e["name"] == "crisis_type" and e["value"] == "self_harm" for e in events)


def test_type_falls_back_to_the_intent_name_without_a_verdict():
    assert crisis_type_of({"intent": {"name": "crisis_child_danger"}}) == "child_danger"


def test_unknown_type_still_gets_an_emergency_reply():
    assert crisis_type_of({"intent": {"name": "something_else"}}) == "violence"
