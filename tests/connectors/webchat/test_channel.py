"""The web chat's socket.io channel over real HTTP and socket.io, with a scripted assistant:
sessions come from the page's cookie, never from the client."""
from __future__ import annotations

import asyncio
import queue
import threading
import time
import urllib.request
from typing import Any, List, Optional

import pytest
import socketio

from connectors.webchat.acknowledgements import NOT_CONFIRMED
from connectors.webchat.channel import WebChatSocketInput
from connectors.webchat.page import WebChatInput
from connectors.webchat.sessions import COOKIE_NAME, session_id_for
from connectors.webchat.settings import WebChatSettings
from tests.connectors.frozen_network import FreezableProxy
from tests.connectors.sanic_server import ChannelServer
from tests.connectors.test_intent_gate import FakeStores, FakeTracker, bot, her

SECRET = b"a-web-chat-secret-for-the-tests-0123456789"


class ScriptedAssistant:
    def __init__(self) -> None:
        self.received: List[Any] = []

    async def __call__(self, message) -> None:
        self.received.append(message)
        await message.output_channel.send_text_message(message.sender_id, f"收到：{message.text}")


def start(settings: WebChatSettings, assistant: ScriptedAssistant, agent: Any = None, state_dir: Any = None,
          reports: Any = None, shared: Any = None):
    socket_channel = WebChatSocketInput(settings, state_dir=state_dir, reports=reports, shared=shared)
    server = ChannelServer([WebChatInput(), socket_channel], assistant)
    server.app.ctx.agent = agent
    return server.start(), socket_channel


@pytest.fixture
def assistant():
    return ScriptedAssistant()


@pytest.fixture
def served(assistant, tmp_path):
    servers = []

    def serve(settings: WebChatSettings = WebChatSettings(SECRET), agent: Any = None, reports: Any = None,
              shared: Any = None):
        server, channel = start(settings, assistant, agent, tmp_path, reports, shared)  # one host: one state dir
        servers.append(server)
        return server, channel

    yield serve
    for server in servers:
        server.stop()


def page_cookie(server) -> str:
    with urllib.request.urlopen(f"{server.url}/webhooks/webchat/", timeout=10) as response:
        return response.headers["Set-Cookie"].split(";", 1)[0]


class Tab:
    def __init__(self, server, cookie: Optional[str], origin: Optional[str] = None, wait_seconds: float = 10,
                 refused: bool = False) -> None:
        self.bot: "queue.Queue[dict]" = queue.Queue()
        self.confirmed: "queue.Queue[str]" = queue.Queue()
        self.client = socketio.Client(reconnection=False)
        self.client.on("bot_uttered", self.bot.put)
        self.client.on("session_confirm", self.confirmed.put)
        self.left: "queue.Queue[dict]" = queue.Queue()
        self.client.on("safe_exit", self.left.put)
        headers = {"Origin": origin or server.url, **({"Cookie": cookie} if cookie else {})}
        if refused:  # the client closes a refused connection by waiting for its last long-poll (up to 30 s)
            self.client.disconnect = lambda: self.client.eio.disconnect(abort=True)
        self.client.connect(server.url, headers=headers, transports=["polling"], wait_timeout=wait_seconds)

    def session(self, claimed: Optional[str] = None) -> str:
        self.client.emit("session_request", {"session_id": claimed})
        return self.confirmed.get(timeout=10)

    def say(self, text: str, claimed: Optional[str] = None) -> dict:
        self.client.emit("user_uttered", {"message": text, "session_id": claimed})
        return self.bot.get(timeout=10)


@pytest.fixture
def tabs():
    opened: List[Tab] = []

    def open_tab(*args, **kwargs) -> Tab:
        tab = Tab(*args, **kwargs)
        opened.append(tab)
        return tab

    yield open_tab
    for tab in opened:  # without waiting for the long-poll in flight (up to the ping interval)
        tab.client.eio.disconnect(abort=True)


def test_the_session_is_derived_from_the_cookie_and_the_claimed_one_ignored(served, assistant, tabs):
    server, _ = served()
    cookie = page_cookie(server)
    tab = tabs(server, cookie)
    session_id = tab.session(claimed="another-womans-session")
    assert session_id == session_id_for(cookie.split("=", 1)[1], SECRET)
    assert tab.say("你好", claimed="another-womans-session")["text"] == "收到：你好"
    assert [(m.sender_id, m.input_channel) for m in assistant.received] == [(session_id, "socketio")]
    assert tabs(server, cookie).session() == session_id  # the same browser: the same conversation


def test_a_connection_without_a_valid_cookie_is_refused(served, tabs):
    server, _ = served()
    for cookie in (None, f"{COOKIE_NAME}=short", f"{COOKIE_NAME}=" + "!" * 43, "other=" + "A" * 43):
        with pytest.raises(socketio.exceptions.ConnectionError):
            tabs(server, cookie, wait_seconds=2, refused=True)  # the client waits that long before it gives up


