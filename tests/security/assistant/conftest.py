"""One running assistant for the live security tests of this package (Rasa with the
project's credentials.yml, the action server, the routing backend), and the clients
an attacker or a woman would use: plain HTTP and a socket.io client like the page's."""
from __future__ import annotations

import json
import queue
import sqlite3
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional
from urllib.parse import quote, urlencode

import pytest
import socketio

from tests.live_assistant import assistant_with_routing, json_call


@dataclass(frozen=True)
class Services:
    rasa_url: str
    api_token: str
    routing_url: str
    workdir: Path


@pytest.fixture(scope="package")
def live(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("security_assistant")
    with assistant_with_routing(workdir) as (assistant, routing):
        yield Services(assistant.rasa_url, assistant.api_token, routing.url, workdir)


def api_url(live: Services, path: str, **params: str) -> str:
    """Rasa's HTTP API (authenticated with the test server's token)."""
    if live.api_token:
        params["token"] = live.api_token
    return f"{live.rasa_url}{path}" + (f"?{urlencode(params)}" if params else "")


def tracker(live: Services, conversation_id: str) -> Dict[str, Any]:
    return json_call("GET", api_url(live, f"/conversations/{quote(conversation_id, safe='')}/tracker"))


def user_events(live: Services, conversation_id: str) -> List[Dict[str, Any]]:
    return [event for event in tracker(live, conversation_id)["events"] if event["event"] == "user"]


def last_intent(live: Services, conversation_id: str) -> Optional[str]:
    return user_events(live, conversation_id)[-1]["parse_data"]["intent"]["name"]


def stored_texts(live: Services, conversation_id: str) -> List[str]:
    """Her messages as the tracker store holds them (read from its SQLite file): Rasa's API
    cannot address every id, since it does not decode %-escapes in the path."""
    with sqlite3.connect(live.workdir / "tracker.db") as connection:
        rows = connection.execute("SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' ORDER BY id",
                                  (conversation_id,)).fetchall()
    return [json.loads(data).get("text") for (data,) in rows]


def trigger_expert_reply(live: Services, conversation_id: str, text: str, role: str = "律师") -> Dict[str, Any]:
    """What the routing backend does when an expert answers: Rasa's authenticated API."""
    url = api_url(live, f"/conversations/{quote(conversation_id, safe='')}/trigger_intent", output_channel="latest")
    return json_call("POST", url, {"name": "expert_reply", "entities": {"expert_text": text, "expert_role": role}})


def rest_post(live: Services, body: Any) -> tuple:
    """(status, parsed JSON) of one POST to the REST channel, errors included."""
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(f"{live.rasa_url}/webhooks/rest/webhook", data=data, method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as error:
        raw = error.read().decode("utf-8")
        try:
            return error.code, json.loads(raw)
        except ValueError:
            return error.code, raw


def say(live: Services, sender: str, text: str) -> List[Dict[str, Any]]:
    status, replies = rest_post(live, {"sender": sender, "message": text})
    assert status == 200, replies
    return replies


def page_cookie(live: Services) -> str:
    """The `name=value` cookie the web chat page sets (empty if it sets none), as a browser keeps it."""
    with urllib.request.urlopen(f"{live.rasa_url}/webhooks/webchat/", timeout=30) as response:
        cookies = response.headers.get_all("Set-Cookie") or []
    return "; ".join(cookie.split(";", 1)[0] for cookie in cookies)


class ChatTab:
    """A socket.io client doing what the web chat page does, or what a modified one could."""

    def __init__(self, live: Services, cookie: Optional[str] = None, origin: Optional[str] = None) -> None:
        self.live = live
        self.cookie = page_cookie(live) if cookie is None else cookie
        self.origin = live.rasa_url if origin is None else origin
        self.messages: "queue.Queue[Dict[str, Any]]" = queue.Queue()
        self.received: List[Dict[str, Any]] = []
        self.session_id: Optional[str] = None
        self._since = 0
        self._confirmed: "queue.Queue[str]" = queue.Queue()
        self.client = socketio.Client(reconnection=False)
        self.client.on("bot_uttered", self.messages.put)
        self.client.on("session_confirm", lambda data: self._confirmed.put(
            data if isinstance(data, str) else (data or {}).get("session_id")))

    def connect(self, claimed_session: Optional[str] = None, wait_seconds: float = 10) -> "ChatTab":
        headers = {"Origin": self.origin, **({"Cookie": self.cookie} if self.cookie else {})}
        self.client.connect(self.live.rasa_url, headers=headers, transports=["polling"], wait_timeout=wait_seconds)
        self.client.emit("session_request", {"session_id": claimed_session})
        self.session_id = self._confirmed.get(timeout=20)
        return self

    def say(self, text: str, claimed_session: Optional[str] = None) -> None:
        """Send, as the page does; `wait_for` then looks only at what comes after."""
        self.texts()
        self._since = len(self.received)
        self.client.emit("user_uttered", {"message": text, "session_id": claimed_session or self.session_id})

    def texts(self, seconds: float = 0.0) -> List[str]:
        """Every bot text this tab has received, after waiting up to `seconds` for more."""
        try:
            while True:
                self.received.append(self.messages.get(timeout=seconds))
        except queue.Empty:
            pass
        return [message.get("text") or "" for message in self.received]

    def wait_for(self, contains: str, seconds: float = 60) -> Dict[str, Any]:
        """The first bot message since she last said something that contains `contains`."""
        for message in self.received[self._since:]:
            if contains in (message.get("text") or ""):
                return message
        while True:
            try:
                message = self.messages.get(timeout=seconds)
            except queue.Empty:
                raise AssertionError(f"no message containing {contains!r}; got {self.texts()}") from None
            self.received.append(message)
            if contains in (message.get("text") or ""):
                return message

    def close(self) -> None:
        """Leave without waiting for the long-poll in flight (python-engineio waits for it, up to a minute)."""
        if self.client.connected:
            self.client.eio.disconnect(abort=True)


@pytest.fixture
def tabs():
    opened: List[ChatTab] = []

    def open_tab(live: Services, **options: Any) -> ChatTab:
        tab = ChatTab(live, **options)
        opened.append(tab)
        return tab

    yield open_tab
    for tab in opened:
        tab.close()
