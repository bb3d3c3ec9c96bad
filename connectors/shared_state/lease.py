"""One holder at a time, until it gives the lease back or stops renewing it.

The Telegram poller (only one may call getUpdates) and the WeChat token refresh (a
new token invalidates the old one) each take a lease. `hold()` takes the lease when it
is free and renews it when this owner holds it already, in one atomic step; a holder
that dies without `release()` loses it when it lapses, and another takes over.
`SoleLease` is the embedded default: one process, always the holder.
"""
from __future__ import annotations

import uuid
from typing import Optional, Protocol

from connectors.shared_state.connection import SharedRedis

HOLD = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return 1
end
return 0
"""
RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


class Lease(Protocol):
    def hold(self) -> bool:
        """True when this owner holds the lease now (taken or renewed)."""

    def release(self) -> None:
        """Give the lease back at once (if this owner holds it)."""


class SoleLease:
    def hold(self) -> bool:
        return True

    def release(self) -> None:
        return None


class RedisLease:
    def __init__(self, shared: SharedRedis, name: str, ttl_seconds: float, owner: Optional[str] = None) -> None:
        self._shared = shared
        self.key = shared.key("lease", name)
        self.owner = owner or uuid.uuid4().hex
        self._ttl_ms = max(1, int(ttl_seconds * 1000))

    def hold(self) -> bool:
        return bool(self._shared.client.eval(HOLD, 1, self.key, self.owner, self._ttl_ms))

    def release(self) -> None:
        self._shared.client.eval(RELEASE, 1, self.key, self.owner)

    def holder(self) -> Optional[str]:
        return self._shared.client.get(self.key)
