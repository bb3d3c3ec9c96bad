"""End to end: her request follows her from WeChat to Telegram with a continuation code.

One Rasa server with both channels (the fake WeChat API and the fake Bot API record every
call), the action server and the routing backend. She asks a lawyer on WeChat and takes a
code there; WeChat refuses the lawyer's reply (45015, outside the 48 hours); she sends the
code from Telegram, and the refused reply and the next one reach her Telegram chat. The
expert's history says where her answers now go."""
import re
import time

import pytest
import yaml

from tests.connectors.telegram.fake_api import FakeTelegramApi, text_update
from tests.connectors.telegram.test_live import SECRET, deliver
from tests.connectors.wechat.fake_api import APP_ID, APP_SECRET, FakeWeChatApi
from tests.connectors.wechat.payloads import TOKEN
from tests.connectors.wechat.test_live import WeChatUser
from tests.live_assistant import assistant_with_routing, json_call
from tests.routing_process import SERVICE_TOKEN

CODE = re.compile(r"[0-9A-Z]{5}-[0-9A-Z]{5}")


@pytest.fixture
def two_apps(tmp_path):
    wechat = FakeWeChatApi()
    with FakeTelegramApi() as telegram:
        credentials = yaml.safe_dump({
            "rest": None,
            "connectors.wechat.WeChatInput": None,
            "connectors.telegram.TelegramInput": {
                "bot_token": telegram.token, "webhook_secret": SECRET, "api_base_url": telegram.base_url,
                "webhook_url": "https://assistant.example.org/webhooks/telegram/webhook"}})
        env = dict(WECHAT_TOKEN=TOKEN, WECHAT_APP_ID=APP_ID, WECHAT_APP_SECRET=APP_SECRET,
                   WECHAT_API_BASE_URL=wechat.base_url)
        try:
            with assistant_with_routing(tmp_path, env, credentials) as (assistant, routing):
                yield assistant.rasa_url, routing.url, wechat, telegram
        finally:
            wechat.close()


def test_a_reply_wechat_refused_reaches_her_on_telegram_after_she_sends_the_code(two_apps):
    rasa_url, routing_url, wechat, telegram = two_apps
    she = WeChatUser(rasa_url, wechat, "oLive0Continuation000000001")
    she.says("老公出轨了我想离婚，孩子两岁")
    she.wait_for("编号", since=she.says("转人工"))
    handoff = json_call("GET", f"{routing_url}/api/v1/conversations/{she.openid}/status", token=SERVICE_TOKEN)
    code = CODE.search(she.wait_for("接续码", since=she.says("接续码"))).group(0)

    lawyer = json_call("POST", f"{routing_url}/api/v1/auth/token",
                       {"username": "lawyer", "password": "a-long-password"})["access_token"]
    json_call("POST", f"{routing_url}/api/v1/handoffs/{handoff['id']}/claim", token=lawyer)
    wechat.fail_next("window")  # 45015: she has not written on WeChat for 48 hours
    json_call("POST", f"{routing_url}/api/v1/handoffs/{handoff['id']}/reply", {"text": "记得带上结婚证。"}, token=lawyer)
    deadline = time.monotonic() + 60
    while [m for m in json_call("GET", f"{routing_url}/api/v1/handoffs/{handoff['id']}", token=lawyer)["messages"]
           if m["sender"] == "expert"][-1]["delivery"] != "refused":
        assert time.monotonic() < deadline, "WeChat's refusal never reached the console"
        time.sleep(0.5)

    chat = 9301
    assert deliver(rasa_url, text_update(300, chat, f"你好 接续码 {code.lower()}")) == 200
    moved = telegram.wait_for("sendMessage", lambda p: p["chat_id"] == chat and "接上了" in p["text"])
    assert handoff["id"] in moved[0]["text"]
    refused = telegram.wait_for("sendMessage", lambda p: p["chat_id"] == chat and "记得带上结婚证" in p["text"])
    assert "【律师回复】" in refused[0]["text"]

    json_call("POST", f"{routing_url}/api/v1/handoffs/{handoff['id']}/reply", {"text": "明天上午十点打给你。"},
              token=lawyer)
    telegram.wait_for("sendMessage", lambda p: p["chat_id"] == chat and "明天上午十点" in p["text"])
    status = json_call("GET", f"{routing_url}/api/v1/conversations/{chat}/status", token=SERVICE_TOKEN)
    assert (status["id"], status["channel"]) == (handoff["id"], "telegram")
    history = json_call("GET", f"{routing_url}/api/v1/handoffs/{handoff['id']}", token=lawyer)["history"]
    assert any("从微信转到了Telegram" in (event["note"] or "") for event in history)

    assert deliver(rasa_url, text_update(301, chat, f"接续码 {code}")) == 200  # used once
    telegram.wait_for("sendMessage", lambda p: p["chat_id"] == chat and "已经用过" in p["text"])
