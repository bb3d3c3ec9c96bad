"""Conversations as the console shows them, read from the routing backend's own archive
(`archived_events`, filled from Rasa's event broker by routing/archive/).

Staff review every conversation, not only those handed to a person. The console never
reads Rasa's tracker store: it works wherever the routing backend runs, and whatever
store Rasa keeps its trackers in.
"""
from __future__ import annotations

from assistant_contract.handoffs import EXPERT_REPLY

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Iterable, Iterator, List, Optional, Protocol, Tuple

from sqlalchemy import select

from routing.models import ArchivedEvent


@dataclass(frozen=True)
class Turn:
    """One line of a conversation: her message, the bot's answer, or her rating of an answer."""

    event_id: int
    sender_id: str
    kind: str  # user | bot | expert (a reply relayed through the bot) | feedback
    text: str
    at: datetime
    intent: Optional[str] = None
    confidence: Optional[float] = None
    channel: Optional[str] = None
    faq_id: Optional[str] = None
    helpful: Optional[bool] = None
    options: Tuple[str, ...] = ()  # the buttons offered with a bot question, beside its text


class TrackerReader(Protocol):
    def conversation(self, sender_id: str) -> List[Turn]: ...

    def turns_between(self, start: datetime, end: datetime) -> List[Turn]: ...

    def stream_between(self, start: datetime, end: datetime) -> Iterator[Turn]: ...


def _bot_text(event: ArchivedEvent) -> str:
    if event.text:
        return event.text
    buttons = json.loads(event.buttons) if event.buttons else []
    return "［按钮］" + " / ".join(buttons) if buttons else "［非文字消息］"


def _options(event: ArchivedEvent) -> Tuple[str, ...]:
    """Button titles offered with a text (a question with choices); a message of buttons alone lists them as its text."""
    if not event.text or not event.buttons:
        return ()
    try:
        return tuple(str(title) for title in json.loads(event.buttons))
    except ValueError:
        return ()


def _slot_value(event: ArchivedEvent):
    try:
        return json.loads(event.value) if event.value else None
    except ValueError:
        return None


def turns_from_events(events: Iterable[ArchivedEvent]) -> List[Turn]:
    """Archive rows in archive order → turns; a FAQ slot marks the bot answer just before
    it, as Rasa publishes an action's messages before its slots."""
    turns: List[Turn] = []
    last_bot: dict = {}
    triggered: dict = {}  # sender → intent the routing backend triggered (trigger_intent), until her next message
    for event in events:
        sender_id = event.conversation_id
        if event.event_type == "user":
            if event.external:
                triggered[sender_id] = event.intent  # not her words: "EXTERNAL: expert_reply"
                continue
            triggered.pop(sender_id, None)
            turns.append(Turn(event.id, sender_id, "user", event.text or "", event.at, event.intent,
                              event.confidence, event.channel))
        elif event.event_type == "bot":
            kind = "expert" if triggered.get(sender_id) == EXPERT_REPLY else "bot"  # an expert's relayed reply
            turns.append(Turn(event.id, sender_id, kind, _bot_text(event), event.at, options=_options(event)))
            last_bot[sender_id] = len(turns) - 1
        elif event.event_type == "slot" and event.slot == "last_faq_id" and _slot_value(event):
            index = last_bot.get(sender_id)
            if index is not None and turns[index].faq_id is None:
                old = turns[index]
                turns[index] = Turn(old.event_id, old.sender_id, old.kind, old.text, old.at,
                                    faq_id=str(_slot_value(event)), options=old.options)
        elif event.event_type == "slot" and event.slot == "last_feedback" and isinstance(_slot_value(event), dict):
            value = _slot_value(event)
            turns.append(Turn(event.id, sender_id, "feedback", "", event.at, faq_id=value.get("faq_id"),
                              helpful=bool(value.get("helpful"))))
    return turns


class ArchiveReader:
    """The TrackerReader of the console, on the routing database."""

    def __init__(self, session_factory) -> None:
        self._sessions = session_factory

    def _read(self, *conditions) -> List[Turn]:
        with self._sessions() as db:
            return turns_from_events(db.scalars(select(ArchivedEvent).where(*conditions).order_by(ArchivedEvent.id)))

    def conversation(self, sender_id: str) -> List[Turn]:
        return self._read(ArchivedEvent.conversation_id == sender_id)

    def turns_between(self, start: datetime, end: datetime) -> List[Turn]:
        return self._read(ArchivedEvent.at >= start.astimezone(timezone.utc), ArchivedEvent.at < end.astimezone(timezone.utc))

    def stream_between(self, start: datetime, end: datetime, batch: int = 1000) -> Iterator[Turn]:
        """The turns of a period, read a batch of archive rows at a time (the transcript search
        reads up to a year). A FAQ mark or an expert reply split across a batch edge reads as a
        plain bot answer there, which the search does not tell apart."""
        query = (select(ArchivedEvent).where(ArchivedEvent.at >= start.astimezone(timezone.utc),
                                             ArchivedEvent.at < end.astimezone(timezone.utc))
                 .order_by(ArchivedEvent.id).execution_options(yield_per=batch))
        with self._sessions() as db:
            for rows in db.scalars(query).partitions():
                yield from turns_from_events(rows)
