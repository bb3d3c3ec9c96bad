"""How the API is assembled: the console mounted or not, the API answers the same; its
documentation lists one tag per router."""
import re

import pytest
from fastapi.testclient import TestClient

from routing import auth
from routing.api.app import create_app
from routing.db import make_engine, make_session_factory
from routing.migrate import upgrade
from routing.org_data import load_file
from routing.settings import Settings
from tests.routing.conftest import _postgres_schema_url
from tests.routing.fake_relay import FakeRelay

SERVICE = {"Authorization": "Bearer service-secret-for-tests"}
PASSWORD = "a-long-password"
VARYING = {"id", "access_token", "created_at", "due_at"}  # differ between two databases by nature
TAGS = ["health", "auth", "handoffs", "conversations", "offices", "grid", "activities", "study"]


@pytest.fixture
def other_sessions(database_url, tmp_path):
    """A second fresh database of the same kind as the test's own."""
    if database_url.startswith("sqlite"):
        url, drop = f"sqlite:///{tmp_path / 'other.db'}", None
    else:
        url, drop = _postgres_schema_url()
    upgrade(url)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    with factory() as db, db.begin():
        load_file(db)
    yield factory
    engine.dispose()
    if drop:
        drop()


def app_on(sessions, database_url: str, with_console: bool):
    with sessions() as db, db.begin():
        auth.create_user(db, username="lawyer", password=PASSWORD, role="expert", department_id="rights",
                         specialty="法律", title="律师")
        auth.create_user(db, username="staff", password=PASSWORD, role="staff", title="工作人员")
    settings = Settings(database_url=database_url, demo_mode=False, service_token="service-secret-for-tests",
                        rasa_token="rasa-token-for-the-routing-tests", cookie_secure=False)
    return create_app(settings, sessions, relay=FakeRelay(), with_console=with_console)


def normalised(value, handoff_ids: list):
    if isinstance(value, dict):
        return {key: f"<{key}>" if key in VARYING else normalised(item, handoff_ids) for key, item in value.items()}
    if isinstance(value, list):
        return [normalised(item, handoff_ids) for item in value]
    if isinstance(value, str):
        for number, handoff_id in enumerate(handoff_ids):
            value = value.replace(handoff_id, f"<handoff {number}>")
        return re.sub(r"after=[A-Za-z0-9_\-]+", "after=<cursor>", value)
    return value


def conversation(app) -> list:
    """A day of API calls, good and bad; every answer as status, headers and body."""
    client, handoff_ids, answers = TestClient(app), [], []

    def call(method: str, url: str, headers=None, **options):
        response = client.request(method, url, headers=headers, **options)
        body = response.json() if "json" in response.headers.get("content-type", "") else response.text
        if url == "/api/v1/handoffs" and method == "POST" and response.status_code == 201:
            handoff_ids.append(body["id"])
        headers = {name: value for name, value in response.headers.items()
                   if name not in ("content-length", "x-request-id")}  # a request id is new per request
        answers.append((method, normalised(url, handoff_ids), response.status_code, normalised(headers, handoff_ids),
                        normalised(body, handoff_ids)))
        return body

    call("GET", "/healthz")
    call("POST", "/api/v1/auth/token", json={"username": "lawyer", "password": "wrong"})
    def login(username: str) -> dict:
        answer = call("POST", "/api/v1/auth/token", json={"username": username, "password": PASSWORD})
        return {"Authorization": f"Bearer {answer['access_token']}"}

    lawyer, staff = login("lawyer"), login("staff")
    for conversation_id in ("woman-a", "woman-b"):
        call("POST", "/api/v1/handoffs", SERVICE, json={"conversation_id": conversation_id, "category": "legal",
                                                        "summary": "我电话13812345678", "region": "广东省佛山市顺德区"})
    call("POST", "/api/v1/handoffs", SERVICE, json={"conversation_id": "a/b"})
    call("POST", "/api/v1/handoffs", {**SERVICE, "Content-Type": "application/json"}, content=b"{not json")
    call("POST", "/api/v1/handoffs", SERVICE, json={"conversation_id": "x", "summary": "长" * 70_000})
    call("POST", "/api/v1/handoffs", {"Authorization": "Bearer forged"}, json={"conversation_id": "x"})
    call("GET", "/api/v1/handoffs")
    call("GET", "/api/v1/handoffs", staff)
    call("GET", "/api/v1/handoffs?limit=1", staff)
    call("GET", "/api/v1/handoffs?limit=0", staff)
    first, second = (f"/api/v1/handoffs/{handoff_id}" for handoff_id in handoff_ids)
    call("GET", first, staff)
    call("POST", f"{first}/claim", staff)
    call("POST", f"{first}/claim", lawyer)
    call("POST", f"{first}/claim", lawyer)  # already hers: a conflict
    call("POST", f"{first}/reply", lawyer, json={"text": ""})
    call("POST", f"{first}/reply", lawyer, json={"text": "你好，我是律师"})
    call("POST", f"{first}/note", lawyer, json={"text": "她晚上方便"})
    call("GET", f"{first}/notes", staff)
    call("POST", f"{first}/messages", SERVICE, json={"text": "谢谢"})
    call("POST", f"{first}/escalate", lawyer, json={"note": "需要上门"})
    call("POST", f"{first}/resolve", lawyer, json={"note": "已解答", "outcome": "answered"})
    call("POST", f"{second}/return", lawyer, json={"note": "机器人可以回答"})
    call("POST", "/api/v1/handoffs/nope/claim", lawyer)
    call("GET", "/api/v1/conversations/woman-a/transcript", staff)
    call("GET", "/api/v1/conversations/woman-a/status", SERVICE)
    call("GET", "/api/v1/conversations/nobody/status", SERVICE)
    call("GET", "/api/v1/offices/for-region", SERVICE, params={"region": "广东省佛山市顺德区"})
    call("GET", "/api/v1/offices/nearest", SERVICE, params={"latitude": 95, "longitude": 113})
    call("GET", "/openapi.json")
    call("GET", "/docs")
    return answers


def test_the_api_answers_the_same_with_and_without_the_console(sessions, other_sessions, database_url):
    with_console = app_on(sessions, database_url, with_console=True)
    without = app_on(other_sessions, database_url, with_console=False)
    assert TestClient(with_console).get("/console/login").status_code == 200
    assert TestClient(without).get("/console/login").status_code == 404
    mounted, alone = conversation(with_console), conversation(without)
    assert len(mounted) == len(alone) == 34
    for answer, expected in zip(mounted, alone):
        assert answer == expected, answer[:3]
    statuses = [status for _method, _url, status, _headers, _body in alone]
    assert {200, 201, 401, 403, 404, 409, 413, 422} <= set(statuses)


def test_the_documentation_has_one_tag_per_router(sessions, database_url):
    client = TestClient(app_on(sessions, database_url, with_console=True))
    document = client.get("/openapi.json").json()
    assert [tag["name"] for tag in document["tags"]] == TAGS
    operations = [operation for path in document["paths"].values() for operation in path.values()]
    assert all(len(operation["tags"]) == 1 and operation["tags"][0] in TAGS for operation in operations)
    assert {operation["tags"][0] for operation in operations} == set(TAGS)
    assert not [path for path in document["paths"] if path.startswith("/console")]
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/openapi.json" in docs.text
