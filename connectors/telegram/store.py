"""The Telegram channel's local memory, one SQLite file under var/.

Why each table exists:
- `processed`: Telegram redelivers an update when our answer was slow or lost, and a
  restart must not answer twice, so handled update ids (and callback query ids) are
  kept for a week.
- `chat_messages`: safe exit deletes what the bot can delete in her chat, which needs
  the ids of her messages and ours (deletable for 48 hours only).
- `callback_payloads`: Telegram's callback_data holds 64 bytes; longer payloads wait
  here under a short key.
- `quiet_chats`: after a safe exit nothing new appears in her chat until she writes.
- `undelivered`: what could not be sent (or was held back) is recorded, never dropped.

The Rasa replicas on one host and the polling runner share this file
(connectors/shared_state/sqlite_files.py: write-ahead log, writers wait for each other).
With ASSISTANT_REDIS_URL set, the channel keeps `processed` in Redis instead
(connectors/shared_state/first_seen.py) and this file keeps the rest.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional

from connectors.shared_state.sqlite_files import connect, use_write_ahead_log

PROCESSED_RETENTION_SECONDS = 7 * 24 * 3600
DELETABLE_SECONDS = 48 * 3600
PAYLOAD_RETENTION_SECONDS = 90 * 24 * 3600
PRUNE_EVERY_SECONDS = 3600
LONG_PAYLOAD_PREFIX = "#p:"

SCHEMA = """
CREATE TABLE IF NOT EXISTS processed (key TEXT PRIMARY KEY, seen_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS chat_messages (
    chat_id TEXT NOT NULL, message_id INTEGER NOT NULL, direction TEXT NOT NULL,
    sent_at REAL NOT NULL, PRIMARY KEY (chat_id, message_id));
CREATE TABLE IF NOT EXISTS callback_payloads (
    key TEXT PRIMARY KEY, payload TEXT NOT NULL, created_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS quiet_chats (chat_id TEXT PRIMARY KEY, since REAL NOT NULL);
CREATE TABLE IF NOT EXISTS undelivered (
    id INTEGER PRIMARY KEY AUTOINCREMENT, chat_id TEXT NOT NULL, method TEXT NOT NULL,
    body TEXT NOT NULL, reason TEXT NOT NULL, error TEXT NOT NULL, created_at REAL NOT NULL,
    resent_at REAL);
"""


@dataclass(frozen=True)
class Undelivered:
    id: int
    chat_id: str
    method: str
    body: Dict[str, Any]
    reason: str
    error: str
    created_at: float


class TelegramStore:
    """Thread-safe and shared by every request of the Rasa process; opened lazily."""

    def __init__(self, path: Path, clock: Callable[[], float] = time.time) -> None:
        self._path, self._clock = Path(path), clock
        self._lock = threading.Lock()
        self._ready = False
        self._last_prune = 0.0

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            if not self._ready:
                self._path.parent.mkdir(parents=True, exist_ok=True)
            connection = connect(self._path)
            try:
                if not self._ready:
                    connection.executescript(SCHEMA)
                    use_write_ahead_log(connection)
                    self._ready = True
                with connection:
                    yield connection
            finally:
                connection.close()

    def now(self) -> float:
        return self._clock()

    # -- repeated deliveries -------------------------------------------------
    def claim(self, key: str) -> bool:
        """True the first time a key is seen; False for a repeated delivery."""
        self._prune_now_and_then()
        with self._connection() as db:
            cursor = db.execute("INSERT OR IGNORE INTO processed (key, seen_at) VALUES (?, ?)",
                                (key, self._clock()))
            return cursor.rowcount == 1

    def release(self, key: str) -> None:
        """Forget a claim whose processing failed, so Telegram's redelivery is handled."""
        with self._connection() as db:
            db.execute("DELETE FROM processed WHERE key = ?", (key,))

    # -- message ids per chat, for safe exit ---------------------------------
    def remember_message(self, chat_id: str, message_id: int, direction: str,
                         sent_at: Optional[float] = None) -> None:
        with self._connection() as db:
            db.execute("INSERT OR REPLACE INTO chat_messages VALUES (?, ?, ?, ?)",
                       (str(chat_id), int(message_id), direction, sent_at or self._clock()))

    def deletable_messages(self, chat_id: str) -> List[int]:
        """Message ids in her chat young enough for deleteMessage, newest first."""
        since = self._clock() - DELETABLE_SECONDS
        with self._connection() as db:
            rows = db.execute("SELECT message_id FROM chat_messages WHERE chat_id = ? AND sent_at > ? "
                              "ORDER BY message_id DESC", (str(chat_id), since)).fetchall()
        return [row[0] for row in rows]

    def forget_messages(self, chat_id: str, message_ids: List[int]) -> None:
        with self._connection() as db:
            db.executemany("DELETE FROM chat_messages WHERE chat_id = ? AND message_id = ?",
                           [(str(chat_id), int(m)) for m in message_ids])

    # -- callback payloads longer than Telegram's 64 bytes ----------------------
    def payload_key(self, payload: str) -> str:
        """A short, stable callback_data for a long payload, stored for the press."""
        key = LONG_PAYLOAD_PREFIX + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:24]
        with self._connection() as db:
            db.execute("INSERT OR REPLACE INTO callback_payloads VALUES (?, ?, ?)",
                       (key, payload, self._clock()))
        return key

    def payload_for(self, key: str) -> Optional[str]:
        with self._connection() as db:
            row = db.execute("SELECT payload FROM callback_payloads WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    # -- quiet after safe exit ------------------------------------------------
    def set_quiet(self, chat_id: str) -> float:
        since = self._clock()
        with self._connection() as db:
            db.execute("INSERT OR REPLACE INTO quiet_chats VALUES (?, ?)", (str(chat_id), since))
        return since

    def quiet_since(self, chat_id: str) -> Optional[float]:
        with self._connection() as db:
            row = db.execute("SELECT since FROM quiet_chats WHERE chat_id = ?", (str(chat_id),)).fetchone()
        return row[0] if row else None

    def clear_quiet(self, chat_id: str) -> bool:
        with self._connection() as db:
            return db.execute("DELETE FROM quiet_chats WHERE chat_id = ?", (str(chat_id),)).rowcount == 1

    # -- what could not be sent -------------------------------------------------
    def record_undelivered(self, chat_id: str, method: str, body: Dict[str, Any], reason: str,
                           error: str = "") -> int:
        with self._connection() as db:
            cursor = db.execute(
                "INSERT INTO undelivered (chat_id, method, body, reason, error, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (str(chat_id), method, json.dumps(body, ensure_ascii=False, default=str), reason, error,
                 self._clock()))
            return int(cursor.lastrowid)

    def undelivered(self, chat_id: Optional[str] = None, reason: Optional[str] = None) -> List[Undelivered]:
        """Rows not resent yet, oldest first (for staff review and for resending held messages)."""
        query, arguments = "SELECT id, chat_id, method, body, reason, error, created_at FROM undelivered " \
                           "WHERE resent_at IS NULL", []
        if chat_id is not None:
            query, arguments = query + " AND chat_id = ?", arguments + [str(chat_id)]
        if reason is not None:
            query, arguments = query + " AND reason = ?", arguments + [reason]
        with self._connection() as db:
            rows = db.execute(query + " ORDER BY id", arguments).fetchall()
        return [Undelivered(r[0], r[1], r[2], json.loads(r[3]), r[4], r[5], r[6]) for r in rows]

    def mark_resent(self, row_id: int) -> None:
        with self._connection() as db:
            db.execute("UPDATE undelivered SET resent_at = ? WHERE id = ?", (self._clock(), row_id))

    # -- housekeeping ---------------------------------------------------------
    def prune(self) -> None:
        now = self._clock()
        self._last_prune = now
        with self._connection() as db:
            db.execute("DELETE FROM processed WHERE seen_at < ?", (now - PROCESSED_RETENTION_SECONDS,))
            db.execute("DELETE FROM chat_messages WHERE sent_at < ?", (now - DELETABLE_SECONDS,))
            db.execute("DELETE FROM callback_payloads WHERE created_at < ?", (now - PAYLOAD_RETENTION_SECONDS,))

    def _prune_now_and_then(self) -> None:
        if self._clock() - self._last_prune >= PRUNE_EVERY_SECONDS:
            self.prune()
