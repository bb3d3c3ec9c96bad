"""The channels' SQLite files, shared by the Rasa replicas (and the Telegram poller) on one host.

Several processes may open one file: SQLite locks it for them, and a writer waits for
another (the busy timeout) instead of failing at once. Write-ahead logging lets readers
go on while one process writes. It is a property of the file, set once by whichever
process creates the tables. A read followed by a write that depends on it (take what
waits, then delete it) runs under `immediate()`, so no other process writes in between.
"""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

BUSY_TIMEOUT_SECONDS = 30.0


def connect(path: Path, timeout: float = BUSY_TIMEOUT_SECONDS) -> sqlite3.Connection:
    return sqlite3.connect(str(path), timeout=timeout)


def use_write_ahead_log(connection: sqlite3.Connection) -> None:
    """Outside any transaction; kept in the file, so later connections (of any process) use it too."""
    connection.execute("PRAGMA journal_mode=WAL")


@contextmanager
def immediate(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A transaction holding the write lock from its first statement: read-then-write without a gap."""
    previous = connection.isolation_level
    connection.isolation_level = None  # the transaction is begun and ended here, not by the module
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield connection
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    else:
        connection.execute("COMMIT")
    finally:
        connection.isolation_level = previous
