"""案例查询: the most similar typical cases as cards, and the full story of one."""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from assistant_contract.areas import AREAS
from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import conversation
from bot.knowledge_index import KnowledgeIndex, default_index
from bot.taxonomy import load_taxonomy

CASE_WORDS = re.compile(r"有没有|有冇|類似|类似|相关|相關|的?案例|个案|例子|故事|别人|參考|参考|给我看看|看下|睇下")
MIN_CASE_SCORE = 0.12


def case_query(tracker: Tracker) -> str:
    """Her words about her situation: this message without the asking words, or,
    when it only asks for "similar cases", her latest service question."""
    own = CASE_WORDS.sub("", tracker.latest_message.get("text") or "").strip(" ，,。？?！!")
    if len(own) >= 2:
        return own
    previous = [
        m["text"]
        for m in conversation.user_messages(tracker)[:-1]
        if load_taxonomy().category_of(m.get("intent"))
    ]
    return previous[-1] if previous else ""


def _area(tracker: Tracker, found) -> Optional[str]:
    """The area the cases are about: the best case's, else the topic in play."""
    if found and found[0][0].category in AREAS:
        return found[0][0].category
    topic = tracker.get_slot("topic")
    return topic.get("area") if isinstance(topic, dict) else None


class ActionSearchCases(Action):
    def __init__(self, index: Optional[KnowledgeIndex] = None) -> None:
        self._index = index

    def name(self) -> Text:
        return "action_search_cases"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        query = case_query(tracker)
        if not query:
            dispatcher.utter_message(response="utter_ask_case_topic")
            return []
        found = [(case, score) for case, score in (self._index or default_index()).search_cases(query)
                 if score >= MIN_CASE_SCORE]
        area = _area(tracker, found)
        if not found:
            dispatcher.utter_message(response="utter_no_similar_case")
            return [SlotSet("service_area", area)] if area else []
        cards = "\n".join(f"{n}. {case.card()}" for n, (case, _) in enumerate(found, start=1))
        dispatcher.utter_message(  # one message: channels send a paragraph per message
            text=f"找到{len(found)}个类似的案例（均已匿名处理）：\n{cards}\n点下面的按钮看完整经过。",
            buttons=[
                {"title": f"看第{n}个", "payload": f'/show_case{{"case_id":"{case.id}"}}'}
                for n, (case, _) in enumerate(found, start=1)
            ],
        )
        return [SlotSet("case_ids", [case.id for case, _ in found])] + ([SlotSet("service_area", area)] if area else [])


class ActionShowCase(Action):
    def __init__(self, index: Optional[KnowledgeIndex] = None) -> None:
        self._index = index

    def name(self) -> Text:
        return "action_show_case"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        knowledge = (self._index or default_index()).knowledge
        case_id = tracker.get_slot("case_id")
        case = next((c for c in knowledge.cases if c.id == case_id), None)
        if case is None:
            dispatcher.utter_message(response="utter_no_similar_case")
            return []
        dispatcher.utter_message(text=case.story().replace("\n\n", "\n"))
        dispatcher.utter_message(response="utter_offer_expert")
        return [SlotSet("pending_question", "expert_offer")] + (
            [SlotSet("service_area", case.category)] if case.category in AREAS else [])
