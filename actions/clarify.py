"""When the area is clear and the question is not, or nothing is: the area's
topics as buttons, or the four areas. Every button leads to an answer: a topic
button gets that topic's overview and its questions (actions/topic_answers.py)."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.context import Turn, ask, set_topic
from actions.her_turn import Reply
from assistant_contract.areas import AREA_TITLES, AREAS

from bot.taxonomy import load_taxonomy


def area_buttons() -> List[Dict[str, str]]:
    buttons = [
        {"title": AREA_TITLES[category], "payload": f'/choose_area{{"area":"{category}"}}'}
        for category in AREAS
    ]
    buttons.append({"title": "转人工", "payload": "/request_human"})
    return buttons


def topic_buttons(area: str) -> List[Dict[str, str]]:
    buttons = [{"title": info.title or info.name, "payload": f"/{info.name}"}
               for info in load_taxonomy().topics_in(area)]
    buttons.append({"title": "转人工", "payload": "/request_human"})
    return buttons


def area_menu(turn: Turn, reply: Reply, area: str) -> List[Dict[str, Any]]:
    """The common topics of one area: the area is clear, the topic is not."""
    reply.say(turn.text_of("utter_area_menu"), topic_buttons(area))
    return set_topic(turn, area) + [ask(None)]


class ActionChooseArea(Action):
    """After she picks an area: the common topics of that area as buttons."""

    def name(self) -> Text:
        return "action_choose_area"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        turn = Turn(tracker, domain)
        reply = Reply(turn)
        area = tracker.get_slot("area")
        if area not in AREAS:
            reply.say(turn.text_of("utter_clarify_area"), area_buttons())
            reply.send(dispatcher)
            return [ask(None)]
        events = area_menu(turn, reply, area)
        reply.send(dispatcher)
        return events
