"""The request log (routing/api/middleware.py `RequestLog`): one JSON line per request with
its id, method, route template, status and duration; never the concrete path, the query
string (her place) or a body; the caller's X-Request-ID is kept and returned."""
from __future__ import annotations

import io
import json
import logging

import pytest
from fastapi.testclient import TestClient

from assistant_contract.json_logs import JsonFormatter
from routing.api.app import create_app
from routing.settings import Settings
from tests.routing.fake_relay import FakeRelay

SERVICE = {"Authorization": "Bearer service-secret-for-tests"}


@pytest.fixture
def logged(sessions, database_url):
    settings = Settings(database_url=database_url, demo_mode=False, service_token="service-secret-for-tests",
                        rasa_token="rasa-token-for-the-routing-tests")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("routing.requests")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield TestClient(create_app(settings, sessions, relay=FakeRelay(), with_console=False)), stream
    logger.removeHandler(handler)


def _lines(stream):
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_each_request_is_one_line_with_the_route_template_and_no_query(logged):
    client, stream = logged
    answer = client.get("/api/v1/conversations/woman-log-1/status", headers=dict(SERVICE, **{"X-Request-ID": "abc-123"}))
    assert answer.status_code == 404 and answer.headers["X-Request-ID"] == "abc-123"
    client.get("/api/v1/offices/for-region", params={"region": "广东省佛山市顺德区"}, headers=SERVICE)
    first, second = _lines(stream)
    assert first["request_id"] == "abc-123" and first["method"] == "GET" and first["status"] == 404
    assert first["route"] == "/api/v1/conversations/{conversation_id}/status" and first["duration_ms"] >= 0
    assert second["route"] == "/api/v1/offices/for-region"
    assert "woman-log-1" not in stream.getvalue() and "顺德" not in stream.getvalue()


def test_a_missing_or_unusable_id_is_replaced_by_a_new_one(logged):
    client, stream = logged
    made = client.get("/healthz").headers["X-Request-ID"]
    odd = client.get("/healthz", headers={"X-Request-ID": "her words; 13800000000"}).headers["X-Request-ID"]
    assert len(made) == 32 and len(odd) == 32 and made != odd
    assert "13800000000" not in stream.getvalue()
