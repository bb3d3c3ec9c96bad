"""Finding 7: the console and the API decided differently. A counsellor got 403 reading a
legal handoff but could return it to the bot through the API; staff claimed and replied
through the API and took an escalated urgent case from the lawyer.

One policy now decides for both: what the console refuses, the API refuses too."""
from fastapi.testclient import TestClient

from routing import lifecycle
from routing.models import Handoff, User
from tests.routing.console_support import login, open_handoff, post, version_of
from tests.security.routing.attack_support import api_token


def nobody_available(sessions):
    with sessions() as db, db.begin():
        for user in db.query(User).filter(User.role == "expert"):
            user.available = False


def holder_of(sessions, handoff_id):
    with sessions() as db:
        handoff = db.get(Handoff, handoff_id)
        return handoff.assignee.username if handoff.assignee else None, handoff.status


def test_a_counsellor_cannot_return_a_legal_handoff_through_the_api(console_app, sessions):
    nobody_available(sessions)
    handoff_id = open_handoff(sessions)
    client = TestClient(console_app)
    counsellor = api_token(console_app, "counsellor", client=client)
    assert login(console_app, "counsellor").get(f"/console/handoffs/{handoff_id}").status_code == 403
    assert client.get(f"/api/v1/handoffs/{handoff_id}", headers=counsellor).status_code == 403
    returned = client.post(f"/api/v1/handoffs/{handoff_id}/return", json={"note": "不归我管"}, headers=counsellor)
    assert returned.status_code == 403
    resolved = client.post(f"/api/v1/handoffs/{handoff_id}/resolve", json={"note": "x"}, headers=counsellor)
    assert resolved.status_code == 403
    assert holder_of(sessions, handoff_id) == (None, "received")


def test_staff_cannot_claim_or_reply_through_the_api(console_app, sessions, relay):
    nobody_available(sessions)
    handoff_id = open_handoff(sessions)
    client = TestClient(console_app)
    staff = api_token(console_app, "staff", client=client)
    assert client.post(f"/api/v1/handoffs/{handoff_id}/claim", headers=staff).status_code == 403
    assert client.post(f"/api/v1/handoffs/{handoff_id}/reply", json={"text": "我是工作人员"},
                       headers=staff).status_code == 403
    assert client.post(f"/api/v1/handoffs/{handoff_id}/return", json={"note": "x"}, headers=staff).status_code == 403
    assert client.post(f"/api/v1/handoffs/{handoff_id}/resolve", json={"note": "x"}, headers=staff).status_code == 403
    assert holder_of(sessions, handoff_id) == (None, "received") and relay.sent == []
    # the console refuses the same
    console = login(console_app, "staff")
    assert post(console, f"/console/handoffs/{handoff_id}/claim", version=version_of(sessions, handoff_id)
                ).status_code == 403


def test_staff_cannot_take_an_escalated_urgent_case_from_the_lawyer(console_app, sessions):
    handoff_id = open_handoff(sessions, urgent=True, summary="他现在在砸门")
    lawyer, _ = holder_of(sessions, handoff_id)
    with sessions() as db, db.begin():
        handoff = db.get(Handoff, handoff_id)
        lifecycle.claim(db, handoff, handoff.assignee)
        lifecycle.escalate(db, handoff, "sla", None, "overdue")
    client = TestClient(console_app)
    for username in ("staff", "boss", "root", "counsellor"):
        taken = client.post(f"/api/v1/handoffs/{handoff_id}/claim", headers=api_token(console_app, username, client=client))
        assert taken.status_code == 403, username
    assert holder_of(sessions, handoff_id) == (lawyer, "escalated")
