import threading

import pytest
from fastapi.testclient import TestClient

from routing import auth
from routing.api.app import create_app
from routing.settings import Settings
from tests.routing.fake_relay import FakeRelay

SERVICE = {"Authorization": "Bearer service-secret-for-tests"}


@pytest.fixture
def rasa():
    return FakeRelay()


@pytest.fixture
def client(sessions, database_url, rasa):
    settings = Settings(database_url=database_url, demo_mode=False, service_token="service-secret-for-tests",
                        rasa_token="rasa-token-for-the-routing-tests")
    with sessions() as db, db.begin():
        for name, department, specialty in [("lawyer1", "rights", "法律"), ("lawyer2", "rights", "法律"),
                                            ("counsellor", "care", "心理")]:
            auth.create_user(db, username=name, password="a-long-password", role="expert",
                             department_id=department, specialty=specialty, title="律师")
        auth.create_user(db, username="staff", password="a-long-password", role="staff", title="工作人员")
    return TestClient(create_app(settings, sessions, relay=rasa))


def login(client, username):
    response = client.post("/api/v1/auth/token", json={"username": username, "password": "a-long-password"})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def open_handoff(client, conversation="woman-1", **extra):
    body = {"conversation_id": conversation, "channel": "callback", "category": "legal",
            "intent": "legal_divorce", "summary": "想离婚，孩子两岁",
            "transcript": [{"role": "user", "text": "想离婚，孩子两岁"}, {"role": "bot", "text": "好的"}], **extra}
    response = client.post("/api/v1/handoffs", json=body, headers=SERVICE)
    assert response.status_code == 201, response.text
    return response.json()


