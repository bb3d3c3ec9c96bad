"""The web chat page as Rasa serves it: the page, its files, nothing else."""
from __future__ import annotations

import inspect
import urllib.error
import urllib.request

import pytest
import socketio

from connectors.webchat import STATIC_DIR, WebChatInput
from tests.connectors.sanic_server import ChannelServer


async def no_messages(message):
    raise AssertionError("the web chat channel never handles messages itself")


@pytest.fixture
def serve():
    servers = []

    def start(static_dir=STATIC_DIR):
        server = ChannelServer([WebChatInput(static_dir)], no_messages).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, lower_keys(response.headers), response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, lower_keys(error.headers), error.read().decode("utf-8")


def lower_keys(headers):
    return {name.lower(): value for name, value in headers.items()}


def test_the_page_is_chinese_and_only_runs_its_own_scripts(serve):
    status, headers, body = get(f"{serve().url}/webhooks/webchat/")
    assert status == 200 and 'lang="zh-CN"' in body and "安全退出" in body
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["referrer-policy"] == "no-referrer" and headers["cache-control"] == "no-store"


def test_only_the_widget_files_are_served(serve):
    server = serve()
    assert get(f"{server.url}/webhooks/webchat/static/chat.js")[0] == 200
    assert get(f"{server.url}/webhooks/webchat/static/chat.css")[1]["content-type"].startswith("text/css")
    assert get(f"{server.url}/webhooks/webchat/static/index.html")[0] == 404
    assert get(f"{server.url}/webhooks/webchat/static/..%2F..%2Fwechat.py")[0] == 404


def test_a_missing_socketio_client_says_how_to_fetch_it(serve, tmp_path):
    (tmp_path / "index.html").write_text("<!doctype html>", encoding="utf-8")
    status, _, body = get(f"{serve(tmp_path).url}/webhooks/webchat/static/socket.io.min.js")
    assert status == 503 and "make webchat-assets" in body


def test_rasa_socketio_channel_can_join_the_session_room():
    """Rasa 3.6 calls `sio.enter_room(...)` without await; with python-socketio 5.10+ it is a
    coroutine, the room is never joined, and with session_persistence no bot message arrives."""
    assert not inspect.iscoroutinefunction(socketio.AsyncServer.enter_room)


def test_the_widget_never_inserts_markup():
    script = (STATIC_DIR / "chat.js").read_text(encoding="utf-8")
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script and "textContent" in script
