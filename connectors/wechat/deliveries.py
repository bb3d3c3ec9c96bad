"""Which WeChat deliveries were seen, for every replica: MsgIds (with the reply given) and signatures.

WeChat retries an unanswered message three times within fifteen seconds, and behind a
proxy a retry may reach another replica: the first claim wins (Redis SET NX with an
expiry) and a retry gets the passive reply the first delivery produced. A request
signature may come back only with the body it signed (connectors/wechat/inbound.py says
why); that check is one atomic script, so two replicas cannot both accept a replay.
The embedded implementation is connectors/wechat/store.py's SQLite file.

WeChat gives up on a message after three retries within fifteen seconds, so an error
answer while Redis is away would lose her message. `ShareOrKeep` falls back to the
replica's SQLite file then (shared by the replicas on one host): at worst a retry that
straddles the outage is answered twice, never not at all.
"""
from __future__ import annotations

import logging
import math
import time
from typing import Any, Callable, Optional, Protocol

import redis

from connectors.shared_state import SharedRedis
from connectors.shared_state.first_seen import DAY_SECONDS

logger = logging.getLogger(__name__)

CLAIM_SIGNATURE = """
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2]) then
  return 1
end
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return 1
end
return 0
"""


class Deliveries(Protocol):
    def claim(self, key: str) -> bool:
        """True the first time a delivery key is seen; False for WeChat's retries."""

    def remember_reply(self, key: str, reply: str) -> None:
        """The passive reply given to a delivery, for its retries."""

    def reply_for(self, key: str) -> Optional[str]:
        ...

    def claim_signature(self, key: str, body_digest: str, expires_at: float) -> bool:
        """True for a signature not seen before, or seen with this very body; False for a replay."""


class RedisDeliveries:
    def __init__(self, shared: SharedRedis, account: str, ttl_seconds: int = DAY_SECONDS,
                 clock: Callable[[], float] = time.time) -> None:
        self._shared, self._account, self._ttl, self._clock = shared, account, int(ttl_seconds), clock

    def _key(self, kind: str, key: str) -> str:
        return self._shared.key("wechat", self._account, kind, key)

    def claim(self, key: str) -> bool:
        return bool(self._shared.client.set(self._key("seen", key), "", nx=True, ex=self._ttl))

    def remember_reply(self, key: str, reply: str) -> None:
        self._shared.client.set(self._key("seen", key), reply, xx=True, keepttl=True)

    def reply_for(self, key: str) -> Optional[str]:
        return self._shared.client.get(self._key("seen", key)) or None

    def claim_signature(self, key: str, body_digest: str, expires_at: float) -> bool:
        seconds = max(1, math.ceil(expires_at - self._clock()))
        return bool(self._shared.client.eval(CLAIM_SIGNATURE, 1, self._key("signature", key), body_digest, seconds))


class ShareOrKeep:
    """Redis while it answers; this replica's own store (the SQLite file) while it does not."""

    def __init__(self, shared: Deliveries, local: Deliveries) -> None:
        self._shared, self._local = shared, local

    def _either(self, method: str, *arguments: Any) -> Any:
        try:
            return getattr(self._shared, method)(*arguments)
        except redis.RedisError as error:
            logger.warning("WeChat deliveries kept locally, Redis does not answer (%s: %s)", type(error).__name__,
                           error)
            return getattr(self._local, method)(*arguments)

    def claim(self, key: str) -> bool:
        return self._either("claim", key)

    def remember_reply(self, key: str, reply: str) -> None:
        self._either("remember_reply", key, reply)

    def reply_for(self, key: str) -> Optional[str]:
        return self._either("reply_for", key)

    def claim_signature(self, key: str, body_digest: str, expires_at: float) -> bool:
        return self._either("claim_signature", key, body_digest, expires_at)
