"""Engine and session factory. Nothing connects at import time."""
from __future__ import annotations

from datetime import timezone

from sqlalchemy import DateTime, Engine, TypeDecorator, create_engine, event
from sqlalchemy.orm import DeclarativeBase, sessionmaker


class Base(DeclarativeBase):
    pass


# How long a SQLite writer waits for another's transaction before "database is locked". Python's
# default, 5 s, was reached under twenty women on the embedded default (the API, the delivery
# rounds and the archive share one file, and a saturated CPU stretches every transaction): the
# expert's reply failed with HTTP 500 where it only had to wait (README, "Speed under load").
SQLITE_BUSY_SECONDS = 30.0
# Connections a process may hold, above the 40 worker threads FastAPI's endpoints run on. A request
# keeps its session's connection from its first query until its commit, and between the endpoint and
# the commit it waits for a worker thread to check its answer; with fewer connections than threads,
# threads waiting for a connection could hold every thread while the connections' holders waited for
# one, until the pool's 30 s timeout (seen under load on SQLite, where a connection costs nothing).
SQLITE_POOL = {"pool_size": 20, "max_overflow": 60}


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_SECONDS},
                               **({} if ":memory:" in url or url.rstrip("/") == "sqlite:" else SQLITE_POOL))

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(connection, _record):  # foreign keys and concurrent readers
            cursor = connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def make_session_factory(engine: Engine) -> sessionmaker:
    return sessionmaker(engine, expire_on_commit=False)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every backend (SQLite returns naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value
