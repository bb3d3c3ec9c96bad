"""The WeChat channel as she lives it: safe exit in any wording and by code word (one line, then
silence until she writes), honest delivery of experts' replies (45015 reported and sent when she
writes), crisis options, case cards that point to numbers. Real HTTP: the channel in a Sanic
server, signed payloads like WeChat's, and the fake WeChat API recording what was pushed."""
from __future__ import annotations

import asyncio
import time

import pytest

from connectors.safe_exit_words import CODE_WORD_SET
from connectors.wechat.channel import WeChatInput, build_webhook
from connectors.wechat.output import HELD_WHILE_AWAY
from connectors.wechat.webhook import SAFE_EXIT_LINE
from tests.connectors.sanic_server import ChannelServer
from tests.connectors.wechat import channel_support
from tests.connectors.wechat.channel_support import post, reply_fields
from tests.connectors.wechat.payloads import OPENID, payload

fake_api = channel_support.fake_api
settings = channel_support.settings
assistant = channel_support.assistant
EXPERT_REPLY = {"text": "【律师回复】\n请保留好证据。", "expert_message_id": 31}


class Reports:
    def __init__(self):
        self.made = []

    def report(self, message_id, state, detail=""):
        if message_id is not None:
            self.made.append((message_id, state, detail))


@pytest.fixture
def reports():
    return Reports()


@pytest.fixture
def running(settings, assistant, reports):
    channel = WeChatInput(build_webhook(settings, reports))
    server = ChannelServer([channel], assistant).start()
    yield server, channel
    server.stop()


def said(server, text, message_id):
    status, body = post(server, payload("text", Content=text, MsgId=str(message_id)))
    assert status == 200
    return reply_fields(body)["Content"] if body != "success" else ""


def wait_until(condition, seconds=10.0):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)


@pytest.mark.parametrize("wording", ["安全退出", "安全退出！", "安全 退出", "退出", "他来了快删", "老公回来了快删",
                                     "快删掉", "清空聊天"])
def test_exit_in_any_wording_gets_one_line_and_the_expert_reply_is_held(running, assistant, fake_api, reports,
                                                                         wording):
    server, channel = running
    assert said(server, wording, 7001) == SAFE_EXIT_LINE and "\n" not in SAFE_EXIT_LINE and "删除" in SAFE_EXIT_LINE
    wait_until(lambda: assistant.received == ["/safe_exit"])  # the dialogue hears it; its reply is not shown
    asyncio.run(channel.get_output_channel().send_response(OPENID, dict(EXPERT_REPLY)))
    assert fake_api.sent == []  # nothing pushed 0.1 s later, or ever, until she writes
    assert reports.made == [(31, "waiting", "她用了安全退出，等她再发消息")]


def test_when_she_writes_again_the_held_reply_comes_first(running, assistant, fake_api, reports):
    server, channel = running
    said(server, "他来了快删", 7101)
    asyncio.run(channel.get_output_channel().send_response(OPENID, dict(EXPERT_REPLY)))
    assert said(server, "我回来了", 7102) == "收到：我回来了"
    assert fake_api.texts_for(OPENID) == [HELD_WHILE_AWAY, "【律师回复】\n请保留好证据。"]
    assert [state for _, state, _ in reports.made] == ["waiting", "accepted"]


def test_a_code_word_she_arranged_is_a_safe_exit(running, assistant, fake_api):
    server, _ = running
    assert said(server, "设置暗号：买菜", 7201) == CODE_WORD_SET
    assert said(server, "买菜", 7202) == SAFE_EXIT_LINE
    wait_until(lambda: assistant.received == ["/safe_exit"])  # the code word never reached the dialogue


def test_a_reply_refused_outside_48_hours_is_reported_and_sent_when_she_writes(running, assistant, fake_api,
                                                                                reports):
    server, channel = running
    fake_api.fail_next("window")
    asyncio.run(channel.get_output_channel().send_response(OPENID, dict(EXPERT_REPLY)))
    assert reports.made == [(31, "refused", "errcode 45015: response out of time limit or subscription is canceled")]
    said(server, "在吗", 7301)
    assert fake_api.texts_for(OPENID) == [HELD_WHILE_AWAY, "【律师回复】\n请保留好证据。"]
    assert reports.made[-1] == (31, "accepted", "")


def test_not_safe_is_the_crisis_path_and_case_cards_point_to_numbers(running, assistant):
    server, _ = running
    assistant.replies["他拿着刀"] = [{"text": "你现在有危险，请马上拨打110。\n你现在安全吗？", "buttons": [
        {"title": "我现在安全", "payload": "/affirm"}, {"title": "我不安全", "payload": "/deny"}]}]
    assistant.replies["有类似的案例吗"] = [{"text": "找到2个类似的案例：\n1. …\n2. …\n点下面的按钮看完整经过。", "buttons": [
        {"title": "案例一", "payload": "/case{\"id\": \"a\"}"}, {"title": "案例二", "payload": "/case{\"id\": \"b\"}"}]}]
    said(server, "他拿着刀", 7401)
    said(server, "2", 7402)
    assert assistant.received[-1] == "/crisis_violence"
    card = said(server, "有类似的案例吗", 7403)
    assert "点下面的按钮" not in card and "回复下面的数字看完整经过" in card and "回复 1：案例一" in card
