"""End to end through the running services: she asks for the nearest federation office
(找组织, from the routing backend's directory) and names her place; she asks for a lawyer, an expert answers
through the API, the reply reaches her channel (Rasa's callback channel), she answers,
the expert sees it and resolves, and the bot takes over again. Her place goes with the
handoff. Run with the routing
backend on SQLite and on PostgreSQL."""
import json
import os
import queue
import subprocess
import threading
import time
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from tests.live_assistant import assistant_with_routing, json_call
from tests.routing_process import SERVICE_TOKEN, free_port

POSTGRES_URL = os.environ.get("ROUTING_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


class Inbox:
    """What the callback channel posts: the bot's messages to her, per conversation."""

    def __init__(self):
        self.messages = queue.Queue()
        inbox = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                inbox.messages.put(json.loads(body.decode("utf-8")))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/bot"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, recipient, contains, seconds=60):
        deadline, seen = time.time() + seconds, []
        while time.time() < deadline:
            try:
                message = self.messages.get(timeout=1)
            except queue.Empty:
                continue
            if message.get("recipient_id") == recipient:
                seen.append(message.get("text") or "")
                if contains in (message.get("text") or ""):
                    return message["text"]
        raise AssertionError(f"no message containing {contains!r} for {recipient}; saw {seen}")


def postgres_schema():
    """A fresh schema in the machine's PostgreSQL, made with psql (this venv has no driver)."""
    schema = f"routing_e2e_{uuid.uuid4().hex[:8]}"
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-c", f'CREATE SCHEMA "{schema}"'],
                   check=True, capture_output=True)
    return f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"


@pytest.fixture(params=["sqlite", "postgresql"])
def services(request, tmp_path):
    inbox = Inbox()
    database_url = "" if request.param == "sqlite" else postgres_schema()
    with assistant_with_routing(tmp_path, credentials=f'callback:\n  url: "{inbox.url}"\n',
                                database_url=database_url) as (live, routing):
        yield live.rasa_url, routing, inbox, live



def test_lawyer_handoff_round_trip(services):
    rasa_url, routing, inbox, rasa = services
    routing_url = routing.url

    def she_says(text):
        body = json.dumps({"sender": "woman-e2e", "message": text}, ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(f"{rasa_url}/webhooks/callback/webhook", data=body, method="POST",
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            assert response.status == 200

    she_says("离我最近的妇联在哪里")
    inbox.wait_for("woman-e2e", "你在哪个市")
    she_says("我在顺德")
    office = inbox.wait_for("woman-e2e", "佛山市顺德区妇女联合会")
    assert "电话：12338" in office and "上一级是佛山市妇女联合会" in office and "示例数据" in office

    she_says("老公出轨了我想离婚，孩子两岁")
    inbox.wait_for("woman-e2e", "")  # the bot answers first (an FAQ answer or the closest questions)
    she_says("转人工")
    confirmation = inbox.wait_for("woman-e2e", "编号")
    handoff = json_call("GET", f"{routing_url}/api/v1/conversations/woman-e2e/status", token=SERVICE_TOKEN)
    assert handoff["department"] == "权益部" and handoff["id"] in confirmation
    assert routing.handoff_as_admin(handoff["id"])["region"] == "广东省佛山市顺德区"
    from datetime import datetime
    due = datetime.fromisoformat(handoff["due_at"].replace("Z", "+00:00"))
    created = datetime.fromisoformat(handoff["created_at"].replace("Z", "+00:00"))
    assert (due - created).total_seconds() == 48 * 3600

    token = json_call("POST", f"{routing_url}/api/v1/auth/token", {"username": "lawyer", "password": "a-long-password"})[
        "access_token"]
    hid = handoff["id"]
    json_call("POST", f"{routing_url}/api/v1/handoffs/{hid}/claim", token=token)
    json_call("POST", f"{routing_url}/api/v1/handoffs/{hid}/reply", {"text": "你好，我是律师。孩子不满两周岁，一般由母亲直接抚养。"},
        token=token)
    assert "一般由母亲直接抚养" in inbox.wait_for("woman-e2e", "【律师回复】")

    she_says("好的，我现在没有工作，能争取抚养权吗")
    inbox.wait_for("woman-e2e", "已经转给负责你求助的工作人员")
    deadline = time.time() + 30
    while time.time() < deadline:
        detail = json_call("GET", f"{routing_url}/api/v1/handoffs/{hid}", token=token)
        if any("没有工作" in m["text"] and m["sender"] == "user" for m in detail["messages"]):
            break
        time.sleep(0.5)
    else:
        raise AssertionError("the expert never saw her answer")
    assert detail["messages"][-2]["delivery"] == "delivered"

    # Rasa down when the expert replies: the reply waits as pending, then arrives.
    rasa.stop_rasa()
    json_call("POST", f"{routing_url}/api/v1/handoffs/{hid}/reply", {"text": "请准备好收入证明和孩子的照料记录。"}, token=token)
    detail = json_call("GET", f"{routing_url}/api/v1/handoffs/{hid}", token=token)
    assert detail["messages"][-1]["delivery"] == "pending"
    rasa.start_rasa()
    assert "收入证明" in inbox.wait_for("woman-e2e", "【律师回复】", seconds=60)
    deadline = time.time() + 20  # marked delivered when the relay's round commits
    while json_call("GET", f"{routing_url}/api/v1/handoffs/{hid}", token=token)["messages"][-1]["delivery"] != "delivered":
        assert time.time() < deadline, "the delivered reply is still marked pending"
        time.sleep(0.5)

    json_call("POST", f"{routing_url}/api/v1/handoffs/{hid}/resolve", {"note": "已解答抚养权问题"}, token=token)
    inbox.wait_for("woman-e2e", "由我继续为你服务")
    she_says("谢谢你")
    inbox.wait_for("woman-e2e", "不客气")
