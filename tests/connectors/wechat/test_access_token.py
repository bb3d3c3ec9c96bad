"""The WeChat access token: kept in this process (embedded default) or in Redis for every replica,
and fetched once however many threads or replicas need it at the same moment. WeChat's token
endpoint is a fake HTTP transport that counts its calls and answers slowly, so races are real."""
from __future__ import annotations

import threading
import time
from itertools import count
from typing import List

import httpx
import pytest

from connectors.wechat.access_token import ProcessToken, SharedToken, TokenUnavailable
from connectors.wechat.api import WeChatMessageApi
from tests.connectors.conftest import new_shared_redis

APP_ID = "wx5d3c9a7b1e2f4068"


class FakeWeChat:
    """The token endpoint and message/custom/send, as an httpx transport; only the newest token works."""

    def __init__(self, token_delay: float = 0.3) -> None:
        self.token_delay = token_delay
        self.numbers = count(1)
        self.token = ""
        self.token_requests = 0
        self.sent: List[str] = []
        self.lock = threading.Lock()

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/token"):
            time.sleep(self.token_delay)  # long enough for every racer to ask meanwhile
            with self.lock:
                self.token_requests += 1
                self.token = f"token-{next(self.numbers)}"  # a new token invalidates the old one
                return httpx.Response(200, json={"access_token": self.token, "expires_in": 7200})
        with self.lock:
            if request.url.params.get("access_token") != self.token:
                return httpx.Response(200, json={"errcode": 40001, "errmsg": "invalid credential"})
            self.sent.append(request.content.decode("utf-8"))
        return httpx.Response(200, json={"errcode": 0, "errmsg": "ok"})

    def invalidate(self) -> None:
        """The token was reset elsewhere (公众平台, another system using the AppID)."""
        with self.lock:
            self.token = "reset-elsewhere"

    def api(self, tokens) -> WeChatMessageApi:
        return WeChatMessageApi(APP_ID, "secret", "https://api.weixin.qq.com/cgi-bin/", tokens=tokens,
                                transport=httpx.MockTransport(self.handle))


@pytest.fixture
def wechat():
    return FakeWeChat()


class Clock:
    def __init__(self) -> None:
        self.now = 1_764_403_200.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=["process", "redis"])
def replicas(request):
    """Token keepers as the replicas of one deployment have them: one per process, or Redis for all."""
    if request.param == "process":
        shared_one = ProcessToken()
        yield lambda: shared_one  # threads of one process share its keeper
        return
    shared = request.getfixturevalue("shared")
    made = []

    def replica():
        made.append(new_shared_redis(shared.prefix))
        return SharedToken(made[-1], APP_ID)

    yield replica
    for state in made:
        state.close()


def run_together(calls) -> list:
    start, results, errors = threading.Barrier(len(calls)), [None] * len(calls), []

    def run(index):
        start.wait(timeout=10)
        try:
            results[index] = calls[index]()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return results


def test_the_token_is_fetched_once_and_reused(wechat, replicas):
    first, second = wechat.api(replicas()), wechat.api(replicas())
    first.send_text("her", "一")
    second.send_text("her", "二")
    assert wechat.token_requests == 1 and len(wechat.sent) == 2


def test_replicas_needing_a_token_at_once_call_the_endpoint_once(wechat, replicas):
    apis = [wechat.api(replicas()) for _ in range(4)]
    tokens = run_together([api.access_token for api in apis])
    assert wechat.token_requests == 1 and set(tokens) == {"token-1"}


def test_a_token_refused_on_every_replica_at_once_is_renewed_once(wechat, replicas):
    apis = [wechat.api(replicas()) for _ in range(4)]
    apis[0].send_text("her", "先发一条")
    wechat.invalidate()
    run_together([lambda api=api, number=number: api.send_text("her", f"第{number}条")
                  for number, api in enumerate(apis)])
    assert wechat.token_requests == 2  # the first token, and one renewal for all four
    assert len(wechat.sent) == 5


def test_fresh_renews_the_token_in_use(wechat, replicas):
    api = wechat.api(replicas())
    assert api.access_token() == "token-1"
    assert api.access_token(fresh=True) == "token-2"
    assert api.access_token() == "token-2" and wechat.token_requests == 2


def test_a_renewal_someone_else_made_is_used_not_fetched_again(wechat):
    keeper = ProcessToken()
    api = wechat.api(keeper)
    stale = api.access_token()
    assert keeper.renew(stale, lambda: ("token-x", 7200)) == "token-x"
    assert keeper.renew(stale, lambda: pytest.fail("fetched again")) == "token-x"


def test_in_process_the_token_is_fetched_again_shortly_before_it_expires(wechat):
    clock = Clock()
    api = wechat.api(ProcessToken(clock))
    api.send_text("her", "一")
    clock.now += 7200 - 300 - 1
    api.send_text("her", "二")
    clock.now += 2
    api.send_text("her", "三")
    assert wechat.token_requests == 2


def test_in_redis_the_token_keeps_its_expiry(wechat, shared):
    wechat.api(SharedToken(shared, APP_ID)).access_token()
    assert 7200 - 300 - 5 < shared.client.ttl(shared.key("wechat", APP_ID, "access_token")) <= 7200 - 300


def test_a_replica_waiting_too_long_for_another_refresh_gives_up_with_a_clear_error(shared):
    blocked = SharedToken(shared, APP_ID, wait_seconds=0.3)
    other = new_shared_redis(shared.prefix)
    try:
        from connectors.shared_state import RedisLease

        assert RedisLease(other, f"wechat:{APP_ID}:token_refresh", 30).hold()  # another replica, stuck
        with pytest.raises(TokenUnavailable, match="refreshing"):
            blocked.current(lambda: pytest.fail("must not fetch while another replica refreshes"))
    finally:
        other.close()
