"""State the Rasa replicas share: which deliveries were seen, who polls Telegram, WeChat's token.

With one Rasa process (the embedded default) each channel keeps this in its own SQLite
file or in memory, as before. With ASSISTANT_REDIS_URL set, several replicas behind a
proxy share it in Redis, under ASSISTANT_REDIS_KEY_PREFIX so two deployments can share
one Redis. This package owns that connection and the prefix (connection.py); the
primitives each channel builds on are first_seen.py (a delivery is handled once) and
lease.py (one holder at a time: the Telegram poller, the WeChat token refresh).
"""
from connectors.shared_state.connection import SharedRedis, shared_redis
from connectors.shared_state.first_seen import FirstSeen, RedisFirstSeen
from connectors.shared_state.lease import Lease, RedisLease, SoleLease
from connectors.shared_state.settings import SharedStateSettings

__all__ = ["FirstSeen", "Lease", "RedisFirstSeen", "RedisLease", "SharedRedis", "SharedStateSettings", "SoleLease",
           "shared_redis"]
