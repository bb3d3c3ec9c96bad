"""Read-only access to Rasa's SQL tracker store (table `events`, see rasa/core/tracker_store.py).

Staff review every conversation, not only those handed to a person, so the
console reads what Rasa wrote. It never writes there, and a missing SQLite file
is not created: the console then simply has no conversations to show.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import List, Optional, Protocol

from sqlalchemy import Engine, bindparam, create_engine, text


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


EXTERNAL = "EXTERNAL: "  # rasa.shared.core.constants.EXTERNAL_MESSAGE_PREFIX


class TrackerReader(Protocol):
    def conversation(self, sender_id: str) -> List[Turn]: ...

    def turns_between(self, start: datetime, end: datetime) -> List[Turn]: ...


def _bot_text(data: dict) -> str:
    if data.get("text"):
        return data["text"]
    buttons = (data.get("data") or {}).get("buttons") or []
    return "［按钮］" + " / ".join(str(b.get("title", "")) for b in buttons) if buttons else "［非文字消息］"


def turns_from_rows(rows) -> List[Turn]:
    """Rows (id, sender_id, type_name, timestamp, data) in id order → turns; a FAQ slot
    marks the bot answer just before it, as Rasa stores an action's messages before its slots."""
    turns: List[Turn] = []
    last_bot: dict = {}
    triggered: dict = {}  # sender → intent the routing backend triggered (trigger_intent), until her next message
    for event_id, sender_id, type_name, timestamp, raw in rows:
        try:
            data = json.loads(raw or "{}")
        except ValueError:
            continue
        at = datetime.fromtimestamp(float(timestamp or 0), tz=timezone.utc)
        if type_name == "user":
            intent = (data.get("parse_data") or {}).get("intent") or {}
            if (data.get("metadata") or {}).get("is_external") or (data.get("text") or "").startswith(EXTERNAL):
                triggered[sender_id] = intent.get("name")  # not her words: "EXTERNAL: expert_reply"
                continue
            triggered.pop(sender_id, None)
            turns.append(Turn(event_id, sender_id, "user", data.get("text") or "", at, intent.get("name"),
                              intent.get("confidence"), data.get("input_channel")))
        elif type_name == "bot":
            kind = "expert" if triggered.get(sender_id) == "expert_reply" else "bot"  # an expert's relayed reply
            turns.append(Turn(event_id, sender_id, kind, _bot_text(data), at))
            last_bot[sender_id] = len(turns) - 1
        elif type_name == "slot" and data.get("name") == "last_faq_id" and data.get("value"):
            index = last_bot.get(sender_id)
            if index is not None and turns[index].faq_id is None:
                old = turns[index]
                turns[index] = Turn(old.event_id, old.sender_id, old.kind, old.text, old.at, faq_id=str(data["value"]))
        elif type_name == "slot" and data.get("name") == "last_feedback" and isinstance(data.get("value"), dict):
            value = data["value"]
            turns.append(Turn(event_id, sender_id, "feedback", "", at, faq_id=value.get("faq_id"),
                              helpful=bool(value.get("helpful"))))
    return turns


class SqlTrackerReader:
    QUERY = ("SELECT id, sender_id, type_name, timestamp, data FROM events "
             "WHERE type_name IN ('user', 'bot', 'slot')")

    def __init__(self, url: str) -> None:
        self._url = url
        self._engine: Optional[Engine] = None

    def _connect(self) -> Optional[Engine]:
        if self._engine is None:
            url = self._url
            if url.startswith("sqlite:///"):
                path = Path(url.removeprefix("sqlite:///"))
                if not path.exists():
                    return None
                url = f"sqlite:///file:{path}?mode=ro&uri=true"
            self._engine = create_engine(url)
        return self._engine

    def _read(self, where: str, **params) -> List[Turn]:
        engine = self._connect()
        if engine is None:
            return []
        with engine.connect() as connection:
            rows = connection.execute(text(f"{self.QUERY} {where} ORDER BY id").bindparams(
                *[bindparam(name) for name in params]), params).all()
        return turns_from_rows(rows)

    def conversation(self, sender_id: str) -> List[Turn]:
        return self._read("AND sender_id = :sender_id", sender_id=sender_id)

    def turns_between(self, start: datetime, end: datetime) -> List[Turn]:
        return self._read("AND timestamp >= :start AND timestamp < :end",
                          start=start.timestamp(), end=end.timestamp())
