"""One commit per request, before the answer leaves; nothing kept when the request fails.

Each write is sent straight to the ASGI app (tests/routing/asgi_probe.py): the moment its
response starts, a second request reads the handoff. With FastAPI's default dependency
scope the commit would come only after the response was sent, and the second request
would read the old state."""
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, update

from routing import lifecycle
from routing.api.routes import handoffs as handoff_routes
from routing.models import Handoff, User
from tests.routing import console_support
from tests.routing.asgi_probe import probe
from tests.routing.console_support import PASSWORD, open_handoff

# the console fixtures (tests/routing/console_support.py)
console_app = console_support.console_app
relay = console_support.relay
tracker = console_support.tracker

SERVICE = {"Authorization": "Bearer service-secret-for-tests"}


def token(app, username: str) -> dict:
    response = TestClient(app).post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture
def commits(sessions):
    """Every commit of a session made by the test database's factory, in order."""
    seen = []

    def count(_session):
        seen.append(1)

    event.listen(sessions, "after_commit", count)
    yield seen
    event.remove(sessions, "after_commit", count)


def held(sessions, handoff_id: str, claimed: bool = True) -> str:
    """The lawyer holding the handoff, after she claimed it unless told otherwise."""
    with sessions() as db, db.begin():
        handoff = db.get(Handoff, handoff_id)
        if claimed:
            lifecycle.claim(db, handoff, handoff.assignee)
        return handoff.assignee.username


def other_lawyer(sessions, username: str) -> int:
    with sessions() as db:
        return db.query(User).filter_by(username="lawyer2" if username == "lawyer1" else "lawyer1").one().id


def state(answer_detail: dict, answer_notes: list) -> tuple:
    return (answer_detail["status"], answer_detail["holder"], len(answer_detail["history"]),
            len(answer_detail["messages"]), len(answer_notes))


async def read_back(client, handoff_id: str, headers: dict) -> tuple:
    detail = await client.get(f"/api/v1/handoffs/{handoff_id}", headers=headers)
    notes = await client.get(f"/api/v1/handoffs/{handoff_id}/notes", headers=headers)
    return state(detail.json(), notes.json())


ACTIONS = {  # action: (who acts, body, claimed first)
    "claim": ("holder", None, False),
    "reply": ("holder", {"text": "你好，我是律师"}, True),
    "note": ("holder", {"text": "她说晚上方便接电话"}, True),
    "return": ("holder", {"note": "机器人可以回答"}, True),
    "resolve": ("holder", {"note": "已解答", "outcome": "answered"}, True),
    "reassign": ("boss", "colleague", True),
    "escalate": ("holder", {"note": "需要基层跟进"}, True),
}


@pytest.mark.parametrize("action", ACTIONS)
def test_a_write_is_committed_once_and_before_its_answer_leaves(console_app, sessions, commits, action):
    who, body, claimed = ACTIONS[action]
    handoff_id = open_handoff(sessions, region="广东省佛山市顺德区")
    holder = held(sessions, handoff_id, claimed)
    if body == "colleague":
        body = {"expert_id": other_lawyer(sessions, holder)}
    actor, admin = token(console_app, holder if who == "holder" else who), token(console_app, "root")
    before = state(TestClient(console_app).get(f"/api/v1/handoffs/{handoff_id}", headers=admin).json(),
                   TestClient(console_app).get(f"/api/v1/handoffs/{handoff_id}/notes", headers=admin).json())
    commits.clear()

    async def look(second):
        return len(commits), await read_back(second, handoff_id, admin)

    answered = probe(console_app, "POST", f"/api/v1/handoffs/{handoff_id}/{action}", headers=actor,
                     json_body=body, look=look)
    assert answered.status in (200, 201), answered.body
    committed_before_answer, seen = answered.seen
    assert committed_before_answer == 1
    after = state(TestClient(console_app).get(f"/api/v1/handoffs/{handoff_id}", headers=admin).json(),
                  TestClient(console_app).get(f"/api/v1/handoffs/{handoff_id}/notes", headers=admin).json())
    assert seen == after != before