def test_only_the_pages_own_origin_may_connect(served, tabs):
    server, _ = served()
    cookie = page_cookie(server)
    with pytest.raises(socketio.exceptions.ConnectionError):
        tabs(server, cookie, origin="https://evil.example")
    assert tabs(server, cookie).session()


def test_listed_origins_replace_the_default(served, tabs):
    server, _ = served(WebChatSettings(SECRET, allowed_origins=("https://chat.example.org",)))
    cookie = page_cookie(server)
    assert tabs(server, cookie, origin="https://chat.example.org").session()
    with pytest.raises(socketio.exceptions.ConnectionError):
        tabs(server, cookie, origin="https://evil.example")


def test_later_messages_reach_every_page_of_her_session_and_no_other(served, tabs):
    server, channel = served()
    cookie = page_cookie(server)
    first, second, stranger = tabs(server, cookie), tabs(server, cookie), tabs(server, page_cookie(server))
    session_id = first.session()
    second.session()
    stranger.session(claimed=session_id)
    output = channel.get_output_channel()  # what trigger_intent with output_channel=latest uses
    asyncio.run_coroutine_threadsafe(output.send_text_message(session_id, "【律师回复】\n请保留好证据。"),
                                     server.loop).result(10)
    assert first.bot.get(timeout=10)["text"] == second.bot.get(timeout=10)["text"] == "【律师回复】\n请保留好证据。"
    with pytest.raises(queue.Empty):
        stranger.bot.get(timeout=1)


def test_only_buttons_offered_in_her_session_are_commands(served, assistant, tabs):
    cookie_value = "B" * 43
    session_id = session_id_for(cookie_value, SECRET)
    agent = FakeStores({session_id: FakeTracker([her("救命"), bot("/affirm", "/deny")], channel="socketio")})
    server, _ = served(agent=agent)
    tab = tabs(server, f"{COOKIE_NAME}={cookie_value}")
    tab.session()
    assert tab.say("/affirm")["text"] == "收到：/affirm"
    assert tab.say("/handoff_closed")["text"] == "收到：handoff_closed"
    assert tab.say('/share_location{"latitude": 1, "longitude": 2}')["text"].startswith("收到：share_location")


def test_session_persistence_false_in_credentials_is_not_honoured(caplog, monkeypatch):
    monkeypatch.setenv("WEBCHAT_SESSION_SECRET", SECRET.decode())
    channel = WebChatSocketInput.from_credentials({"session_persistence": False, "bot_message_evt": "bot_uttered"})
    assert channel.session_persistence is True and channel.name() == "socketio"
    assert "session_persistence" in caplog.text


class Reports:
    def __init__(self):
        self.made = []

    def report(self, message_id, state, detail=""):
        if message_id is not None:
            self.made.append((message_id, state, detail))

    def wait_for(self, report, timeout=10):
        """Reports follow her page's acknowledgement, in the background: the latest, once it is `report`."""
        deadline = time.monotonic() + timeout
        while (not self.made or self.made[-1] != report) and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.made


def push(server, channel, session_id, text, message_id=None):
    """An expert's reply as trigger_intent hands it to the channel's output (Rasa passes the id as a keyword)."""
    extra = {"expert_message_id": message_id} if message_id is not None else {}
    asyncio.run_coroutine_threadsafe(channel.get_output_channel().send_text_message(session_id, text, **extra),
                                     server.loop).result(10)


@pytest.mark.parametrize("wording", ["他来了快删", "安全退出！", "清空聊天", "退出"])
def test_exit_typed_in_any_wording_clears_every_page_and_holds_later_replies(served, assistant, tabs, wording):
    from rasa.core.channels.channel import CollectingOutputChannel

    reports = Reports()
    server, channel = served(reports=reports)
    cookie = page_cookie(server)
    tab, other_tab = tabs(server, cookie), tabs(server, cookie)
    session_id = tab.session()
    other_tab.session()
    tab.client.emit("user_uttered", {"message": wording})
    assert tab.left.get(timeout=10) == {} and other_tab.left.get(timeout=10) == {}  # both pages leave
    push(server, channel, session_id, "【律师回复】\n请保留好证据。", message_id=41)
    with pytest.raises(queue.Empty):
        tab.bot.get(timeout=1)
    assert [m.text for m in assistant.received] == ["/safe_exit"]
    assert isinstance(assistant.received[0].output_channel, CollectingOutputChannel)
    assert reports.made == [(41, "waiting", "她用了安全退出，等她再发消息")]
    assert "聊天列表" not in "".join(str(m) for m in list(tab.bot.queue))  # no chat list on a web page


