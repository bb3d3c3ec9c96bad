"""The stores outside the routing database, as the services create them, in a temporary var/:
Rasa's tracker store and event broker, the action server's outbox, the Telegram and WeChat
channel files, the safe-exit code words, the web chat's waiting replies and a log file. Tables as their owners create them
(rasa/core/tracker_store.py SQLEvent, connectors/*/store.py, actions/handoff_store.py)."""
from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

SCHEMAS = {
    "tracker.db": ["CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255) NOT NULL, "
                   "type_name VARCHAR(255) NOT NULL, timestamp FLOAT, intent_name VARCHAR(255), "
                   "action_name VARCHAR(255), data TEXT)"],
    "events.db": ["CREATE TABLE events (id INTEGER NOT NULL, sender_id VARCHAR(255), data TEXT, PRIMARY KEY (id))"],
    "handoff_requests.db": [
        "CREATE TABLE handoff_requests (id TEXT PRIMARY KEY, conversation_id TEXT NOT NULL, channel TEXT, "
        "category TEXT, intent TEXT, urgent INTEGER NOT NULL, summary TEXT NOT NULL, transcript TEXT NOT NULL, "
        "status TEXT NOT NULL, created_at TEXT NOT NULL, due_at TEXT NOT NULL, delivered_as TEXT, region TEXT, "
        "refused_status INTEGER)",
        "CREATE TABLE forwarded_messages (id INTEGER PRIMARY KEY AUTOINCREMENT, conversation_id TEXT NOT NULL, "
        "handoff_id TEXT NOT NULL, text TEXT NOT NULL, delivered INTEGER NOT NULL DEFAULT 0, refused_status INTEGER)"],
    "telegram.db": [
        "CREATE TABLE processed (key TEXT PRIMARY KEY, seen_at REAL NOT NULL)",
        "CREATE TABLE chat_messages (chat_id TEXT NOT NULL, message_id INTEGER NOT NULL, direction TEXT NOT NULL, "
        "sent_at REAL NOT NULL, PRIMARY KEY (chat_id, message_id))",
        "CREATE TABLE callback_payloads (key TEXT PRIMARY KEY, payload TEXT NOT NULL, created_at REAL NOT NULL)",
        "CREATE TABLE quiet_chats (chat_id TEXT PRIMARY KEY, since REAL NOT NULL)",
        "CREATE TABLE undelivered (id INTEGER PRIMARY KEY AUTOINCREMENT, chat_id TEXT NOT NULL, method TEXT NOT NULL, "
        "body TEXT NOT NULL, reason TEXT NOT NULL, error TEXT NOT NULL, created_at REAL NOT NULL, resent_at REAL)"],
    "safe_exit.db": ["CREATE TABLE code_words (conversation_id TEXT PRIMARY KEY, word TEXT NOT NULL, "
                     "set_at REAL NOT NULL)"],
    "webchat.db": ["CREATE TABLE webchat_waiting (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL, "
                   "messages TEXT NOT NULL, expert_message_id INTEGER, reason TEXT NOT NULL, created_at REAL NOT NULL)",
                   "CREATE TABLE webchat_quiet (session_id TEXT PRIMARY KEY, since REAL NOT NULL)"],
}


class HerStores:
    def __init__(self, var_dir: Path) -> None:
        self.var = Path(var_dir)
        self.var.mkdir(parents=True, exist_ok=True)
        (self.var / "logs").mkdir(exist_ok=True)
        for name, statements in SCHEMAS.items():
            with sqlite3.connect(self.var / name) as db:
                for statement in statements:
                    db.execute(statement)
            db.close()

    def _run(self, name: str, sql: str, values: tuple) -> None:
        db = sqlite3.connect(self.var / name)
        with db:
            db.execute(sql, values)
        db.close()

    def count(self, name: str, table: str, where: str = "1=1", values: tuple = ()) -> int:
        db = sqlite3.connect(self.var / name)
        try:
            return db.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}", values).fetchone()[0]
        finally:
            db.close()

    def conversation(self, sender: str, at: datetime, text: str = "他又打我了") -> None:
        """One message of hers in every store that keeps one, at `at`."""
        seconds = at.timestamp()
        body = json.dumps({"sender_id": sender, "event": "user", "timestamp": seconds, "text": text})
        self._run("tracker.db", "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, 'user', ?, ?)",
                  (sender, seconds, body))
        self._run("events.db", "INSERT INTO events (sender_id, data) VALUES (?, ?)", (sender, body))
        self._run("telegram.db", "INSERT OR IGNORE INTO chat_messages VALUES (?, ?, 'in', ?)",
                  (sender, int(seconds) % 100000, seconds))
        self._run("telegram.db", "INSERT INTO undelivered (chat_id, method, body, reason, error, created_at) "
                  "VALUES (?, 'sendMessage', ?, 'network', 'timeout', ?)", (sender, text, seconds))
        self._run("safe_exit.db", "INSERT OR REPLACE INTO code_words VALUES (?, '买菜', ?)", (sender, seconds))
        self._run("webchat.db", "INSERT INTO webchat_waiting (session_id, messages, expert_message_id, reason, "
                  "created_at) VALUES (?, ?, 7, 'page_closed', ?)", (sender, json.dumps([{"text": "律师的回复"}]), seconds))
        self._run("handoff_requests.db", "INSERT INTO forwarded_messages (conversation_id, handoff_id, text, delivered)"
                  " VALUES (?, 'h1', ?, 1)", (sender, text))
        with (self.var / "logs" / "actions.log").open("a", encoding="utf-8") as log:
            log.write(json.dumps({"ts": at.astimezone(timezone.utc).isoformat(), "event": "action",
                                  "conversation": sender}) + "\n")

    def outbox_request(self, sender: str, at: datetime, delivered: bool = True) -> None:
        self._run("handoff_requests.db", "INSERT INTO handoff_requests (id, conversation_id, urgent, summary, "
                  "transcript, status, created_at, due_at, delivered_as) VALUES (?, ?, 1, '', '[]', 'received', ?, ?, ?)",
                  (f"{sender}-{at.timestamp()}-{delivered}", sender, at.isoformat(), at.isoformat(),
                   "remote" if delivered else None))
