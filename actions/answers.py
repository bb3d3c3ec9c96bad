"""Answering a request from the FAQ: answer when sure, offer choices when close,
say so and offer a person when not sure."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.knowledge_index import (
    ANSWER_THRESHOLD,
    SUGGEST_THRESHOLD,
    FaqMatch,
    KnowledgeIndex,
    default_index,
)
from bot.taxonomy import load_taxonomy

FEEDBACK_BUTTONS = [
    {"title": "有帮助", "payload": '/feedback{"helpful":"yes"}'},
    {"title": "没帮助", "payload": '/feedback{"helpful":"no"}'},
]


def faq_reply(dispatcher: CollectingDispatcher, match: FaqMatch) -> List[Dict[str, Any]]:
    """Send one FAQ answer with its legal basis, next step and the feedback buttons."""
    dispatcher.utter_message(text=match.entry.full_text())
    dispatcher.utter_message(response="utter_ask_feedback", buttons=FEEDBACK_BUTTONS)
    return [SlotSet("last_faq_id", match.entry.id)]


class ActionAnswerRequest(Action):
    """The reply to a request in one of the four service areas, and to an
    out-of-scope message that the FAQ nevertheless answers with confidence."""

    def __init__(self, index: Optional[KnowledgeIndex] = None) -> None:
        self._index = index

    def name(self) -> Text:
        return "action_answer_request"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        index = self._index or default_index()
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        category = load_taxonomy().category_of(intent)
        text = tracker.latest_message.get("text") or ""
        matches = index.search_faq(text, category) if text else []
        events: List[Dict[str, Any]] = [SlotSet("service_area", category)] if category else []
        best = matches[0] if matches else None
        if best and best.score >= ANSWER_THRESHOLD:
            return events + faq_reply(dispatcher, best)
        # Outside the four areas only a confident answer is given (e.g. hotlines).
        close = [m for m in matches if m.score >= SUGGEST_THRESHOLD] if category else []
        if close:
            buttons = [
                {"title": m.entry.question, "payload": f'/choose_faq{{"faq_id":"{m.entry.id}"}}'}
                for m in close
            ]
            buttons.append({"title": "都不是，转人工", "payload": "/request_human"})
            dispatcher.utter_message(response="utter_suggest_faq", buttons=buttons)
            return events
        if category:
            dispatcher.utter_message(response="utter_knowledge_unsure")
            dispatcher.utter_message(response=f"utter_topic_{intent}")
            dispatcher.utter_message(response="utter_offer_expert")
        elif intent == "out_of_scope":
            dispatcher.utter_message(response="utter_out_of_scope")
        else:
            dispatcher.utter_message(response="utter_clarify_area")
        return events


class ActionAnswerFaq(Action):
    """She picked one of the suggested questions."""

    def __init__(self, index: Optional[KnowledgeIndex] = None) -> None:
        self._index = index

    def name(self) -> Text:
        return "action_answer_faq"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        index = self._index or default_index()
        faq_id = tracker.get_slot("faq_id")
        entry = next((e for e in index.knowledge.faq if e.id == faq_id), None)
        if entry is None:
            dispatcher.utter_message(response="utter_clarify_area")
            return []
        return faq_reply(dispatcher, FaqMatch(entry, 1.0))


class ActionRecordFeedback(Action):
    """有帮助 / 没帮助 after an answer: kept in the conversation; 没帮助 offers a person."""

    def name(self) -> Text:
        return "action_record_feedback"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        helpful = tracker.get_slot("helpful") == "yes"
        dispatcher.utter_message(
            response="utter_feedback_thanks" if helpful else "utter_feedback_sorry"
        )
        return [SlotSet("helpful", None), SlotSet("last_feedback", {
            "faq_id": tracker.get_slot("last_faq_id"), "helpful": helpful,
        })]