def test_a_reply_for_a_closed_page_waits_and_is_shown_when_she_comes_back(served, tabs):
    reports = Reports()
    server, channel = served(reports=reports)
    cookie = page_cookie(server)
    tab = tabs(server, cookie)
    session_id = tab.session()
    threading.Thread(target=tab.client.disconnect, daemon=True).start()  # she closed the tab (the close is sent; no wait for the long-poll)
    deadline = time.monotonic() + 60  # the close, or else the ping timeout (25 + 20 s), tells the server
    while asyncio.run_coroutine_threadsafe(channel.get_output_channel().present(session_id),
                                           server.loop).result(10):  # the server notices the closed tab
        assert time.monotonic() < deadline
        time.sleep(0.1)
    push(server, channel, session_id, "【律师回复】\n请保留好证据。", message_id=42)
    assert reports.made == [(42, "waiting", "她的网页聊天已关闭，等她回来")]
    back = tabs(server, cookie)  # the same browser, later: the cookie kept her session
    assert back.session() == session_id
    shown = [back.bot.get(timeout=10)["text"] for _ in range(2)]
    assert shown == ["你离开之后，这里收到了新的消息：", "【律师回复】\n请保留好证据。"]
    assert reports.wait_for((42, "accepted", ""))[-1] == (42, "accepted", "")  # once her page acknowledged it


def test_a_reply_to_a_page_whose_network_died_waits_and_reaches_her_when_she_is_back(served, tabs):
    """Her phone lost its signal: the server still counts the page as open (until its ping timeout),
    the reply goes nowhere, no acknowledgement comes, and the reply waits instead of being lost."""
    reports = Reports()
    server, channel = served(settings=WebChatSettings(SECRET, ack_seconds=1.0), reports=reports)
    cookie = page_cookie(server)
    network = FreezableProxy(int(server.url.rsplit(":", 1)[1]))
    try:
        lost = tabs(network, cookie, origin=network.url)
        session_id = lost.session()
        network.freeze()
        push(server, channel, session_id, "【律师回复】\n请保留好证据。", message_id=61)
        assert present(server, channel, session_id)  # the server cannot tell yet
        assert reports.wait_for((61, "waiting", NOT_CONFIRMED))[-1] == (61, "waiting", NOT_CONFIRMED)
        back = tabs(server, cookie)  # she is back, on a working network
        assert back.session() == session_id
        shown = []
        while "【律师回复】\n请保留好证据。" not in shown:
            shown.append(back.bot.get(timeout=10)["text"])
        assert shown[-2:] == ["你离开之后，这里收到了新的消息：", "【律师回复】\n请保留好证据。"]
        assert reports.wait_for((61, "accepted", ""))[-1] == (61, "accepted", "")
        assert reports.made.count((61, "waiting", NOT_CONFIRMED)) == 1  # the expert's history says it once
        assert lost.bot.empty()
    finally:
        network.close()


def test_a_page_that_acknowledges_is_shown_each_message_once(served, tabs):
    reports = Reports()
    server, channel = served(settings=WebChatSettings(SECRET, ack_seconds=0.5), reports=reports)
    tab = tabs(server, page_cookie(server))
    session_id = tab.session()
    push(server, channel, session_id, "【律师回复】\n请保留好证据。", message_id=62)
    first = tab.bot.get(timeout=10)
    assert first["text"] == "【律师回复】\n请保留好证据。" and first["id"]
    assert reports.wait_for((62, "accepted", "")) == [(62, "accepted", "")]
    with pytest.raises(queue.Empty):
        tab.bot.get(timeout=1.5)  # well past the wait for the acknowledgement: not shown again


def test_the_page_cookie_outlives_a_closed_browser_for_a_week(served):
    server, _ = served()
    with urllib.request.urlopen(f"{server.url}/webhooks/webchat/", timeout=10) as response:
        cookie = response.headers["Set-Cookie"]
    assert "Max-Age=604800" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie


def test_a_code_word_she_arranged_is_a_safe_exit(served, assistant, tabs):
    server, _ = served()
    tab = tabs(server, page_cookie(server))
    tab.session()
    assert "暗号设好了" in tab.say("设置暗号 买菜")["text"]
    tab.client.emit("user_uttered", {"message": "买菜"})
    assert tab.left.get(timeout=10) == {}
    assert [m.text for m in assistant.received] == ["/safe_exit"]


def test_not_safe_under_a_crisis_message_is_the_crisis_path(served, assistant, tabs):
    cookie_value = "C" * 43
    session_id = session_id_for(cookie_value, SECRET)
    crisis = {"event": "bot", "text": "这不是你的错。请马上拨打110报警。\n你现在安全吗？", "data": {"buttons": [
        {"title": "我现在安全", "payload": "/affirm"}, {"title": "我不安全", "payload": "/deny"}]}}
    agent = FakeStores({session_id: FakeTracker([her("他强奸了我"), crisis], channel="socketio")})
    server, _ = served(agent=agent)
    tab = tabs(server, f"{COOKIE_NAME}={cookie_value}")
    tab.session()
    assert tab.say("/deny")["text"] == "收到：/crisis_sexual_assault"


