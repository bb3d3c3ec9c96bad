"""What the web chat keeps for her between visits, in a local SQLite file (var/webchat.db).

- Waiting messages: an expert's reply (or any later message) that arrived while no
  page of her session was open, or after her safe exit. The page is a browser tab:
  when she closes it nobody receives the socket.io message, so it waits here and is
  shown when she comes back (`reason` page_closed) or writes again (after safe exit).
- Unconfirmed messages: every message shown to her page stays here (reason
  `unconfirmed`) until the page acknowledges it (`confirm`); without an
  acknowledgement in time it waits again (`release`), so a page whose connection died
  without a close loses nothing (connectors/webchat/acknowledgements.py).
- Quiet sessions: after a safe exit nothing new is shown until she writes again.

The Rasa replicas on one host share this file: write-ahead log, and a writer waits up
to 30 s for another (connectors/shared_state/sqlite_files.py). What waits is claimed
(turned unconfirmed) in one transaction, so two replicas showing her waiting messages
at the same moment cannot both show them.
"""
from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, NamedTuple, Optional

from connectors.shared_state.sqlite_files import connect, immediate, use_write_ahead_log

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS webchat_waiting (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL, "
    "messages TEXT NOT NULL, expert_message_id INTEGER, reason TEXT NOT NULL, created_at REAL NOT NULL)",
    "CREATE INDEX IF NOT EXISTS webchat_waiting_session ON webchat_waiting (session_id)",
    "CREATE TABLE IF NOT EXISTS webchat_quiet (session_id TEXT PRIMARY KEY, since REAL NOT NULL)",
)
PAGE_CLOSED, AFTER_SAFE_EXIT, UNCONFIRMED = "page_closed", "held_after_safe_exit", "unconfirmed"


class Waiting(NamedTuple):
    id: int
    messages: List[Dict[str, Any]]
    expert_message_id: Optional[int]
    reason: str


class WebChatStore:
    def __init__(self, path: Path, clock: Callable[[], float] = time.time) -> None:
        self._path, self._clock = Path(path), clock
        self._lock = threading.Lock()
        self._ready = False

    def _connect(self) -> sqlite3.Connection:
        if not self._ready:
            self._path.parent.mkdir(parents=True, exist_ok=True)
        connection = connect(self._path)
        if not self._ready:
            with connection:
                for statement in SCHEMA:
                    connection.execute(statement)
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

    def now(self) -> float:
        return self._clock()

    def keep(self, session_id: str, messages: List[Dict[str, Any]], reason: str,
             expert_message_id: Optional[int] = None) -> int:
        """Keep messages for her (`reason` says why); returns the row's id."""
        return self._run("INSERT INTO webchat_waiting (session_id, messages, expert_message_id, reason, created_at) "
                         "VALUES (?, ?, ?, ?, ?) RETURNING id",
                         (session_id, json.dumps(messages, ensure_ascii=False), expert_message_id, reason,
                          self._clock()))[0][0]

    def waiting(self, session_id: str, reasons: tuple = (PAGE_CLOSED, AFTER_SAFE_EXIT)) -> List[Waiting]:
        marks = ",".join("?" * len(reasons))
        rows = self._run(f"SELECT id, messages, expert_message_id, reason FROM webchat_waiting "
                         f"WHERE session_id = ? AND reason IN ({marks}) ORDER BY id", (session_id, *reasons))
        return [Waiting(row[0], json.loads(row[1]), row[2], row[3]) for row in rows]

    def take_waiting(self, session_id: str, reasons: tuple = (PAGE_CLOSED, AFTER_SAFE_EXIT)) -> List[Waiting]:
        """What waits for her, oldest first, claimed in one transaction: turned unconfirmed
        until her page acknowledges it (`confirm`) or the wait ends (`release`)."""
        marks = ",".join("?" * len(reasons))
        with self._lock:
            connection = self._connect()
            try:
                with immediate(connection):
                    rows = connection.execute(
                        f"SELECT id, messages, expert_message_id, reason FROM webchat_waiting "
                        f"WHERE session_id = ? AND reason IN ({marks}) ORDER BY id", (session_id, *reasons)).fetchall()
                    connection.executemany("UPDATE webchat_waiting SET reason = ?, created_at = ? WHERE id = ?",
                                           [(UNCONFIRMED, self._clock(), row[0]) for row in rows])
            finally:
                connection.close()
        return [Waiting(row[0], json.loads(row[1]), row[2], row[3]) for row in rows]

    def confirm(self, row_id: int) -> bool:
        """Her page acknowledged the messages: they are gone from here. False: not (or no longer) kept."""
        return bool(self._run("DELETE FROM webchat_waiting WHERE id = ? RETURNING id", (row_id,)))

    def release(self, row_id: int) -> bool:
        """No acknowledgement came: the messages wait for her again. False: confirmed meanwhile."""
        return bool(self._run("UPDATE webchat_waiting SET reason = ? WHERE id = ? AND reason = ? RETURNING id",
                              (PAGE_CLOSED, row_id, UNCONFIRMED)))

    def release_unconfirmed(self, before: float) -> int:
        """Messages left unconfirmed before `before` (a process stopped while waiting) wait again."""
        return len(self._run("UPDATE webchat_waiting SET reason = ? WHERE reason = ? AND created_at < ? RETURNING id",
                             (PAGE_CLOSED, UNCONFIRMED, before)))

    def set_quiet(self, session_id: str) -> float:
        since = self._clock()
        self._run("INSERT OR REPLACE INTO webchat_quiet (session_id, since) VALUES (?, ?)", (session_id, since))
        return since

    def quiet_since(self, session_id: str) -> Optional[float]:
        rows = self._run("SELECT since FROM webchat_quiet WHERE session_id = ?", (session_id,))
        return rows[0][0] if rows else None

    def clear_quiet(self, session_id: str) -> None:
        self._run("DELETE FROM webchat_quiet WHERE session_id = ?", (session_id,))
