"""The console's actions by API: internal notes, reassigning, escalating to her grassroots
federation, resolving with an outcome. Each goes through the same core function as the
console's form (routing/handoff_operations.py) and the same policy."""
import pytest
from fastapi.testclient import TestClient

from routing import lifecycle
from routing.console.models import HandoffOutcome
from routing.models import Handoff, User
from tests.routing import console_support
from tests.routing.console_support import PASSWORD, open_handoff

# the console fixtures (tests/routing/console_support.py)
console_app = console_support.console_app
relay = console_support.relay
tracker = console_support.tracker

PHONE = "13812345678"


@pytest.fixture
def client(console_app):
    return TestClient(console_app)


def token(client: TestClient, username: str) -> dict:
    response = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def claimed(sessions, region=None) -> tuple:
    """A legal handoff her lawyer has claimed: its id, the holder and the other lawyer."""
    handoff_id = open_handoff(sessions, region=region)
    with sessions() as db, db.begin():
        handoff = db.get(Handoff, handoff_id)
        lifecycle.claim(db, handoff, handoff.assignee)
        holder = handoff.assignee.username
    return handoff_id, holder, "lawyer2" if holder == "lawyer1" else "lawyer1"


def user_id(sessions, username: str) -> int:
    with sessions() as db:
        return db.query(User).filter_by(username=username).one().id


def test_the_holder_writes_a_note_that_colleagues_read_masked(client, sessions):
    handoff_id, holder, colleague = claimed(sessions)
    url = f"/api/v1/handoffs/{handoff_id}"
    written = client.post(f"{url}/note", json={"text": f"她说晚上打{PHONE}"}, headers=token(client, holder))
    assert written.status_code == 201
    assert written.json()["author"] == "律师" and PHONE in written.json()["text"]
    assert [n["text"] for n in client.get(f"{url}/notes", headers=token(client, "root")).json()] == [
        f"她说晚上打{PHONE}"]
    for reader in ("staff", "boss", colleague):
        notes = client.get(f"{url}/notes", headers=token(client, reader))
        assert notes.status_code == 200 and PHONE not in notes.text and "[电话已隐藏]" in notes.text, reader
    assert client.get(f"{url}/notes", headers=token(client, "counsellor")).status_code == 403


@pytest.mark.parametrize("who, refused", [("staff", 403), ("counsellor", 403), ("colleague", 409)])
def test_only_the_holder_and_managers_write_notes(client, sessions, who, refused):
    handoff_id, _holder, colleague = claimed(sessions)
    writer = colleague if who == "colleague" else who
    answer = client.post(f"/api/v1/handoffs/{handoff_id}/note", json={"text": "x"}, headers=token(client, writer))
    assert answer.status_code == refused
    assert client.post(f"/api/v1/handoffs/{handoff_id}/note", json={"text": "x"},
                       headers=token(client, "boss")).status_code == 201


def test_a_supervisor_reassigns_to_another_lawyer_who_then_answers(client, sessions):
    handoff_id, holder, colleague = claimed(sessions)
    url = f"/api/v1/handoffs/{handoff_id}"
    moved = client.post(f"{url}/reassign", json={"expert_id": user_id(sessions, colleague)},
                        headers=token(client, "boss"))
    assert moved.status_code == 200 and moved.json()["status"] == "in_progress"  # being worked on stays so
    history = client.get(url, headers=token(client, "root")).json()["history"]
    assert history[-1]["note"] == f"转交给律师 {colleague}" and history[-1]["actor"] == "boss"
    assert client.post(f"{url}/reply", json={"text": "我来"}, headers=token(client, holder)).status_code == 409
    assert client.post(f"{url}/reply", json={"text": "我来"}, headers=token(client, colleague)).status_code == 200


def test_a_handoff_waiting_for_its_claim_is_handed_over_for_the_new_lawyer_to_claim(client, sessions):
    handoff_id = console_support.open_handoff(sessions)
    with sessions() as db:
        holder = db.get(Handoff, handoff_id).assignee.username
    colleague = "lawyer2" if holder == "lawyer1" else "lawyer1"
    url = f"/api/v1/handoffs/{handoff_id}"
    moved = client.post(f"{url}/reassign", json={"expert_id": user_id(sessions, colleague)},
                        headers=token(client, holder))
    assert moved.status_code == 200 and moved.json()["status"] == "assigned"
    assert client.post(f"{url}/claim", headers=token(client, holder)).status_code == 409
    assert client.post(f"{url}/claim", headers=token(client, colleague)).json()["status"] == "in_progress"


def test_reassigning_is_refused_where_the_console_refuses_it(client, sessions):
    handoff_id, holder, colleague = claimed(sessions)
    url = f"/api/v1/handoffs/{handoff_id}/reassign"
    lawyer = token(client, holder)
    assert client.post(url, json={"expert_id": user_id(sessions, "counsellor")}, headers=lawyer).status_code == 403
    assert client.post(url, json={"expert_id": user_id(sessions, holder)}, headers=lawyer).status_code == 409
    assert client.post(url, json={"expert_id": user_id(sessions, "boss")}, headers=lawyer).status_code == 403
    assert client.post(url, json={"expert_id": 99999}, headers=lawyer).status_code == 422
    assert client.post(url, json={"expert_id": "abc"}, headers=lawyer).status_code == 422
    staff = token(client, "staff")
    assert client.post(url, json={"expert_id": user_id(sessions, colleague)}, headers=staff).status_code == 403
    assert client.post("/api/v1/handoffs/nope/reassign", json={"expert_id": 1}, headers=lawyer).status_code == 404


def test_escalating_sends_it_to_her_local_federation_once(client, sessions):
    handoff_id, holder, _colleague = claimed(sessions, region="广东省佛山市顺德区")
    url = f"/api/v1/handoffs/{handoff_id}"
    lawyer = token(client, holder)
    escalated = client.post(f"{url}/escalate", json={"note": "需要上门"}, headers=lawyer)
    assert escalated.status_code == 200 and escalated.json()["status"] == "escalated"
    note = client.get(url, headers=lawyer).json()["history"][-1]["note"]
    assert note.startswith("转基层妇联跟进：") and "顺德区" in note and note.endswith("需要上门")
    with sessions() as db:
        assert db.get(Handoff, handoff_id).escalated_to == "org-440606"
    assert client.post(f"{url}/escalate", json={"note": ""}, headers=token(client, "boss")).status_code == 409
    assert client.post(f"{url}/escalate", json={}, headers=token(client, "staff")).status_code == 403


def test_resolving_with_an_outcome_counts_it_as_the_console_does(client, sessions, relay):
    handoff_id, holder, _colleague = claimed(sessions)
    lawyer = token(client, holder)
    url = f"/api/v1/handoffs/{handoff_id}/resolve"
    assert client.post(url, json={"note": "x", "outcome": "gossip"}, headers=lawyer).status_code == 422
    resolved = client.post(url, json={"note": "已告知诉讼流程", "outcome": "answered"}, headers=lawyer)
    assert resolved.status_code == 200 and resolved.json()["status"] == "resolved"
    with sessions() as db:
        assert db.get(HandoffOutcome, handoff_id).outcome == "answered"
        assert db.get(Handoff, handoff_id).events[-1].note == "结果：已解答。已告知诉讼流程"
    assert ("woman-1", "system", "handoff_closed") in relay.sent


def test_the_api_offers_the_consoles_actions(client):
    paths = client.get("/openapi.json").json()["paths"]
    for action in ("claim", "reply", "note", "return", "resolve", "reassign", "escalate"):
        assert "post" in paths[f"/api/v1/handoffs/{{handoff_id}}/{action}"], action
