"""While a person handles her request: her messages go to them, their replies reach her."""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.factories import default_handoff_store
from actions.routing_protocol import HandoffStore, RoutingError

logger = logging.getLogger(__name__)


class ActionForwardToExpert(Action):
    """Send her message to the open handoff; the bot only acknowledges, and says
    so honestly when the message waits or could not be passed on."""

    def __init__(self, store: Optional[HandoffStore] = None) -> None:
        self._store = store

    def name(self) -> Text:
        return "action_forward_to_expert"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        text = (tracker.latest_message.get("text") or "").strip()
        handoff_id = tracker.get_slot("handoff_id")
        response = "utter_forwarded"
        if text and handoff_id:
            try:
                sent = await (self._store or default_handoff_store()).forward_message(
                    tracker.sender_id, handoff_id, text)
                response = "utter_forwarded" if sent else "utter_forward_waiting"
            except RoutingError as error:
                logger.warning("message of %s not forwarded: %s", tracker.sender_id, error)
                response = "utter_forward_not_sent"
            except Exception:  # noqa: BLE001 - she must get a reply whatever broke
                logger.exception("message of %s not forwarded", tracker.sender_id)
                response = "utter_forward_not_sent"
        dispatcher.utter_message(response=response)
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
