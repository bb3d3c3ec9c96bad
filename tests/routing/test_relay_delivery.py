"""What became of an expert's reply: the relay hands it to Rasa with its id, her channel reports
the platform's answer (POST /api/v1/handoffs/messages/{id}/delivery), and the state the expert
sees is the channel's, with a refusal's reason in the handoff's history."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from sqlalchemy import select

from routing.models import HandoffMessage
from routing.relay import RasaRelay
from tests.routing.test_api import SERVICE, client, holder_and_other, login, open_handoff, rasa  # noqa: F401

__all__ = ["client", "rasa"]  # the API fixtures, shared with test_api.py


def message_ids(sessions, handoff_id, sender):
    with sessions() as db:
        return list(db.scalars(select(HandoffMessage.id).where(HandoffMessage.handoff_id == handoff_id,
                                                               HandoffMessage.sender == sender)))


def replied(client, sessions, text="请保留好证据"):  # noqa: F811 - the fixture, passed on
    handoff = open_handoff(client)
    holder, _ = holder_and_other(client, handoff["id"])
    client.post(f"/api/v1/handoffs/{handoff['id']}/claim", headers=holder)
    client.post(f"/api/v1/handoffs/{handoff['id']}/reply", json={"text": text}, headers=holder)
    return handoff["id"], message_ids(sessions, handoff["id"], "expert")[-1], holder


def detail_of(client, handoff_id, viewer):  # noqa: F811
    return client.get(f"/api/v1/handoffs/{handoff_id}", headers=viewer).json()


def test_a_refusal_is_shown_with_its_reason_and_a_later_delivery_replaces_it(client, sessions):  # noqa: F811
    handoff_id, message_id, holder = replied(client, sessions)
    assert detail_of(client, handoff_id, holder)["messages"][-1]["delivery"] == "delivered"  # Rasa took it
    reason = "errcode 45015: response out of time limit or subscription is canceled"
    answer = client.post(f"/api/v1/handoffs/messages/{message_id}/delivery",
                         json={"state": "refused", "detail": reason}, headers=SERVICE)
    assert answer.status_code == 204
    detail = detail_of(client, handoff_id, holder)
    assert detail["messages"][-1]["delivery"] == "refused"
    assert any("45015" in (event["note"] or "") for event in detail["history"])
    client.post(f"/api/v1/handoffs/messages/{message_id}/delivery", json={"state": "accepted"}, headers=SERVICE)
    detail = detail_of(client, handoff_id, holder)
    assert detail["messages"][-1]["delivery"] == "accepted"
    assert any("已补发送达" in (event["note"] or "") for event in detail["history"])


def test_only_the_service_may_report_and_only_on_expert_replies(client, sessions):  # noqa: F811
    handoff_id, message_id, holder = replied(client, sessions)
    url = f"/api/v1/handoffs/messages/{message_id}/delivery"
    assert client.post(url, json={"state": "accepted"}, headers=holder).status_code == 403
    assert client.post(url, json={"state": "seen"}, headers=SERVICE).status_code == 422
    her_message = message_ids(sessions, handoff_id, "user")[0]  # her words, not a reply
    assert client.post(f"/api/v1/handoffs/messages/{her_message}/delivery", json={"state": "accepted"},
                       headers=SERVICE).status_code == 404
    assert client.post("/api/v1/handoffs/messages/999999/delivery", json={"state": "waiting"},
                       headers=SERVICE).status_code == 404


def test_a_report_before_the_relays_own_update_is_not_overwritten(client, rasa, sessions):  # noqa: F811
    rasa.up = False  # the reply stays pending
    handoff_id, message_id, holder = replied(client, sessions)
    client.post(f"/api/v1/handoffs/messages/{message_id}/delivery", json={"state": "waiting",
                "detail": "她的网页聊天已关闭，等她回来"}, headers=SERVICE)
    rasa.up = True
    with sessions() as db, db.begin():
        rasa.deliver_pending(db)
    assert detail_of(client, handoff_id, holder)["messages"][-1]["delivery"] == "waiting"


class RecordingRasa:
    """Rasa's trigger_intent over real HTTP, recording each body it receives."""

    def __init__(self):
        self.bodies = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                recorder.bodies.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}"


def test_the_relay_hands_the_reply_id_to_rasa(sessions):
    from routing import auth, lifecycle
    from routing.lifecycle import NewHandoff

    with sessions() as db, db.begin():
        lawyer = auth.create_user(db, username="id-lawyer", password="a-long-password", role="expert",
                                  department_id="rights", specialty="法律", title="律师")
        handoff = lifecycle.open_handoff(db, NewHandoff("woman-id", "telegram", "legal", "legal_divorce", False,
                                                        "想离婚"), 48, 1)
        lifecycle.claim(db, handoff, lawyer)
        reply = lifecycle.reply(db, handoff, lawyer, "请保留好证据")
    rasa = RecordingRasa()
    try:
        with sessions() as db, db.begin():
            assert RasaRelay(rasa.url).deliver_pending(db) == 1
    finally:
        rasa.server.shutdown()
    entities = rasa.bodies[0]["entities"]
    assert entities["expert_text"] == "请保留好证据" and entities["expert_message_id"] == reply.id
