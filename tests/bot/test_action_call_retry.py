"""A custom action whose call was lost with its action server is tried once more; other failures are not."""
import asyncio
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import List

import pytest
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig

from bot import action_call_retry
from tests.http_stubs import send_json


class ActionServer:
    """Answers each call with the next status of `statuses`; 200 carries one reply."""

    def __init__(self, statuses: List[int]) -> None:
        self.statuses, self.calls = list(statuses), 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                server.calls += 1
                status = server.statuses.pop(0) if server.statuses else 200
                send_json(self, status, {"events": [], "responses": [{"text": "不客气"}]} if status == 200
                          else {"error": "lost", "action_name": "action_small_talk"})

            def log_message(self, *_):
                pass

        self.http = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}/webhook"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def close(self):
        self.http.shutdown()


@pytest.fixture(autouse=True)
def retried(monkeypatch):
    monkeypatch.setattr(RemoteAction, "run", RemoteAction.run)  # undone after each test
    assert action_call_retry.install() and not action_call_retry.install()  # once


def run_action(url: str):
    action = RemoteAction("action_small_talk", EndpointConfig(url))
    domain = Domain.empty()
    return asyncio.run(action.run(CollectingOutputChannel(), TemplatedNaturalLanguageGenerator(domain.responses),
                                  DialogueStateTracker("woman-1", []), domain))


@pytest.fixture
def action_server():
    """A factory of action servers answering with the given statuses, closed after the test."""
    servers: List[ActionServer] = []

    def start(statuses: List[int]) -> ActionServer:
        servers.append(ActionServer(statuses))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


@pytest.mark.parametrize("lost", [502, 503, 504])
def test_a_call_lost_with_its_server_is_made_once_more(action_server, lost):
    server = action_server([lost])
    events = run_action(server.url)
    assert server.calls == 2 and [e.text for e in events] == ["不客气"]


def test_a_call_lost_twice_fails_as_before(action_server):
    server = action_server([502, 502, 200])
    with pytest.raises(RasaException):
        run_action(server.url)
    assert server.calls == 2


@pytest.mark.parametrize("status", [500, 400])
def test_an_error_of_the_action_itself_is_not_tried_again(action_server, status):
    server = action_server([status])
    with pytest.raises(RasaException):
        run_action(server.url)
    assert server.calls == 1


def test_no_action_server_at_all_is_tried_once_more_and_fails():
    with pytest.raises(RasaException):
        run_action("http://127.0.0.1:9/webhook")
