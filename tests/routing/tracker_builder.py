"""A tracker store database with Rasa's own schema (rasa/core/tracker_store.py,
SQLTrackerStore.SQLEvent), written the way Rasa writes it (json.dumps, ASCII escapes)."""
from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Optional

SCHEMA = """
CREATE TABLE events (
    id INTEGER NOT NULL PRIMARY KEY,
    sender_id VARCHAR(255) NOT NULL,
    type_name VARCHAR(255) NOT NULL,
    timestamp FLOAT,
    intent_name VARCHAR(255),
    action_name VARCHAR(255),
    data TEXT
);
CREATE INDEX ix_events_sender_id ON events (sender_id);
"""


class TrackerBuilder:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.url = f"sqlite:///{path}"
        with sqlite3.connect(path) as connection:
            connection.executescript(SCHEMA)

    def _add(self, sender: str, type_name: str, at: datetime, data: dict, intent: Optional[str] = None,
             action: Optional[str] = None) -> int:
        data = dict(data, event=type_name, timestamp=at.timestamp())
        with sqlite3.connect(self.path) as connection:
            cursor = connection.execute(
                "INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, data) "
                "VALUES (?, ?, ?, ?, ?, ?)", (sender, type_name, at.timestamp(), intent, action, json.dumps(data)))
            return cursor.lastrowid

    def user(self, sender: str, text: str, intent: str, confidence: float, at: datetime, channel: str = "rest") -> int:
        parse = {"text": text, "intent": {"name": intent, "confidence": confidence}, "entities": []}
        return self._add(sender, "user", at, {"text": text, "parse_data": parse, "input_channel": channel}, intent)

    def bot(self, sender: str, text: str, at: datetime) -> int:
        self._add(sender, "action", at, {"name": "action_answer"}, action="action_answer")
        return self._add(sender, "bot", at, {"text": text, "data": {}, "metadata": {}})

    def slot(self, sender: str, name: str, value, at: datetime) -> int:
        return self._add(sender, "slot", at, {"name": name, "value": value})

    def external(self, sender: str, intent: str, entities: dict, at: datetime) -> int:
        """What Rasa stores for the routing backend's trigger_intent (UserUttered.create_external)."""
        parse = {"text": f"EXTERNAL: {intent}", "intent": {"name": intent},
                 "entities": [{"entity": name, "value": value} for name, value in entities.items()]}
        return self._add(sender, "user", at, {"text": f"EXTERNAL: {intent}", "parse_data": parse,
                                              "input_channel": None, "metadata": {"is_external": True}}, intent)
