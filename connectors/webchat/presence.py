"""Whether a page of her session is open: on this process, or on any replica.

A message for her is shown at once when a page of her session is open and waits
(connectors/webchat/store.py) otherwise. With one Rasa process the answer is this
server's own rooms (`LocalPresence`, the embedded default). With several replicas her
page is connected to one of them while an expert's reply may reach another, so each
replica records its sockets in Redis (`SharedPresence`): per session a sorted set of
`<replica>:<sid>` scored by when the entry lapses. Entries are renewed while the socket
lives and removed when it closes; a replica killed outright stops renewing and its
entries lapse within `ttl_seconds` (by then her page has reconnected elsewhere).
"""
from __future__ import annotations

import asyncio
import logging
import time
import uuid
from typing import Callable, Dict, Optional, Protocol, Tuple

from socketio import AsyncServer

from connectors.shared_state import SharedRedis

logger = logging.getLogger(__name__)

TTL_SECONDS = 30.0


class Presence(Protocol):
    async def joined(self, session_id: str, sid: str) -> None:
        ...

    async def left(self, sid: str) -> None:
        ...

    async def present(self, session_id: str) -> bool:
        ...


def here(sio: AsyncServer, namespace: str, session_id: str) -> bool:
    """Whether a page of her session is connected to this process."""
    try:
        return any(True for _ in sio.manager.get_participants(namespace, session_id))
    except KeyError:
        return False


class LocalPresence:
    def __init__(self, sio: AsyncServer, namespace: Optional[str] = None) -> None:
        self._sio, self._namespace = sio, namespace or "/"

    async def joined(self, session_id: str, sid: str) -> None:
        return None

    async def left(self, sid: str) -> None:
        return None

    async def present(self, session_id: str) -> bool:
        return here(self._sio, self._namespace, session_id)


class SharedPresence:
    def __init__(self, shared: SharedRedis, sio: AsyncServer, namespace: Optional[str] = None,
                 ttl_seconds: float = TTL_SECONDS, clock: Callable[[], float] = time.time) -> None:
        self._shared, self._sio, self._namespace = shared, sio, namespace or "/"
        self._ttl, self._clock = ttl_seconds, clock
        self.replica = uuid.uuid4().hex[:12]
        self._sockets: Dict[str, str] = {}  # sid → session id, for this process's sockets
        self._redis: Optional[Tuple[asyncio.AbstractEventLoop, object]] = None
        self._keeper: Optional[asyncio.Task] = None

    def _key(self, session_id: str) -> str:
        return self._shared.key("webchat", "present", self._namespace, session_id)

    def _client(self):
        """One asyncio client per event loop (its connections belong to the loop)."""
        loop = asyncio.get_running_loop()
        if self._redis is None or self._redis[0] is not loop:
            self._redis = (loop, self._shared.async_client())
        return self._redis[1]

    async def joined(self, session_id: str, sid: str) -> None:
        """Her page connected here; with Redis away she still chats, the other replicas hold her messages."""
        self._sockets[sid] = session_id
        if self._keeper is None or self._keeper.done():
            self._keeper = asyncio.ensure_future(self._keep_alive())
        try:
            await self._mark({sid: session_id})
        except Exception as error:  # noqa: BLE001 - renewed by the keeper once Redis is back
            logger.warning("Web chat presence not recorded: %s: %s", type(error).__name__, error)

    async def left(self, sid: str) -> None:
        session_id = self._sockets.pop(sid, None)
        if session_id is None:
            return
        try:
            await self._client().zrem(self._key(session_id), f"{self.replica}:{sid}")
        except Exception as error:  # noqa: BLE001 - the entry lapses by itself
            logger.warning("Web chat presence not removed: %s: %s", type(error).__name__, error)

    async def present(self, session_id: str) -> bool:
        if here(self._sio, self._namespace, session_id):
            return True
        try:
            return await self._client().zcount(self._key(session_id), f"({self._clock()}", "+inf") > 0
        except Exception as error:  # noqa: BLE001 - Redis away: the message waits, shown when she writes
            logger.warning("Web chat presence unknown (%s: %s); the message waits", type(error).__name__, error)
            return False

    async def _mark(self, sockets: Dict[str, str]) -> None:
        lapses = self._clock() + self._ttl
        async with self._client().pipeline(transaction=False) as pipe:
            for sid, session_id in sockets.items():
                key = self._key(session_id)
                pipe.zadd(key, {f"{self.replica}:{sid}": lapses})
                pipe.zremrangebyscore(key, "-inf", self._clock())
                pipe.pexpire(key, int(self._ttl * 2000))
            await pipe.execute()
        gone = {sid: session_id for sid, session_id in sockets.items() if sid not in self._sockets}
        if gone:  # her page closed while this renewal was on its way: its entry must not outlive it
            async with self._client().pipeline(transaction=False) as pipe:
                for sid, session_id in gone.items():
                    pipe.zrem(self._key(session_id), f"{self.replica}:{sid}")
                await pipe.execute()

    async def _keep_alive(self) -> None:
        """Renew this process's entries while it has sockets; stops when it has none."""
        while self._sockets:
            await asyncio.sleep(self._ttl / 3)
            try:
                await self._mark(dict(self._sockets))
            except Exception as error:  # noqa: BLE001 - Redis away: entries lapse, messages wait instead
                logger.warning("Web chat presence not renewed: %s: %s", type(error).__name__, error)
