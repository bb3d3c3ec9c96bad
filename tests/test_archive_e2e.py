"""Through the running services: she talks to the real Rasa over the REST channel; Rasa
publishes to its SQL event broker; `routing serve` archives the conversation in its own
database and the console's transcript page shows it, masked for staff. Stopped and
started again, the routing backend goes on where it left off and stores nothing twice.
Run with the routing backend on SQLite and on PostgreSQL."""
import html
import http.cookiejar
import json
import os
import re
import sqlite3
import subprocess
import time
import urllib.parse
import urllib.request
from unittest import mock
from urllib.parse import quote

import pytest

from tests.live_assistant import LiveAssistant, json_call
from tests.routing_process import RoutingProcess, free_port
from tests.test_handoff_e2e import postgres_schema

PASSWORD = "archive-test-password"
SENDER = "woman-archive-e2e"
FIRST = "我怀孕了公司要辞退我，我电话13812345678"
COLUMNS = "id, broker_id, event_type, text, intent, channel"


def archive_rows(database_url: str, sender: str) -> list:
    """The archive of one conversation, read from the routing database (this venv has no PostgreSQL driver)."""
    query = f"SELECT {COLUMNS} FROM archived_events WHERE conversation_id = ? ORDER BY id"
    if database_url.startswith("sqlite:///"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as connection:
            rows = connection.execute(query, (sender,)).fetchall()
        connection.close()
        return [dict(zip(COLUMNS.split(", "), row)) for row in rows]
    literal = "'" + sender.replace("'", "''") + "'"
    statement = f"SELECT coalesce(json_agg(t), '[]') FROM ({query.replace('?', literal)}) t"
    result = subprocess.run(["psql", database_url.replace("+psycopg", ""), "-At", "-c", statement],
                            check=True, capture_output=True, text=True)
    return json.loads(result.stdout)


def wait_for_archive(database_url: str, text: str, seconds: float = 60) -> list:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        rows = archive_rows(database_url, SENDER)
        if any(row["text"] == text for row in rows) and rows[-1]["event_type"] == "bot":
            return rows
        time.sleep(0.5)
    raise AssertionError(f"{text!r} never reached the archive")


def console_client(base: str, username: str):
    """A browser's cookie jar, logged in through the console's login form."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    page = opener.open(f"{base}/console/login", timeout=30).read().decode("utf-8")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"username": username, "password": PASSWORD, "csrf_token": token}).encode()
    opener.open(urllib.request.Request(f"{base}/console/login", data=body, method="POST"), timeout=30).close()
    return opener


def transcript(opener, base: str) -> str:
    return html.unescape(opener.open(f"{base}/console/transcripts/{quote(SENDER, safe='')}", timeout=30)
                         .read().decode("utf-8"))


@pytest.fixture(params=["sqlite", "postgresql"])
def services(request, tmp_path):
    live = LiveAssistant(tmp_path, {})
    database_url = f"sqlite:///{tmp_path / 'routing.db'}" if request.param == "sqlite" else postgres_schema()
    settings = {"ROUTING_EVENT_BROKER_URL": f"sqlite:///{live.event_broker_db}", "ROUTING_COOKIE_SECURE": "false"}
    with mock.patch.dict(os.environ, settings):
        routing = RoutingProcess(tmp_path, free_port(), database_url=database_url, rasa_url=live.rasa_url,
                                 rasa_token=live.api_token)
    routing.run_command("load-org-data")
    routing.run_command("create-user", "--username", "staff", "--password", PASSWORD, "--role", "staff")
    routing.start()  # before Rasa: no broker file yet, and none is created
    try:
        assert not live.event_broker_db.exists()
        live.start()
        yield live, routing, database_url
    finally:
        routing.stop()
        live.stop()


def test_a_conversation_reaches_the_archive_and_the_console_through_the_event_broker(services):
    live, routing, database_url = services

    def she_says(text):
        replies = json_call("POST", f"{live.rasa_url}/webhooks/rest/webhook", {"sender": SENDER, "message": text})
        return [reply["text"] for reply in replies if reply.get("text")]

    answers = she_says(FIRST)
    rows = wait_for_archive(database_url, FIRST)
    assert [row["event_type"] for row in rows][0] == "user" and rows[0]["channel"] == "rest" and rows[0]["intent"]
    assert [row["text"] for row in rows if row["event_type"] == "bot" and row["text"]] == answers

    staff = console_client(routing.url, "staff")
    page = transcript(staff, routing.url)
    assert "13812345678" not in page and "我怀孕了公司要辞退我，我电话[电话已隐藏]" in page
    assert all(answer in page for answer in answers)

    routing.stop()  # she goes on while the routing backend is down
    later = she_says("谢谢你")
    routing.start()
    rows = wait_for_archive(database_url, "谢谢你")
    assert [row["text"] for row in rows if row["event_type"] == "user"] == [FIRST, "谢谢你"]  # each once
    assert [row["broker_id"] for row in rows] == sorted(row["broker_id"] for row in rows)
    assert [row["text"] for row in rows if row["event_type"] == "bot" and row["text"]] == answers + later
    assert "谢谢你" in transcript(console_client(routing.url, "staff"), routing.url)
