"""What the WeChat channel must remember between requests, in a local SQLite file.

- Deliveries already seen: WeChat retries a message three times when it gets no
  answer within five seconds, and each retry must not start the dialogue again.
  A retry gets the passive reply the first delivery produced, if there was one.
- The numbered options last shown to each person ("回复 1：…"), so that a later
  "1" means the button's payload. They expire: an old "1" is just a message.
- Request signatures seen (timestamp, nonce, signature), with a digest of the body
  they came with: the signature does not cover a plaintext body, so a signature seen
  before may only come back with the same body (WeChat's retry), never a new one. Kept
  until the timestamp is stale anyway, and on disk so a restart does not reopen them.
- Quiet chats: after her safe exit nothing new is pushed to her until she writes again.
- Held messages: what was not pushed meanwhile, and experts' replies WeChat refused
  (45015 outside the 48 hours), to be sent when she next writes.

The Rasa replicas on one host share this file (connectors/shared_state/sqlite_files.py:
write-ahead log, writers wait for each other, what waits is taken in one transaction).
With ASSISTANT_REDIS_URL set, deliveries and signatures seen are kept in Redis instead
(connectors/wechat/deliveries.py).
"""
from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Callable, Dict, List, NamedTuple, Optional

from connectors.shared_state.sqlite_files import connect, immediate, use_write_ahead_log

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS wechat_seen (key TEXT PRIMARY KEY, seen_at REAL NOT NULL, reply TEXT)",
    "CREATE INDEX IF NOT EXISTS wechat_seen_at ON wechat_seen (seen_at)",
    "CREATE TABLE IF NOT EXISTS wechat_options (openid TEXT PRIMARY KEY, options TEXT NOT NULL, "
    "expires_at REAL NOT NULL)",
    "CREATE TABLE IF NOT EXISTS wechat_signatures (key TEXT PRIMARY KEY, body_digest TEXT NOT NULL, "
    "expires_at REAL NOT NULL)",
    "CREATE INDEX IF NOT EXISTS wechat_signatures_expiry ON wechat_signatures (expires_at)",
    "CREATE TABLE IF NOT EXISTS wechat_quiet (openid TEXT PRIMARY KEY, since REAL NOT NULL)",
    "CREATE TABLE IF NOT EXISTS wechat_held (id INTEGER PRIMARY KEY AUTOINCREMENT, openid TEXT NOT NULL, "
    "text TEXT NOT NULL, expert_message_id INTEGER, reason TEXT NOT NULL, created_at REAL NOT NULL)",
)
SEEN_TTL_SECONDS = 3600.0  # WeChat's retries come within about 15 seconds


class HeldMessage(NamedTuple):
    id: int
    text: str
    expert_message_id: Optional[int]
    reason: str


