"""What the conversation so far says about this turn: her own words, how the
message was understood, the topic and the crisis episode in play, the question
the assistant asked last, and what the assistant has already said.

Every handler reads the turn through `Turn`, so that "her words", "the topic"
or "already said" mean the same thing in every action. The slots that carry
context are written only through the helpers at the bottom.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from bot.taxonomy import load_taxonomy
from nlu.text import normalize

TOPIC_TURNS = 4  # a topic stays in play this many of her messages after it was last used
SHORT_MESSAGE = 25  # characters: a follow-up is short ("要钱吗", "我兒子今年九歲，他想跟我")
SURE = 0.5  # the classifier's confidence above which its topic is taken as said


@dataclass
class Turn:
    """One message of hers, read with the conversation before it."""

    tracker: Tracker
    domain: Dict[str, Any]

    # ---- her message -------------------------------------------------------------
    @property
    def words(self) -> str:
        """Exactly what she wrote: the user event keeps it, the parse holds the
        normaliser's copy (simplified, no emoji, spaces made commas)."""
        for event in reversed(self.tracker.events):
            if event.get("event") == "user":
                text = event.get("text")
                if text is not None:
                    return str(text)
                break
        return str(self.tracker.latest_message.get("text") or "")

    @property
    def text(self) -> str:
        """Her words as the models read them (normalised), for searching and patterns;
        pinyin she typed is read as the NLU read it, in characters."""
        if self.is_button:
            return ""
        if self.tracker.latest_message.get("pinyin"):
            return str(self.tracker.latest_message.get("text") or "")
        return normalize(self.words, max_chars=None)

    @property
    def is_button(self) -> bool:
        """She pressed a button: the message is a payload ("/affirm"), not her words."""
        return self.words.strip().startswith("/")

    @property
    def intent(self) -> str:
        return str((self.tracker.latest_message.get("intent") or {}).get("name") or "")

    @property
    def confidence(self) -> float:
        return float((self.tracker.latest_message.get("intent") or {}).get("confidence") or 0.0)

    @property
    def ranking(self) -> List[Dict[str, Any]]:
        return list(self.tracker.latest_message.get("intent_ranking") or [])

    @property
    def crisis(self) -> Dict[str, Any]:
        return dict(self.tracker.latest_message.get("crisis") or {})

    @property
    def category(self) -> Optional[str]:
        """The service area of the message as understood (None for chit-chat, fallbacks
        between areas, and the intents that only make sense in context)."""
        return load_taxonomy().category_of_parse(self.tracker.latest_message)

    @property
    def service_reading(self) -> Optional[Dict[str, Any]]:
        """The classifier's best reading in one of the four areas, when its top intent is
        not one ("我想偷偷问下离婚的事" → ask_for_help 0.46, legal_divorce 0.27): what a
        message that only looks like small talk or a fallback is most likely about."""
        taxonomy = load_taxonomy()
        for item in self.ranking[:4]:
            name = str(item.get("name") or "")
            if taxonomy.category_of(name) and not taxonomy.is_crisis(name) and float(item.get("confidence") or 0) >= 0.1:
                return {"intent": name, "category": taxonomy.category_of(name), "confidence": item.get("confidence")}
        return None

    @property
    def sure(self) -> bool:
        return self.confidence >= SURE

    @property
    def short(self) -> bool:
        return len(self.text) <= SHORT_MESSAGE

    @property
    def number(self) -> int:
        """How many messages she has written in this conversation, this one included."""
        return sum(1 for e in self.tracker.events if e.get("event") == "user")

    # ---- context -----------------------------------------------------------------
    @property
    def topic(self) -> Optional[Dict[str, Any]]:
        """The topic in play, if it was used within the last TOPIC_TURNS messages."""
        topic = self.tracker.get_slot("topic")
        if not isinstance(topic, dict):
            return None
        if self.number - int(topic.get("turn") or 0) > TOPIC_TURNS:
            return None
        return topic

    @property
    def episode(self) -> Optional[Dict[str, Any]]:
        episode = self.tracker.get_slot("crisis_episode")
        return episode if isinstance(episode, dict) and episode.get("type") else None

    @property
    def in_crisis_frame(self) -> bool:
        """The last thing talked about was the danger: short messages are read in it."""
        topic = self.topic
        return bool(self.episode and topic and topic.get("crisis"))

    @property
    def returning(self) -> bool:
        """Her previous message asked for safe exit: this one is her coming back."""
        left = self.tracker.get_slot("left_at_turn")
        return isinstance(left, int) and left == self.number - 1

    @property
    def pending(self) -> Optional[str]:
        return self.tracker.get_slot("pending_question")

    @property
    def person_request(self) -> Optional[Dict[str, Any]]:
        request = self.tracker.get_slot("person_request")
        return request if isinstance(request, dict) else None

    @property
    def handoff_open(self) -> bool:
        return bool(self.tracker.get_slot("handoff_open")) and bool(self.tracker.get_slot("handoff_id"))

    # ---- what was said -----------------------------------------------------------
    def said(self) -> List[str]:
        """The assistant's messages so far in this conversation (each message of a reply)."""
        texts = []
        for event in self.tracker.events:
            if event.get("event") == "bot" and event.get("text"):
                texts.extend(part.strip() for part in str(event["text"]).split("\n\n") if part.strip())
        return texts

    def response_texts(self, name: str) -> List[Dict[str, Any]]:
        """The variants of a response in the domain, in file order."""
        return list((self.domain.get("responses") or {}).get(name) or [])

    def fresh_variant(self, name: str) -> Optional[Dict[str, Any]]:
        """The first variant of a response not yet sent in this conversation
        (None when every variant was sent: the caller says something shorter)."""
        said = set(self.said())
        for variant in self.response_texts(name):
            if str(variant.get("text") or "").strip() not in said:
                return variant
        return None

    def text_of(self, name: str, **values: Any) -> str:
        """The first variant's text of a response, with {placeholders} filled."""
        variants = self.response_texts(name)
        text = str(variants[0].get("text") or "") if variants else ""
        for key, value in values.items():
            text = text.replace("{" + key + "}", str(value))
        return text


