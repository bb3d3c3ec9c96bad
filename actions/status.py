"""Answering "有人处理我的求助了吗".

With no request of hers on record, a topic in play means the words were a follow-up
on it ("要多久", "有冇電話"): the answer action reads them there; so are words that ask
for a person ("叫个人给我打电话行不"), which the classifier may take for a status question."""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import ActionAnswerRequest
from actions.context import Turn
from actions.person_request import person_request
from actions.factories import default_handoff_store
from actions.routing_protocol import HandoffStore, RoutingError
from assistant_contract.china_time import month_day_time
from actions.request_status import STATUS_TEXT, describe

logger = logging.getLogger(__name__)
OFFER_A_PERSON = [{"title": "转人工", "payload": "/request_human"}, {"title": "不用了", "payload": "/deny"}]

class ActionTicketStatus(Action):
    """Tell her the status and due time of her latest request."""

    def __init__(self, store: Optional[HandoffStore] = None) -> None:
        self._store = store

    def name(self) -> Text:
        return "action_ticket_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        if person_request(Turn(tracker, domain).text):
            # "我不会打字 叫个人给我打电话行不": a request for a person, not a question about one
            return await ActionAnswerRequest(store=self._store).run(dispatcher, tracker, domain)
        try:
            record = await (self._store or default_handoff_store()).latest_for(tracker.sender_id)
        except RoutingError as error:  # not "none found": that would invite a second request
            logger.warning("status of %s unknown: %s", tracker.sender_id, error)
            dispatcher.utter_message(response="utter_status_unavailable")
            return []
        except Exception:  # noqa: BLE001 - she must get a reply whatever broke
            logger.exception("status of %s unknown", tracker.sender_id)
            dispatcher.utter_message(response="utter_status_unavailable")
            return []
        topic = tracker.get_slot("topic") or {}
        if record is None and tracker.get_slot("handoff_open"):
            # this chat held a request that is not here any more (taken to another app with a
            # continuation code): say so without saying where, and stop treating it as open
            dispatcher.utter_message(text="这个对话里现在没有进行中的求助了。如果你用接续码把求助接到了别的地方，"
                                          "专家的回复会发到那边。需要的话，我也可以在这里帮你重新转接专人。",
                                     buttons=OFFER_A_PERSON)
            return [SlotSet("handoff_open", False), SlotSet("handoff_id", None)]
        if record is None and (topic.get("area") or topic.get("office")):
            # "要在多久之内去告" after an answer, "有冇電話" after an office card: no request of
            # hers to report on, so the words are a follow-up on the topic in play
            return await ActionAnswerRequest(store=self._store).run(dispatcher, tracker, domain)
        if record is None:
            dispatcher.utter_message(
                text="我这里还没有查到你提交过的求助。需要的话，我现在就帮你转接专人。", buttons=OFFER_A_PERSON)
            return []
        text = describe(record)
        if text in Turn(tracker, domain).said():  # asked again: the news in fewer words, not the same text
            text = (f"你的求助（编号{record.id}）还在处理中：{STATUS_TEXT.get(record.status, record.status)}，"
                    f"最晚{month_day_time(record.due_at)}前会有人在这里回复你。着急的话可以拨打12338。")
        dispatcher.utter_message(text=text)
        return []