def test_health(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_wrong_password_missing_or_forged_tokens_are_refused(client):
    assert client.post("/api/v1/auth/token", json={"username": "lawyer1", "password": "nope"}).status_code == 401
    assert client.post("/api/v1/auth/token", json={"username": "ghost", "password": "nope"}).status_code == 401
    assert client.get("/api/v1/handoffs").status_code == 401
    assert client.get("/api/v1/handoffs", headers={"Authorization": "Bearer forged"}).status_code == 401
    assert client.post("/api/v1/handoffs", json={"conversation_id": "x"},
                       headers={"Authorization": "Bearer forged"}).status_code == 403
    expert = login(client, "lawyer1")
    assert client.post("/api/v1/handoffs", json={"conversation_id": "x"}, headers=expert).status_code == 403


def test_a_new_handoff_goes_to_the_legal_department_with_a_48_hour_due_time(client):
    created = open_handoff(client)
    assert created["department"] == "权益部" and created["status"] == "assigned" and created["holder"] == "律师"
    from datetime import datetime
    due = datetime.fromisoformat(created["due_at"]) - datetime.fromisoformat(created["created_at"])
    assert due.total_seconds() == 48 * 3600


def test_experts_see_their_department_and_staff_see_all(client):
    open_handoff(client, "a")
    open_handoff(client, "b", category="care", intent="care_mental_health")
    lawyer, counsellor, staff = login(client, "lawyer1"), login(client, "counsellor"), login(client, "staff")
    assert {h["conversation_id"] for h in client.get("/api/v1/handoffs", headers=lawyer).json()} == {"a"}
    assert {h["conversation_id"] for h in client.get("/api/v1/handoffs", headers=counsellor).json()} == {"b"}
    assert len(client.get("/api/v1/handoffs", headers=staff).json()) == 2
    assert len(client.get("/api/v1/handoffs?category=care", headers=staff).json()) == 1
    assert len(client.get("/api/v1/handoffs?urgency=urgent", headers=staff).json()) == 0


def holder_and_other(client, handoff_id):
    staff = login(client, "staff")
    detail = client.get(f"/api/v1/handoffs/{handoff_id}", headers=staff).json()
    assigned_to = next(e["note"] for e in detail["history"] if e["to_status"] == "assigned").split()[-1]
    other = "lawyer2" if assigned_to == "lawyer1" else "lawyer1"
    return login(client, assigned_to), login(client, other)


def test_claim_reply_her_answer_resolve_and_the_history(client):
    handoff = open_handoff(client)
    holder, other = holder_and_other(client, handoff["id"])
    hid = handoff["id"]
    assert client.post(f"/api/v1/handoffs/{hid}/claim", headers=other).status_code == 409
    assert client.post(f"/api/v1/handoffs/{hid}/claim", headers=holder).json()["status"] == "in_progress"
    replied = client.post(f"/api/v1/handoffs/{hid}/reply", json={"text": "你好，我是律师"}, headers=holder).json()
    assert replied["status"] == "replied" and replied["messages"][-1]["delivery"] == "pending"
    after = client.get(f"/api/v1/handoffs/{hid}", headers=holder).json()
    assert after["messages"][-1]["delivery"] == "delivered"
    assert client.post(f"/api/v1/handoffs/{hid}/messages", json={"text": "孩子两岁"}, headers=SERVICE).json() == {
        "status": "in_progress"}
    assert client.post(f"/api/v1/handoffs/{hid}/resolve", json={"note": "已解答"}, headers=holder).status_code == 200
    detail = client.get(f"/api/v1/handoffs/{hid}", headers=holder).json()
    assert [e["to_status"] for e in detail["history"]] == [
        "received", "assigned", "in_progress", "replied", "in_progress", "resolved"]
    assert [m["sender"] for m in detail["messages"]] == ["user", "bot", "expert", "user", "system"]
    late = client.post(f"/api/v1/handoffs/{hid}/reply", json={"text": "还有"}, headers=holder)
    assert late.status_code == 409 and "resolved" in late.json()["detail"]
    transcript = client.get("/api/v1/conversations/woman-1/transcript", headers=login(client, "staff")).json()
    assert transcript["handoffs"][0]["id"] == hid
    status = client.get("/api/v1/conversations/woman-1/status", headers=SERVICE).json()
    assert status["status"] == "resolved"


def test_unknown_ids_bad_bodies_and_huge_bodies_get_clear_4xx(client):
    expert = login(client, "lawyer1")
    assert client.post("/api/v1/handoffs/nope/claim", headers=expert).status_code == 404
    assert client.get("/api/v1/conversations/nobody/transcript", headers=expert).status_code == 404
    malformed = client.post("/api/v1/handoffs", content=b"{not json", headers={**SERVICE, "Content-Type": "application/json"})
    assert malformed.status_code == 422
    assert client.post("/api/v1/handoffs", json={"conversation_id": "x", "category": "sports"},
                       headers=SERVICE).status_code == 422
    huge = client.post("/api/v1/handoffs", json={"conversation_id": "x", "summary": "长" * 70_000}, headers=SERVICE)
    assert huge.status_code == 413
    handoff = open_handoff(client)
    empty = client.post(f"/api/v1/handoffs/{handoff['id']}/reply", json={"text": ""}, headers=expert)
    assert empty.status_code == 422


def test_two_experts_claiming_at_once_get_one_success(client, sessions):
    handoff = open_handoff(client, category="care", intent="care_mental_health")
    with sessions() as db, db.begin():  # make it claimable by either of two counsellors
        auth.create_user(db, username="counsellor2", password="a-long-password", role="expert",
                         department_id="care", specialty="心理")
    staff = login(client, "staff")
    assert client.get(f"/api/v1/handoffs/{handoff['id']}", headers=staff).json()["status"] == "assigned"
    # Return it to the queue so that both may claim it.
    with sessions() as db, db.begin():
        from routing.models import Handoff
        row = db.get(Handoff, handoff["id"])
        row.assignee_id, row.status = None, "received"
    headers = [login(client, "counsellor"), login(client, "counsellor2")]
    results = []
    barrier = threading.Barrier(2)

    def claim(h):
        barrier.wait()
        results.append(client.post(f"/api/v1/handoffs/{handoff['id']}/claim", headers=h).status_code)

    threads = [threading.Thread(target=claim, args=(h,)) for h in headers]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sorted(results) == [200, 409]


def test_replies_wait_while_rasa_is_down_and_arrive_in_order_when_it_is_back(client, rasa, sessions):
    from routing.relay import RasaRelay

    handoff = open_handoff(client)
    holder, _ = holder_and_other(client, handoff["id"])
    hid = handoff["id"]
    client.post(f"/api/v1/handoffs/{hid}/claim", headers=holder)
    rasa.up = False
    client.post(f"/api/v1/handoffs/{hid}/reply", json={"text": "第一条"}, headers=holder)
    client.post(f"/api/v1/handoffs/{hid}/reply", json={"text": "第二条"}, headers=holder)
    pending = client.get(f"/api/v1/handoffs/{hid}", headers=holder).json()["messages"]
    assert [m["delivery"] for m in pending if m["sender"] == "expert"] == ["pending", "pending"]
    rasa.up = True
    with sessions() as db, db.begin():
        assert RasaRelay.deliver_pending(rasa, db) == 2
    assert [text for _, _, text in rasa.sent] == ["第一条", "第二条"]
    delivered = client.get(f"/api/v1/handoffs/{hid}", headers=holder).json()["messages"]
    assert {m["delivery"] for m in delivered if m["sender"] == "expert"} == {"delivered"}


def test_an_expert_can_return_a_handoff_to_the_bot_and_she_is_told(client, rasa):
    handoff = open_handoff(client, "returned-1")
    holder, other = holder_and_other(client, handoff["id"])
    hid = handoff["id"]
    assert client.post(f"/api/v1/handoffs/{hid}/return", json={"note": "x"}, headers=other).status_code == 409
    returned = client.post(f"/api/v1/handoffs/{hid}/return", json={"note": "机器人可以回答"}, headers=holder)
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    assert ("returned-1", "system", "handoff_closed") in rasa.sent
    assert client.post(f"/api/v1/handoffs/{hid}/claim", headers=holder).status_code == 409


def test_she_can_withdraw_her_own_request_but_not_an_urgent_one(client, rasa):
    handoff = open_handoff(client, "withdraw-1")
    hid = handoff["id"]
    path = f"/api/v1/handoffs/{hid}/withdraw"
    assert client.post(path, json={"conversation_id": "withdraw-1"}).status_code == 401
    assert client.post(path, json={"conversation_id": "withdraw-1"}, headers=login(client, "lawyer1")).status_code == 403
    assert client.post(path, json={"conversation_id": "someone-else"}, headers=SERVICE).status_code == 404
    withdrawn = client.post(path, json={"conversation_id": "withdraw-1"}, headers=SERVICE)
    assert withdrawn.status_code == 200 and withdrawn.json() == {"status": "returned"}
    history = client.get(f"/api/v1/handoffs/{hid}", headers=login(client, "staff")).json()["history"]
    assert (history[-1]["to_status"], history[-1]["actor"], history[-1]["note"]) == (
        "returned", "user", "她在对话里撤回了这次求助")
    assert not [sent for sent in rasa.sent if sent[0] == "withdraw-1"]  # she was answered in the chat already
    assert client.post(path, json={"conversation_id": "withdraw-1"}, headers=SERVICE).status_code == 409
    urgent = open_handoff(client, "withdraw-2", urgent=True)
    refused = client.post(f"/api/v1/handoffs/{urgent['id']}/withdraw", json={"conversation_id": "withdraw-2"},
                          headers=SERVICE)
    assert refused.status_code == 409
    assert client.get(f"/api/v1/handoffs/{urgent['id']}", headers=login(client, "staff")).json()["status"] in (
        "received", "assigned")


def test_her_region_is_kept_and_shown_with_the_handoff(client):
    created = open_handoff(client, "woman-region", region="广东省佛山市顺德区")
    assert created["region"] == "广东省佛山市顺德区"


def test_whatever_the_action_server_sends_within_the_contract_is_accepted(client):
    """The sender cuts to assistant_contract's limits; the backend takes every such request."""
    from assistant_contract.handoff_request import request_body

    body = request_body(conversation_id="woman-long", channel="telegram" * 20, category="legal",
                        intent="legal_divorce_" * 10, urgent=True, summary="他打我，" * 3000,
                        transcript=[{"role": "user", "text": "字" * 30_000}] * 120 + [{"role": "bot", "text": "好"}],
                        region="广东省佛山市顺德区" * 30, contact="1" * 300)
    response = client.post("/api/v1/handoffs", json=body, headers=SERVICE)
    assert response.status_code == 201, response.text[:300]
    assert response.json()["urgent"] is True
