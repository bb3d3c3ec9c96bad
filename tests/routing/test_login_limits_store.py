"""Where failed logins are counted: the same behaviour from the routing database (SQLite and
PostgreSQL, the embedded default) and from Redis (several routing backends), and atomic counts."""
from __future__ import annotations

import os
import threading
import uuid
from datetime import datetime, timedelta, timezone

import pytest
import redis

from routing.login_limits_store import DatabaseFailureStore, RedisFailureStore

REDIS_URL = os.environ.get("ROUTING_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
WINDOW_MINUTES = 15
NOW = datetime(2026, 3, 8, 9, 0, tzinfo=timezone.utc)


def redis_or_fail() -> redis.Redis:
    client = redis.Redis.from_url(REDIS_URL, decode_responses=True)
    try:
        client.ping()
    except redis.ConnectionError as error:
        pytest.fail(f"no Redis answers at {REDIS_URL} ({error}): start one or set ROUTING_TEST_REDIS_URL",
                    pytrace=False)
    return client


@pytest.fixture
def redis_prefix():
    """A key prefix of this test's own; its keys are deleted afterwards."""
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    yield prefix
    client = redis_or_fail()
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture(params=["database", "redis"])
def backends(request, sessions):
    """Makes failure stores as separate routing backends have them (a session, or a Redis client, each).
    The database is SQLite and PostgreSQL in turn (tests/routing/conftest.py)."""
    if request.param == "database":
        factory = sessions
        opened = []

        def backend():
            opened.append(factory())
            return DatabaseFailureStore(opened[-1], WINDOW_MINUTES)

        yield backend
        for session in opened:
            session.close()
        return
    prefix = request.getfixturevalue("redis_prefix")
    redis_or_fail().close()
    clients = []

    def backend():
        clients.append(redis.Redis.from_url(REDIS_URL, decode_responses=True))
        return RedisFailureStore(clients[-1], prefix, WINDOW_MINUTES)

    yield backend
    for client in clients:
        client.close()


def test_each_failure_counts_for_the_pair_and_for_the_account(backends):
    store = backends()
    assert store.count_failure("lawyer1", "10.0.0.1", NOW) == (1, 1)
    assert store.count_failure("lawyer1", "10.0.0.1", NOW) == (2, 2)
    assert store.count_failure("lawyer1", "10.0.0.2", NOW) == (1, 3)
    assert store.count_failure("lawyer2", "10.0.0.1", NOW) == (1, 1)


def test_only_failures_within_the_window_count(backends):
    store = backends()
    store.count_failure("lawyer1", "10.0.0.1", NOW - timedelta(minutes=WINDOW_MINUTES, seconds=1))
    store.count_failure("lawyer1", "10.0.0.1", NOW - timedelta(minutes=WINDOW_MINUTES - 1))
    assert store.count_failure("lawyer1", "10.0.0.1", NOW) == (2, 2)  # sliding: the oldest has gone


def test_a_good_login_forgets_its_own_address_only(backends):
    store = backends()
    for address in ("10.0.0.1", "10.0.0.1", "10.0.0.2"):
        store.count_failure("lawyer1", address, NOW)
    store.succeeded("lawyer1", "10.0.0.1", NOW)
    assert store.count_failure("lawyer1", "10.0.0.1", NOW) == (1, 2)  # 10.0.0.2's failure still counts


def test_another_backend_sees_the_same_counts(backends):
    one, two = backends(), backends()
    one.count_failure("lawyer1", "10.0.0.1", NOW)
    assert two.count_failure("lawyer1", "10.0.0.1", NOW) == (2, 2)
    two.succeeded("lawyer1", "10.0.0.1", NOW)
    if isinstance(two, DatabaseFailureStore):
        two._db.commit()  # the database store commits a good login with the request
    assert one.count_failure("lawyer1", "10.0.0.1", NOW) == (1, 1)


def test_of_parallel_attempts_no_more_than_the_limit_see_a_count_within_it(backends):
    stores = [backends() for _ in range(12)]
    start, seen = threading.Barrier(len(stores)), []

    def attempt(store):
        start.wait(timeout=30)
        seen.append(store.count_failure("lawyer1", "10.0.0.1", NOW).pair)

    threads = [threading.Thread(target=attempt, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(seen) == 12 and max(seen) == 12
    assert len([count for count in seen if count <= 5]) <= 5


def test_in_redis_parallel_counts_are_exact(redis_prefix):
    client = redis_or_fail()
    stores = [RedisFailureStore(redis.Redis.from_url(REDIS_URL, decode_responses=True), redis_prefix, 15)
              for _ in range(20)]
    start, seen = threading.Barrier(len(stores)), []

    def attempt(store):
        start.wait(timeout=30)
        seen.append(store.count_failure("lawyer1", "10.0.0.1", NOW))

    threads = [threading.Thread(target=attempt, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(counts.pair for counts in seen) == list(range(1, 21))
    assert sorted(counts.account for counts in seen) == list(range(1, 21))
    client.close()


def test_in_redis_keys_hold_no_username_and_lapse_with_the_window(redis_prefix):
    client = redis_or_fail()
    RedisFailureStore(client, redis_prefix, 15).count_failure("lawyer1", "10.0.0.1", NOW)
    keys = list(client.scan_iter(match=f"{redis_prefix}:*"))
    assert len(keys) == 2 and not any("lawyer1" in key or "10.0.0.1" in key for key in keys)
    assert all(0 < client.pttl(key) <= 15 * 60_000 for key in keys)
    client.close()
