"""The Rasa side's one Redis: its URL, the key prefix, one connection pool per process.

Every key the replicas share is `<prefix>:<what>:…`, made by `key()`, so a deployment's
keys can be found and removed together (`forget_everything`, for a fresh start and for
tests). Clients are made on first use, never at import or while a channel is built.
Timeouts are short: a Redis that does not answer fails the request (Telegram and WeChat
deliver it again) rather than holding up the server's event loop.
"""
from __future__ import annotations

import threading
from typing import Dict, Mapping, Optional, Tuple

import redis
import redis.asyncio

from connectors.shared_state.settings import SharedStateSettings

SOCKET_TIMEOUT_SECONDS = 2.0
SCAN_BATCH = 500


class SharedRedis:
    def __init__(self, url: str, prefix: str) -> None:
        self.url, self.prefix = url, prefix
        self._client: Optional[redis.Redis] = None
        self._lock = threading.Lock()

    def key(self, *parts: str) -> str:
        return ":".join((self.prefix, *(str(part) for part in parts)))

    @property
    def client(self) -> redis.Redis:
        """The blocking client (thread-safe, pooled), made on first use."""
        with self._lock:
            if self._client is None:
                self._client = redis.Redis.from_url(self.url, decode_responses=True,
                                                    socket_timeout=SOCKET_TIMEOUT_SECONDS,
                                                    socket_connect_timeout=SOCKET_TIMEOUT_SECONDS,
                                                    health_check_interval=30)
            return self._client

    def async_client(self) -> redis.asyncio.Redis:
        """A new asyncio client; its connections belong to the event loop that first uses it."""
        return redis.asyncio.Redis.from_url(self.url, decode_responses=True,
                                            socket_timeout=SOCKET_TIMEOUT_SECONDS,
                                            socket_connect_timeout=SOCKET_TIMEOUT_SECONDS)

    def forget_everything(self) -> int:
        """Delete every key under this prefix; the number deleted."""
        deleted = 0
        batch = []
        for key in self.client.scan_iter(match=f"{self.prefix}:*", count=SCAN_BATCH):
            batch.append(key)
            if len(batch) >= SCAN_BATCH:
                deleted += self.client.delete(*batch)
                batch = []
        if batch:
            deleted += self.client.delete(*batch)
        return deleted

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None


_SHARED: Dict[Tuple[str, str], SharedRedis] = {}
_SHARED_LOCK = threading.Lock()


def shared_redis(environ: Optional[Mapping[str, str]] = None) -> Optional[SharedRedis]:
    """The process's SharedRedis when ASSISTANT_REDIS_URL is set, else None (the embedded default).

    One per URL and prefix, so every channel of the process shares its connection pool.
    """
    settings = SharedStateSettings.from_env(environ)
    if not settings.shared:
        return None
    with _SHARED_LOCK:
        found = _SHARED.get((settings.redis_url, settings.key_prefix))
        if found is None:
            found = _SHARED[(settings.redis_url, settings.key_prefix)] = SharedRedis(settings.redis_url,
                                                                                    settings.key_prefix)
        return found
