"""Whether her page really showed a message: socket.io acknowledgements, awaited in the background.

An emit into her session's room reaches whatever sockets the server still counts as
connected. A page whose connection died without a close (network lost, phone asleep,
browser killed) counts as connected until the ping timeout, and a message emitted to
it is lost. So every message shown to her is first kept in the store, unconfirmed
(connectors/webchat/store.py), and emitted with an acknowledgement request on its last
part; the page acknowledges what it showed (connectors/webchat_static/chat.js):

- acknowledged within `ack_seconds`: the kept copy is deleted and an expert's reply is
  reported `accepted`;
- not acknowledged: the copy waits again, an expert's reply is reported `waiting`, and
  if a page of her session is (still or again) open the waiting messages are shown
  once more. A page that showed a message and acknowledged too late may receive it
  twice; every part carries an id and the page shows each id once.

Nothing here blocks her conversation: the wait runs as a task of the channel's event
loop. With the Redis client manager (several replicas) the acknowledgement comes back
through Redis to the replica that asked for it.
"""
from __future__ import annotations

import asyncio
import logging
import uuid
from typing import Any, Awaitable, Callable, Dict, List, Optional, Set

from socketio import AsyncServer

from connectors.delivery_reports import ACCEPTED, WAITING, NoReports, Reporter
from connectors.webchat.store import UNCONFIRMED, WebChatStore

logger = logging.getLogger(__name__)

ACK_SECONDS = 10.0
NOT_CONFIRMED = "她的网页没有确认收到（可能断网了），等她回来再发"
MESSAGE_ID = "id"  # each part's id: the page shows an id once

Redeliver = Callable[[str], Awaitable[Any]]


def with_ids(messages: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The parts of one message, each with an id of its own (kept with them, so a second showing has the same)."""
    stem = uuid.uuid4().hex[:16]
    return [{**message, MESSAGE_ID: f"{stem}-{number}"} for number, message in enumerate(messages)]


class Acknowledgements:
    def __init__(self, store: WebChatStore, reports: Optional[Reporter] = None,
                 ack_seconds: float = ACK_SECONDS) -> None:
        self.store, self.reports, self.ack_seconds = store, reports or NoReports(), ack_seconds
        self._waits: Set[asyncio.Task] = set()
        self._reported_waiting: Set[int] = set()  # rows whose wait the routing backend knows of: told once

    def keep_unconfirmed(self, session_id: str, messages: List[Dict[str, Any]], expert_id: Optional[int]) -> int:
        return self.store.keep(session_id, messages, UNCONFIRMED, expert_id)

    async def show(self, sio: AsyncServer, event: str, namespace: str, session_id: str, row_id: int,
                   messages: List[Dict[str, Any]], expert_id: Optional[int], redeliver: Redeliver) -> None:
        """Emit the parts into her room, the last asking for an acknowledgement, and wait for it in the background."""
        confirmed = asyncio.get_running_loop().create_future()

        def acknowledged(*_: Any) -> None:
            if not confirmed.done():
                confirmed.set_result(True)

        try:
            for message in messages[:-1]:
                await sio.emit(event, message, room=session_id, namespace=namespace)
            await sio.emit(event, messages[-1], room=session_id, namespace=namespace, callback=acknowledged)
        except Exception:
            if self.store.release(row_id):  # not shown: it waits for her
                self._report_waiting(row_id, expert_id)
            raise
        wait = asyncio.ensure_future(self._settle(session_id, row_id, expert_id, confirmed, redeliver))
        self._waits.add(wait)
        wait.add_done_callback(self._waits.discard)

    async def _settle(self, session_id: str, row_id: int, expert_id: Optional[int], confirmed: asyncio.Future,
                      redeliver: Redeliver) -> None:
        try:
            await asyncio.wait_for(confirmed, self.ack_seconds)
        except asyncio.TimeoutError:
            if self.store.release(row_id):
                logger.info("Web chat %s: no page acknowledged a message; it waits", session_id)
                self._report_waiting(row_id, expert_id)
                try:
                    await redeliver(session_id)
                except Exception:  # noqa: BLE001 - it waits in the store; shown when she comes back
                    logger.exception("Web chat %s: waiting messages not shown again", session_id)
            return
        self.store.confirm(row_id)
        self._reported_waiting.discard(row_id)
        self.reports.report(expert_id, ACCEPTED)

    def _report_waiting(self, row_id: int, expert_id: Optional[int]) -> None:
        """The routing backend hears once that a message waits (each report is a line in the expert's history)."""
        if expert_id is not None and row_id not in self._reported_waiting:
            self._reported_waiting.add(row_id)
            self.reports.report(expert_id, WAITING, NOT_CONFIRMED)

    async def settled(self) -> None:
        """Until every wait begun so far has ended (for tests; at a stop the copies wait in the store)."""
        while self._waits:
            await asyncio.gather(*list(self._waits), return_exceptions=True)
