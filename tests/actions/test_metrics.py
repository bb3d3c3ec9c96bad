"""The action server's counts and request ids (actions/metrics.py): each message counted once,
crisis replies counted, the outbox backlog read from its files without creating them, and
the request id of her message sent on to the routing backend."""
from __future__ import annotations

import asyncio
import sqlite3
from datetime import datetime, timedelta, timezone

import httpx
from assistant_contract.json_logs import REQUEST_ID

from actions import metrics
from actions.handoff_store import SQLiteHandoffStore
from actions.handoff_types import HandoffRequest
from actions.routing_client import RoutingClient


def _call(action: str, message_id: str, metadata=None) -> dict:
    return {"next_action": action, "tracker": {"latest_message": {"message_id": message_id,
                                                                  "metadata": metadata or {}, "text": "他打我"}}}


def test_each_message_counts_once_and_crisis_replies_are_counted(tmp_path):
    counted = metrics.ActionMetrics(tmp_path / "handoff_requests.db")
    counted.action_called(_call("action_crisis_response", "m1"), 200, 0.02)
    counted.action_called(_call("action_listen_more", "m1"), 200, 0.01)
    counted.action_called(_call("action_answer_request", "m2"), 500, 0.3)
    assert counted.messages.value() == 2 and counted.crisis_replies.value() == 1
    assert counted.calls.value(action="action_answer_request", outcome="error") == 1
    body = counted.registry.expose()
    assert 'assistant_action_seconds_count{action="action_crisis_response"} 1' in body
    assert "他打我" not in body


def test_the_outbox_backlog_is_read_from_its_file_and_never_created(tmp_path):
    path = tmp_path / "handoff_requests.db"
    assert metrics.outbox_backlog(path) == {"requests": (0, None), "messages": (0, None), "grid_reports": (0, None)}
    assert not path.exists()
    store = SQLiteHandoffStore(path)
    store.open_request(HandoffRequest("woman-1", "rest", "legal", "legal_divorce", True, "想离婚"))
    store.queue_message("woman-1", "h1", "还在吗")
    backlog = metrics.outbox_backlog(path)
    assert backlog["requests"][0] == 1 and backlog["messages"][0] == 1
    later = datetime.now(timezone.utc) + timedelta(minutes=10)
    assert 590 <= metrics.oldest_seconds(backlog, later) <= 610
    assert 'assistant_outbox_waiting{kind="requests"} 1' in metrics.ActionMetrics(path).registry.expose()
    sqlite3.connect(path).close()


def test_the_request_id_prefers_the_header_then_her_channel_then_rasas_message_id():
    assert metrics.request_id_for("from-rasa-1", _call("a", "m1", {"request_id": "chan-1"})) == "from-rasa-1"
    assert metrics.request_id_for(None, _call("a", "m1", {"request_id": "chan-1"})) == "chan-1"
    assert metrics.request_id_for(None, _call("a", "0f" * 16)) == "0f" * 16
    assert len(metrics.request_id_for(None, None)) == 32


def test_the_routing_client_sends_the_request_id_and_counts_failures(tmp_path):
    seen = []

    def backend(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("X-Request-ID"))
        return httpx.Response(503)

    counted = metrics.install(metrics.ActionMetrics(tmp_path / "handoff_requests.db"))
    client = RoutingClient("http://routing.test", "token", transport=httpx.MockTransport(backend))

    async def call():
        REQUEST_ID.set("her-message-7")
        try:
            await client.latest_for("woman-1")
        except Exception:  # noqa: BLE001 - RoutingUnavailable, as expected
            pass

    asyncio.run(call())
    assert seen == ["her-message-7"]
    assert counted.routing_failures.value(kind="unavailable") == 1
