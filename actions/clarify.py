"""When the model is unsure: ask which service area she means, then offer a person."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import conversation
from assistant_contract.areas import AREA_TITLES, AREAS
from bot.taxonomy import load_taxonomy
from nlu.text import normalize

FALLBACK_INTENT = "nlu_fallback"


def area_buttons() -> List[Dict[str, str]]:
    buttons = [
        {"title": AREA_TITLES[area], "payload": f'/choose_area{{"area":"{area}"}}'}
        for area in AREAS
    ]
    buttons.append({"title": "转人工", "payload": "/request_human"})
    return buttons


class ActionClarify(Action):
    """Two-stage fallback: first ask for the area, on a second miss offer a human."""

    def name(self) -> Text:
        return "action_clarify"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        text = tracker.latest_message.get("text") or ""
        area = load_taxonomy().category_of_parse(tracker.latest_message)
        if area:
            return ActionChooseArea().menu(dispatcher, area)  # the area is clear, the topic is not
        if conversation.previous_user_intent(tracker) == FALLBACK_INTENT:
            dispatcher.utter_message(response="utter_clarify_again")
        elif not normalize(text):
            dispatcher.utter_message(response="utter_clarify_empty", buttons=area_buttons())
        else:
            dispatcher.utter_message(response="utter_clarify_area", buttons=area_buttons())
        return []


class ActionChooseArea(Action):
    """After she picks an area: the common topics of that area as buttons."""

    def name(self) -> Text:
        return "action_choose_area"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        area = tracker.get_slot("area")
        if area not in AREAS:
            dispatcher.utter_message(response="utter_clarify_area", buttons=area_buttons())
            return []
        return self.menu(dispatcher, area)

    @staticmethod
    def menu(dispatcher: CollectingDispatcher, area: str) -> List[Dict[Text, Any]]:
        buttons = [
            {"title": info.title or info.name, "payload": f"/{info.name}"}
            for info in load_taxonomy().topics_in(area)
        ]
        buttons.append({"title": "转人工", "payload": "/request_human"})
        dispatcher.utter_message(response="utter_area_menu", buttons=buttons)
        return []
