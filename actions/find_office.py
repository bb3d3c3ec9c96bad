"""找组织: the nearest women's federation office, from her place name or a shared location."""
from __future__ import annotations

import logging
import math
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from assistant_contract.areas import AREA_TITLES

from actions.context import Turn
from actions.factories import default_directory
from actions.knowledge_answer import ANSWER, find_answer
from actions.office_cards import card_for_place, describe, not_listed, office_topic, outside, with_notes
from actions.office_details import HOTLINE, SAFETY_LINE
from actions.routing_protocol import OfficeDirectory, RoutingError
from bot.knowledge_index import KnowledgeIndex, default_index
from nlu.gazetteer import Gazetteer, load_gazetteer, load_town_table
from routing.towns import TownTable

logger = logging.getLogger(__name__)

OTHER_QUESTION = 0.25  # the classifier's confidence in the other question, to answer it with its overview
GUANGDONG_REACH_KM = 60.0  # farther than this from every Guangdong county centre is outside the province
SHARE_LOCATION = {"title": "发送我的位置", "payload": "/share_location"}
DIRECTORY_UNAVAILABLE = ("抱歉，查询妇联地址的服务暂时出了点问题。你可以先拨打12338妇女维权公益服务热线，"
                         "会由当地妇联接听并告诉你最近的妇联在哪里。" + SAFETY_LINE)


def _number(value: Any) -> Optional[float]:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _entity(tracker: Tracker, name: str) -> Optional[Any]:
    return next(tracker.get_latest_entity_values(name), None)


