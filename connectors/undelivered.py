"""Messages a channel could not deliver after its retries, kept in a local SQLite table.

A reply that never reached her must not vanish in a log file: staff can list this
table and reach her another way (or resend once the channel works again).
"""
from __future__ import annotations

import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import List

SCHEMA = """
CREATE TABLE IF NOT EXISTS undelivered (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    channel TEXT NOT NULL,
    recipient TEXT NOT NULL,
    text TEXT NOT NULL,
    error TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    created_at REAL NOT NULL
)
"""


@dataclass(frozen=True)
class UndeliveredMessage:
    channel: str
    recipient: str
    text: str
    error: str
    attempts: int
    created_at: float


class UndeliveredLog:
    """Append-only record of failed deliveries; the file is created on first use."""

    def __init__(self, path: Path) -> None:
        self._path = Path(path)
        self._lock = threading.Lock()
        self._ready = False

    def _connect(self) -> sqlite3.Connection:
        if not self._ready:
            self._path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self._path, timeout=10)
        if not self._ready:
            connection.execute(SCHEMA)
            connection.commit()
            self._ready = True
        return connection

    def record(self, *, channel: str, recipient: str, text: str, error: str, attempts: int) -> None:
        with self._lock:
            connection = self._connect()
            try:
                with connection:
                    connection.execute(
                        "INSERT INTO undelivered (channel, recipient, text, error, attempts, created_at) "
                        "VALUES (?, ?, ?, ?, ?, ?)", (channel, recipient, text, error, attempts, time.time()))
            finally:
                connection.close()

    def list(self, channel: str = "") -> List[UndeliveredMessage]:
        if not self._path.exists():
            return []
        with self._lock:
            connection = self._connect()
            try:
                rows = connection.execute(
                    "SELECT channel, recipient, text, error, attempts, created_at FROM undelivered "
                    "WHERE ? = '' OR channel = ? ORDER BY id", (channel, channel)).fetchall()
            finally:
                connection.close()
        return [UndeliveredMessage(*row) for row in rows]
