"""The local outbox file: requests and messages for a person wait here, on disk,
until the routing backend takes them, so none is lost when a process restarts.

Synchronous on purpose (SQLite has no async driver here); the async outbox calls
it from worker threads. Each operation opens its own connection and closes it,
so every thread uses its own and no file handle outlives the call; a lock keeps
writes from this process one at a time.
"""
from __future__ import annotations

import json
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Iterator, List, Optional, Tuple

from actions.handoff_types import HandoffRecord, HandoffRequest, new_record

_SCHEMA = """
CREATE TABLE IF NOT EXISTS handoff_requests (
    id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL,
    channel TEXT,
    category TEXT,
    intent TEXT,
    urgent INTEGER NOT NULL,
    summary TEXT NOT NULL,
    transcript TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    due_at TEXT NOT NULL,
    delivered_as TEXT,
    region TEXT,
    refused_status INTEGER
);
CREATE TABLE IF NOT EXISTS forwarded_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id TEXT NOT NULL,
    handoff_id TEXT NOT NULL,
    text TEXT NOT NULL,
    delivered INTEGER NOT NULL DEFAULT 0,
    refused_status INTEGER
);
CREATE INDEX IF NOT EXISTS handoff_requests_conversation
    ON handoff_requests (conversation_id, created_at);
"""

# Columns added after the first files were written: (table, column, type).
_LATER_COLUMNS = (
    ("handoff_requests", "delivered_as", "TEXT"),  # the outbox
    ("handoff_requests", "region", "TEXT"),  # regions recognised
    ("handoff_requests", "refused_status", "INTEGER"),  # refusals kept, not retried
    ("forwarded_messages", "refused_status", "INTEGER"),
)


class SQLiteHandoffStore:
    """Durable local record of handoff requests and her messages (one file, no server)."""

    def __init__(self, path: Path, normal_hours: int = 48, urgent_hours: int = 1) -> None:
        self._path = Path(path)
        self._normal_hours, self._urgent_hours = normal_hours, urgent_hours
        self._lock = threading.Lock()
        self._path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, self._connection() as connection:
            connection.executescript(_SCHEMA)
            for table, column, kind in _LATER_COLUMNS:
                existing = {row[1] for row in connection.execute(f"PRAGMA table_info({table})")}
                if column not in existing:
                    connection.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        """One transaction on a connection of its own, closed afterwards:
        `with sqlite3.connect(...)` alone commits but leaves the file open."""
        connection = sqlite3.connect(self._path, timeout=10)
        try:
            with connection:
                yield connection
        finally:
            connection.close()

    def _write(self, sql: str, parameters: tuple | dict = ()) -> None:
        with self._lock, self._connection() as connection:
            connection.execute(sql, parameters)

    def open_request(self, request: HandoffRequest) -> HandoffRecord:
        """Keep a request that the backend could not take now."""
        record = new_record(request, self._normal_hours, self._urgent_hours)
        row = asdict(record)
        row.update(
            urgent=int(record.urgent),
            transcript=json.dumps(request.transcript, ensure_ascii=False),
            region=request.region,
            created_at=record.created_at.isoformat(),
            due_at=record.due_at.isoformat(),
        )
        self._write(
            "INSERT INTO handoff_requests (id, conversation_id, channel, category, intent,"
            " urgent, summary, transcript, status, created_at, due_at, region) VALUES (:id,"
            " :conversation_id, :channel, :category, :intent, :urgent, :summary,"
            " :transcript, :status, :created_at, :due_at, :region)",
            row,
        )
        return record

    def pending(self) -> List[Tuple[str, HandoffRequest]]:
        """Requests not yet handed to the routing backend: urgent ones first, then oldest first."""
        with self._connection() as connection:
            rows = connection.execute(
                "SELECT id, conversation_id, channel, category, intent, urgent, summary, transcript, region"
                " FROM handoff_requests WHERE delivered_as IS NULL AND refused_status IS NULL"
                " ORDER BY urgent DESC, created_at, rowid"
            ).fetchall()
        return [
            (row[0], HandoffRequest(row[1], row[2], row[3], row[4], bool(row[5]), row[6], json.loads(row[7]),
                                    row[8]))
            for row in rows
        ]

    def mark_delivered(self, local_id: str, remote_id: str) -> None:
        self._write("UPDATE handoff_requests SET delivered_as = ? WHERE id = ?", (remote_id, local_id))

    def mark_refused(self, local_id: str, status: int) -> None:
        """The backend will never take this one: keep it on file, stop retrying it."""
        self._write("UPDATE handoff_requests SET refused_status = ? WHERE id = ?", (status, local_id))

    def backend_id_of(self, handoff_id: str) -> Optional[str]:
        """The id the backend knows a handoff by: its own id when it never waited
        here, the delivered id when it did, None while it waits or was refused."""
        with self._connection() as connection:
            row = connection.execute(
                "SELECT delivered_as FROM handoff_requests WHERE id = ?", (handoff_id,)
            ).fetchone()
        return handoff_id if row is None else row[0]

    def queue_message(self, conversation_id: str, handoff_id: str, text: str) -> None:
        """Keep her message for the expert until the backend takes it."""
        self._write(
            "INSERT INTO forwarded_messages (conversation_id, handoff_id, text) VALUES (?, ?, ?)",
            (conversation_id, handoff_id, text),
        )

    def pending_messages(self) -> List[Tuple[int, str, str, str]]:
        """Her waiting messages, in the order she wrote them."""
        with self._connection() as connection:
            return connection.execute(
                "SELECT id, conversation_id, handoff_id, text FROM forwarded_messages"
                " WHERE delivered = 0 AND refused_status IS NULL ORDER BY id"
            ).fetchall()

    def mark_message_delivered(self, message_id: int) -> None:
        self._write("UPDATE forwarded_messages SET delivered = 1 WHERE id = ?", (message_id,))

    def mark_message_refused(self, message_id: int, status: int) -> None:
        self._write("UPDATE forwarded_messages SET refused_status = ? WHERE id = ?", (status, message_id))

    def latest_for(self, conversation_id: str) -> Optional[HandoffRecord]:
        """Her latest request kept here (a refused one does not count: it went nowhere)."""
        with self._connection() as connection:
            row = connection.execute(
                "SELECT id, conversation_id, channel, category, intent, urgent, summary,"
                " status, created_at, due_at, delivered_as FROM handoff_requests"
                " WHERE conversation_id = ? AND refused_status IS NULL"
                " ORDER BY created_at DESC, rowid DESC LIMIT 1",
                (conversation_id,),
            ).fetchone()
        if row is None:
            return None
        return HandoffRecord(
            id=row[0],
            conversation_id=row[1],
            channel=row[2],
            category=row[3],
            intent=row[4],
            urgent=bool(row[5]),
            summary=row[6],
            status=row[7],
            created_at=datetime.fromisoformat(row[8]),
            due_at=datetime.fromisoformat(row[9]),
            delivered=row[10] is not None,
        )
