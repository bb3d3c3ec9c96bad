"""Deliveries seen, the same from the SQLite store (embedded default) and from Redis: a message is
claimed once and its retries get the first reply; a signature comes back only with its own body."""
from __future__ import annotations

import threading
import time

import pytest

from connectors.wechat.deliveries import RedisDeliveries
from connectors.wechat.store import WeChatStore
from tests.connectors.conftest import new_shared_redis


@pytest.fixture(params=["sqlite", "redis"])
def replicas(request, tmp_path):
    if request.param == "sqlite":
        yield lambda: WeChatStore(tmp_path / "wechat.db")
        return
    shared = request.getfixturevalue("shared")
    made = []

    def replica():
        made.append(new_shared_redis(shared.prefix))
        return RedisDeliveries(made[-1], "wx-account")

    yield replica
    for state in made:
        state.close()


def test_a_message_is_claimed_once_and_its_retries_get_the_first_reply(replicas):
    first, second = replicas(), replicas()
    assert first.claim("msg:1") is True and second.claim("msg:1") is False
    assert second.reply_for("msg:1") is None  # no reply yet (the answer follows by the API)
    first.remember_reply("msg:1", "收到，我们会尽快回复你。")
    assert second.reply_for("msg:1") == "收到，我们会尽快回复你。"
    assert second.reply_for("msg:2") is None


def test_a_signature_comes_back_only_with_the_body_it_signed(replicas):
    first, second = replicas(), replicas()
    until = time.time() + 300
    assert first.claim_signature("1764403200:nonce:sig", "digest-a", until) is True
    assert second.claim_signature("1764403200:nonce:sig", "digest-a", until) is True  # WeChat's own retry
    assert second.claim_signature("1764403200:nonce:sig", "digest-b", until) is False  # a replay, new body


def test_two_replicas_racing_on_one_retried_message_handle_it_once(replicas):
    stores = [replicas() for _ in range(4)]
    start, won = threading.Barrier(len(stores)), []

    def deliver(store):
        start.wait(timeout=10)
        if store.claim("msg:24871530162435999"):
            won.append(store)

    threads = [threading.Thread(target=deliver, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(won) == 1


def test_in_redis_a_reply_does_not_extend_the_claim_and_signatures_lapse_when_stale(shared):
    deliveries = RedisDeliveries(shared, "wx-account", ttl_seconds=60)
    deliveries.claim("msg:1")
    deliveries.remember_reply("msg:1", "好的")
    assert 0 < shared.client.ttl(shared.key("wechat", "wx-account", "seen", "msg:1")) <= 60
    deliveries.remember_reply("msg:never-claimed", "x")  # nothing is created for an unclaimed key
    assert deliveries.reply_for("msg:never-claimed") is None
    deliveries.claim_signature("t:n:s", "digest", time.time() + 30)
    assert 0 < shared.client.ttl(shared.key("wechat", "wx-account", "signature", "t:n:s")) <= 31


def test_with_redis_away_a_replica_keeps_deliveries_in_its_own_file_rather_than_lose_them(shared, tmp_path):
    from connectors.wechat.deliveries import ShareOrKeep

    away = new_shared_redis(shared.prefix)
    away.url = "redis://127.0.0.1:1/0"  # nothing listens there
    try:
        deliveries = ShareOrKeep(RedisDeliveries(away, "wx-account"), WeChatStore(tmp_path / "wechat.db"))
        assert deliveries.claim("msg:1") is True and deliveries.claim("msg:1") is False
        deliveries.remember_reply("msg:1", "好的")
        assert deliveries.reply_for("msg:1") == "好的"
        assert deliveries.claim_signature("t:n:s", "a", time.time() + 60) is True
        assert deliveries.claim_signature("t:n:s", "b", time.time() + 60) is False
    finally:
        away.close()


def test_while_redis_answers_the_replicas_share_it_and_not_their_files(shared, tmp_path):
    from connectors.wechat.deliveries import ShareOrKeep

    one = ShareOrKeep(RedisDeliveries(shared, "wx-account"), WeChatStore(tmp_path / "rasa-1" / "wechat.db"))
    two = ShareOrKeep(RedisDeliveries(new_shared_redis(shared.prefix), "wx-account"),
                      WeChatStore(tmp_path / "rasa-2" / "wechat.db"))
    assert one.claim("msg:1") is True and two.claim("msg:1") is False
    assert WeChatStore(tmp_path / "rasa-1" / "wechat.db").claim("msg:1") is True  # nothing written locally
