"""An expert's reply reaching her, and the expert closing the handoff.

Her own messages reach the expert from every action that answers her while a
handoff is open (actions/her_turn.py), exactly as she wrote them.

The reply's id in the routing backend rides on the bot message (`expert_message_id`,
which Rasa hands to the output channel's send methods as a keyword): the channel that
holds her chat reports what the platform did with it (connectors/delivery_reports.py). The
same id makes a repeated send harmless: a reply already shown is not shown again."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher


def already_shown(tracker: Tracker, message_id: int) -> bool:
    """The reply is already among the bot's messages in her conversation: the routing backend
    sent it again because its first send ended without an answer (routing/relay.py: at least
    once). Rasa's lock store runs one conversation's turns one at a time, so two copies cannot
    both pass this check."""
    return any(event.get("event") == "bot" and (event.get("metadata") or {}).get("expert_message_id") == message_id
               for event in tracker.events)


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
            message_id = tracker.get_slot("expert_message_id") or next(
                (entity.get("value") for entity in tracker.latest_message.get("entities") or []
                 if entity.get("entity") == "expert_message_id"), None)  # a model trained before the slot
            extra = {"expert_message_id": int(message_id)} if str(message_id or "").isdigit() else {}
            if not extra or not already_shown(tracker, extra["expert_message_id"]):
                dispatcher.utter_message(text=f"【{role}回复】\n{text}", **extra)
        events = [SlotSet("expert_text", None)]
        if "expert_message_id" in (domain.get("slots") or {}):  # a model trained before the slot has none
            events.append(SlotSet("expert_message_id", None))
        return events


class ActionHandoffClosed(Action):
    """The expert resolved the handoff: the bot takes over again and says so."""

    def name(self) -> Text:
        return "action_handoff_closed"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(response="utter_handoff_closed")
        return [SlotSet("handoff_open", False), SlotSet("pending_question", None)]
