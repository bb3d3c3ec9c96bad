"""Console login, sessions, CSRF, rate limiting, role checks and security headers."""
import re

from fastapi.testclient import TestClient

from routing.api.app import create_app
from routing.settings import Settings
from tests.routing.console_support import PASSWORD, login, post
from tests.routing import console_support

# the console fixtures (tests/routing/console_support.py)
console_app = console_support.console_app
relay = console_support.relay
tracker = console_support.tracker


def login_token(client):
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/console/login").text).group(1)


def test_pages_need_a_login_and_send_the_browser_to_the_login_page(console_app):
    client = TestClient(console_app, follow_redirects=False)
    response = client.get("/console/queue?status=received")
    assert response.status_code == 303
    assert response.headers["location"] == "/console/login?next=/console/queue%3Fstatus%3Dreceived"
    assert "登录工作台" in client.get("/console/login").text


def test_login_sets_an_httponly_samesite_cookie_and_logout_ends_the_session(console_app):
    client = TestClient(console_app, follow_redirects=False)
    token = login_token(client)
    response = client.post("/console/login", data={"username": "lawyer1", "password": PASSWORD,
                                                   "csrf_token": token, "next": "/console/queue"})
    assert response.status_code == 303 and response.headers["location"] == "/console/queue"
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("console_session="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/console" in cookie
    assert client.get("/console/queue").status_code == 200
    assert post(client, "/console/logout").status_code == 303
    client.cookies.clear()
    assert client.get("/console/queue").status_code == 303


def test_a_stolen_cookie_is_useless_after_logout(console_app):
    client = login(console_app, "lawyer1")
    stolen = client.cookies.get("console_session")
    post(client, "/console/logout")
    thief = TestClient(console_app, follow_redirects=False, cookies={"console_session": stolen})
    assert thief.get("/console/queue").status_code == 303


def test_cookies_are_secure_outside_demo_mode_unless_switched_off(sessions, database_url):
    app = create_app(Settings(database_url=database_url, demo_mode=False, service_token="service-secret-for-tests",
                              rasa_token="rasa-token-for-the-routing-tests"), sessions)
    client = TestClient(app, follow_redirects=False)
    client.get("/console/login")
    cookie = client.get("/console/login").headers.get("set-cookie", "")
    assert "Secure" in cookie


def test_wrong_password_is_refused_with_a_clear_message(console_app):
    client = TestClient(console_app, follow_redirects=False)
    response = client.post("/console/login", data={"username": "lawyer1", "password": "wrong-password",
                                                   "csrf_token": login_token(client)})
    assert response.status_code == 401 and "用户名或密码不正确" in response.text


def test_five_failures_lock_the_account_for_this_address_even_with_the_right_password(console_app):
    client = TestClient(console_app, follow_redirects=False)
    token = login_token(client)
    for _ in range(5):
        client.post("/console/login", data={"username": "lawyer1", "password": "guess-guess", "csrf_token": token})
    response = client.post("/console/login", data={"username": "lawyer1", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 429 and "登录失败次数过多，请 15 分钟后再试" in response.text
    other = client.post("/console/login", data={"username": "lawyer2", "password": PASSWORD, "csrf_token": token})
    assert other.status_code == 303  # another account is not locked


def test_login_and_every_form_need_the_csrf_token(console_app):
    client = TestClient(console_app, follow_redirects=False)
    client.get("/console/login")
    refused = client.post("/console/login", data={"username": "lawyer1", "password": PASSWORD, "csrf_token": "x"})
    assert refused.status_code == 403 and "登录页面已过期" in refused.text
    client = login(console_app, "lawyer1")
    forged = client.post("/console/logout", data={"csrf_token": "forged"})
    assert forged.status_code == 403 and "页面已过期或来源不明" in forged.text
    assert client.get("/console/queue").status_code == 200  # still logged in


def test_each_role_reaches_only_its_pages(console_app):
    expected = {
        "lawyer1": {"/console/queue": 200, "/console/transcripts": 403, "/console/dashboard": 403, "/console/admin": 403},
        "boss": {"/console/queue": 200, "/console/transcripts": 200, "/console/dashboard": 200, "/console/admin": 403},
        "staff": {"/console/queue": 403, "/console/transcripts": 200, "/console/dashboard": 200, "/console/admin": 403},
        "root": {"/console/queue": 200, "/console/transcripts": 200, "/console/dashboard": 200, "/console/admin": 200},
    }
    for username, pages in expected.items():
        client = login(console_app, username)
        for url, status in pages.items():
            response = client.get(url)
            assert response.status_code == status, (username, url)
            if status == 403:
                assert "没有权限" in response.text


def test_after_login_each_role_lands_on_its_own_page(console_app):
    assert login(console_app, "staff").get("/console/").headers["location"] == "/console/transcripts"
    assert login(console_app, "lawyer1").get("/console/").headers["location"] == "/console/queue"


def test_pages_forbid_inline_script_and_framing(console_app):
    response = TestClient(console_app).get("/console/login")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
    assert "<script>" not in response.text


def test_an_outside_next_url_is_not_followed(console_app):
    client = TestClient(console_app, follow_redirects=False)
    response = client.post("/console/login", data={"username": "lawyer1", "password": PASSWORD,
                                                   "csrf_token": login_token(client), "next": "//evil.example/"})
    assert response.headers["location"] == "/console/"


def test_a_nul_character_in_the_login_form_gets_a_page_not_a_server_error(console_app):
    client = TestClient(console_app, follow_redirects=False)
    response = client.post("/console/login", data={"username": "lawyer1\x00", "password": PASSWORD,
                                                   "csrf_token": login_token(client)})
    assert response.status_code == 400 and "无法识别的字符" in response.text


def test_the_error_page_never_links_back_to_another_site(console_app):
    client = login(console_app, "lawyer1")
    forged = client.post("/console/logout", data={"csrf_token": "forged"},
                         headers={"referer": "https://evil.example/console/queue"})
    assert forged.status_code == 403 and "evil.example" not in forged.text
    ours = client.post("/console/logout", data={"csrf_token": "forged"},
                       headers={"referer": "http://testserver/console/queue?mine=1"})
    assert 'href="/console/queue?mine=1"' in ours.text


def test_an_attempt_counts_before_its_password_is_checked_so_parallel_guesses_cannot_slip_through(
        console_app, monkeypatch):
    from routing import auth, login_limits

    seen = []
    original = auth.authenticate

    def slow_check(db, username, password):
        # what a parallel request would see while this password is being checked
        seen.append(login_limits.recent_failures(db, username, "testclient", login_limits.utcnow(), 15))
        return original(db, username, password)

    monkeypatch.setattr(auth, "authenticate", slow_check)
    client = TestClient(console_app, follow_redirects=False)
    token = login_token(client)
    for _ in range(7):
        client.post("/console/login", data={"username": "lawyer1", "password": "guess-guess", "csrf_token": token})
    assert seen == [1, 2, 3, 4, 5]  # the sixth and seventh were refused before any password check


def test_the_login_page_mentions_demo_passwords_only_in_demo_mode(console_app, sessions, database_url):
    assert "演示" not in TestClient(console_app).get("/console/login").text  # the fixture runs outside demo mode
    demo = create_app(Settings(database_url=database_url, demo_mode=True, service_token="service-secret-for-tests",
                               rasa_token="rasa-token-for-the-routing-tests"), sessions)
    assert "演示账号和密码写在 var/logs/routing.log" in TestClient(demo).get("/console/login").text
