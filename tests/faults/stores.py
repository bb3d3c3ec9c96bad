"""What the deployment's databases hold about this run's conversations, read after the run.

Three reads, each behind a small interface so the checks can be tested on fakes:
Rasa's tracker store (its `events` table: every event of her conversation, in order),
the routing database's handoffs and expert replies, and the conversation archive
(`archived_events`). Only rows of conversations whose id starts with the run's tag.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import List, Optional, Protocol

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool


@dataclass(frozen=True)
class TrackerEvent:
    conversation_id: str
    position: int  # the tracker store's row id: her conversation's order
    kind: str  # Rasa's event name: user, bot, action, slot, …
    data: str  # the event as Rasa stored it (JSON text of event.as_dict())

    @property
    def body(self) -> dict:
        try:
            value = json.loads(self.data)
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}


@dataclass(frozen=True)
class StoredHandoff:
    id: str
    conversation_id: str
    status: str
    urgent: bool
    created_at: datetime


@dataclass(frozen=True)
class StoredReply:
    """An expert's reply as the routing database keeps it (`handoff_messages`, sender expert)."""

    id: int
    handoff_id: str
    conversation_id: str
    text: str
    delivery: str


@dataclass(frozen=True)
class ArchivedRow:
    conversation_id: str
    event_type: str
    at: datetime
    text: Optional[str]
    slot: Optional[str]
    value: Optional[str]


class Stores(Protocol):
    def tracker_events(self, run_tag: str) -> List[TrackerEvent]: ...
    def handoffs(self, run_tag: str) -> List[StoredHandoff]: ...
    def expert_replies(self, run_tag: str) -> List[StoredReply]: ...
    def archived(self, run_tag: str) -> List[ArchivedRow]: ...


def psycopg_url(url: str) -> str:
    """The same database through psycopg 3, the driver of the routing virtualenv."""
    parsed = make_url(url)
    return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False) \
        if parsed.get_backend_name() == "postgresql" else url


def _like(run_tag: str) -> str:
    if any(c in run_tag for c in "%_\\"):
        raise ValueError("a run tag must not hold LIKE wildcards")
    return run_tag + "-%"


class PostgresStores:
    def __init__(self, tracker_url: str, routing_url: str) -> None:
        self._tracker = create_engine(psycopg_url(tracker_url), poolclass=NullPool)
        self._routing = create_engine(psycopg_url(routing_url), poolclass=NullPool)

    def tracker_events(self, run_tag: str) -> List[TrackerEvent]:
        with self._tracker.connect() as connection:
            rows = connection.execute(text("SELECT sender_id, id, type_name, data FROM events "
                                           "WHERE sender_id LIKE :tag ORDER BY id"), {"tag": _like(run_tag)})
            return [TrackerEvent(r[0], int(r[1]), r[2], r[3] or "") for r in rows]

    def handoffs(self, run_tag: str) -> List[StoredHandoff]:
        with self._routing.connect() as connection:
            rows = connection.execute(text("SELECT id, conversation_id, status, urgent, created_at FROM handoffs "
                                           "WHERE conversation_id LIKE :tag ORDER BY created_at, id"),
                                      {"tag": _like(run_tag)})
            return [StoredHandoff(*r) for r in rows]

    def expert_replies(self, run_tag: str) -> List[StoredReply]:
        with self._routing.connect() as connection:
            rows = connection.execute(text(
                "SELECT m.id, m.handoff_id, h.conversation_id, m.text, m.delivery FROM handoff_messages m "
                "JOIN handoffs h ON h.id = m.handoff_id WHERE m.sender = 'expert' AND h.conversation_id LIKE :tag "
                "ORDER BY m.id"), {"tag": _like(run_tag)})
            return [StoredReply(*r) for r in rows]

    def archived(self, run_tag: str) -> List[ArchivedRow]:
        with self._routing.connect() as connection:
            rows = connection.execute(text("SELECT conversation_id, event_type, at, text, slot, value "
                                           "FROM archived_events WHERE conversation_id LIKE :tag ORDER BY id"),
                                      {"tag": _like(run_tag)})
            return [ArchivedRow(*r) for r in rows]

    def close(self) -> None:
        self._tracker.dispose()
        self._routing.dispose()
