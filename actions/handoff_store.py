"""Where requests for a human are recorded until the routing backend takes them.

`HandoffStore` is the interface the actions use; `SQLiteHandoffStore` keeps the
requests on disk so none is lost when a process restarts, and
`InMemoryHandoffStore` is the fake for tests.
"""
from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional, Protocol, Tuple

RECEIVED = "received"


@dataclass(frozen=True)
class HandoffRequest:
    conversation_id: str
    channel: Optional[str]
    category: Optional[str]
    intent: Optional[str]
    urgent: bool
    summary: str
    transcript: List[Dict[str, str]] = field(default_factory=list)
    region: Optional[str] = None  # 广东省佛山市顺德区: escalation reaches her local federation


@dataclass(frozen=True)
class HandoffRecord:
    id: str
    conversation_id: str
    channel: Optional[str]
    category: Optional[str]
    intent: Optional[str]
    urgent: bool
    summary: str
    status: str
    created_at: datetime
    due_at: datetime
    holder: Optional[str] = None  # role of the person holding it, e.g. 律师
    delivered: bool = True  # False while it waits in the outbox for the routing backend


class HandoffStore(Protocol):
    def open_request(self, request: HandoffRequest) -> HandoffRecord: ...

    def latest_for(self, conversation_id: str) -> Optional[HandoffRecord]: ...


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _new_record(request: HandoffRequest, normal_hours: int, urgent_hours: int) -> HandoffRecord:
    created = _now()
    hours = urgent_hours if request.urgent else normal_hours
    return HandoffRecord(
        id=uuid.uuid4().hex[:12],
        conversation_id=request.conversation_id,
        channel=request.channel,
        category=request.category,
        intent=request.intent,
        urgent=request.urgent,
        summary=request.summary,
        status=RECEIVED,
        created_at=created,
        due_at=created + timedelta(hours=hours),
    )


class InMemoryHandoffStore:
    """Test fake with the same behaviour as the SQLite store."""

    def __init__(self, normal_hours: int = 48, urgent_hours: int = 1) -> None:
        self._normal_hours, self._urgent_hours = normal_hours, urgent_hours
        self.records: List[HandoffRecord] = []
        self.requests: List[HandoffRequest] = []

    def open_request(self, request: HandoffRequest) -> HandoffRecord:
        record = _new_record(request, self._normal_hours, self._urgent_hours)
        self.records.append(record)
        self.requests.append(request)
        return record

    def latest_for(self, conversation_id: str) -> Optional[HandoffRecord]:
        mine = [r for r in self.records if r.conversation_id == conversation_id]
        return mine[-1] if mine else None


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
    region TEXT
);
CREATE TABLE IF NOT EXISTS forwarded_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id TEXT NOT NULL,
    handoff_id TEXT NOT NULL,
    text TEXT NOT NULL,
    delivered INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS handoff_requests_conversation
    ON handoff_requests (conversation_id, created_at);
"""


class SQLiteHandoffStore:
    """Durable local record of handoff requests (one file, no server)."""

    def __init__(self, path: Path, normal_hours: int = 48, urgent_hours: int = 1) -> None:
        self._path = Path(path)
        self._normal_hours, self._urgent_hours = normal_hours, urgent_hours
        self._lock = threading.Lock()
        self._path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as connection:
            connection.executescript(_SCHEMA)
            columns = {row[1] for row in connection.execute("PRAGMA table_info(handoff_requests)")}
            if "delivered_as" not in columns:  # files made before the outbox existed
                connection.execute("ALTER TABLE handoff_requests ADD COLUMN delivered_as TEXT")
            if "region" not in columns:  # files made before regions were recognised
                connection.execute("ALTER TABLE handoff_requests ADD COLUMN region TEXT")

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self._path, timeout=10)

    def open_request(self, request: HandoffRequest) -> HandoffRecord:
        record = _new_record(request, self._normal_hours, self._urgent_hours)
        row = asdict(record)
        row.update(
            urgent=int(record.urgent),
            transcript=json.dumps(request.transcript, ensure_ascii=False),
            region=request.region,
            created_at=record.created_at.isoformat(),
            due_at=record.due_at.isoformat(),
        )
        with self._lock, self._connect() as connection:
            connection.execute(
                "INSERT INTO handoff_requests (id, conversation_id, channel, category, intent,"
                " urgent, summary, transcript, status, created_at, due_at, region) VALUES (:id,"
                " :conversation_id, :channel, :category, :intent, :urgent, :summary,"
                " :transcript, :status, :created_at, :due_at, :region)",
                row,
            )
        return record

    def pending(self) -> List[Tuple[str, HandoffRequest]]:
        """Requests not yet handed to the routing backend, oldest first."""
        with self._connect() as connection:
            rows = connection.execute(
                "SELECT id, conversation_id, channel, category, intent, urgent, summary, transcript, region"
                " FROM handoff_requests WHERE delivered_as IS NULL ORDER BY created_at"
            ).fetchall()
        return [
            (row[0], HandoffRequest(row[1], row[2], row[3], row[4], bool(row[5]), row[6], json.loads(row[7]),
                                    row[8]))
            for row in rows
        ]

    def queue_message(self, conversation_id: str, handoff_id: str, text: str) -> None:
        """Keep her message for the expert until the backend takes it."""
        with self._lock, self._connect() as connection:
            connection.execute(
                "INSERT INTO forwarded_messages (conversation_id, handoff_id, text) VALUES (?, ?, ?)",
                (conversation_id, handoff_id, text),
            )

    def pending_messages(self) -> List[Tuple[int, str, str, str]]:
        with self._connect() as connection:
            return connection.execute(
                "SELECT id, conversation_id, handoff_id, text FROM forwarded_messages"
                " WHERE delivered = 0 ORDER BY id"
            ).fetchall()

    def mark_message_delivered(self, message_id: int) -> None:
        with self._lock, self._connect() as connection:
            connection.execute("UPDATE forwarded_messages SET delivered = 1 WHERE id = ?", (message_id,))

    def mark_delivered(self, local_id: str, remote_id: str) -> None:
        with self._lock, self._connect() as connection:
            connection.execute(
                "UPDATE handoff_requests SET delivered_as = ? WHERE id = ?", (remote_id, local_id)
            )

    def latest_for(self, conversation_id: str) -> Optional[HandoffRecord]:
        with self._connect() as connection:
            row = connection.execute(
                "SELECT id, conversation_id, channel, category, intent, urgent, summary,"
                " status, created_at, due_at, delivered_as FROM handoff_requests"
                " WHERE conversation_id = ? ORDER BY created_at DESC LIMIT 1",
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


@lru_cache(maxsize=1)
def default_handoff_store() -> HandoffStore:
    """The store the running action server uses, built on first use from settings:
    the routing backend, with a local outbox for when it is down."""
    from actions.handoff_outbox import OutboxHandoffStore
    from actions.routing_client import RoutingClient
    from bot.settings import Settings

    settings = Settings.from_env()
    outbox = SQLiteHandoffStore(
        settings.handoff_store_path, settings.sla_normal_hours, settings.sla_urgent_hours
    )
    return OutboxHandoffStore(RoutingClient(settings.routing_url, settings.routing_token), outbox)
