"""Handing her over to a person: record the request and tell her what happens next.

Whatever the routing backend does, she gets a reply: a recorded request (sent
now or later from the outbox), or, when it cannot be recorded, the 12338 hotline.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import conversation
from actions.factories import default_handoff_store
from actions.handoff_types import HandoffRecord, HandoffRequest
from actions.routing_protocol import HandoffStore, RoutingError
from assistant_contract.areas import AREA_TITLES
from assistant_contract.china_time import month_day_time
from assistant_contract.handoffs import is_open
from bot.taxonomy import load_taxonomy

logger = logging.getLogger(__name__)

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

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        existing = await self._latest(tracker.sender_id)
        if existing is not None and is_open(existing.status):
            dispatcher.utter_message(
                text=(
                    f"你的求助（编号{existing.id}）已经在处理中，专人会在"
                    f"{month_day_time(existing.due_at)}前在这个对话里回复你。"
                    "有新的情况可以直接发给我，我会一并转给工作人员。"
                )
            )
            return [SlotSet("handoff_id", existing.id), SlotSet("handoff_open", True)]

        taxonomy = load_taxonomy()
        intent = conversation.latest_service_intent(tracker, taxonomy)
        category = tracker.get_slot("service_area") or taxonomy.category_of(intent)
        urgent = bool(tracker.get_slot("urgent"))
        try:
            record = await self.store.open_request(
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
        except RoutingError as error:  # refused: the outbox keeps only what may go later
            logger.warning("handoff for %s not recorded: %s", tracker.sender_id, error)
            dispatcher.utter_message(response="utter_handoff_not_recorded")
            return []
        except Exception:  # noqa: BLE001 - she must get a reply whatever broke
            logger.exception("handoff for %s not recorded", tracker.sender_id)
            dispatcher.utter_message(response="utter_handoff_not_recorded")
            return []
        expert = EXPERT_BY_CATEGORY.get(category or "", "工作人员")
        area = f"{AREA_TITLES[category]}方面的" if category else ""
        promise = "我们会优先处理，尽快联系你" if urgent else "专人会在48小时内回复你"
        recorded = "" if record.delivered else "（你的求助已经记录好，系统恢复后会马上转给工作人员）"
        dispatcher.utter_message(
            text=(
                f"已为你登记转接{area}{expert}，编号{record.id}{recorded}。{promise}"
                f"（最晚{month_day_time(record.due_at)}），回复会发到这个对话里。\n"
                "等待的时候，可以把情况、时间和你的需要先发给我，我会一并转过去。"
                "如果遇到危险，请立即拨打110。"
            )
        )
        return [SlotSet("handoff_id", record.id), SlotSet("handoff_open", True)]

    async def _latest(self, conversation_id: str) -> Optional[HandoffRecord]:
        """Her open request, if one is known; when the backend cannot say, a new
        request is opened (and waits in the outbox) rather than none."""
        try:
            return await self.store.latest_for(conversation_id)
        except Exception as error:  # noqa: BLE001
            logger.warning("could not look up the latest handoff of %s: %s", conversation_id, type(error).__name__)
            return None
