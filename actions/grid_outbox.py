"""No report lost: a grid worker's report goes to the routing backend, or waits on disk.

The same promise as the handoff outbox (actions/handoff_outbox.py): when the backend
is down the report is kept in a local SQLite file, she is told so honestly, and it is
sent again before any new report and every few seconds in the background. A refusal
(4xx) is kept on file but not retried: the same body would be refused again. Once a
kept report is delivered, its number waits here until she writes again and is told it.
"""
from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
import threading
from contextlib import contextmanager
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Iterator, List, Optional, Tuple

from actions.factories import routing_client
from actions.grid_types import GridReceipt, GridReport
from actions.routing_protocol import GridReporting, RoutingRefused, RoutingUnavailable
from bot.settings import Settings

logger = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS grid_reports_waiting (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id TEXT NOT NULL,
    body TEXT NOT NULL,
    kept_at TEXT NOT NULL,
    number TEXT,
    refused_status INTEGER,
    announced INTEGER NOT NULL DEFAULT 0
);
"""


class SQLiteGridOutbox:
    """The waiting reports, one file. Synchronous; the sender calls it from worker threads."""

    def __init__(self, path: Path) -> None:
        self._path = Path(path)
        self._lock = threading.Lock()
        self._path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, self._connection() as connection:
            connection.executescript(_SCHEMA)

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        connection = sqlite3.connect(self._path, timeout=10)
        try:
            with connection:
                yield connection
        finally:
            connection.close()

    def keep(self, report: GridReport) -> int:
        with self._lock, self._connection() as connection:
            cursor = connection.execute(
                "INSERT INTO grid_reports_waiting (conversation_id, body, kept_at) VALUES (?, ?, ?)",
                (report.reporter_conversation_id, json.dumps(report.body(), ensure_ascii=False),
                 datetime.now(timezone.utc).isoformat()))
            return int(cursor.lastrowid)

    def pending(self) -> List[Tuple[int, GridReport]]:
        with self._connection() as connection:
            rows = connection.execute("SELECT id, body FROM grid_reports_waiting "
                                      "WHERE number IS NULL AND refused_status IS NULL ORDER BY id").fetchall()
        return [(row[0], GridReport(**json.loads(row[1]))) for row in rows]

    def mark_delivered(self, local_id: int, number: str) -> None:
        with self._lock, self._connection() as connection:
            connection.execute("UPDATE grid_reports_waiting SET number = ? WHERE id = ?", (number, local_id))

    def mark_refused(self, local_id: int, status: int) -> None:
        with self._lock, self._connection() as connection:
            connection.execute("UPDATE grid_reports_waiting SET refused_status = ? WHERE id = ?", (status, local_id))

    def take_numbers_to_tell(self, conversation_id: str) -> List[str]:
        """The numbers of her kept reports delivered since she was last told; told once."""
        with self._lock, self._connection() as connection:
            rows = connection.execute(
                "SELECT id, number FROM grid_reports_waiting WHERE conversation_id = ? AND number IS NOT NULL "
                "AND announced = 0 ORDER BY id", (conversation_id,)).fetchall()
            connection.executemany("UPDATE grid_reports_waiting SET announced = 1 WHERE id = ?",
                                   [(row[0],) for row in rows])
        return [row[1] for row in rows]

    def waiting_for(self, conversation_id: str) -> int:
        with self._connection() as connection:
            (count,) = connection.execute(
                "SELECT COUNT(*) FROM grid_reports_waiting WHERE conversation_id = ? AND number IS NULL "
                "AND refused_status IS NULL", (conversation_id,)).fetchone()
        return int(count)


class GridReportSender:
    """Reports to the backend through the outbox. One lock: a kept report is sent once."""

    def __init__(self, backend: GridReporting, outbox: SQLiteGridOutbox) -> None:
        self._backend = backend
        self._outbox = outbox
        self._turn = asyncio.Lock()

    @property
    def backend(self) -> GridReporting:
        return self._backend

    async def submit(self, report: GridReport) -> Optional[GridReceipt]:
        """The backend's receipt, or None when the report was kept to be sent later.
        A refusal of this report (not of our token) is raised as `RoutingRefused`."""
        async with self._turn:
            drained = await self._flush()
            if drained:
                try:
                    return await self._backend.submit_grid_report(report)
                except RoutingUnavailable:
                    pass
                except RoutingRefused as refusal:
                    if not refusal.refuses_the_caller:
                        raise
            await asyncio.to_thread(self._outbox.keep, report)
            return None

    async def flush(self) -> int:
        """Send what waits; how many are still waiting afterwards is not counted."""
        async with self._turn:
            await self._flush()
        return len(await asyncio.to_thread(self._outbox.pending))

    async def _flush(self) -> bool:
        """Whether nothing waits any more."""
        for local_id, report in await asyncio.to_thread(self._outbox.pending):
            try:
                receipt = await self._backend.submit_grid_report(report)
            except RoutingUnavailable:
                return False
            except RoutingRefused as refusal:
                if refusal.refuses_the_caller:
                    return False
                logger.warning("a kept grid report was refused (%s); kept on file, not retried", refusal.status)
                await asyncio.to_thread(self._outbox.mark_refused, local_id, refusal.status)
                continue
            await asyncio.to_thread(self._outbox.mark_delivered, local_id, receipt.number)
        return True

    async def numbers_to_tell(self, conversation_id: str) -> List[str]:
        """Her kept reports that went out since she last wrote (tried once more now)."""
        try:
            await self.flush()
        except Exception:  # noqa: BLE001 - telling her the numbers must not break her turn
            logger.exception("kept grid reports could not be sent")
        return await asyncio.to_thread(self._outbox.take_numbers_to_tell, conversation_id)

    async def waiting_for(self, conversation_id: str) -> int:
        return await asyncio.to_thread(self._outbox.waiting_for, conversation_id)

    async def keep_delivering(self, every_seconds: float) -> None:
        """The action server's background loop for kept reports."""
        while True:
            await asyncio.sleep(every_seconds)
            try:
                await self.flush()
            except Exception:  # noqa: BLE001 - the loop must not die
                logger.exception("background delivery of kept grid reports failed; they stay on file")


@lru_cache(maxsize=1)
def default_grid_sender() -> GridReportSender:
    """Built from settings on first use (never at import). The kept reports live beside
    the handoff outbox file, so no new setting is needed."""
    settings = Settings.from_env()
    return GridReportSender(routing_client(settings),
                            SQLiteGridOutbox(settings.handoff_store_path.with_name("grid_reports.db")))
