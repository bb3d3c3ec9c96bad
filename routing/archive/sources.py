"""Where the archive takes Rasa's events from: one small interface, one source per broker.

`SqlBrokerSource` reads the table Rasa's SQL event broker writes
(rasa/core/brokers/sql.py, `SQLEventBroker.SQLBrokerEvent`): `events(id, sender_id, data)`,
one row per event, `data` being `json.dumps({"sender_id": …, **event.as_dict()})`, as
`TrackerStore._stream_new_events` publishes it. The same JSON is the body of a RabbitMQ
message from Rasa's pika broker (rasa/core/brokers/pika.py), which `RabbitMqSource` hands
out: the scaled deployment's source (docs/scaling.md).
"""
from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, List, Optional, Protocol, Sequence, Tuple

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
    """A queue fits too (`RabbitMqSource`): `read` hands out up to `limit` delivered messages
    (the queue keeps the place, so the bookmark is not needed), `acknowledge` acks them once the
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


def queue_position(fingerprint_hex: str) -> int:
    """A queued event's position: from its content, so a message delivered again (after a
    crash before its acknowledgement) has the same (position, fingerprint) and the archive's
    unique key stores it once. 60 bits: a BIGINT. Order in the archive is its own id."""
    return int(fingerprint_hex[:15], 16)


class RabbitMqSource:
    """The durable queue Rasa's pika event broker feeds (its fanout exchange is bound to it).

    Messages are consumed with a bounded prefetch (RabbitMQ delivers at most `prefetch`
    unacknowledged ones) and acknowledged only in `acknowledge`, after the archive committed
    them: at least once. Messages handed out and not acknowledged (a round that failed
    before its commit) are handed out again by the next `read`. When the connection drops,
    RabbitMQ puts every unacknowledged message back in the queue; the archive stores the
    ones it had already committed only once (`queue_position`). Not thread-safe: one
    consumer thread, as `consumer.run` is."""

    name = "rasa-rabbitmq"

    def __init__(self, url: str, queue: str, prefetch: int = 200, wait_seconds: float = 0.5) -> None:
        if prefetch < 1:
            raise ValueError("prefetch must be at least 1")
        self._url, self.queue, self.prefetch, self._wait = url, queue, prefetch, wait_seconds
        self._connection: Any = None
        self._channel: Any = None
        self._pending: List[Tuple[int, BrokerRow]] = []  # (delivery tag, row), delivered, not acknowledged

    def connect(self) -> None:
        """Connect, declare the queue as Rasa declares it (durable) and start consuming."""
        if self._channel is not None and self._channel.is_open:
            return
        import pika  # noqa: PLC0415 - only the scaled deployment's consumer needs it

        self.close()
        connection = pika.BlockingConnection(pika.URLParameters(self._url))
        try:
            channel = connection.channel()
            channel.queue_declare(self.queue, durable=True)
            channel.basic_qos(prefetch_count=self.prefetch)
            channel.basic_consume(self.queue, on_message_callback=self._delivered, auto_ack=False)
        except Exception:
            connection.close()
            raise
        self._connection, self._channel = connection, channel

    def _delivered(self, _channel, method, _properties, body: bytes) -> None:
        data = body.decode("utf-8", "replace")
        sender = _sender_of(data)
        row = BrokerRow(queue_position(fingerprint(sender, data)), sender, data)
        self._pending.append((method.delivery_tag, row))

    def read(self, after: Bookmark, limit: int) -> List[BrokerRow]:
        """The pending messages first, then what arrived; waits up to `wait_seconds` when none."""
        try:
            self.connect()
            if not self._pending:
                self._connection.process_data_events(time_limit=self._wait)  # returns at the first delivery
            while len(self._pending) < limit:  # and what else has arrived, without waiting
                before = len(self._pending)
                self._connection.process_data_events(time_limit=0)
                if len(self._pending) == before:
                    break
        except Exception:
            self.close()  # RabbitMQ requeues what this connection held
            raise
        return [row for _, row in self._pending[:limit]]

    def acknowledge(self, rows: Sequence[BrokerRow]) -> None:
        if not rows:
            return
        handed = [tag for tag, row in self._pending[:len(rows)]]
        in_order = all(pending is row for (_, pending), row in zip(self._pending, rows))
        try:
            if in_order:  # the usual case: one frame acknowledges the whole round
                self._channel.basic_ack(delivery_tag=handed[-1], multiple=True)
                del self._pending[:len(rows)]
                return
            taken = {id(row) for row in rows}
            for tag in [tag for tag, row in self._pending if id(row) in taken]:
                self._channel.basic_ack(delivery_tag=tag)
            self._pending = [item for item in self._pending if id(item[1]) not in taken]
        except Exception:
            self.close()  # they come back and are stored once
            raise

    def close(self) -> None:
        """Unacknowledged messages go back to the queue."""
        connection, self._connection, self._channel = self._connection, None, None
        self._pending = []
        if connection is not None and connection.is_open:
            try:
                connection.close()
            except Exception:  # already lost: nothing to hand back
                log.debug("archive: closing the RabbitMQ connection failed", exc_info=True)


def _sender_of(data: str) -> Optional[str]:
    """Rasa puts `sender_id` in every body it publishes; None when it is not readable (the
    archive then skips the row as malformed)."""
    try:
        body = json.loads(data)
    except ValueError:
        return None
    sender = body.get("sender_id") if isinstance(body, dict) else None
    return sender if isinstance(sender, str) else None
