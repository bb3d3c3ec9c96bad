"""Health and metrics of the routing backend: liveness, readiness of each dependency (the
database, Rasa, the delivery backlog) and Prometheus counts that hold no personal data."""
from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from routing.api.app import create_app
from routing.api.routes import health
from routing.models import HandoffMessage, utcnow
from routing.settings import Settings
from tests.routing.console_support import open_handoff
from tests.routing.fake_relay import FakeRelay


@pytest.fixture
def client(sessions, database_url):
    settings = Settings(database_url=database_url, demo_mode=False, service_token="service-secret-for-tests",
                        rasa_token="rasa-token-for-the-routing-tests")
    return TestClient(create_app(settings, sessions, relay=FakeRelay(), with_console=False))


def test_ready_when_every_dependency_answers(client, monkeypatch):
    monkeypatch.setattr(health, "rasa_reachable", lambda url: True)
    answer = client.get("/healthz/ready")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok", "checks": {"database": {"ok": True}, "rasa": {"ok": True},
                                                         "delivery_backlog": {"ok": True, "pending": 0,
                                                                              "oldest_seconds": 0}}}


def test_rasa_down_or_an_old_backlog_is_degraded_not_down(client, sessions, monkeypatch):
    monkeypatch.setattr(health, "rasa_reachable", lambda url: False)
    handoff_id = open_handoff(sessions, conversation="woman-health-1")
    with sessions() as db, db.begin():
        db.add(HandoffMessage(handoff_id=handoff_id, sender="expert", text="回复", delivery="pending",
                              created_at=utcnow() - timedelta(minutes=12)))
    answer = client.get("/healthz/ready")
    assert answer.status_code == 200 and answer.json()["status"] == "degraded"
    checks = answer.json()["checks"]
    assert checks["rasa"] == {"ok": False}
    assert checks["delivery_backlog"]["pending"] == 1 and checks["delivery_backlog"]["oldest_seconds"] >= 700


def test_rasa_reachable_is_false_when_nothing_listens():
    assert health.rasa_reachable("http://127.0.0.1:9") is False


def test_metrics_count_handoffs_by_state_replies_and_requests(client, sessions):
    open_handoff(sessions, conversation="woman-metrics-1", urgent=True, summary="他拿刀了")
    assert client.get("/healthz").status_code == 200
    answer = client.get("/metrics")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/plain; version=0.0.4")
    body = answer.text
    assert 'routing_handoffs{state="received"} 1' in body
    assert "routing_open_urgent_handoffs 1" in body
    assert 'routing_replies{delivery="pending"} 0' in body
    assert 'routing_http_requests_total{method="GET",route="/healthz",status="200"} 1' in body
    assert "他拿刀了" not in body and "woman-metrics-1" not in body
