"""Handing her over to a person: record the request and tell her what happens next."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import conversation
from actions.handoff_store import HandoffRequest, HandoffStore, default_handoff_store
from actions.time_format import local_time
from bot.taxonomy import CATEGORY_TITLES, load_taxonomy

OPEN_STATUSES = {"received", "assigned", "in_progress"}
EXPERT_BY_CATEGORY = {
    "legal": "律师",
    "care": "心理咨询师或社工",
    "family_education": "家庭教育指导师",
    "entrepreneurship": "创业就业导师",
}


class ActionRequestHuman(Action):
    """Open a handoff request (urgent after a crisis) and say how she will be contacted."""

    def __init__(self, store: Optional[HandoffStore] = None) -> None:
        self._store = store

    def name(self) -> Text:
        return "action_request_human"

    @property
    def store(self) -> HandoffStore:
        return self._store or default_handoff_store()

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        existing = self.store.latest_for(tracker.sender_id)
        if existing is not None and existing.status in OPEN_STATUSES:
            dispatcher.utter_message(
                text=(
                    f"你的求助（编号{existing.id}）已经在处理中，专人会在"
                    f"{local_time(existing.due_at)}前在这个对话里回复你。"
                    "有新的情况可以直接发给我，我会一并转给工作人员。"
                )
            )
            return [SlotSet("handoff_id", existing.id), SlotSet("handoff_open", True)]

        taxonomy = load_taxonomy()
        intent = conversation.latest_service_intent(tracker, taxonomy)
        category = tracker.get_slot("service_area") or taxonomy.category_of(intent)
        urgent = bool(tracker.get_slot("urgent"))
        record = self.store.open_request(
            HandoffRequest(
                conversation_id=tracker.sender_id,
                channel=conversation.channel(tracker),
                category=category,
                intent=intent,
                urgent=urgent,
                summary=conversation.summary(tracker, taxonomy),
                transcript=conversation.transcript(tracker),
                region=tracker.get_slot("region"),
            )
        )
        expert = EXPERT_BY_CATEGORY.get(category or "", "工作人员")
        area = f"{CATEGORY_TITLES[category]}方面的" if category else ""
        promise = "我们会优先处理，尽快联系你" if urgent else "专人会在48小时内回复你"
        recorded = "" if record.delivered else "（你的求助已经记录好，系统恢复后会马上转给工作人员）"
        dispatcher.utter_message(
            text=(
                f"已为你登记转接{area}{expert}，编号{record.id}{recorded}。{promise}"
                f"（最晚{local_time(record.due_at)}），回复会发到这个对话里。\n"
                "等待的时候，可以把情况、时间和你的需要先发给我，我会一并转过去。"
                "如果遇到危险，请立即拨打110。"
            )
        )
        return [SlotSet("handoff_id", record.id), SlotSet("handoff_open", True)]