def test_a_new_handoff_is_there_for_the_assistant_as_soon_as_it_is_answered(console_app, sessions, commits):
    async def look(second):
        committed = len(commits)
        return committed, (await second.get("/api/v1/conversations/woman-now/status", headers=SERVICE)).status_code

    answered = probe(console_app, "POST", "/api/v1/handoffs", headers=SERVICE,
                     json_body={"conversation_id": "woman-now", "category": "legal"}, look=look)
    assert answered.status == 201 and answered.seen == (1, 200)
    assert len(commits) == 2  # the write's, then the second request's (which only read)


def test_reads_and_service_calls_commit_once_too(console_app, sessions, commits):
    handoff_id = open_handoff(sessions)
    admin = token(console_app, "root")
    client = TestClient(console_app)
    for method, url, headers, body in [
            ("GET", "/api/v1/handoffs", admin, None), ("GET", f"/api/v1/handoffs/{handoff_id}", admin, None),
            ("GET", "/api/v1/conversations/woman-1/transcript", admin, None),
            ("POST", f"/api/v1/handoffs/{handoff_id}/messages", SERVICE, {"text": "还在吗"}),
            ("GET", "/api/v1/conversations/woman-1/status", SERVICE, None), ("GET", "/healthz", {}, None)]:
        commits.clear()
        assert client.request(method, url, headers=headers, json=body).status_code in (200, 201), url
        assert len(commits) == 1, url


def test_a_request_that_fails_after_writing_keeps_nothing(console_app, sessions, commits, monkeypatch):
    handoff_id = open_handoff(sessions)
    holder = held(sessions, handoff_id, claimed=False)
    headers = token(console_app, holder)

    def broken(*_args, **_kwargs):
        raise RuntimeError("the answer could not be built")

    monkeypatch.setattr(handoff_routes, "shown_to", broken)  # after lifecycle.claim wrote and flushed
    commits.clear()
    failed = TestClient(console_app, raise_server_exceptions=False).post(f"/api/v1/handoffs/{handoff_id}/claim",
                                                                         headers=headers)
    assert failed.status_code == 500 and commits == []
    with sessions() as db:
        handoff = db.get(Handoff, handoff_id)
        assert handoff.status == "assigned" and [e.to_status for e in handoff.events] == ["received", "assigned"]


def test_a_handoff_changed_by_someone_else_before_the_commit_is_a_409_and_nothing_is_kept(
        console_app, sessions, commits, monkeypatch):
    handoff_id = open_handoff(sessions)
    with sessions() as db, db.begin():
        handoff = db.get(Handoff, handoff_id)
        lifecycle.claim(db, handoff, handoff.assignee)
        lifecycle.reply(db, handoff, handoff.assignee, "你好")
    real = lifecycle.add_user_message

    def meanwhile(db, handoff, text):
        message = real(db, handoff, text)  # replied → in_progress, flushed only at the commit
        with db.no_autoflush:  # a colleague's change, as if committed between our read and our commit
            db.execute(update(Handoff.__table__).where(Handoff.__table__.c.id == handoff.id)
                       .values(version=Handoff.__table__.c.version + 1))
        return message

    monkeypatch.setattr(lifecycle, "add_user_message", meanwhile)
    commits.clear()
    refused = TestClient(console_app).post(f"/api/v1/handoffs/{handoff_id}/messages", json={"text": "在吗"},
                                           headers=SERVICE)
    assert refused.status_code == 409 and "changed meanwhile" in refused.json()["detail"]
    assert commits == []
    with sessions() as db:
        handoff = db.get(Handoff, handoff_id)
        assert handoff.status == "replied" and [m.sender for m in handoff.messages] == ["expert"]
