import asyncio

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.crisis import ActionCrisisResponse, crisis_type_of
from actions.routing_protocol import RoutingRefused, RoutingUnavailable
from tests.actions.fakes import InMemoryHandoffStore
from tests.conftest import make_tracker, user_event


def run(tracker, store=None):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionCrisisResponse(store or InMemoryHandoffStore()).run(dispatcher, tracker, {}))
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


def test_an_urgent_handoff_is_opened_at_once():
    store = InMemoryHandoffStore()
    tracker = make_tracker([user_event("救命 他在打我", "crisis_violence", 1.0, crisis={"detected": True, "type": "violence"})])
    _, events = run(tracker, store)
    (request,) = store.requests
    assert request.urgent is True and request.category == "legal" and request.intent == "crisis_violence"
    assert (store.records[0].due_at - store.records[0].created_at).total_seconds() == 3600
    assert any(e["name"] == "handoff_id" and e["value"] == store.records[0].id for e in events)


@pytest.mark.parametrize("failure", [RoutingRefused(422, "body.summary: too long"), RoutingUnavailable("down"),
                                     RuntimeError("backend exploded")])
def test_the_emergency_reply_goes_out_even_if_the_handoff_cannot_be_opened(failure):
    tracker = make_tracker([user_event("我不想活了", "crisis_self_harm", 1.0)])
    messages, events = run(tracker, InMemoryHandoffStore(failure=failure))
    assert messages[0]["response"] == "utter_crisis_self_harm"
    assert {"event": "slot", "name": "urgent", "value": True, "timestamp": None} in events
