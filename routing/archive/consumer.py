"""Rounds that move events from an event source into the archive (`archived_events`).

A round with rows to take is one transaction of the routing database: it claims the
source's cursor (a row lock on PostgreSQL, the write lock on SQLite, so two consumers take
turns and never interleave), reads at most `limit` rows after it, stores those not stored
yet in the broker's order, and moves the cursor to the last row read; an idle round is
rolled back. A crash before the commit leaves the cursor where it was, and the next round reads
the same rows again: the unique key (source, broker id, fingerprint) and the check before
inserting store each row once. A row that cannot be read is logged and passed over, never
retried: it cannot block the rest.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Callable, Optional

from sqlalchemy import select, update
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from routing.archive.events import MalformedEvent, archived_event
from routing.archive.sources import Bookmark, EventSource
from routing.models import ArchiveCursor, ArchivedEvent, utcnow

log = logging.getLogger(__name__)
ROUND_LIMIT = 500
PAUSE_SECONDS = 2.0


@dataclass(frozen=True)
class RoundResult:
    limit: int
    read: int = 0
    archived: int = 0
    already_archived: int = 0
    malformed: int = 0

    @property
    def full(self) -> bool:
        """The round stopped at its limit: there is probably more to take at once."""
        return self.read >= self.limit


def _claim_cursor(db: Session, source: str) -> ArchiveCursor:
    """The source's cursor, locked for this transaction; created on the first round
    (when another consumer creates it at the same moment, theirs is claimed)."""
    while not db.execute(update(ArchiveCursor).where(ArchiveCursor.source == source)
                         .values(updated_at=utcnow())).rowcount:
        try:
            with db.begin_nested():
                db.add(ArchiveCursor(source=source, position=0, fingerprint="", updated_at=utcnow()))
            break
        except IntegrityError:
            continue
    return db.get(ArchiveCursor, source, populate_existing=True)


def _skip(source: str, position: int, reason: object) -> None:
    log.warning("archive: skipped row %s of %s: %s", position, source, reason)


def consume_round(source: EventSource, session_factory: Callable[[], Session],
                  limit: int = ROUND_LIMIT) -> RoundResult:
    with session_factory() as db:  # closing it without a commit rolls the round back
        cursor = _claim_cursor(db, source.name)
        rows = source.read(Bookmark(cursor.position, cursor.fingerprint), limit)
        if not rows:
            db.rollback()  # an idle round leaves nothing behind
            return RoundResult(limit)
        stored = set(db.execute(select(ArchivedEvent.broker_id, ArchivedEvent.fingerprint).where(
            ArchivedEvent.source == source.name,
            ArchivedEvent.broker_id.in_([row.position for row in rows]))).tuples())
        archived = already = malformed = 0
        for row in rows:
            if (row.position, row.fingerprint) in stored:
                already += 1
                continue
            try:
                event = archived_event(source.name, row)
            except MalformedEvent as error:
                malformed += 1
                _skip(source.name, row.position, error)
                continue
            if event is None:
                continue
            try:
                with db.begin_nested():  # a value the database refuses loses this row, not the round
                    db.add(event)
            except (DataError, IntegrityError) as error:
                malformed += 1
                _skip(source.name, row.position, type(error).__name__)
                continue
            stored.add((row.position, row.fingerprint))
            archived += 1
        cursor.position, cursor.fingerprint = rows[-1].position, rows[-1].fingerprint
        db.commit()
    source.acknowledge(rows)
    return RoundResult(limit, len(rows), archived, already, malformed)


def run(source: EventSource, session_factory: Callable[[], Session], stop: Optional[threading.Event] = None,
        pause: float = PAUSE_SECONDS, limit: int = ROUND_LIMIT) -> None:
    """Rounds until `stop` is set: back to back while they come back full (catching up
    after a restart), otherwise one every `pause` seconds. A failed round is logged and
    retried; the cursor has not moved."""
    stop = stop or threading.Event()
    while not stop.is_set():
        try:
            full = consume_round(source, session_factory, limit).full
        except Exception:  # the broker or the database is away: the next round retries
            log.exception("archive: round failed")
            full = False
        if not full:
            stop.wait(pause)
