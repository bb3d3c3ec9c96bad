import asyncio

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.relay import ActionForwardToExpert, ActionHandoffClosed, ActionRelayExpertReply
from actions.routing_protocol import RoutingRefused
from tests.actions.fakes import InMemoryHandoffStore
from tests.conftest import make_tracker, user_event


def forward(store, text="孩子两岁，我没有工作", handoff_id="h1"):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker([user_event(text, "legal_divorce")], slots={"handoff_id": handoff_id})
    events = asyncio.run(ActionForwardToExpert(store).run(dispatcher, tracker, {}))
    return [m["response"] for m in dispatcher.messages], events


def test_her_message_goes_to_the_open_handoff_and_she_gets_an_acknowledgement():
    store = InMemoryHandoffStore()
    responses, _ = forward(store)
    assert store.forwarded == [("woman-1", "h1", "孩子两岁，我没有工作")]
    assert responses == ["utter_forwarded"]


def test_a_message_kept_in_the_outbox_is_acknowledged_as_recorded():
    store = InMemoryHandoffStore(waiting=True)
    assert forward(store)[0] == ["utter_forward_waiting"] and len(store.forwarded) == 1


@pytest.mark.parametrize("failure", [RoutingRefused(404, "no handoff h1"), RuntimeError("disk full")])
def test_a_message_that_cannot_be_passed_on_gets_her_the_hotline(failure):
    responses, events = forward(InMemoryHandoffStore(failure=failure))
    assert responses == ["utter_forward_not_sent"] and events == []



def test_the_experts_reply_is_shown_with_their_role():
    dispatcher = CollectingDispatcher()
    tracker = make_tracker([user_event("", "expert_reply")], slots={"expert_text": "你好", "expert_role": "律师"})
    events = ActionRelayExpertReply().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["text"] == "【律师回复】\n你好"
    assert events[0]["name"] == "expert_text" and events[0]["value"] is None


def test_closing_hands_the_conversation_back_to_the_bot():
    dispatcher = CollectingDispatcher()
    events = ActionHandoffClosed().run(dispatcher, make_tracker([user_event("", "handoff_closed")]), {})
    assert dispatcher.messages[0]["response"] == "utter_handoff_closed"
    assert events[0]["name"] == "handoff_open" and events[0]["value"] is False
