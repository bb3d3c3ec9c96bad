"""The policy table of test_authorization.py, driven through the HTTP API and the console.

For every action and every relation to a handoff, each endpoint that offers the action
either does it (and only then) or refuses it with 403, 404 or 409: never a 400 or 500,
and never the opposite of what the policy says."""
from typing import Optional

import pytest
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient

from routing import auth, lifecycle
from routing.authorization import ACTIONS
from routing import handoff_operations
from routing.console import handoff_pages
from routing.models import Handoff, User
from tests.routing import console_support
from tests.routing.console_support import PASSWORD, login, open_handoff, post, version_of
from tests.routing.test_authorization import TABLE

# the console fixtures (tests/routing/console_support.py)
console_app = console_support.console_app
relay = console_support.relay
tracker = console_support.tracker

ACTING = {"holder": "lawyer1", "department": "lawyer2", "other": "counsellor", "supervisor": "boss",
          "staff": "staff", "admin": "root"}
REFUSED = (403, 404, 409)


def user(db, username: str) -> User:
    return db.query(User).filter_by(username=username).one()


def prepare(sessions, action: str, who: str, number: int) -> tuple:
    """A fresh legal handoff where the action fits its state: for a claim, waiting in the queue
    (or assigned to the holder); otherwise held by lawyer1 and in progress."""
    conversation = f"woman-{action}-{number}"
    handoff_id = open_handoff(sessions, conversation=conversation)  # every expert is away: unassigned
    with sessions() as db, db.begin():
        handoff, lawyer = db.get(Handoff, handoff_id), user(db, "lawyer1")
        if action != "claim" or who == "holder":
            handoff_operations.reassign(db, handoff=handoff, actor=user(db, "root"), expert=lawyer)
        if action != "claim":
            lifecycle.claim(db, handoff, lawyer)
    return handoff_id, conversation


def through_api(client: TestClient, headers: dict, action: str, handoff_id: str, conversation: str,
                target: int) -> Optional[bool]:
    """True when the API did it, False when it refused; None when the API has no such endpoint."""
    base = f"/api/v1/handoffs/{handoff_id}"
    if action == "read":
        response = client.get(base, headers=headers)
    elif action == "status":
        response = client.get("/api/v1/handoffs", headers=headers)
        return handoff_id in {h["id"] for h in response.json()}
    elif action == "transcript":
        response = client.get(f"/api/v1/conversations/{conversation}/transcript", headers=headers)
    elif action in ("claim", "reply", "note", "return", "resolve", "reassign", "escalate"):
        body = {"claim": None, "reply": {"text": "你好，我来帮你"}, "note": {"text": "备注"}, "return": {"note": "x"},
                "resolve": {"note": "x"}, "reassign": {"expert_id": target}, "escalate": {"note": "x"}}
        response = client.post(f"{base}/{action}", json=body[action], headers=headers)
    else:
        return None
    done = 201 if action == "note" else 200  # a note is created
    assert response.status_code in (done,) + REFUSED, (action, response.status_code, response.text)
    return response.status_code == done


def through_console(browser: TestClient, sessions, action: str, handoff_id: str, target: int) -> bool:
    page = f"/console/handoffs/{handoff_id}"
    if action in ("read", "status", "transcript"):
        url = {"read": page, "status": f"{page}/events", "transcript": f"{page}/timeline"}[action]
        response = browser.get(url)
        assert response.status_code in (200,) + REFUSED, (action, response.status_code)
        return response.status_code == 200
    fields = {"claim": {}, "reply": {"text": "你好，我来帮你"}, "note": {"text": "备注"}, "return": {"note": "x"},
              "resolve": {"outcome": "answered"}, "reassign": {"expert_id": str(target)}, "escalate": {"note": "x"}}
    response = post(browser, f"{page}/{action}", version=version_of(sessions, handoff_id), **fields[action])
    assert response.status_code in (303,) + REFUSED, (action, response.status_code, response.text[:300])
    return response.status_code == 303


@pytest.fixture
def prepared(console_app, sessions, monkeypatch):
    """Experts away (handoffs wait unassigned), a third lawyer to reassign to, and the live
    stream answering at once with its first state."""
    with sessions() as db, db.begin():
        auth.create_user(db, username="lawyer3", password=PASSWORD, role="expert", department_id="rights",
                         specialty="法律", title="律师")
        for expert in db.query(User).filter(User.role == "expert"):
            expert.available = False
        target = user(db, "lawyer3").id
    monkeypatch.setattr(handoff_pages, "event_stream", lambda request, poll: JSONResponse(poll()))
    return target


@pytest.mark.parametrize("action", ACTIONS)
def test_the_api_and_the_console_follow_the_policy_table(console_app, sessions, prepared, action):
    client = TestClient(console_app)
    tokens = {who: console_support_token(client, name) for who, name in ACTING.items()}
    browsers = {who: login(console_app, name) for who, name in ACTING.items()}
    checked = 0
    for number, (who, allowed) in enumerate((who, row[ACTIONS.index(action)]) for who, row in TABLE.items()):
        handoff_id, conversation = prepare(sessions, action, who, 2 * number)
        api = through_api(client, tokens[who], action, handoff_id, conversation, prepared)
        if api is not None:
            assert api is allowed, ("API", who, action)
            checked += 1
        handoff_id, _ = prepare(sessions, action, who, 2 * number + 1)
        assert through_console(browsers[who], sessions, action, handoff_id, prepared) is allowed, ("console", who, action)
    assert checked == len(TABLE)  # the API offers every action of the table, as the console does


def console_support_token(client: TestClient, username: str) -> dict:
    response = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}
