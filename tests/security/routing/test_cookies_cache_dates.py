"""Finding 10 (routing part): cookies without `Secure` over HTTPS, pages and API answers
that a browser or proxy may cache, dates that crashed the dashboard and the transcript
search, and a database file that other users on the machine could read."""
import os
import stat
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from routing import cli
from routing.api.app import create_app
from routing.settings import Settings
from tests.routing.console_support import login, open_handoff
from tests.security.routing.attack_support import SERVICE, api_token

PROJECT_ROOT = Path(__file__).resolve().parents[3]


def set_cookies(response) -> list:
    return response.headers.get_list("set-cookie")


def test_cookies_are_secure_when_the_console_is_served_over_https_even_in_demo_mode(sessions, database_url,
                                                                                       console_app, monkeypatch):
    monkeypatch.delenv("ROUTING_COOKIE_SECURE", raising=False)
    demo = create_app(Settings(database_url=database_url, demo_mode=True), sessions)
    browser = TestClient(demo, base_url="https://testserver", follow_redirects=False)
    cookies = set_cookies(browser.get("/console/login"))
    assert cookies and all("Secure" in cookie for cookie in cookies)
    # the same for the session cookie, on the test app whose Secure flag is switched off for plain HTTP
    import re

    browser = TestClient(console_app, base_url="https://testserver", follow_redirects=False)
    token = re.search(r'name="csrf_token" value="([^"]+)"', browser.get("/console/login").text).group(1)
    response = browser.post("/console/login", data={"username": "lawyer1", "password": "a-long-password",
                                                    "csrf_token": token})
    session = [c for c in set_cookies(response) if c.startswith("console_session=")]
    assert response.status_code == 303 and session and "Secure" in session[0]


def test_behind_a_trusted_proxy_that_terminates_https_cookies_are_secure(served, monkeypatch):
    monkeypatch.setenv("ROUTING_TRUSTED_PROXIES", "127.0.0.1")
    assert cli.main(["serve"]) == 0
    assert served.options["proxy_headers"] is True and served.options["forwarded_allow_ips"] == "127.0.0.1"
    cookie = httpx.get(f"{served.url}/console/login", headers={"X-Forwarded-Proto": "https"}).headers["set-cookie"]
    assert "Secure" in cookie


def test_without_a_trusted_proxy_forwarded_headers_are_ignored(served):
    assert cli.main(["serve"]) == 0
    assert not served.options.get("proxy_headers", True)
    cookie = httpx.get(f"{served.url}/console/login", headers={"X-Forwarded-Proto": "https"}).headers["set-cookie"]
    assert "Secure" not in cookie  # plain HTTP, and ROUTING_COOKIE_SECURE=false in this test


def test_pages_and_api_answers_with_her_data_are_never_cached(console_app, sessions):
    handoff_id = open_handoff(sessions, summary="我电话13812345678")
    staff, lawyer = login(console_app, "staff"), login(console_app, "lawyer1")
    client = TestClient(console_app)
    api = api_token(console_app, "staff", client=client)
    responses = [
        TestClient(console_app).get("/console/login"), staff.get("/console/transcripts"), staff.get("/console/dashboard"),
        staff.get(f"/console/handoffs/{handoff_id}"), lawyer.get("/console/queue"), lawyer.get("/console/queue/rows"),
        staff.get(f"/console/handoffs/{handoff_id}/timeline"), staff.get("/console/dashboard.csv"),
        client.get("/api/v1/handoffs", headers=api), client.get(f"/api/v1/handoffs/{handoff_id}", headers=api),
        client.get("/api/v1/conversations/woman-1/transcript", headers=api),
        client.get("/api/v1/conversations/woman-1/status", headers=SERVICE),
        client.post("/api/v1/auth/token", json={"username": "staff", "password": "a-long-password"}),
    ]
    for response in responses:
        assert response.status_code == 200, response.url
        assert "no-store" in response.headers.get("cache-control", ""), response.url


@pytest.mark.parametrize("page", ["/console/dashboard", "/console/transcripts"])
@pytest.mark.parametrize("query", ["start=0001-01-01", "end=0001-01-01", "start=9999-12-30&end=9999-12-31",
                                   "end=9999-12-31", "start=2024-13-45", "end=2024-02-30", "start=0001-01-01&end=0001-01-02",
                                   "start=9999-12-01"])
def test_out_of_range_and_impossible_dates_get_a_clear_message_and_the_form(console_app, page, query):
    staff = login(console_app, "staff")
    staff = TestClient(console_app, raise_server_exceptions=False, cookies=staff.cookies, follow_redirects=False)
    response = staff.get(f"{page}?{query}")
    assert response.status_code == 400, (page, query)
    assert "日期" in response.text and 'role="alert"' in response.text
    assert f'<form method="get" action="{page}"' in response.text


def test_the_dashboard_csv_refuses_impossible_dates_with_a_400(console_app):
    staff = login(console_app, "staff")
    staff = TestClient(console_app, raise_server_exceptions=False, cookies=staff.cookies, follow_redirects=False)
    assert staff.get("/console/dashboard.csv?end=0001-01-01").status_code == 400


def test_the_database_file_is_private_to_the_service_user(tmp_path):
    database = tmp_path / "routing.db"
    environment = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT), ROUTING_DATABASE_URL=f"sqlite:///{database}")
    result = subprocess.run([sys.executable, "-m", "routing", "migrate"], cwd=PROJECT_ROOT, env=environment,
                            capture_output=True, text=True, timeout=120, preexec_fn=lambda: os.umask(0o022))
    assert result.returncode == 0, result.stderr
    for path in tmp_path.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, (path.name, oct(path.stat().st_mode))
