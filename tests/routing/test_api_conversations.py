"""routing/api/routes/conversations.py, the continuation endpoints: service token only; a code
moves her request and its unseen replies go out at once; wrong codes are refused alike and
counted even though the answer is a refusal."""
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from routing import auth
from routing.api.app import create_app
from routing.models import HandoffMessage
from routing.settings import Settings
from tests.routing.fake_relay import FakeRelay
from tests.routing.test_api import SERVICE, login, open_handoff


@pytest.fixture
def rasa():
    return FakeRelay()


@pytest.fixture
def client(sessions, database_url, rasa):
    settings = Settings(database_url=database_url, demo_mode=False, service_token=SERVICE["Authorization"][7:],
                        rasa_token="rasa-token-for-the-routing-tests")
    with sessions() as db, db.begin():
        auth.create_user(db, username="lawyer1", password="a-long-password", role="expert",
                         department_id="rights", specialty="法律", title="律师")
    return TestClient(create_app(settings, sessions, relay=rasa))


def code_for(client, conversation):
    response = client.post(f"/api/v1/conversations/{conversation}/continuation-code", headers=SERVICE)
    assert response.status_code == 201, response.text
    return response.json()["code"]


def test_only_the_service_token_makes_or_takes_codes(client):
    open_handoff(client, conversation="woman-1")
    expert = login(client, "lawyer1")
    assert client.post("/api/v1/conversations/woman-1/continuation-code", headers=expert).status_code == 403
    assert client.post("/api/v1/conversations/woman-1/continuation-code").status_code == 401
    code = code_for(client, "woman-1")
    assert client.post("/api/v1/conversations/web-2/continue", json={"code": code, "channel": "socketio"},
                       headers=expert).status_code == 403


def test_no_request_no_code(client):
    assert client.post("/api/v1/conversations/nobody/continuation-code", headers=SERVICE).status_code == 404


def test_the_request_and_a_waiting_reply_move_to_the_new_conversation(client, rasa, sessions):
    handoff = open_handoff(client, conversation="woman-1")
    expert = login(client, "lawyer1")
    client.post(f"/api/v1/handoffs/{handoff['id']}/claim", headers=expert)
    client.post(f"/api/v1/handoffs/{handoff['id']}/reply", json={"text": "请保留好证据。"}, headers=expert)
    with sessions() as db:
        reply_id = db.scalar(select(HandoffMessage.id).where(HandoffMessage.sender == "expert"))
    assert client.post(f"/api/v1/handoffs/messages/{reply_id}/delivery",
                       json={"state": "refused", "detail": "45015"}, headers=SERVICE).status_code == 204
    code = code_for(client, "woman-1")

    moved = client.post("/api/v1/conversations/web-2/continue", json={"code": code.lower(), "channel": "socketio"},
                        headers=SERVICE)
    assert moved.status_code == 200, moved.text
    assert (moved.json()["id"], moved.json()["conversation_id"], moved.json()["channel"]) == (
        handoff["id"], "web-2", "socketio")
    assert ("web-2", "expert", "请保留好证据。") in rasa.sent  # sent again, to where she is now
    status = client.get("/api/v1/conversations/web-2/status", headers=SERVICE).json()
    assert status["id"] == handoff["id"]
    history = client.get(f"/api/v1/handoffs/{handoff['id']}", headers=expert).json()["history"]
    assert any("转到了网页聊天" in (event["note"] or "") for event in history)


def test_wrong_codes_are_refused_alike_and_counted_until_everyone_waits(client, rasa):
    open_handoff(client, conversation="woman-1")
    code = code_for(client, "woman-1")
    client.app.state.services.settings.continuation_max_wrong_codes = 2
    for guess in ("AAAAA-AAAAA", "not a code"):
        answer = client.post("/api/v1/conversations/web-x/continue", json={"code": guess, "channel": "socketio"},
                             headers=SERVICE)
        assert answer.status_code == 404 and "code" in answer.json()["detail"]
    blocked = client.post("/api/v1/conversations/web-2/continue", json={"code": code, "channel": "socketio"},
                          headers=SERVICE)
    assert blocked.status_code == 429
    assert client.get("/api/v1/conversations/woman-1/status", headers=SERVICE).json()["conversation_id"] == "woman-1"


def test_a_malformed_body_is_refused_and_moves_nothing(client):
    open_handoff(client, conversation="woman-1")
    for body in ({}, {"code": ""}, {"code": "x" * 41, "channel": "wechat"}, {"code": "AAAAA-AAAAA", "channel": ""}):
        assert client.post("/api/v1/conversations/web-2/continue", json=body, headers=SERVICE).status_code == 422


def test_an_overlong_conversation_id_is_refused_before_anything_moves(client):
    open_handoff(client, conversation="woman-1")
    code = code_for(client, "woman-1")
    assert client.post(f"/api/v1/conversations/{'x' * 129}/continue", json={"code": code, "channel": "wechat"},
                       headers=SERVICE).status_code == 422
    assert client.get("/api/v1/conversations/woman-1/status", headers=SERVICE).json()["conversation_id"] == "woman-1"
