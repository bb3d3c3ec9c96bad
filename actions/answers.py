"""Answering a request that belongs to one of the four service areas."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.taxonomy import load_taxonomy


class ActionAnswerRequest(Action):
    """Give the guidance for her request and offer an expert."""

    def name(self) -> Text:
        return "action_answer_request"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        taxonomy = load_taxonomy()
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        category = taxonomy.category_of(intent)
        if category is None:
            dispatcher.utter_message(response="utter_clarify_area")
            return []
        dispatcher.utter_message(response=f"utter_topic_{intent}")
        dispatcher.utter_message(response="utter_offer_expert")
        return [SlotSet("service_area", category)]
