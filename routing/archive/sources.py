"""Where the archive takes Rasa's events from: one small interface, one source per broker.

`SqlBrokerSource` reads the table Rasa's SQL event broker writes
(rasa/core/brokers/sql.py, `SQLEventBroker.SQLBrokerEvent`): `events(id, sender_id, data)`,
one row per event, `data` being `json.dumps({"sender_id": …, **event.as_dict()})`, as
`TrackerStore._stream_new_events` publishes it. The same JSON is the body of a RabbitMQ
message from Rasa's pika broker, so a queue source only has to hand out those bodies.
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Protocol, Sequence

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.pool import NullPool

log = logging.getLogger(__name__)


def fingerprint(sender_id: Optional[str], data: Optional[str]) -> str:
    return hashlib.sha256(f"{sender_id}\n{data}".encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class BrokerRow:
    """One event as the broker holds it: its place in the broker's order and Rasa's JSON."""

    position: int
    sender_id: Optional[str]
    data: Optional[str]

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.sender_id, self.data)


@dataclass(frozen=True)
class Bookmark:
    """The last row the archive took (kept in `archive_cursors`)."""

    position: int = 0
    fingerprint: str = ""


class EventSource(Protocol):
    """A RabbitMQ source fits too: `read` drains up to `limit` delivered messages (positions
    from its own counter, as the queue keeps the place), `acknowledge` acks them once the
    archive committed them, so a crash in between redelivers and the archive stores them once."""

    name: str

    def read(self, after: Bookmark, limit: int) -> List[BrokerRow]:
        """Up to `limit` events after the bookmark, in the broker's order."""

    def acknowledge(self, rows: Sequence[BrokerRow]) -> None:
        """The rows are in the archive."""


class SqlBrokerSource:
    """Rasa's SQL event broker, read only. A missing SQLite file is not created: Rasa makes
    it when it starts, and until then there is nothing to archive. Ids are the order: right
    for one Rasa server (SQLite commits one row at a time); several servers sharing one
    PostgreSQL broker may commit ids out of order, and the scaled deployment uses RabbitMQ."""

    name = "rasa-sql-broker"
    SELECT = "SELECT id, sender_id, data FROM events"

    def __init__(self, url: str) -> None:
        self._url = url
        self._path = Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else None
        self._engine: Optional[Engine] = None
        self._warned: Optional[Bookmark] = None

    def _connect(self) -> Optional[Engine]:
        """SQLite: a new connection each round (NullPool), so a file replaced meanwhile is seen."""
        if self._path is not None and not self._path.exists():
            return None
        if self._engine is None:
            if self._path is not None:
                self._engine = create_engine(f"sqlite:///file:{self._path}?mode=ro&uri=true", poolclass=NullPool)
            else:
                self._engine = create_engine(self._url, pool_pre_ping=True)
        return self._engine

    def read(self, after: Bookmark, limit: int) -> List[BrokerRow]:
        engine = self._connect()
        if engine is None:
            return []
        with engine.connect() as connection:
            start = after.position if self._still_holds(connection, after) else 0
            rows = connection.execute(text(f"{self.SELECT} WHERE id > :after ORDER BY id LIMIT :limit"),
                                      {"after": start, "limit": limit}).all()
        return [BrokerRow(int(position), sender_id, data) for position, sender_id, data in rows]

    def _still_holds(self, connection, after: Bookmark) -> bool:
        """False when the broker was replaced or emptied since the bookmark (its row now holds
        another event, or its ids end before it): the new one is then read from its start.
        A bookmarked row pruned from a broker that went on is not a replacement."""
        if not after.position:
            return True
        row = connection.execute(text(f"{self.SELECT} WHERE id = :id"), {"id": after.position}).first()
        if row is not None:
            held = not after.fingerprint or fingerprint(row.sender_id, row.data) == after.fingerprint
        else:
            last = connection.execute(text("SELECT MAX(id) FROM events")).scalar()
            held = last is not None and last > after.position
        if not held and self._warned != after:  # once, not on every round while the new broker is empty
            self._warned = after
            log.warning("archive: %s no longer holds row %s as it was taken; reading it again from its "
                        "first row (rows already archived are not stored twice)", self.name, after.position)
        return held

    def acknowledge(self, rows: Sequence[BrokerRow]) -> None:
        """Rasa's table is the record itself: the bookmark in the routing database is the acknowledgement."""

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
