"""The WeChat channel inside a real Rasa server (trained model, action server, routing
backend), with WeChat's side played by signed payloads and the local fake WeChat API.
One set of servers for the module."""
from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ElementTree
from itertools import count
from typing import List, Tuple

import pytest

from connectors.wechat.text import utf8_size
from tests.connectors.wechat.fake_api import APP_ID, APP_SECRET, FakeWeChatApi
from tests.connectors.wechat.payloads import TOKEN, payload, signed_query
from tests.live_assistant import assistant_with_routing, json_call, tracker
from tests.routing_process import SERVICE_TOKEN

MESSAGE_IDS = count(24871600000000000)


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("wechat_live")
    api = FakeWeChatApi()
    env = dict(WECHAT_TOKEN=TOKEN, WECHAT_APP_ID=APP_ID, WECHAT_APP_SECRET=APP_SECRET, WECHAT_API_BASE_URL=api.base_url)
    try:
        with assistant_with_routing(workdir, env, "rest:\nconnectors.wechat.WeChatInput:\n") as (assistant, routing):
            yield assistant.rasa_url, routing.url, api, workdir
    finally:
        api.close()


class WeChatUser:
    """One woman writing to the account: what she sees is the passive replies plus
    whatever arrives later through the customer-service API."""

    def __init__(self, rasa_url: str, api: FakeWeChatApi, openid: str) -> None:
        self.rasa_url, self.api, self.openid = rasa_url, api, openid
        self.passive: List[str] = []

    def post(self, body: bytes) -> str:
        query = urllib.parse.urlencode(signed_query())
        request = urllib.request.Request(f"{self.rasa_url}/webhooks/wechat/webhook?{query}", data=body,
                                         method="POST", headers={"Content-Type": "text/xml"})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
            answer = response.read().decode("utf-8")
        if answer != "success":
            self.passive.append(ElementTree.fromstring(answer).findtext("Content"))
        return answer

    def says(self, text: str) -> Tuple[int, int]:
        mark = self.mark()
        self.post(payload("text", FromUserName=self.openid, Content=text, MsgId=str(next(MESSAGE_IDS))))
        return mark

    def mark(self) -> Tuple[int, int]:
        return len(self.passive), len(self.api.texts_for(self.openid))

    def seen(self, since: Tuple[int, int] = (0, 0)) -> List[str]:
        return self.passive[since[0]:] + self.api.texts_for(self.openid)[since[1]:]

    def wait_for(self, contains: str, since: Tuple[int, int] = (0, 0), seconds: float = 90) -> str:
        """The first message she has seen since `since` that contains `contains`."""
        deadline = time.monotonic() + seconds
        while True:
            for text in self.seen(since):
                if contains in text:
                    return text
            if time.monotonic() > deadline:
                raise AssertionError(f"she never saw {contains!r}; she saw {self.seen()}")
            self.api.wait_for_more(self.openid, len(self.api.texts_for(self.openid)), seconds=1)


def test_a_conversation_from_following_to_an_expert_reply(live):
    rasa_url, routing_url, api, _ = live
    she = WeChatUser(rasa_url, api, "oLive0Conversation00000000001")
    she.post(payload("subscribe", FromUserName=she.openid))
    assert "南粤女声" in she.wait_for("你好")

    since = she.says("单位知道我怀孕就要辞退我")
    answer = she.wait_for("", since=since)
    assert answer and all(utf8_size(text) <= 2048 for text in she.seen())

    since = she.says("转人工")
    confirmation = she.wait_for("编号", since=since)
    handoff = json_call("GET", f"{routing_url}/api/v1/conversations/{she.openid}/status", token=SERVICE_TOKEN)
    assert handoff["id"] in confirmation

    token = json_call("POST", f"{routing_url}/api/v1/auth/token",
                        {"username": "lawyer", "password": "a-long-password"})["access_token"]
    json_call("POST", f"{routing_url}/api/v1/handoffs/{handoff['id']}/claim", token=token)
    json_call("POST", f"{routing_url}/api/v1/handoffs/{handoff['id']}/reply",
                {"text": "你好，我是律师。孕期辞退违法，请保留辞退通知和工资流水。"}, token=token)
    relayed = api.wait_for(she.openid, "【律师回复】", seconds=60)  # through the customer-service API
    assert any("孕期辞退违法" in text for text in relayed)


