"""While a person handles her request: her messages go to them, their replies reach her."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff_store import default_handoff_store


class ActionForwardToExpert(Action):
    """Send her message to the open handoff; the bot only acknowledges."""

    def __init__(self, store: Optional[Any] = None) -> None:
        self._store = store

    def name(self) -> Text:
        return "action_forward_to_expert"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        store = self._store or default_handoff_store()
        text = (tracker.latest_message.get("text") or "").strip()
        handoff_id = tracker.get_slot("handoff_id")
        if text and handoff_id and hasattr(store, "forward_message"):
            store.forward_message(tracker.sender_id, handoff_id, text)
        dispatcher.utter_message(response="utter_forwarded")
        return []


class ActionRelayExpertReply(Action):
    """Deliver an expert's reply (pushed by the routing backend through trigger_intent)."""

    def name(self) -> Text:
        return "action_relay_expert_reply"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        text = tracker.get_slot("expert_text")
        if text:
            role = tracker.get_slot("expert_role") or "工作人员"
            dispatcher.utter_message(text=f"【{role}回复】\n{text}")
        return [SlotSet("expert_text", None)]


class ActionHandoffClosed(Action):
    """The expert resolved the handoff: the bot takes over again and says so."""

    def name(self) -> Text:
        return "action_handoff_closed"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(response="utter_handoff_closed")
        return [SlotSet("handoff_open", False)]
