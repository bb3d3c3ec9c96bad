"""Conversations for the routing tests, as Rasa's event broker publishes them
(rasa/core/brokers/sql.py: a table `events(id, sender_id, data)`, `data` being
`json.dumps({"sender_id": …, **event.as_dict()})`, ASCII escapes included).

- `ArchiveBuilder` puts them in the routing database's archive through the consumer,
  as `routing serve` takes them: what the console tests read.
- `BrokerFileBuilder` writes a broker file with the table Rasa creates, row by row.
- `write_with_rasa` has Rasa's own SQLEventBroker write the file (.venv), as `rasa run` does.
"""
from __future__ import annotations

import json
import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Dict, List, Optional, Sequence

from sqlalchemy import select

from routing.archive.consumer import consume_round
from routing.archive.sources import Bookmark, BrokerRow
from routing.models import ArchivedEvent

PROJECT_ROOT = Path(__file__).resolve().parents[2]
RASA_PYTHON = PROJECT_ROOT / ".venv" / "bin" / "python"
RASA_WRITER = Path(__file__).with_name("rasa_broker_writer.py")
# SQLEventBroker.SQLBrokerEvent as SQLAlchemy 1.4 creates it on SQLite
BROKER_SCHEMA = "CREATE TABLE events (id INTEGER NOT NULL, sender_id VARCHAR(255), data TEXT, PRIMARY KEY (id))"
NO_DATA = {"elements": None, "quick_replies": None, "buttons": None, "attachment": None, "image": None,
           "custom": None}


def user_event(text: str, intent: str, confidence: float, at: datetime, channel: Optional[str] = "rest") -> dict:
    parse = {"intent": {"name": intent, "confidence": confidence}, "entities": [], "text": text,
             "message_id": None, "metadata": {}}
    return {"event": "user", "timestamp": at.timestamp(), "text": text, "parse_data": parse,
            "input_channel": channel, "message_id": None, "metadata": {}}


def external_event(intent: str, entities: Dict[str, str], at: datetime) -> dict:
    """What Rasa stores for the routing backend's trigger_intent (UserUttered.create_external)."""
    parse = {"intent": {"name": intent}, "entities": [{"entity": name, "value": value}
                                                      for name, value in entities.items()],
             "text": f"EXTERNAL: {intent}", "message_id": None, "metadata": {"is_external": True}}
    return {"event": "user", "timestamp": at.timestamp(), "metadata": {"is_external": True},
            "text": f"EXTERNAL: {intent}", "parse_data": parse, "input_channel": None, "message_id": None}


def action_event(name: str, at: datetime) -> dict:
    return {"event": "action", "timestamp": at.timestamp(), "name": name, "policy": None, "confidence": None,
            "action_text": None, "hide_rule_turn": False}


def bot_event(text: Optional[str], at: datetime, buttons: Sequence[dict] = ()) -> dict:
    return {"event": "bot", "timestamp": at.timestamp(), "text": text,
            "data": dict(NO_DATA, buttons=list(buttons) or None), "metadata": {}}


def slot_event(name: str, value, at: datetime) -> dict:
    return {"event": "slot", "timestamp": at.timestamp(), "name": name, "value": value}


class _Conversations:
    """user/bot/slot/external as the console tests write them; each returns `_publish`'s id."""

    def _publish(self, sender: str, event: dict) -> Optional[int]:
        raise NotImplementedError

    def user(self, sender: str, text: str, intent: str, confidence: float, at: datetime, channel: str = "rest"):
        return self._publish(sender, user_event(text, intent, confidence, at, channel))

    def bot(self, sender: str, text: str, at: datetime):
        self._publish(sender, action_event("action_answer", at))
        return self._publish(sender, bot_event(text, at))

    def slot(self, sender: str, name: str, value, at: datetime):
        return self._publish(sender, slot_event(name, value, at))

    def external(self, sender: str, intent: str, entities: dict, at: datetime):
        return self._publish(sender, external_event(intent, entities, at))


class MemorySource:
    """An EventSource over a list, as a queue would hand rows out."""

    name = "tests"

    def __init__(self) -> None:
        self.rows: List[BrokerRow] = []
        self.acknowledged: List[int] = []

    def add(self, sender_id: Optional[str], data: Optional[str]) -> BrokerRow:
        row = BrokerRow(len(self.rows) + 1, sender_id, data)
        self.rows.append(row)
        return row

    def read(self, after: Bookmark, limit: int) -> List[BrokerRow]:
        return [row for row in self.rows if row.position > after.position][:limit]

    def acknowledge(self, rows: Sequence[BrokerRow]) -> None:
        self.acknowledged.extend(row.position for row in rows)


class ArchiveBuilder(_Conversations):
    """Events into the archive, one consumer round each; returns the archive id (the
    console's event id), None for events the archive does not keep."""

    def __init__(self, session_factory) -> None:
        self.sessions, self.source = session_factory, MemorySource()

    def _publish(self, sender: str, event: dict) -> Optional[int]:
        row = self.source.add(sender, json.dumps(dict({"sender_id": sender}, **event)))
        consume_round(self.source, self.sessions)
        with self.sessions() as db:
            return db.scalar(select(ArchivedEvent.id).where(ArchivedEvent.source == self.source.name,
                                                            ArchivedEvent.broker_id == row.position))


class BrokerFileBuilder(_Conversations):
    """A SQLite file as Rasa's SQLEventBroker writes it; returns the broker row id."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.url = f"sqlite:///{path}"
        with sqlite3.connect(path) as connection:
            connection.execute(BROKER_SCHEMA)
        connection.close()

    def raw(self, sender_id: Optional[str], data: Optional[str]) -> int:
        with sqlite3.connect(self.path) as connection:
            row_id = connection.execute("INSERT INTO events (sender_id, data) VALUES (?, ?)",
                                        (sender_id, data)).lastrowid
        connection.close()
        return row_id

    def _publish(self, sender: str, event: dict) -> int:
        return self.raw(sender, json.dumps(dict({"sender_id": sender}, **event)))


# tests/browser/console_fixtures.py builds its month of conversations under this name.
TrackerBuilder = BrokerFileBuilder


def write_with_rasa(path: Path, steps: List[dict]) -> str:
    """Rasa's SQLEventBroker writes `path` from steps {"sender", "events"} (one tracker save
    each, as after one message); returns the broker's URL."""
    if not RASA_PYTHON.exists():
        raise RuntimeError("run `make install` first: .venv (Rasa) is missing")
    result = subprocess.run([str(RASA_PYTHON), str(RASA_WRITER), str(path)], input=json.dumps(steps), text=True,
                            capture_output=True, timeout=300, cwd=PROJECT_ROOT)
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-3000:])
    return f"sqlite:///{path}"
