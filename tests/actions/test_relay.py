from rasa_sdk.executor import CollectingDispatcher

from actions.relay import ActionForwardToExpert, ActionHandoffClosed, ActionRelayExpertReply
from tests.conftest import make_tracker, user_event


class RecordingStore:
    def __init__(self):
        self.forwarded = []

    def forward_message(self, conversation_id, handoff_id, text):
        self.forwarded.append((conversation_id, handoff_id, text))
        return True


def test_her_message_goes_to_the_open_handoff_and_she_gets_an_acknowledgement():
    store = RecordingStore()
    dispatcher = CollectingDispatcher()
    tracker = make_tracker([user_event("孩子两岁，我没有工作", "legal_divorce")], slots={"handoff_id": "h1"})
    ActionForwardToExpert(store).run(dispatcher, tracker, {})
    assert store.forwarded == [("woman-1", "h1", "孩子两岁，我没有工作")]
    assert dispatcher.messages[0]["response"] == "utter_forwarded"


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
