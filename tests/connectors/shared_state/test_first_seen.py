"""A delivery is handled once: the same behaviour from the SQLite store (embedded default) and
from Redis, and exactly one winner when two replicas race on the same deliveries."""
from __future__ import annotations

import multiprocessing
import threading
import time
from typing import Callable, List

import pytest

from connectors.shared_state import RedisFirstSeen, SharedRedis
from connectors.telegram.store import TelegramStore
from tests.connectors.conftest import REDIS_URL, new_shared_redis

RACED_KEYS = 200


@pytest.fixture(params=["sqlite", "redis"])
def replicas(request, tmp_path) -> Callable[[], object]:
    """Makes first-seen stores the way separate replicas have them: one file, or one Redis prefix."""
    if request.param == "sqlite":
        yield lambda: TelegramStore(tmp_path / "telegram.db")
        return
    shared = request.getfixturevalue("shared")
    made: List[SharedRedis] = []

    def replica():
        made.append(new_shared_redis(shared.prefix))  # a connection pool of its own
        return RedisFirstSeen(made[-1], "telegram:1:seen")

    yield replica
    for state in made:
        state.close()


def test_a_key_is_claimed_once_and_a_release_frees_it(replicas):
    first, second = replicas(), replicas()
    assert first.claim("update:1") is True
    assert first.claim("update:1") is False and second.claim("update:1") is False
    second.release("update:1")  # its processing failed: the redelivery is handled
    assert first.claim("update:1") is True
    assert second.claim("update:2") is True


def test_two_replicas_racing_on_the_same_deliveries_win_each_exactly_once(replicas):
    stores = [replicas(), replicas()]
    wins = [[], []]
    start = threading.Barrier(2)

    def race(index: int) -> None:
        start.wait(timeout=10)
        for number in range(RACED_KEYS):
            if stores[index].claim(f"update:{number}"):
                wins[index].append(number)

    threads = [threading.Thread(target=race, args=(index,)) for index in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(wins[0] + wins[1]) == list(range(RACED_KEYS))


def claim_all(prefix: str, start_at: float, results) -> None:
    """One replica process: claims every key from a shared start time."""
    seen = RedisFirstSeen(SharedRedis(REDIS_URL, prefix), "wechat:seen")
    time.sleep(max(0.0, start_at - time.time()))
    results.put([number for number in range(RACED_KEYS) if seen.claim(f"msg:{number}")])


def test_two_processes_racing_on_redis_win_each_delivery_exactly_once(shared):
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    start_at = time.time() + 3  # both are running by then
    processes = [context.Process(target=claim_all, args=(shared.prefix, start_at, results)) for _ in range(2)]
    for process in processes:
        process.start()
    won = [results.get(timeout=60) for _ in processes]
    for process in processes:
        process.join(timeout=30)
    assert sorted(won[0] + won[1]) == list(range(RACED_KEYS))


def test_a_claim_in_redis_lapses_after_its_expiry(shared):
    seen = RedisFirstSeen(shared, "telegram:1:seen", ttl_seconds=1)
    assert seen.claim("update:1") is True
    assert 0 < shared.client.ttl(shared.key("telegram:1:seen", "update:1")) <= 1
    deadline = time.monotonic() + 5
    while not seen.claim("update:1"):
        assert time.monotonic() < deadline, "the claim did not lapse"
        time.sleep(0.1)


def test_namespaces_and_prefixes_keep_bots_and_deployments_apart(shared):
    assert RedisFirstSeen(shared, "telegram:1:seen").claim("update:1")
    assert RedisFirstSeen(shared, "telegram:2:seen").claim("update:1")
    other_deployment = new_shared_redis(shared.prefix + "-other")
    try:
        assert RedisFirstSeen(other_deployment, "telegram:1:seen").claim("update:1")
    finally:
        other_deployment.forget_everything()
        other_deployment.close()
