"""The web chat's socket.io channel over real HTTP and socket.io, with a scripted assistant:
sessions come from the page's cookie, never from the client."""
from __future__ import annotations

import asyncio
import inspect
import queue
import urllib.request
from typing import Any, List, Optional

import pytest
import socketio

from connectors.webchat.channel import WebChatSocketInput
from connectors.webchat.page import WebChatInput
from connectors.webchat.sessions import COOKIE_NAME, session_id_for
from connectors.webchat.settings import WebChatSettings
from tests.connectors.sanic_server import ChannelServer
from tests.connectors.test_intent_gate import FakeStores, FakeTracker, bot, her

SECRET = b"a-web-chat-secret-for-the-tests-0123456789"


class ScriptedAssistant:
    def __init__(self) -> None:
        self.received: List[Any] = []

    async def __call__(self, message) -> None:
        self.received.append(message)
        await message.output_channel.send_text_message(message.sender_id, f"收到：{message.text}")


def start(settings: WebChatSettings, assistant: ScriptedAssistant, agent: Any = None):
    socket_channel = WebChatSocketInput(settings)
    server = ChannelServer([WebChatInput(), socket_channel], assistant)
    server.app.ctx.agent = agent
    return server.start(), socket_channel


@pytest.fixture
def assistant():
    return ScriptedAssistant()


@pytest.fixture
def served(assistant):
    servers = []

    def serve(settings: WebChatSettings = WebChatSettings(SECRET), agent: Any = None):
        server, channel = start(settings, assistant, agent)
        servers.append(server)
        return server, channel

    yield serve
    for server in servers:
        server.stop()


def page_cookie(server) -> str:
    with urllib.request.urlopen(f"{server.url}/webhooks/webchat/", timeout=10) as response:
        return response.headers["Set-Cookie"].split(";", 1)[0]


class Tab:
    def __init__(self, server, cookie: Optional[str], origin: Optional[str] = None, wait_seconds: float = 10) -> None:
        self.bot: "queue.Queue[dict]" = queue.Queue()
        self.confirmed: "queue.Queue[str]" = queue.Queue()
        self.client = socketio.Client(reconnection=False)
        self.client.on("bot_uttered", self.bot.put)
        self.client.on("session_confirm", self.confirmed.put)
        headers = {"Origin": origin or server.url, **({"Cookie": cookie} if cookie else {})}
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
    for tab in opened:
        tab.client.disconnect()


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
            tabs(server, cookie, wait_seconds=2)  # the client waits that long before it gives up


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


def test_rasa_socketio_channel_can_join_the_session_room():
    """Rasa 3.6 calls `sio.enter_room(...)` without await; with python-socketio 5.10+ it is a
    coroutine, the room is never joined, and with session_persistence no bot message arrives."""
    assert not inspect.iscoroutinefunction(socketio.AsyncServer.enter_room)
