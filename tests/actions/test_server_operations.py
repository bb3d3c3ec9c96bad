"""The action server's operations routes on the running app (actions/server.py): /healthz
checks the outbox and the routing backend, /metrics counts calls, and every answer carries
the request id, the caller's when it sent one."""
from __future__ import annotations

import asyncio
import socket
import threading

import httpx
import pytest

from actions.server import ActionServerSettings, build_app

TOKEN = "a-token-of-more-than-24-characters"


@pytest.fixture
def server(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_HANDOFF_DB", str(tmp_path / "handoff_requests.db"))
    monkeypatch.setenv("ROUTING_URL", "http://127.0.0.1:9")  # nothing listens: routing unreachable
    from sanic import Sanic

    Sanic.test_mode = True
    app = build_app(ActionServerSettings("127.0.0.1", 0, TOKEN, True, outbox_retry_seconds=3600))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    loop, ready, stop = asyncio.new_event_loop(), threading.Event(), None

    async def serve():
        nonlocal stop
        stop = asyncio.Event()
        server = await app.create_server(sock=sock, return_asyncio_server=True, access_log=False)
        await server.startup()
        ready.set()
        await stop.wait()
        server.close()
        await server.wait_closed()

    thread = threading.Thread(target=lambda: loop.run_until_complete(serve()), daemon=True)
    thread.start()
    assert ready.wait(30)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    loop.call_soon_threadsafe(stop.set)
    thread.join(timeout=20)


def test_healthz_reports_the_outbox_and_an_unreachable_routing_backend(server):
    answer = httpx.get(f"{server}/healthz", timeout=10)
    assert answer.status_code == 200
    body = answer.json()
    assert body["status"] == "degraded" and body["checks"]["routing"] == {"ok": False}
    assert body["checks"]["outbox"]["ok"] is True and body["checks"]["outbox"]["waiting"]["requests"] == 0


def test_calls_are_counted_and_carry_the_request_id(server):
    call = {"next_action": "action_that_does_not_exist", "sender_id": "woman-1",
            "tracker": {"sender_id": "woman-1", "latest_message": {"message_id": "ab" * 16, "text": "他打我"},
                        "events": [], "slots": {}}, "domain": {}}
    answer = httpx.post(f"{server}/webhook", params={"token": TOKEN}, json=call, timeout=10)
    assert answer.headers["X-Request-ID"] == "ab" * 16
    mine = httpx.post(f"{server}/webhook", params={"token": TOKEN}, json=call, timeout=10,
                      headers={"X-Request-ID": "rasa-req-1"})
    assert mine.headers["X-Request-ID"] == "rasa-req-1"
    assert httpx.post(f"{server}/webhook", json=call, timeout=10).status_code == 401
    metrics = httpx.get(f"{server}/metrics", timeout=10).text
    assert 'assistant_action_calls_total{action="action_that_does_not_exist",outcome="error"} 2' in metrics
    assert "assistant_messages_total 1" in metrics and "他打我" not in metrics
