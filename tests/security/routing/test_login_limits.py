"""Finding 8: the API token endpoint had no rate limit, X-Forwarded-For got past the
console's lockout, a password reset left API tokens valid for 12 hours, and a user could
not be disabled.

One limiter (account and address, plus a ceiling per account) guards both doors; proxy
headers count only from a configured proxy; changing a password or role, or disabling a
user, ends her tokens and sessions at once."""
import os
import re

import httpx
from fastapi.testclient import TestClient

from routing import cli
from routing.models import User
from tests.routing.console_support import PASSWORD, login, post
from tests.security.routing.attack_support import api_token

WRONG = "not-the-password"


def console_attempt(client: TestClient, username: str, password: str):
    page = client.get("/console/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    return client.post("/console/login", data={"username": username, "password": password, "csrf_token": token})


def user_id(sessions, username):
    with sessions() as db:
        return db.query(User).filter_by(username=username).one().id


def test_guessing_through_the_api_token_endpoint_is_stopped(console_app):
    client = TestClient(console_app)
    for _ in range(10):
        client.post("/api/v1/auth/token", json={"username": "lawyer1", "password": WRONG})
    right = client.post("/api/v1/auth/token", json={"username": "lawyer1", "password": PASSWORD})
    assert right.status_code == 429 and "access_token" not in right.text
    assert client.post("/api/v1/auth/token", json={"username": "lawyer2", "password": PASSWORD}).status_code == 200


def test_an_account_locked_in_the_console_is_locked_for_the_api_too(console_app):
    browser = TestClient(console_app, follow_redirects=False)
    for _ in range(6):
        console_attempt(browser, "lawyer1", WRONG)
    assert console_attempt(browser, "lawyer1", PASSWORD).status_code == 429
    api = TestClient(console_app).post("/api/v1/auth/token", json={"username": "lawyer1", "password": PASSWORD})
    assert api.status_code == 429


def test_guessing_from_many_addresses_locks_the_account_for_the_window(console_app):
    answers = []
    for number in range(1, 5):  # five guesses from each of four addresses: none reaches the per-address limit
        address = TestClient(console_app, follow_redirects=False, client=(f"203.0.113.{number}", 40000))
        answers += [console_attempt(address, "lawyer1", WRONG).status_code for _ in range(5)]
    assert answers == [401] * 15 + [429] * 5  # the account locks after three times the per-address limit
    fresh = TestClient(console_app, follow_redirects=False, client=("198.51.100.7", 40000))
    assert console_attempt(fresh, "lawyer1", PASSWORD).status_code == 429
    api = TestClient(console_app, client=("198.51.100.8", 40000))
    assert api.post("/api/v1/auth/token", json={"username": "lawyer1", "password": PASSWORD}).status_code == 429


def served_attempt(url: str, password: str, forwarded_for: str) -> int:
    with httpx.Client(base_url=url, headers={"X-Forwarded-For": forwarded_for}) as browser:
        token = re.search(r'name="csrf_token" value="([^"]+)"', browser.get("/console/login").text).group(1)
        return browser.post("/console/login", data={"username": "lawyer", "password": password,
                                                    "csrf_token": token}).status_code


def test_x_forwarded_for_does_not_get_past_the_lockout(served):
    assert cli.main(["serve", "--port", "0"]) == 0
    for number in range(6):
        served_attempt(served.url, WRONG, f"198.51.100.{number}")
    assert served_attempt(served.url, PASSWORD, "198.51.100.99") == 429
    with httpx.Client(base_url=served.url) as api:
        response = api.post("/api/v1/auth/token", json={"username": "lawyer", "password": PASSWORD},
                            headers={"X-Forwarded-For": "192.0.2.1"})
        assert response.status_code == 429


def test_a_password_reset_ends_her_api_tokens_and_sessions(console_app, sessions):
    client = TestClient(console_app)
    token = api_token(console_app, "lawyer1", client=client)
    browser = login(console_app, "lawyer1")
    root = login(console_app, "root")
    changed = post(root, f"/console/admin/users/{user_id(sessions, 'lawyer1')}", role="expert", title="律师",
                   department_id="rights", specialty="法律", password="a-brand-new-password")
    assert changed.status_code == 303
    assert client.get("/api/v1/handoffs", headers=token).status_code == 401
    assert browser.get("/console/queue").status_code == 303  # to the login page


def test_a_role_change_ends_her_api_tokens_and_sessions(console_app, sessions):
    client = TestClient(console_app)
    token = api_token(console_app, "boss", client=client)
    browser = login(console_app, "boss")
    root = login(console_app, "root")
    assert post(root, f"/console/admin/users/{user_id(sessions, 'boss')}", role="staff", title="工作人员",
                department_id="", specialty="").status_code == 303
    assert client.get("/api/v1/handoffs", headers=token).status_code == 401
    assert browser.get("/console/transcripts").status_code == 303


def test_an_admin_disables_a_user_in_the_console_and_her_access_ends_at_once(console_app, sessions):
    client = TestClient(console_app)
    token = api_token(console_app, "lawyer1", client=client)
    browser = login(console_app, "lawyer1")
    root = login(console_app, "root")
    target = user_id(sessions, "lawyer1")
    assert "停用" in root.get("/console/admin").text
    forged = root.post(f"/console/admin/users/{target}/disabled", data={"disabled": "1", "csrf_token": "forged"})
    assert forged.status_code == 403
    assert post(root, f"/console/admin/users/{target}/disabled", disabled="1").status_code == 303
    assert client.get("/api/v1/handoffs", headers=token).status_code == 401
    assert browser.get("/console/queue").status_code == 303
    assert console_attempt(TestClient(console_app, follow_redirects=False), "lawyer1", PASSWORD).status_code == 401
    assert client.post("/api/v1/auth/token", json={"username": "lawyer1", "password": PASSWORD}).status_code == 401
    assert post(root, f"/console/admin/users/{target}/disabled", disabled="0").status_code == 303
    assert console_attempt(TestClient(console_app, follow_redirects=False), "lawyer1", PASSWORD).status_code == 303


def test_disable_user_and_enable_user_commands(console_app, sessions, database_url, monkeypatch):
    monkeypatch.setenv("ROUTING_DATABASE_URL", database_url)
    umask = os.umask(0o022)
    os.umask(umask)
    client = TestClient(console_app)
    token = api_token(console_app, "lawyer1", client=client)
    try:
        assert cli.main(["disable-user", "--username", "lawyer1"]) == 0
        assert client.get("/api/v1/handoffs", headers=token).status_code == 401
        assert client.post("/api/v1/auth/token", json={"username": "lawyer1", "password": PASSWORD}).status_code == 401
        assert cli.main(["enable-user", "--username", "lawyer1"]) == 0
        assert client.post("/api/v1/auth/token", json={"username": "lawyer1", "password": PASSWORD}).status_code == 200
        assert cli.main(["disable-user", "--username", "nobody"]) != 0
    finally:
        os.umask(umask)