class WeChatStore:
    def __init__(self, path: Path, options_ttl_seconds: float = 3600.0,
                 clock: Callable[[], float] = time.time) -> None:
        self._path = Path(path)
        self._options_ttl = options_ttl_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._ready = False

    def _connect(self) -> sqlite3.Connection:
        if not self._ready:
            self._path.parent.mkdir(parents=True, exist_ok=True)
        connection = connect(self._path)
        if not self._ready:
            for statement in SCHEMA:
                connection.execute(statement)
            connection.commit()
            use_write_ahead_log(connection)
            self._ready = True
        return connection

    def _run(self, sql: str, parameters: tuple = ()) -> list:
        with self._lock:
            connection = self._connect()
            try:
                with connection:
                    return connection.execute(sql, parameters).fetchall()
            finally:
                connection.close()

    def claim(self, key: str) -> bool:
        """True the first time a delivery key is seen; False for WeChat's retries."""
        now = self._clock()
        self._run("DELETE FROM wechat_seen WHERE seen_at < ?", (now - SEEN_TTL_SECONDS,))
        with self._lock:
            connection = self._connect()
            try:
                with connection:
                    cursor = connection.execute(
                        "INSERT OR IGNORE INTO wechat_seen (key, seen_at) VALUES (?, ?)", (key, now))
                    return cursor.rowcount == 1
            finally:
                connection.close()

    def claim_signature(self, key: str, body_digest: str, expires_at: float) -> bool:
        """True for a signature not seen before, or seen with this very body; False for a replay."""
        now = self._clock()
        with self._lock:
            connection = self._connect()
            try:
                with connection:
                    connection.execute("DELETE FROM wechat_signatures WHERE expires_at < ?", (now,))
                    cursor = connection.execute(
                        "INSERT OR IGNORE INTO wechat_signatures (key, body_digest, expires_at) VALUES (?, ?, ?)",
                        (key, body_digest, expires_at))
                    if cursor.rowcount == 1:
                        return True
                    row = connection.execute("SELECT body_digest FROM wechat_signatures WHERE key = ?",
                                             (key,)).fetchone()
                    return row is not None and row[0] == body_digest
            finally:
                connection.close()

    def seen_signature_count(self) -> int:
        return self._run("SELECT COUNT(*) FROM wechat_signatures")[0][0]

    def remember_reply(self, key: str, reply: str) -> None:
        self._run("UPDATE wechat_seen SET reply = ? WHERE key = ?", (reply, key))

    def reply_for(self, key: str) -> Optional[str]:
        rows = self._run("SELECT reply FROM wechat_seen WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def save_options(self, openid: str, options: Dict[int, str]) -> None:
        """Replace her numbered options; an empty mapping forgets the old ones."""
        if not options:
            self._run("DELETE FROM wechat_options WHERE openid = ?", (openid,))
            return
        encoded = json.dumps({str(number): payload for number, payload in options.items()}, ensure_ascii=False)
        self._run("INSERT OR REPLACE INTO wechat_options (openid, options, expires_at) VALUES (?, ?, ?)",
                  (openid, encoded, self._clock() + self._options_ttl))

    def option(self, openid: str, number: int) -> Optional[str]:
        rows = self._run("SELECT options, expires_at FROM wechat_options WHERE openid = ?", (openid,))
        if not rows or rows[0][1] < self._clock():
            return None
        return json.loads(rows[0][0]).get(str(number))

    # -- quiet after safe exit, and what waits for her ------------------------------
    def set_quiet(self, openid: str) -> float:
        since = self._clock()
        self._run("INSERT OR REPLACE INTO wechat_quiet (openid, since) VALUES (?, ?)", (openid, since))
        return since

    def quiet_since(self, openid: str) -> Optional[float]:
        rows = self._run("SELECT since FROM wechat_quiet WHERE openid = ?", (openid,))
        return rows[0][0] if rows else None

    def clear_quiet(self, openid: str) -> None:
        self._run("DELETE FROM wechat_quiet WHERE openid = ?", (openid,))

    def hold(self, openid: str, text: str, reason: str, expert_message_id: Optional[int] = None) -> None:
        self._run("INSERT INTO wechat_held (openid, text, expert_message_id, reason, created_at) "
                  "VALUES (?, ?, ?, ?, ?)", (openid, text, expert_message_id, reason, self._clock()))

    def take_held(self, openid: str) -> List[HeldMessage]:
        """What waits for her, oldest first, removed from the table (the caller sends or holds it again)."""
        with self._lock:
            connection = self._connect()
            try:
                with immediate(connection):  # another replica's hold() cannot slip in between and be lost
                    rows = connection.execute("SELECT id, text, expert_message_id, reason FROM wechat_held "
                                              "WHERE openid = ? ORDER BY id", (openid,)).fetchall()
                    connection.execute("DELETE FROM wechat_held WHERE openid = ? AND id <= ?",
                                       (openid, rows[-1][0] if rows else 0))
            finally:
                connection.close()
        return [HeldMessage(*row) for row in rows]