# ---- writing the context slots -----------------------------------------------------
def set_topic(turn: Turn, area: Optional[str], intent: Optional[str] = None, faq_id: Optional[str] = None,
              crisis: Optional[str] = None, answered: bool = False, also: Optional[str] = None) -> List[Dict[str, Any]]:
    """The topic that short follow-ups are read in from now on; `service_area` says
    which area this turn acted on (the handoff is routed by it). `answered`: this turn
    gave (part of) the entry's answer, which `last_faq_id` records for the console
    and her feedback; an overview or a choice only points at it. `also`: the entry of the other
    need when two were answered in one reply."""
    topic = {"area": area, "intent": intent, "faq_id": faq_id, "crisis": crisis, "turn": turn.number}
    if also:
        topic["also"] = also
    events = [SlotSet("topic", topic)]
    if area:
        events.append(SlotSet("service_area", area))
    if faq_id and answered:
        events.append(SlotSet("last_faq_id", faq_id))
    return events


def answered_intent(turn: Turn, events: List[Dict[str, Any]]) -> Optional[str]:
    """The intent of what this turn answered: the topic it set, else her message's intent
    when the answer is in its area (a training answer to a message read as counselling is
    not about counselling)."""
    topic = next((e["value"] for e in events if e.get("event") == "slot" and e.get("name") == "topic"), None) or {}
    if topic.get("intent"):
        return topic["intent"]
    return turn.intent if not topic.get("area") or topic.get("area") == turn.category else None


def ask(question: Optional[str]) -> Dict[str, Any]:
    """Remember the yes/no question just asked (None: no question is open)."""
    return SlotSet("pending_question", question)


CRISIS_SAFETY = "crisis_safety"  # 你现在安全吗？
EXPERT_OFFER = "expert_offer"  # 要我帮你转接专家吗？
ANSWER_FEEDBACK = "answer_feedback"  # 这个回答对你有帮助吗？
HANDOFF_TOPIC = "handoff_topic"  # 先说说是什么事（她要找人，还没说什么事）
HANDOFF_CONFIRM = "handoff_confirm"  # 你是想转接真人吗？