def test_a_20000_character_message_is_answered_and_kept_whole(live):
    rasa_url, _, api, _ = live
    she = WeChatUser(rasa_url, api, "oLive0LongMessage000000000001")
    text = ("我和老公结婚十年，他经常打我，还不给家用，" * 1000)[:20000]
    she.says(text)
    assert she.wait_for("")
    assert all(utf8_size(reply) <= 2048 for reply in she.seen())
    assert [event["text"] for event in tracker(rasa_url, she.openid)["events"] if event["event"] == "user"][-1] == text


def test_a_forged_message_never_reaches_the_assistant(live):
    rasa_url, _, _, _ = live
    query = urllib.parse.urlencode(signed_query(token="not-our-token"))
    request = urllib.request.Request(f"{rasa_url}/webhooks/wechat/webhook?{query}", method="POST",
                                     data=payload("text", FromUserName="oLive0Forged00000000000000001"))
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403
    assert not [e for e in tracker(rasa_url, "oLive0Forged00000000000000001")["events"] if e["event"] == "user"]


def test_a_hurried_exit_gets_one_line_and_the_lawyers_reply_waits_then_a_refusal_is_honest(live):
    """「他来了快删」 with a request open: one line, then silence (the console sees 「等她回来」);
    her next message brings the reply. A reply WeChat refuses (45015) is marked refused and sent
    when she writes."""
    from connectors.wechat.webhook import SAFE_EXIT_LINE

    rasa_url, routing_url, api, _ = live
    she = WeChatUser(rasa_url, api, "oLive0SafeExit000000000000001")
    she.says("老公出轨了我想离婚，孩子两岁")
    since = she.says("转人工")
    she.wait_for("编号", since=since)
    handoff = json_call("GET", f"{routing_url}/api/v1/conversations/{she.openid}/status", token=SERVICE_TOKEN)
    since = she.says("他来了快删")
    assert she.seen(since) == [SAFE_EXIT_LINE]
    token = json_call("POST", f"{routing_url}/api/v1/auth/token",
                      {"username": "lawyer", "password": "a-long-password"})["access_token"]
    json_call("POST", f"{routing_url}/api/v1/handoffs/{handoff['id']}/claim", token=token)
    json_call("POST", f"{routing_url}/api/v1/handoffs/{handoff['id']}/reply", {"text": "请保留好证据。"}, token=token)

    def delivery_becomes(state):
        deadline = time.monotonic() + 60
        while True:
            detail = json_call("GET", f"{routing_url}/api/v1/handoffs/{handoff['id']}", token=token)
            reply = [m for m in detail["messages"] if m["sender"] == "expert"][-1]  # her later words follow it
            if reply["delivery"] == state:
                return detail
            assert time.monotonic() < deadline, f"the reply is marked {reply['delivery']}"
            time.sleep(0.5)

    delivery_becomes("waiting")
    assert she.seen(since) == [SAFE_EXIT_LINE]  # nothing pushed while she is away
    since = she.says("我回来了")
    assert "请保留好证据" in she.wait_for("【律师回复】", since=since)
    delivery_becomes("accepted")

    api.fail_next("window")
    json_call("POST", f"{routing_url}/api/v1/handoffs/{handoff['id']}/reply", {"text": "记得带上结婚证。"},
              token=token)
    detail = delivery_becomes("refused")
    assert any("45015" in (event["note"] or "") for event in detail["history"])
    since = she.says("好的")
    assert "结婚证" in she.wait_for("记得带上结婚证", since=since)
    delivery_becomes("accepted")
