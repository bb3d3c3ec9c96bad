"""The Rasa server's operations channel: request ids on every route (returned, and sent to the
action server with each action call), health of the model, tracker store and action server,
and Prometheus counts of requests and messages per channel."""
from __future__ import annotations

import asyncio
import http.server
import json
import threading
import urllib.error
import urllib.request

import pytest
from rasa.utils.endpoints import EndpointConfig

from connectors.ops_channel import OpsInput, RequestIdEndpoint, wrap_agent
from connectors.rest_channel import RestInput
from tests.connectors.sanic_server import ChannelServer


class ActionServerStub(http.server.BaseHTTPRequestHandler):
    seen = []

    def do_GET(self):  # noqa: N802 - http.server's naming
        self.send_response(200 if self.path == "/health" else 404)
        self.end_headers()

    def do_POST(self):  # noqa: N802
        ActionServerStub.seen.append(self.headers.get("X-Request-ID"))
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"events": [], "responses": []}')

    def log_message(self, *args):
        pass


class Store:
    def __init__(self, up=True):
        self.up = up

    async def retrieve(self, sender_id):
        if not self.up:
            raise ConnectionError("tracker store down")
        return None


class Processor:
    def __init__(self, endpoint):
        self.action_endpoint = endpoint


class Agent:
    def __init__(self, endpoint, store):
        self.action_endpoint, self.tracker_store = endpoint, store
        self.processor = Processor(endpoint)

    def is_ready(self):
        return self.processor is not None


@pytest.fixture
def action_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), ActionServerStub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def serve(agent):
    async def assistant(message):
        await message.output_channel.send_text_message(message.sender_id, "收到")

    server = ChannelServer([OpsInput(json_lines=False), RestInput()], assistant)
    server.app.ctx.agent = agent
    return server.start()


def get(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=20) as answer:
            return answer.status, dict(answer.headers), answer.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode("utf-8")


def test_health_counts_model_tracker_store_and_action_server(action_server):
    server = serve(Agent(EndpointConfig(f"{action_server}/webhook"), Store()))
    try:
        status, _, body = get(f"{server.url}/webhooks/ops/healthz")
        assert status == 200 and json.loads(body) == {"status": "ok", "checks": {
            "model": {"ok": True}, "tracker_store": {"ok": True}, "action_server": {"ok": True}}}
        server.app.ctx.agent = Agent(EndpointConfig("http://127.0.0.1:9/webhook"), Store(up=False))
        status, _, body = get(f"{server.url}/webhooks/ops/healthz")
        assert status == 503 and json.loads(body)["status"] == "down"
        assert json.loads(body)["checks"]["action_server"] == {"ok": False}
    finally:
        server.stop()


def test_every_request_gets_an_id_and_is_counted(action_server):
    server = serve(Agent(EndpointConfig(f"{action_server}/webhook"), Store()))
    try:
        _, headers, _ = get(f"{server.url}/webhooks/ops/", {"X-Request-ID": "tg-update-42"})
        assert headers["X-Request-ID"] == "tg-update-42"
        data = json.dumps({"sender": "woman-ops-1", "message": "他打我"}).encode("utf-8")
        request = urllib.request.Request(f"{server.url}/webhooks/rest/webhook", data=data, method="POST",
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=20) as answer:
            assert len(answer.headers["X-Request-ID"]) == 32
        _, _, metrics = get(f"{server.url}/webhooks/ops/metrics")
        assert 'rasa_channel_messages_total{channel="rest"} 1' in metrics
        assert 'rasa_http_requests_total{method="POST",route="/webhooks/rest/webhook",status="200"} 1' in metrics
        assert "他打我" not in metrics and "woman-ops-1" not in metrics
    finally:
        server.stop()


def test_action_calls_carry_the_request_id_of_the_message(action_server):
    agent = Agent(EndpointConfig(f"{action_server}/webhook"), Store())
    wrap_agent(agent)
    assert isinstance(agent.action_endpoint, RequestIdEndpoint)
    assert isinstance(agent.processor.action_endpoint, RequestIdEndpoint)
    wrap_agent(agent)  # twice is harmless

    from assistant_contract.json_logs import REQUEST_ID

    async def call():
        REQUEST_ID.set("her-message-9")
        await agent.processor.action_endpoint.request(json={"next_action": "action_x"}, method="post")

    ActionServerStub.seen.clear()
    asyncio.run(call())
    assert ActionServerStub.seen == ["her-message-9"]
