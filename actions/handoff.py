"""Handing her over to a person, routed by what she needs.

A handoff opens only when she asks for a person (or after a crisis, in
actions/crisis.py), and goes to the department of her topic:
- her message names the topic too ("我要找律师！前夫一年没给抚养费了"): it opens
  at once under that topic, and the topic is answered while she waits;
- the conversation already has a topic (she asks for a person after an answer):
  it opens under that topic;
- nothing says what it is about ("转人工", "我要找律师"): one question first, so
  that the handoff reaches the right department instead of a queue nobody owns;
  her next message opens it (under its topic, or the role she named), unless she
  takes the request back; "马上转接" opens it as it is;
- the classifier said "request_human" but her words ask for no one ("我想找个
  工做"): nothing opens (actions/request_human.py, the action for her request).
Whatever the routing backend does, she gets a reply: a recorded request (sent
now or later from the outbox), or, when it cannot be recorded, the 12338 hotline.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional

from assistant_contract.areas import AREA_TITLES
from assistant_contract.china_time import month_day_time
from assistant_contract.handoffs import is_open
from rasa_sdk.events import SlotSet

from actions import conversation
from actions.contact_consent import contact_for_handoff
from actions.context import EXPERT_OFFER, HANDOFF_TOPIC, Turn, ask, set_topic
from actions.handoff_types import HandoffRecord, HandoffRequest
from actions.her_turn import Reply
from actions.knowledge_answer import ANSWER, Finding, find_answer, leader
from actions.person_request import PersonRequest, without_request
from actions.routing_protocol import HandoffStore, RoutingError
from actions.topic_answers import answer_entry
from assistant_contract.catalogue.entries import FaqEntry
from bot.knowledge_index import KnowledgeIndex
from bot.taxonomy import load_taxonomy

logger = logging.getLogger(__name__)

EXPERT_BY_CATEGORY = {
    "legal": "律师",
    "care": "心理咨询师或社工",
    "family_education": "家庭教育指导师",
    "entrepreneurship": "创业就业导师",
}


def topic_of(turn: Turn, index: KnowledgeIndex, request: Optional[PersonRequest] = None) -> Finding:
    """What her message is about, when it says: the FAQ answer for it, within the area
    the classifier gave, else the area of the person she asked for."""
    words = without_request(turn.text) if request else turn.text
    return find_answer(index, words, turn.category or (request.category if request else None))


async def latest_open(store: HandoffStore, conversation_id: str) -> Optional[HandoffRecord]:
    """Her open request, if one is known; when the backend cannot say, a new request
    is opened (and waits in the outbox) rather than none."""
    try:
        record = await store.latest_for(conversation_id)
    except Exception as error:  # noqa: BLE001
        logger.warning("could not look up the latest handoff of %s: %s", conversation_id, type(error).__name__)
        return None
    return record if record is not None and is_open(record.status) else None


async def open_handoff(turn: Turn, reply: Reply, store: HandoffStore, category: Optional[str],
                       intent: Optional[str], role: Optional[str] = None) -> List[Dict[str, Any]]:
    """Open (or find) her handoff and tell her who will answer and when."""
    tracker = turn.tracker
    done = [SlotSet("person_request", None), ask(None)]
    existing = await latest_open(store, tracker.sender_id)
    if existing is not None:  # her wish for a kind of person is heard; her words go to the open request
        wish = f"好的，想跟{role}好好聊聊，是很好的一步。" if role and role != "工作人员" else ""
        reply.say(f"{wish}你的求助（编号{existing.id}）已经在处理中，专人会在{month_day_time(existing.due_at)}前在这个对话里"
                  "回复你。有新的情况可以直接发给我，我会一并转给工作人员。")
        return done + [SlotSet("handoff_id", existing.id), SlotSet("handoff_open", True)]
    taxonomy = load_taxonomy()
    urgent = bool(tracker.get_slot("urgent"))
    try:
        record = await store.open_request(HandoffRequest(
            conversation_id=tracker.sender_id, channel=conversation.channel(tracker), category=category,
            intent=intent or conversation.latest_service_intent(tracker, taxonomy), urgent=urgent,
            summary=conversation.summary(tracker, taxonomy), transcript=conversation.transcript(tracker),
            region=tracker.get_slot("region"),
            **dict(zip(("contact", "contact_consented_at"), contact_for_handoff(tracker)))))  # consent first
    except RoutingError as error:  # refused: the outbox keeps only what may go later
        logger.warning("handoff for %s not recorded: %s", tracker.sender_id, error)
        reply.say_response("utter_handoff_not_recorded")
        return done
    except Exception:  # noqa: BLE001 - she must get a reply whatever broke
        logger.exception("handoff for %s not recorded", tracker.sender_id)
        reply.say_response("utter_handoff_not_recorded")
        return done
    expert = EXPERT_BY_CATEGORY.get(category or "") or (role if role and role != "工作人员" else "工作人员")
    area = f"{AREA_TITLES[category]}方面的" if category and AREA_TITLES[category] not in expert else ""  # not 家庭教育方面的家庭教育指导师
    promise = "我们会优先处理，尽快联系你" if urgent else "专人会在48小时内回复你"
    recorded = "" if record.delivered else "（你的求助已经记录好，系统恢复后会马上转给工作人员）"
    reply.say(f"已为你登记转接{area}{expert}，编号{record.id}{recorded}。{promise}（最晚{month_day_time(record.due_at)}），"
              "回复会发到这个对话里（换了手机或app，跟我说「接续码」就能接过去）。\n等待的时候，有新情况可以直接发给我，我会一并转过去。如果遇到危险，请立即拨打110。")
    events = done + [SlotSet("handoff_id", record.id), SlotSet("handoff_open", True)]
    return events + ([SlotSet("service_area", category)] if category else [])


async def open_for_message(turn: Turn, reply: Reply, store: HandoffStore, index: KnowledgeIndex,
                           request: Optional[PersonRequest]) -> List[Dict[str, Any]]:
    """Open the handoff under the topic of this message (answered while she waits),
    else the topic in play, else the role she named."""
    pending = turn.person_request or {}
    found = topic_of(turn, index, request)
    topic = turn.topic or {}
    named_role = request.category if request else None  # 律师, 老师: she said whom she wants
    # the person she asked for a turn ago ("想找个心理医生" → "是我女儿 总说自己胖 不肯吃饭")
    # outranks an unsure reading of her answer; a sure one is her topic
    asked_before = pending.get("category") if not turn.sure else None
    category = (found.entry.category if found.kind == ANSWER and found.entry else None) or named_role \
        or asked_before or turn.category or pending.get("category") or topic.get("area")
    role = (request.role if request else None) or pending.get("role")
    events = await open_handoff(turn, reply, store, category, turn.intent if turn.category else None, role)
    entry = found.entry if found.kind == ANSWER else None
    if entry is None and turn.sure and turn.category and turn.category == category:
        entry = leading_in_area(index, without_request(turn.text) if request else turn.text, category)
    if entry is not None and entry.category != "service":
        events += answer_entry(turn, reply, entry, turn.intent, feedback=False, waiting=True)
    elif category:
        events += set_topic(turn, category, turn.intent if turn.category else None)
    return events


def leading_in_area(index: KnowledgeIndex, text: str, area: str) -> Optional[FaqEntry]:
    """The entry of `area` that clearly leads the others of that area for `text`: used when the
    classifier is sure of the area and her many words leave the whole FAQ search unsure
    ("离婚两年了 前夫一分抚养费都没给过 孩子5岁" after "转人工"), so the topic is answered while she waits."""
    return leader([m for m in index.search_faq(text, area, limit=6) if m.entry.category == area] if text else [])


def ask_what_about(turn: Turn, reply: Reply, request: PersonRequest) -> List[Dict[str, Any]]:
    """One question before the handoff opens: what it is about (or open it as it is)."""
    role = request.role if request.role != "工作人员" else "真人工作人员"
    reply.say_response("utter_ask_handoff_topic", role=role)
    return [SlotSet("person_request", {"role": request.role, "category": request.category}), ask(HANDOFF_TOPIC)]


def offer_expert(reply: Reply) -> List[Dict[str, Any]]:
    reply.say_response("utter_offer_expert")
    return [ask(EXPERT_OFFER)]
