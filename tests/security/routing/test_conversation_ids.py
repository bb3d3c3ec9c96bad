"""Finding 4: conversation ids went into Rasa's URL unescaped. A sender id such as
`victim/trigger_intent?x=` made an expert's reply go into another conversation.

Handoffs refuse such ids (a clear 422); whatever id a handoff already has is escaped
as one path segment wherever routing builds a URL from it."""
import threading
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from fastapi.testclient import TestClient

from routing import auth, lifecycle
from routing.api.app import create_app
from routing.relay import RasaRelay
from routing.settings import Settings
from tests.routing.console_support import PASSWORD, login
from tests.security.routing.attack_support import SERVICE, api_token

HOSTILE = ["victim/trigger_intent?x=", "victim/tracker/events", "a b", "a\tb", "a\nb", "a\rb", "a\x00b", "a\x7fb",
           "a\x85b", "a\u2028b", "a\u3000b", "a?b", "a#b", "a%2Fb", "a\\b", "", "x" * 129, ".", ".."]
ORDINARY = ["woman-1", "7241998123", "oAbC-_12xyz", "5f2b8c1e-3a4b-4c5d-8e9f-0a1b2c3d4e5f", "x" * 128,
            "telegram:12345", "user@example.org", "微信用户123"]


@pytest.mark.parametrize("conversation_id", HOSTILE)
def test_a_hostile_conversation_id_is_refused_with_a_clear_422(console_app, conversation_id):
    response = TestClient(console_app).post("/api/v1/handoffs", json={"conversation_id": conversation_id},
                                            headers=SERVICE)
    assert response.status_code == 422
    assert "conversation_id" in response.text


@pytest.mark.parametrize("conversation_id", ORDINARY)
def test_ordinary_conversation_ids_are_accepted(console_app, conversation_id):
    response = TestClient(console_app).post("/api/v1/handoffs", json={"conversation_id": conversation_id},
                                            headers=SERVICE)
    assert response.status_code == 201 and response.json()["conversation_id"] == conversation_id


class FakeRasa(BaseHTTPRequestHandler):
    """Records the raw request line of every trigger_intent call."""

    paths: list = []

    def do_POST(self):  # noqa: N802 (the http.server name)
        self.paths.append(self.path)
        self.rfile.read(int(self.headers.get("content-length") or 0))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_rasa():
    FakeRasa.paths = []
    server = HTTPServer(("127.0.0.1", 0), FakeRasa)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", FakeRasa.paths
    server.shutdown()


@pytest.mark.parametrize("legacy_id, segment", [
    ("victim/trigger_intent?x=", "victim%2Ftrigger_intent%3Fx%3D"),
    ("..", "%2E%2E"),
    ("她 的#对话", "%E5%A5%B9%20%E7%9A%84%23%E5%AF%B9%E8%AF%9D"),
])
def test_a_reply_reaches_only_the_conversation_it_belongs_to(sessions, database_url, fake_rasa, legacy_id, segment):
    """A handoff stored before ids were checked: the expert's reply still goes to that id only."""
    rasa_url, paths = fake_rasa
    with sessions() as db, db.begin():
        auth.create_user(db, username="lawyer", password=PASSWORD, role="expert", department_id="rights",
                         specialty="法律", title="律师")
        handoff = lifecycle.open_handoff(db, lifecycle.NewHandoff(legacy_id, "rest", "legal", "legal_divorce", False,
                                                                  "想离婚"), 48, 1)
        handoff_id = handoff.id
    settings = Settings(database_url=database_url, service_token="service-secret-for-tests",
                        rasa_token="rasa-token-for-the-routing-tests")
    app = create_app(settings, sessions, relay=RasaRelay(rasa_url, settings.rasa_token))
    client = TestClient(app)
    lawyer = api_token(app, "lawyer", client=client)
    assert client.post(f"/api/v1/handoffs/{handoff_id}/claim", headers=lawyer).status_code == 200
    assert client.post(f"/api/v1/handoffs/{handoff_id}/reply", json={"text": "你好"}, headers=lawyer).status_code == 200
    assert len(paths) == 1
    path, _, query = paths[0].partition("?")
    assert path == f"/conversations/{segment}/trigger_intent"
    assert query.startswith("output_channel=latest&token=")


def test_console_links_keep_an_odd_sender_id_in_one_path_segment(console_app, tracker):
    tracker.user("victim/trigger_intent?x=", "我想咨询离婚", "legal_divorce", 0.9, datetime.now(timezone.utc))
    staff = login(console_app, "staff")
    page = staff.get("/console/transcripts").text
    assert 'href="/console/transcripts/victim%2Ftrigger_intent%3Fx%3D"' in page
    conversation = staff.get("/console/transcripts/victim%2Ftrigger_intent%3Fx%3D")
    assert conversation.status_code == 200 and "我想咨询离婚" in conversation.text
    assert 'action="/console/transcripts/victim%2Ftrigger_intent%3Fx%3D/corrections"' in conversation.text