class ActionFindOffice(Action):
    """Answers with the offices serving her place, or asks where she is."""

    def __init__(self, directory: Optional[OfficeDirectory] = None, gazetteer: Optional[Gazetteer] = None,
                 index: Optional[KnowledgeIndex] = None, towns: Optional[TownTable] = None) -> None:
        self._directory = directory
        self._gazetteer = gazetteer
        self._index = index
        self._towns = towns

    def name(self) -> Text:
        return "action_find_office"

    @property
    def directory(self) -> OfficeDirectory:
        return self._directory or default_directory()

    @property
    def gazetteer(self) -> Gazetteer:
        return self._gazetteer or load_gazetteer()

    @property
    def towns(self) -> TownTable:
        return self._towns or load_town_table()

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if self._follow_up(tracker, domain, intent):  # "我今年46 在乐昌坪石镇" after the screening answer
            from actions.answers import ActionAnswerRequest  # noqa: PLC0415 - answers never imports this module

            return await ActionAnswerRequest(directory=self._directory, index=self._index).run(
                dispatcher, tracker, domain)
        level = _entity(tracker, "org_level") or tracker.get_slot("office_level")
        outside = self.towns.elsewhere_named(tracker.latest_message.get("text") or "")
        if outside and not _entity(tracker, "place"):  # 「南安水头镇」: Fujian's, not 佛冈's 水头镇
            return self._outside(dispatcher, outside)
        latitude, longitude = _number(_entity(tracker, "latitude")), _number(_entity(tracker, "longitude"))
        try:
            if latitude is not None and longitude is not None and -90 <= latitude <= 90 and -180 <= longitude <= 180:
                return self._office_topic(tracker, await self._near_location(dispatcher, latitude, longitude, level))
            region = _entity(tracker, "place") or tracker.get_slot("region")
            if region:
                events = self._office_topic(tracker, await self._for_place(dispatcher, region, level))
                return events + self._and_the_other_question(dispatcher, tracker, domain)
        except Exception as error:  # noqa: BLE001 - down or refused: never leave her without a way to reach someone
            if isinstance(error, RoutingError):
                logger.warning("office lookup failed: %s", error)
            else:
                logger.exception("office lookup failed")
            dispatcher.utter_message(text=DIRECTORY_UNAVAILABLE)
            return []
        return self._ask_where(dispatcher, tracker, intent) + [SlotSet("office_level", level)]

    def _and_the_other_question(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                domain: Dict[Text, Any]) -> List[Dict]:
        """"想问下创业补贴 顺便问问番禺的妇联在哪": two questions, two answers. The office
        came first; the other question gets its short answer and a button to read it all."""
        turn = Turn(tracker, domain)
        reading = turn.service_reading if turn.intent == "find_office" else None
        if not reading:
            return []
        found = find_answer(self._index or default_index(), turn.text, reading["category"])
        if found.kind != ANSWER or not found.entry:
            overview = turn.text_of(f"utter_topic_{reading['intent']}")
            if not overview or float(reading["confidence"]) < OTHER_QUESTION:
                return []
            dispatcher.utter_message(text=f"另外，你问的{AREA_TITLES[reading['category']]}方面：\n{overview}")
            return [SlotSet("service_area", reading["category"])]
        entry = found.entry
        dispatcher.utter_message(
            text=f"另外，你问的“{entry.question.rstrip('？?')}”：\n{entry.plain_text()}",
            buttons=[{"title": "看完整回答", "payload": f'/choose_faq{{"faq_id":"{entry.id}"}}'}])
        return [SlotSet("service_area", entry.category), SlotSet("last_faq_id", entry.id)]

    @staticmethod
    def _office_topic(tracker: Tracker, events: List[Dict]) -> List[Dict]:
        """An office shown is the topic for a moment: "有电话吗", "返工时间系几点" ask about it."""
        region = next((e["value"] for e in events if e.get("name") == "region"), None)
        if not region:
            return events
        number = sum(1 for e in tracker.events if e.get("event") == "user")
        return events + [SlotSet("topic", office_topic(region, number))]

    @staticmethod
    def _follow_up(tracker: Tracker, domain: Dict[Text, Any], intent: Optional[str]) -> bool:
        """A place said in passing while a topic is in play, not her answer to "你在哪里":
        the classifier guessed inform_place (a message that is nothing but a place is
        decided with confidence 1.0), and the assistant did not ask where she is.
        The answering action takes the message over."""
        turn = Turn(tracker, domain)
        if tracker.get_slot("awaiting_place"):
            return False  # she was asked where she is: whatever she says is about the place
        if (turn.topic or {}).get("office") and _entity(tracker, "place"):
            return False  # "那中山坦洲镇呢" after an office card: the office of another place
        if intent in ("nlu_fallback", "out_of_scope"):
            return True  # after an office card, not an answer to "你在哪里"
        says_more = len(turn.text) > 16  # a story with a place in it, not a place
        return intent == "inform_place" and turn.confidence < 1.0 and (turn.topic is not None or says_more)

    def _ask_where(self, dispatcher: CollectingDispatcher, tracker: Tracker, intent: Optional[str]) -> List[Dict]:
        asked_before = bool(tracker.get_slot("awaiting_place"))
        if intent == "share_location":
            dispatcher.utter_message(text=(
                "这个聊天窗口暂时收不到位置。请直接告诉我你在哪个市、区（县），比如“佛山顺德”“天河区”，我帮你查最近的妇联。"))
            return [SlotSet("awaiting_place", True)]
        if intent == "inform_place" or asked_before and intent in ("nlu_fallback", "out_of_scope"):
            dispatcher.utter_message(text=(
                "抱歉，我没能认出这个地方。我这里收录的是广东省各市、区（县）和镇（街道）的妇联，"
                "你可以换个说法，比如“佛山顺德”“顺德容桂”“广州天河区”。"
                f"也可以直接拨打{HOTLINE}妇女维权公益服务热线，会由当地妇联接听。"))
            return [SlotSet("awaiting_place", False)]
        dispatcher.utter_message(
            text="好的，我帮你找离你最近的妇联。你在哪个市、区（县）或镇街？也可以直接发送你的位置。",
            buttons=[SHARE_LOCATION],
        )
        return [SlotSet("awaiting_place", True)]

    @staticmethod
    def _outside(dispatcher: CollectingDispatcher, place_name: str) -> List[Dict]:
        card = outside(place_name)
        dispatcher.utter_message(text=card.text)
        return card.events

    async def _for_place(self, dispatcher: CollectingDispatcher, region: str, level: Optional[str]) -> List[Dict]:
        card = await card_for_place(self.directory, self.gazetteer, region, level)
        dispatcher.utter_message(text=card.text)
        return card.events

    async def _near_location(
        self, dispatcher: CollectingDispatcher, latitude: float, longitude: float, level: Optional[str]
    ) -> List[Dict]:
        county, distance = self.gazetteer.nearest_county(latitude, longitude)
        if county is None or distance > GUANGDONG_REACH_KM:
            return self._outside(dispatcher, "你现在的位置")
        offices = await self.directory.nearest_offices(latitude, longitude, level)
        if not offices:
            card = not_listed(county)
            dispatcher.utter_message(text=card.text)
            return card.events
        parts = ["离你最近的妇联组织（按直线距离）："] + [describe(o, with_distance=True) for o in offices]
        dispatcher.utter_message(text=with_notes(parts, offices))
        return [SlotSet("awaiting_place", False), SlotSet("office_level", None), SlotSet("region", county.full_name)]


