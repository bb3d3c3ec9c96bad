"""Finding 5: the service token defaulted to `change-me`. With it anyone could open
handoffs, add messages the expert takes for hers, and read her summary through /status.

No default or placeholder secret opens anything; outside demo mode the service does not
start without real tokens; /status says only what the action server needs."""
import json
import logging

import pytest
from fastapi.testclient import TestClient

from routing import cli
from routing.api.app import create_app
from routing.models import Handoff
from routing.settings import Settings
from tests.routing.console_support import open_handoff
from tests.security.routing.attack_support import SERVICE

REAL_TOKEN = "a-real-per-install-token-0123456789"
ENVIRONMENT = ("ROUTING_SERVICE_TOKEN", "ROUTING_RASA_TOKEN", "ROUTING_DEMO_MODE", "ROUTING_TRUSTED_PROXIES",
               "ROUTING_COOKIE_SECURE", "ROUTING_DATABASE_URL")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize("configured", [None, "change-me", "", "changeme"])
@pytest.mark.parametrize("guess", ["change-me", "changeme", ""])
def test_a_default_or_placeholder_token_opens_nothing_in_demo_mode(sessions, database_url, configured, guess):
    settings = Settings(database_url=database_url) if configured is None else \
        Settings(database_url=database_url, service_token=configured)
    client = TestClient(create_app(settings, sessions))
    attacker = {"Authorization": f"Bearer {guess}"}
    victim = open_handoff(sessions, conversation="woman-5", summary="他打我，我电话13812345678")

    forged = client.post("/api/v1/handoffs", json={"conversation_id": "forged-1", "summary": "x"}, headers=attacker)
    assert forged.status_code in (401, 403)
    added = client.post(f"/api/v1/handoffs/{victim}/messages", json={"text": "我改主意了，不用回复"}, headers=attacker)
    assert added.status_code in (401, 403)
    status = client.get("/api/v1/conversations/woman-5/status", headers=attacker)
    assert status.status_code in (401, 403) and "13812345678" not in status.text
    offices = client.get("/api/v1/offices/for-region", params={"region": "佛山市"}, headers=attacker)
    assert offices.status_code in (401, 403)
    with sessions() as db:
        assert [m.text for m in db.get(Handoff, victim).messages] == []
        assert db.query(Handoff).filter_by(conversation_id="forged-1").count() == 0


def test_demo_mode_warns_at_start_that_service_calls_are_refused(sessions, database_url, caplog):
    with caplog.at_level(logging.WARNING):
        create_app(Settings(database_url=database_url), sessions)
    assert any("ROUTING_SERVICE_TOKEN" in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize("service_token, rasa_token, named", [
    (None, REAL_TOKEN, "ROUTING_SERVICE_TOKEN"),
    ("change-me", REAL_TOKEN, "ROUTING_SERVICE_TOKEN"),
    ("short-but-not-empty", REAL_TOKEN, "ROUTING_SERVICE_TOKEN"),
    (REAL_TOKEN, None, "ROUTING_RASA_TOKEN"),
    (REAL_TOKEN, "change-me", "ROUTING_RASA_TOKEN"),
    (REAL_TOKEN, "too-short", "ROUTING_RASA_TOKEN"),
])
def test_outside_demo_mode_the_service_refuses_to_start(monkeypatch, tmp_path, capsys, service_token, rasa_token,
                                                        named):
    monkeypatch.setenv("ROUTING_DATABASE_URL", f"sqlite:///{tmp_path / 'routing.db'}")
    monkeypatch.setenv("ROUTING_DEMO_MODE", "false")
    for name, value in (("ROUTING_SERVICE_TOKEN", service_token), ("ROUTING_RASA_TOKEN", rasa_token)):
        if value is not None:
            monkeypatch.setenv(name, value)
    served = []
    monkeypatch.setattr("uvicorn.run", lambda *args, **kwargs: served.append(kwargs))
    monkeypatch.setattr(cli.scheduler, "install", lambda app, *args, **kwargs: None)  # no background jobs
    assert cli.main(["serve"]) != 0
    assert served == []
    message = capsys.readouterr().err.strip()
    assert len(message.splitlines()) == 1 and named in message


def test_outside_demo_mode_real_tokens_start_the_service(monkeypatch, tmp_path):
    monkeypatch.setenv("ROUTING_DATABASE_URL", f"sqlite:///{tmp_path / 'routing.db'}")
    monkeypatch.setenv("ROUTING_DEMO_MODE", "false")
    monkeypatch.setenv("ROUTING_SERVICE_TOKEN", REAL_TOKEN)
    monkeypatch.setenv("ROUTING_RASA_TOKEN", REAL_TOKEN[::-1])
    served = []
    monkeypatch.setattr("uvicorn.run", lambda *args, **kwargs: served.append(kwargs))
    monkeypatch.setattr(cli.scheduler, "install", lambda app, *args, **kwargs: None)  # no background jobs
    assert cli.main(["serve"]) == 0 and len(served) == 1


def test_status_tells_the_action_server_only_what_it_needs(console_app):
    client = TestClient(console_app)
    body = {"conversation_id": "woman-6", "category": "legal", "intent": "legal_divorce", "urgent": True,
            "summary": "他打我，我电话13812345678", "contact": "微信 abc_12345", "region": "广东省佛山市顺德区",
            "transcript": [{"role": "user", "text": "我住林和西路123号"}]}
    assert client.post("/api/v1/handoffs", json=body, headers=SERVICE).status_code == 201
    status = client.get("/api/v1/conversations/woman-6/status", headers=SERVICE)
    assert status.status_code == 200
    fields = status.json()
    assert {"id", "conversation_id", "status", "urgent", "holder", "created_at", "due_at"} <= set(fields)
    assert not {"summary", "contact", "messages", "transcript", "region"} & set(fields)
    assert "13812345678" not in json.dumps(fields, ensure_ascii=False) and "abc_12345" not in status.text