def present(server, channel, session_id) -> bool:
    return asyncio.run_coroutine_threadsafe(channel.get_output_channel().present(session_id), server.loop).result(10)


def test_an_expert_reply_sent_to_another_replica_reaches_her_page(served, tabs, shared):
    """Two Rasa replicas sharing Redis: her page is on rasa-1, trigger_intent reaches rasa-2."""
    reports = Reports()
    one, _ = served(shared=shared)
    two, other_channel = served(shared=shared, reports=reports)
    cookie = page_cookie(one)
    tab = tabs(one, cookie)
    session_id = tab.session()
    stranger = tabs(two, page_cookie(two))
    stranger.session()
    assert present(two, other_channel, session_id)  # known to rasa-2, though her socket is on rasa-1
    push(two, other_channel, session_id, "【律师回复】\n请保留好证据。", message_id=51)
    assert tab.bot.get(timeout=10)["text"] == "【律师回复】\n请保留好证据。"
    assert reports.wait_for((51, "accepted", "")) == [(51, "accepted", "")]  # acknowledged through Redis
    with pytest.raises(queue.Empty):
        stranger.bot.get(timeout=1)


def test_a_reply_for_a_page_closed_on_one_replica_waits_and_is_shown_by_the_other(served, tabs, shared):
    reports = Reports()
    one, channel_one = served(shared=shared)
    two, channel_two = served(shared=shared, reports=reports)
    cookie = page_cookie(one)
    tab = tabs(one, cookie)
    session_id = tab.session()
    threading.Thread(target=tab.client.disconnect, daemon=True).start()  # she closed the tab
    # rasa-2 learns it through Redis once rasa-1 has seen the socket close: at once when the close
    # reaches it, else at its ping timeout (25 + 20 s by default; a loaded machine can drop the close)
    deadline = time.monotonic() + 60
    while present(two, channel_two, session_id):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    push(two, channel_two, session_id, "【律师回复】\n请保留好证据。", message_id=52)
    assert reports.made == [(52, "waiting", "她的网页聊天已关闭，等她回来")]
    back = tabs(one, cookie)  # she comes back, through the proxy to rasa-1
    assert back.session() == session_id
    shown = [back.bot.get(timeout=10)["text"] for _ in range(2)]
    assert shown == ["你离开之后，这里收到了新的消息：", "【律师回复】\n请保留好证据。"]
    with pytest.raises(queue.Empty):
        back.bot.get(timeout=1)  # once


def test_a_safe_exit_on_one_replica_clears_her_pages_on_every_replica(served, tabs, shared):
    one, _ = served(shared=shared)
    two, _ = served(shared=shared)
    cookie = page_cookie(one)
    here_tab, there_tab = tabs(one, cookie), tabs(two, cookie)
    here_tab.session()
    there_tab.session()
    here_tab.client.emit("user_uttered", {"message": "他来了快删"})
    assert here_tab.left.get(timeout=10) == {} and there_tab.left.get(timeout=10) == {}


def test_with_a_redis_url_the_socket_server_shares_its_emits_through_redis(monkeypatch, shared):
    monkeypatch.setenv("WEBCHAT_SESSION_SECRET", SECRET.decode())
    monkeypatch.setenv("ASSISTANT_REDIS_URL", shared.url)
    monkeypatch.setenv("ASSISTANT_REDIS_KEY_PREFIX", shared.prefix)
    channel = WebChatSocketInput.from_credentials({})
    channel.blueprint(ScriptedAssistant())
    manager = channel.sio.manager
    assert isinstance(manager, socketio.AsyncRedisManager) and manager.channel == shared.key("webchat", "socketio")
    monkeypatch.delenv("ASSISTANT_REDIS_URL")
    embedded = WebChatSocketInput.from_credentials({})
    embedded.blueprint(ScriptedAssistant())
    assert not isinstance(embedded.sio.manager, socketio.AsyncRedisManager)


def test_several_replicas_with_a_random_session_key_are_an_error_in_the_log(monkeypatch, shared, caplog):
    import logging

    monkeypatch.delenv("WEBCHAT_SESSION_SECRET", raising=False)
    monkeypatch.setenv("ASSISTANT_REDIS_URL", shared.url)
    with caplog.at_level(logging.ERROR, logger="connectors.webchat.channel"):
        WebChatSocketInput.from_credentials({})
    assert "WEBCHAT_SESSION_SECRET must be set, and the same, on every Rasa replica" in caplog.text
