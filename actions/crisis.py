"""The first reply when she may be in danger now: emergency numbers before anything else."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

CRISIS_TYPES = ("violence", "self_harm", "sexual_assault", "child_danger")
DEFAULT_TYPE = "violence"


def crisis_type_of(latest_message: Dict[str, Any]) -> str:
    """The danger type from the detector's verdict, else from the intent name."""
    verdict: Optional[Dict[str, Any]] = latest_message.get("crisis")
    if verdict and verdict.get("type") in CRISIS_TYPES:
        return verdict["type"]
    intent = (latest_message.get("intent") or {}).get("name") or ""
    suffix = intent.removeprefix("crisis_")
    return suffix if suffix in CRISIS_TYPES else DEFAULT_TYPE


class ActionCrisisResponse(Action):
    """Give 110/120 and the hotlines, ask whether she is safe, mark the conversation urgent."""

    def name(self) -> Text:
        return "action_crisis_response"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        crisis_type = crisis_type_of(tracker.latest_message)
        dispatcher.utter_message(response=f"utter_crisis_{crisis_type}")
        return [SlotSet("urgent", True), SlotSet("crisis_type", crisis_type)]
