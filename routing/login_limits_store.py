"""Where failed logins are counted: the routing database (one backend) or Redis (several).

The rules live in routing/login_limits.py; a store only records a failure and counts,
in one step, the failures of the window for the account from this address and for the
account from anywhere. `DatabaseFailureStore` (the embedded default) keeps one row per
attempt in `login_attempts` and commits it before the count, so parallel attempts see
each other. `RedisFailureStore` is for several routing backends behind a proxy, which
would otherwise each allow their own five guesses: per pair and per account a sorted
set of attempts scored by time, recorded, trimmed to the window and counted by one Lua
script (atomic, the same sliding window as the database's `created_at > now - window`).
Keys carry hashes, not usernames, and start with ROUTING_REDIS_KEY_PREFIX.
"""
from __future__ import annotations

import functools
import hashlib
import uuid
from datetime import datetime, timedelta
from typing import NamedTuple, Optional, Protocol

import redis
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from routing.models import LoginAttempt
from routing.settings import Settings

FIELD_LENGTH = 64  # login_attempts.username and .ip
KEPT_PER_SET = 10_000  # a flood of guesses cannot grow a set without bound; far above any limit
SOCKET_TIMEOUT_SECONDS = 2.0

COUNT_FAILURE = """
local since = tonumber(ARGV[1]) - tonumber(ARGV[2])
for index = 1, 2 do
  redis.call('ZREMRANGEBYSCORE', KEYS[index], '-inf', since)
  redis.call('ZADD', KEYS[index], ARGV[1], ARGV[2 + index])
  redis.call('ZREMRANGEBYRANK', KEYS[index], 0, -tonumber(ARGV[5]) - 1)
  redis.call('PEXPIRE', KEYS[index], ARGV[2])
end
return {redis.call('ZCARD', KEYS[1]), redis.call('ZCARD', KEYS[2])}
"""
FORGET_PAIR = """
redis.call('DEL', KEYS[1])
local tag = ARGV[1]
for _, member in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
  if string.sub(member, 1, string.len(tag)) == tag then
    redis.call('ZREM', KEYS[2], member)
  end
end
return 1
"""


class FailureCounts(NamedTuple):
    pair: int  # this account from this address, this attempt included
    account: int  # this account from any address


class LoginFailureStore(Protocol):
    def count_failure(self, username: str, address: str, now: datetime) -> FailureCounts:
        """Record a failed attempt (before its password is checked) and count the window's failures."""

    def succeeded(self, username: str, address: str, now: datetime) -> None:
        """The password was right: forget this account's failures from this address."""


def recent_failures(db: Session, username: str, address: Optional[str], now: datetime, window_minutes: int) -> int:
    """Failures for the account within the window: from `address`, or from anywhere when it is None."""
    query = select(func.count()).select_from(LoginAttempt).where(
        LoginAttempt.username == username[:FIELD_LENGTH], LoginAttempt.succeeded.is_(False),
        LoginAttempt.created_at > now - timedelta(minutes=window_minutes))
    if address is not None:
        query = query.where(LoginAttempt.ip == address[:FIELD_LENGTH])
    return db.scalar(query) or 0


class DatabaseFailureStore:
    def __init__(self, db: Session, window_minutes: int) -> None:
        self._db, self._window = db, window_minutes

    def _record(self, username: str, address: str, succeeded: bool, now: datetime) -> None:
        db = self._db
        db.add(LoginAttempt(username=username[:FIELD_LENGTH], ip=address[:FIELD_LENGTH], succeeded=succeeded,
                            created_at=now))
        db.execute(delete(LoginAttempt).where(LoginAttempt.created_at < now - timedelta(days=1)))  # stay small

    def count_failure(self, username: str, address: str, now: datetime) -> FailureCounts:
        self._record(username, address, False, now)
        self._db.commit()  # visible to parallel attempts before any password is checked
        return FailureCounts(recent_failures(self._db, username, address, now, self._window),
                             recent_failures(self._db, username, None, now, self._window))

    def succeeded(self, username: str, address: str, now: datetime) -> None:
        """Committed with the request (the session or token it starts)."""
        self._record(username, address, True, now)
        self._db.execute(delete(LoginAttempt).where(
            LoginAttempt.username == username[:FIELD_LENGTH], LoginAttempt.ip == address[:FIELD_LENGTH],
            LoginAttempt.succeeded.is_(False)))


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:32]


class RedisFailureStore:
    def __init__(self, client: redis.Redis, prefix: str, window_minutes: int) -> None:
        self._client, self._prefix = client, prefix
        self._window_ms = window_minutes * 60_000

    def _keys(self, username: str, address: str) -> tuple:
        username, address = username[:FIELD_LENGTH], address[:FIELD_LENGTH]
        account = f"{self._prefix}:login:{{{_digest(username)}}}"  # one hash slot per account (Redis Cluster)
        return f"{account}:pair:{_digest(username, address)}", f"{account}:account", _digest(address)[:16] + ":"

    def count_failure(self, username: str, address: str, now: datetime) -> FailureCounts:
        pair, account, tag = self._keys(username, address)
        attempt = uuid.uuid4().hex
        counts = self._client.eval(COUNT_FAILURE, 2, pair, account, int(now.timestamp() * 1000), self._window_ms,
                                   attempt, tag + attempt, KEPT_PER_SET)
        return FailureCounts(int(counts[0]), int(counts[1]))

    def succeeded(self, username: str, address: str, now: datetime) -> None:
        pair, account, tag = self._keys(username, address)
        self._client.eval(FORGET_PAIR, 2, pair, account, tag)


@functools.lru_cache(maxsize=4)
def redis_client(url: str) -> redis.Redis:
    """One pooled client per URL for the process (the limiter runs in request threads)."""
    return redis.Redis.from_url(url, decode_responses=True, socket_timeout=SOCKET_TIMEOUT_SECONDS,
                                socket_connect_timeout=SOCKET_TIMEOUT_SECONDS)


def failure_store(db: Session, settings: Settings) -> LoginFailureStore:
    """Redis when ROUTING_REDIS_URL is set, else the routing database."""
    if settings.redis_url:
        return RedisFailureStore(redis_client(settings.redis_url), settings.redis_key_prefix,
                                 settings.login_window_minutes)
    return DatabaseFailureStore(db, settings.login_window_minutes)
