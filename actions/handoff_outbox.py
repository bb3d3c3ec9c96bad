"""Nothing lost: requests go to the routing backend, or wait in a local outbox.

When the backend is down, the request is written to the local SQLite store and
she is told it is recorded; every later call first tries to deliver what waits,
in order, and sends nothing new past a request or message that still waits.
A refusal (4xx) is not queued: retrying the same call would be refused again.
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from typing import Optional, Set, Tuple

from actions.handoff_store import SQLiteHandoffStore
from actions.handoff_types import HandoffRecord, HandoffRequest
from actions.routing_protocol import RoutingBackend, RoutingRefused, RoutingUnavailable

logger = logging.getLogger(__name__)


class OutboxHandoffStore:
    """`HandoffStore` for the action server. SQLite work runs in worker threads so
    the event loop keeps serving other conversations; one lock lets a single
    flush run at a time, so a waiting request is never delivered twice."""

    def __init__(self, backend: RoutingBackend, outbox: SQLiteHandoffStore) -> None:
        self._backend = backend
        self._outbox = outbox
        self._turn = asyncio.Lock()
        self._deliveries: Set["asyncio.Task[None]"] = set()  # kept, or the loop may drop them

    async def flush(self) -> int:
        """Deliver waiting requests, then waiting messages, in order; stop at the
        first that cannot go yet. Returns how many went."""
        async with self._turn:
            delivered, _ = await self._flush()
        return delivered

    async def _flush(self) -> Tuple[int, bool]:
        """How many went, and whether nothing waits any more."""
        delivered = 0
        for local_id, request in await asyncio.to_thread(self._outbox.pending):
            try:
                record = await self._backend.open_handoff(request)
            except RoutingUnavailable:
                return delivered, False
            except RoutingRefused as refusal:
                if refusal.refuses_the_caller:
                    return delivered, False
                logger.warning("a waiting request was refused (%s); kept on file, not retried", refusal.status)
                await asyncio.to_thread(self._outbox.mark_refused, local_id, refusal.status)
                continue
            await asyncio.to_thread(self._outbox.mark_delivered, local_id, record.id)
            delivered += 1
        for message_id, conversation_id, handoff_id, text in await asyncio.to_thread(self._outbox.pending_messages):
            try:
                await self._backend.forward_message(await self._target(conversation_id, handoff_id), text)
            except RoutingUnavailable:
                return delivered, False
            except RoutingRefused as refusal:
                if refusal.refuses_the_caller:
                    return delivered, False
                logger.warning("a waiting message was refused (%s); kept on file, not retried", refusal.status)
                await asyncio.to_thread(self._outbox.mark_message_refused, message_id, refusal.status)
                continue
            await asyncio.to_thread(self._outbox.mark_message_delivered, message_id)
            delivered += 1
        return delivered, True

    async def _target(self, conversation_id: str, handoff_id: str) -> str:
        """The backend's id for the handoff her message belongs to. Her slot keeps
        the local id of a request that waited here; once it is delivered the
        backend knows it by another id."""
        known = await asyncio.to_thread(self._outbox.backend_id_of, handoff_id)
        if known is not None:
            return known
        latest = await self._backend.latest_for(conversation_id)  # hers was refused: her open one, if any
        return latest.id if latest is not None else handoff_id

    async def forward_message(self, conversation_id: str, handoff_id: str, text: str) -> bool:
        """Her message for the expert; False when it had to wait in the outbox."""
        async with self._turn:
            _, drained = await self._flush()
            if drained:
                try:
                    await self._backend.forward_message(await self._target(conversation_id, handoff_id), text)
                    return True
                except RoutingUnavailable:
                    pass
            await asyncio.to_thread(self._outbox.queue_message, conversation_id, handoff_id, text)
            return False

    async def withdraw(self, conversation_id: str, handoff_id: str) -> None:
        """Only a request the backend holds can be withdrawn: with anything still waiting
        here, the backend is unreachable for this purpose too."""
        async with self._turn:
            _, drained = await self._flush()
            if not drained:
                raise RoutingUnavailable("requests or messages still wait in the outbox")
            await self._backend.withdraw(await self._target(conversation_id, handoff_id), conversation_id)

    async def open_urgent(self, request: HandoffRequest) -> HandoffRecord:
        """After danger: kept in the outbox at once, delivered by a flush in the background
        (urgent requests first), so the crisis reply never waits for the routing backend."""
        record = await asyncio.to_thread(self._outbox.open_request, request)
        self.deliver_soon()
        return replace(record, delivered=False)

    async def forward_later(self, conversation_id: str, handoff_id: str, text: str) -> None:
        """Her message, kept at once and delivered in the background (as `open_urgent`)."""
        await asyncio.to_thread(self._outbox.queue_message, conversation_id, handoff_id, text)
        self.deliver_soon()

    def deliver_soon(self) -> None:
        """A flush in the background of the running loop; its failure is logged, not raised."""
        task = asyncio.get_running_loop().create_task(self._deliver())
        self._deliveries.add(task)
        task.add_done_callback(self._deliveries.discard)

    async def keep_delivering(self, every_seconds: float) -> None:
        """The action server's background loop: what waits (an urgent request kept while
        the backend was down) goes out when the backend is back, not when another
        conversation happens to call it."""
        while True:
            await asyncio.sleep(every_seconds)
            await self._deliver()

    async def finish_deliveries(self) -> None:
        """Wait for the background deliveries started so far (at shutdown, and in tests)."""
        while self._deliveries:
            await asyncio.gather(*list(self._deliveries), return_exceptions=True)

    async def _deliver(self) -> None:
        try:
            await self.flush()
        except Exception:  # noqa: BLE001 - a background delivery must not die silently
            logger.exception("background delivery to the routing backend failed; the outbox keeps it")

    async def open_request(self, request: HandoffRequest) -> HandoffRecord:
        """The backend's record, or the outbox's (delivered=False) while it is down."""
        async with self._turn:
            _, drained = await self._flush()
            if drained:
                try:
                    return await self._backend.open_handoff(request)
                except RoutingUnavailable:
                    pass
            return replace(await asyncio.to_thread(self._outbox.open_request, request), delivered=False)

    async def latest_for(self, conversation_id: str) -> Optional[HandoffRecord]:
        """Her latest request: the waiting one if any, else the backend's view. With
        the backend down and nothing here, that is unknown, not "none": raises."""
        await self.flush()
        local = await asyncio.to_thread(self._outbox.latest_for, conversation_id)
        if local is not None and not local.delivered:
            return local
        try:
            return await self._backend.latest_for(conversation_id)
        except RoutingUnavailable:
            if local is None:
                raise
            return local
