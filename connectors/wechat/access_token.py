"""Where the WeChat access token is kept between calls: this process, or Redis for all replicas.

WeChat gives one valid token per AppID: fetching a new one invalidates the old one
(after a short grace period). With one Rasa process the token lives in memory
(`ProcessToken`, the embedded default). With several replicas each fetching its own,
every fetch would break the others' sends; `SharedToken` keeps the token in Redis with
its expiry, and a short lease lets one replica fetch while the others wait a moment and
read the new one.

`renew(stale)` is what a send that WeChat refused as invalid (40001, 40014, 42001) asks
for: a token other than the one it used. When another thread or replica has already
fetched one, that one is returned and the token endpoint is not called again.
"""
from __future__ import annotations

import threading
import time
import uuid
from typing import Callable, Optional, Protocol, Tuple

from connectors.shared_state import RedisLease, SharedRedis

Fetch = Callable[[], Tuple[str, float]]  # a new token and how many seconds to keep using it
REFRESH_LEASE_SECONDS = 15.0  # longer than a token request may take (5 s timeout)
WAIT_SECONDS = 20.0  # how long a replica waits for another's refresh before it gives up
POLL_SECONDS = 0.05


class TokenUnavailable(Exception):
    """Another replica is refreshing the token and did not finish in time."""


class AccessTokens(Protocol):
    def current(self, fetch: Fetch) -> str:
        """The token in use, fetched when there is none or it has expired."""

    def renew(self, stale: Optional[str], fetch: Fetch) -> str:
        """A token other than `stale`: someone else's fresh one, or a new one fetched once."""

    def peek(self) -> Optional[str]:
        """The token in use now, if any (nothing is fetched)."""


class ProcessToken:
    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._token: Optional[str] = None
        self._expires = 0.0
        self._lock = threading.Lock()

    def _valid(self) -> Optional[str]:
        return self._token if self._token is not None and self._clock() < self._expires else None

    def current(self, fetch: Fetch) -> str:
        with self._lock:
            return self._valid() or self._fetch(fetch)

    def renew(self, stale: Optional[str], fetch: Fetch) -> str:
        with self._lock:
            valid = self._valid()
            return valid if valid is not None and valid != stale else self._fetch(fetch)

    def peek(self) -> Optional[str]:
        with self._lock:
            return self._valid()

    def _fetch(self, fetch: Fetch) -> str:
        token, seconds = fetch()
        self._token, self._expires = token, self._clock() + seconds
        return token


class SharedToken:
    def __init__(self, shared: SharedRedis, app_id: str, wait_seconds: float = WAIT_SECONDS,
                 lease_seconds: float = REFRESH_LEASE_SECONDS) -> None:
        self._shared = shared
        self._key = shared.key("wechat", app_id, "access_token")
        self._lease_name = f"wechat:{app_id}:token_refresh"
        self._wait, self._lease_seconds = wait_seconds, lease_seconds

    def peek(self) -> Optional[str]:
        return self._shared.client.get(self._key)

    def current(self, fetch: Fetch) -> str:
        return self.peek() or self.renew(None, fetch)

    def renew(self, stale: Optional[str], fetch: Fetch) -> str:
        deadline = time.monotonic() + self._wait
        while True:
            token = self.peek()
            if token and token != stale:
                return token
            lease = RedisLease(self._shared, self._lease_name, self._lease_seconds, owner=uuid.uuid4().hex)
            if lease.hold():
                try:
                    token = self.peek()  # fetched by another just before this one took the lease
                    if token and token != stale:
                        return token
                    token, seconds = fetch()
                    self._shared.client.set(self._key, token, px=max(1, int(seconds * 1000)))
                    return token
                finally:
                    lease.release()
            if time.monotonic() >= deadline:
                raise TokenUnavailable(f"another replica has been refreshing the WeChat access token for "
                                       f"{self._wait:.0f} s")
            time.sleep(POLL_SECONDS)
