"""The base of every action that answers a message of hers.

Two things hold for every such reply, whatever the handler:
- while a person handles her request, her message reaches them exactly as she
  wrote it (the user event's text, not the normaliser's copy), and she still gets
  the assistant's answer; a note says it was passed on;
- a reply is at most three messages: the REST channel and most phones show each
  blank-line paragraph as a message of its own, so `Reply` joins paragraphs with
  line breaks, and it never sends again, word for word, a long message she has
  already read.
"""
from __future__ import annotations

import logging
import re
from abc import ABCMeta, abstractmethod
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from rasa_sdk.events import SlotSet

from actions.context import Turn, ask
from actions.factories import default_handoff_store
from actions.person_request import person_request, takes_back
from actions.routing_protocol import HandoffStore, RoutingError, RoutingRefused

logger = logging.getLogger(__name__)

MAX_MESSAGES = 3
SENT, WAITING, NOT_SENT, QUEUED = "sent", "waiting", "not_sent", "queued"
FORWARD_NOTES = {SENT: "utter_forwarded_too", WAITING: "utter_forward_waiting", NOT_SENT: "utter_forward_not_sent",
                 QUEUED: "utter_forward_queued"}
# "补充一下 首付有一半是他爸妈出的": she adds to her request, and is told her addition went on
ADDS_TO_REQUEST = re.compile(r"补充|補充|再说一下|再说下|再講|还有个情况|還有個情況|忘了说|忘记说|漏了说|另外说一下")
ADDITION_NOTES = {SENT: "utter_forwarded_addition", QUEUED: "utter_forward_queued_addition"}
LONG_MESSAGE = 40  # characters: a shorter line ("好的。") may fairly come back


def one_message(text: str) -> str:
    """Paragraphs as lines: one chat message."""
    return "\n".join(line.strip() for line in str(text).split("\n") if line.strip())


@dataclass
class Reply:
    """The messages of one reply, checked before they are sent."""

    turn: Turn
    messages: List[Dict[str, Any]] = field(default_factory=list)
    tells_forwarding: bool = True  # False when the reply itself says what became of her words

    def say(self, text: str, buttons: Optional[List[Dict[str, str]]] = None, must: bool = False) -> bool:
        """Add a message; False (and nothing added) when it is empty or a long
        message she has already read in this conversation. `must`: about her
        safety, sent even then (a repeated line is better than silence)."""
        text = one_message(text)
        if not text:
            return False
        already = set(self.turn.said()) | {m["text"] for m in self.messages}
        if len(text) >= LONG_MESSAGE and text in already and not must:
            return False
        self.messages.append({"text": text, "buttons": buttons or []})
        return True

    def say_response(self, name: str, must: bool = False, **values: Any) -> bool:
        """The first variant of a domain response she has not read yet; when she has
        read them all, the last one (responses end with their shortest variant)."""
        variant = self.turn.fresh_variant(name) if not values else None
        if variant is None:
            variants = self.turn.response_texts(name)
            variant = variants[-1 if not values else 0] if variants else {}
        text = str(variant.get("text") or "")
        for key, value in values.items():
            text = text.replace("{" + key + "}", str(value))
        return self.say(text, variant.get("buttons"), must=must)

    def say_fresh(self, name: str) -> bool:
        """A variant of a response she has not read yet; nothing when she has read them all."""
        variant = self.turn.fresh_variant(name)
        return bool(variant) and self.say(str(variant.get("text") or ""), variant.get("buttons"))

    def add_to_last(self, text: str) -> None:
        """A line joined to the last message (or a message of its own when there is none)."""
        if self.messages:
            self.messages[-1]["text"] += "\n" + one_message(text)
        else:
            self.say(text)

    def as_one_message(self) -> None:
        """Everything said so far as one message, its buttons together: a reply about her
        safety reads as one whole, and the last bubble on her screen is the whole reply."""
        if len(self.messages) > 1:
            text = "\n".join(m["text"] for m in self.messages)
            buttons = [b for m in self.messages for b in m["buttons"]]
            self.messages = [{"text": text, "buttons": buttons}]

    def send(self, dispatcher: CollectingDispatcher) -> None:
        """At most MAX_MESSAGES: what does not fit joins the last one."""
        messages = list(self.messages)
        while len(messages) > MAX_MESSAGES:
            extra = messages.pop()
            messages[-1] = {"text": messages[-1]["text"] + "\n" + extra["text"],
                            "buttons": messages[-1]["buttons"] or extra["buttons"]}
        for message in messages:
            if message["buttons"]:
                dispatcher.utter_message(text=message["text"], buttons=message["buttons"])
            else:
                dispatcher.utter_message(text=message["text"])


