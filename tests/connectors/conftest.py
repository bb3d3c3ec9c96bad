"""The Redis the replicas share, for the connectors' tests: the machine's own (127.0.0.1:6379,
or ASSISTANT_TEST_REDIS_URL), under a random key prefix removed after each test."""
from __future__ import annotations

import os
import uuid

import pytest
import redis

from connectors.shared_state import SharedRedis

REDIS_URL = os.environ.get("ASSISTANT_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def new_shared_redis(prefix: str) -> SharedRedis:
    """A SharedRedis with its own connection pool, as another replica would have."""
    return SharedRedis(REDIS_URL, prefix)


@pytest.fixture
def shared():
    """A SharedRedis on a prefix of its own; its keys are deleted afterwards."""
    state = new_shared_redis(f"test-{uuid.uuid4().hex[:12]}")
    try:
        state.client.ping()
    except redis.ConnectionError as error:
        pytest.fail(f"no Redis answers at {REDIS_URL} ({error}): start one or set ASSISTANT_TEST_REDIS_URL",
                    pytrace=False)
    yield state
    state.forget_everything()
    state.close()
