"""A delivery is handled once, whichever replica it reaches.

Telegram redelivers an update when the answer was slow or lost, WeChat retries a
message three times within fifteen seconds, and behind a proxy each retry may reach
another replica. `claim` is atomic (Redis SET NX with an expiry), so of two replicas
racing on the same key exactly one gets True. The embedded implementations are the
channels' SQLite stores (connectors/telegram/store.py, connectors/wechat/store.py).
"""
from __future__ import annotations

from typing import Protocol

from connectors.shared_state.connection import SharedRedis

DAY_SECONDS = 24 * 3600  # Telegram keeps an unconfirmed update for 24 hours; WeChat retries within seconds


class FirstSeen(Protocol):
    def claim(self, key: str) -> bool:
        """True the first time a key is seen; False for a repeated delivery."""

    def release(self, key: str) -> None:
        """Forget a claim whose processing failed, so the next delivery is handled."""


class RedisFirstSeen:
    def __init__(self, shared: SharedRedis, namespace: str, ttl_seconds: int = DAY_SECONDS) -> None:
        self._shared, self._namespace, self._ttl = shared, namespace, int(ttl_seconds)

    def _key(self, key: str) -> str:
        return self._shared.key(self._namespace, key)

    def claim(self, key: str) -> bool:
        return bool(self._shared.client.set(self._key(key), "1", nx=True, ex=self._ttl))

    def release(self, key: str) -> None:
        self._shared.client.delete(self._key(key))