class HerTurnAction(Action, metaclass=ABCMeta):
    """Forwards her message while a handoff is open, then lets `respond` answer.
    Abstract, so that rasa-sdk, which registers every concrete Action, skips it."""

    # False for a reply that must never wait for the routing backend (the crisis reply):
    # her words are kept locally and delivered in the background.
    waits_for_backend = True
    # False where "取消" must not be read as taking back her request (the crisis path).
    reads_withdrawals = True

    def __init__(self, store: Optional[HandoffStore] = None) -> None:
        self._store = store

    @property
    def store(self) -> HandoffStore:
        return self._store or default_handoff_store()

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        turn = Turn(tracker, domain)
        reply = Reply(turn)
        forwarded = await self.forward(turn)
        if self.reads_withdrawals and takes_back_request(turn):
            events = await withdraw_request(turn, reply, self.store)
        else:
            events = await self.respond(turn, reply)
        if not reply.messages:  # never silence: every path should have said something
            logger.warning("%s had nothing to say to %s", self.name(), tracker.sender_id)
            reply.say("我在，你说。有危险请先拨打110。")
        if forwarded and reply.messages and reply.tells_forwarding:
            adds = forwarded in ADDITION_NOTES and ADDS_TO_REQUEST.search(turn.text)
            reply.add_to_last(turn.text_of(ADDITION_NOTES[forwarded] if adds else FORWARD_NOTES[forwarded]))
        reply.send(dispatcher)
        return events

    @abstractmethod
    async def respond(self, turn: Turn, reply: Reply) -> List[Dict[Text, Any]]:
        """The reply to her message, written into `reply`; the events to return."""

    async def forward(self, turn: Turn) -> Optional[str]:
        """Her words to the open handoff: SENT, WAITING (in the outbox), QUEUED (kept, in delivery) or NOT_SENT;
        None when nothing was to be passed on (no open handoff, a button press)."""
        if not turn.handoff_open or turn.is_button or not turn.words.strip():
            return None
        try:
            if not self.waits_for_backend:
                await self.store.forward_later(
                    turn.tracker.sender_id, turn.tracker.get_slot("handoff_id"), turn.words.strip())
                return QUEUED
            sent = await self.store.forward_message(
                turn.tracker.sender_id, turn.tracker.get_slot("handoff_id"), turn.words.strip())
            return SENT if sent else WAITING
        except RoutingError as error:
            logger.warning("message of %s not forwarded: %s", turn.tracker.sender_id, error)
        except Exception:  # noqa: BLE001 - she must get a reply whatever broke
            logger.exception("message of %s not forwarded", turn.tracker.sender_id)
        return NOT_SENT


def takes_back_request(turn: Turn) -> bool:
    """"刚才那个帮我取消吧" while a request is open, typed (a button press never is),
    whichever intent the classifier read it as."""
    return bool(turn.handoff_open and not turn.is_button and takes_back(turn.text)
                and not person_request(turn.text))


async def withdraw_request(turn: Turn, reply: Reply, store: HandoffStore) -> List[Dict[str, Any]]:
    """She takes back her open request: closed in the routing backend, and she is told.
    An urgent one (after danger) stays until a person has made sure she is safe."""
    reply.tells_forwarding = False
    handoff_id = turn.tracker.get_slot("handoff_id")
    try:
        await store.withdraw(turn.tracker.sender_id, handoff_id)
    except RoutingRefused as refusal:
        if refusal.status == 409 and turn.tracker.get_slot("urgent"):
            reply.say_response("utter_handoff_withdraw_urgent")
            return [ask(None)]
        logger.info("withdrawal of %s refused (%s): already closed", handoff_id, refusal.status)
        reply.say_response("utter_handoff_withdrawn")
        return [ask(None), SlotSet("handoff_open", False), SlotSet("handoff_id", None)]
    except Exception as error:  # noqa: BLE001 - unavailable, or anything else: her words were passed on
        logger.warning("withdrawal of %s not recorded: %s", handoff_id, type(error).__name__)
        reply.say_response("utter_handoff_withdraw_passed_on")
        return [ask(None)]
    reply.say_response("utter_handoff_withdrawn")
    return [ask(None), SlotSet("handoff_open", False), SlotSet("handoff_id", None)]
