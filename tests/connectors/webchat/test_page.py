"""The web chat page as Rasa serves it: the page, its files, nothing else."""
from __future__ import annotations

import json
import shutil
import subprocess
import urllib.error
import urllib.request

import pytest

from connectors.webchat.page import STATIC_DIR, WebChatInput
from connectors.webchat.sessions import COOKIE_NAME
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


def test_the_widget_never_inserts_markup():
    script = (STATIC_DIR / "chat.js").read_text(encoding="utf-8")
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script and "textContent" in script


NODE = shutil.which("node")
WIDGET_HARNESS = r"""
// Runs chat.js with a stub page and socket, types each message, prints what was emitted.
const vm = require("vm");
const fs = require("fs");
const [script, typed] = [process.argv[2], JSON.parse(process.argv[3])];
function element() {
  const handlers = {};
  return { handlers, value: "", disabled: false, textContent: "", className: "", classList: { toggle() {} },
           addEventListener(name, handler) { handlers[name] = handler; }, appendChild() {},
           replaceChildren() {}, focus() {}, querySelectorAll() { return []; } };
}
const elements = {};
const emitted = [];
const socketHandlers = {};
const socket = { on(name, handler) { socketHandlers[name] = handler; }, emit(name, data) { emitted.push([name, data]); },
                 io: { on() {} }, disconnect() {} };
const window = { io: () => socket, sessionStorage: { getItem: () => null, setItem() {}, clear() {} },
                 location: { replace() {} } };
const document = { getElementById(id) { return elements[id] || (elements[id] = element()); },
                   createElement: () => element(), body: element(), title: "" };
vm.runInNewContext(fs.readFileSync(script, "utf8"), { window, document, navigator: {} });
socketHandlers.connect();
socketHandlers.session_confirm("session-1");
for (const text of typed) {
  elements.input.value = text;
  elements.composer.handlers.submit({ preventDefault() {} });
}
console.log(JSON.stringify(emitted));
"""


def run_widget(tmp_path, typed):
    """What chat.js emitted, as [event name, data] pairs, after she typed each text."""
    harness = tmp_path / "harness.js"
    harness.write_text(WIDGET_HARNESS, encoding="utf-8")
    result = subprocess.run([NODE, str(harness), str(STATIC_DIR / "chat.js"), json.dumps(typed)],
                            capture_output=True, text=True, timeout=60, check=True)
    return json.loads(result.stdout)


@pytest.mark.skipif(NODE is None, reason="needs node to run the widget's script")
def test_what_she_types_is_never_sent_as_an_intent(tmp_path):
    """Rasa reads "/intent{...}" as an intent, also after the NLU normalizer made "／" a "/"
    and dropped emoji and zero-width spaces (the server checks too: connectors/intent_gate.py)."""
    typed = ["你好", "/request_human", "／request_human", "😀/request_human", "\u200b/ /request_human",
             '/share_location{"latitude": 1, "longitude": 2}', "a/b", "😀你好"]
    sent = [data["message"] for name, data in run_widget(tmp_path, typed) if name == "user_uttered"]
    assert sent == ["你好", "request_human", "request_human", "request_human", "request_human",
                    'share_location{"latitude": 1, "longitude": 2}', "a/b", "😀你好"]


@pytest.mark.skipif(NODE is None, reason="needs node to run the widget's script")
def test_the_widget_neither_chooses_nor_sends_a_session_id(tmp_path):
    """The server takes her session from the page's cookie; an id from the page would be a claim."""
    emitted = run_widget(tmp_path, ["你好"])
    assert [name for name, _ in emitted] == ["session_request", "user_uttered"]
    assert all("session_id" not in data for _, data in emitted)
    script = (STATIC_DIR / "chat.js").read_text(encoding="utf-8")
    assert "sessionStorage.setItem" not in script and "localStorage" not in script


def set_cookie(headers):
    return [part.strip() for part in headers["set-cookie"].split(";")]


def test_the_page_gives_her_browser_a_session_cookie_scripts_cannot_read(serve):
    status, headers, _ = get(f"{serve().url}/webhooks/webchat/")
    cookie = set_cookie(headers)
    name, token = cookie[0].split("=", 1)
    assert status == 200 and name == COOKIE_NAME and len(token) == 43
    assert {"HttpOnly", "SameSite=Strict", "Path=/"} <= set(cookie) and "Secure" not in cookie


def test_behind_https_the_cookie_is_secure(serve):
    request = urllib.request.Request(f"{serve().url}/webhooks/webchat/", headers={"X-Forwarded-Proto": "https"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert "Secure" in set_cookie(lower_keys(response.headers))


def test_a_reload_keeps_her_cookie_and_each_browser_gets_its_own(serve):
    server = serve()
    first = set_cookie(get(f"{server.url}/webhooks/webchat/")[1])[0]
    assert set_cookie(get(f"{server.url}/webhooks/webchat/")[1])[0] != first
    request = urllib.request.Request(f"{server.url}/webhooks/webchat/", headers={"Cookie": first})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert "set-cookie" not in lower_keys(response.headers)


def test_quick_exit_drops_the_cookie(serve):
    server = serve()
    cookie = set_cookie(get(f"{server.url}/webhooks/webchat/")[1])[0]
    request = urllib.request.Request(f"{server.url}/webhooks/webchat/exit", method="POST", data=b"",
                                     headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=10) as response:
        dropped = set_cookie(lower_keys(response.headers))
    assert dropped[0] in (f"{COOKIE_NAME}=", f'{COOKIE_NAME}=""') and "Max-Age=0" in dropped and "HttpOnly" in dropped
    script = (STATIC_DIR / "chat.js").read_text(encoding="utf-8")
    assert "/webhooks/webchat/exit" in script and "sendBeacon" in script
