"""Fixtures for the console's browser tests: the real routing backend (`python -m routing
serve`) pointed at a fake Rasa that records what reaches her channel, a tracker store
with a month of conversations, and users created through the CLI."""
from __future__ import annotations

import json
import os
import threading
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import List
from unittest import mock

import pytest

from tests.routing.tracker_builder import TrackerBuilder, bot_event
from tests.routing_process import SERVICE_TOKEN, RoutingProcess, free_port

PASSWORD = "browser-test-password"
USERS = [("lawyer1", "expert", "rights", "法律", "律师"), ("lawyer2", "expert", "rights", "法律", "律师"),
         ("staff", "staff", None, None, "工作人员"), ("boss", "supervisor", None, None, "值班主管"),
         ("root", "admin", None, None, "管理员"), ("counsellor", "expert", "care", "心理", "心理咨询师")]
WIDE = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
SUMMARIES = ["单位拖欠三个月工资，老板说再等等", "离婚后前夫不给抚养费", "出嫁女的土地补偿款被村里扣了",
             "怀孕后被公司调岗降薪", "彩礼能不能要回来", "婆家不让我见孩子", "网购被骗了两千元", "房子加名的问题"]
REGIONS = ["广东省佛山市顺德区", "广东省广州市天河区", "广东省韶关市乐昌市", "广东省湛江市雷州市", "广东省深圳市宝安区",
           "广东省清远市连山壮族瑶族自治县"]


@dataclass
class FakeRasa:
    """Rasa's trigger_intent endpoint: records each call; `up = False` answers 503."""

    url: str = ""
    up: bool = True
    calls: List[dict] = field(default_factory=list)

    def expert_texts(self, conversation_id: str) -> List[str]:
        return [c["body"]["entities"].get("expert_text") for c in self.calls
                if c["conversation_id"] == conversation_id and c["body"]["name"] == "expert_reply"]


@pytest.fixture(scope="module")
def fake_rasa():
    rasa = FakeRasa()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
            parts = self.path.split("?")[0].strip("/").split("/")
            if not rasa.up or len(parts) != 3 or parts[0] != "conversations" or parts[2] != "trigger_intent":
                self.send_response(503)
                self.end_headers()
                return
            rasa.calls.append({"conversation_id": parts[1], "body": body})
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"messages": []}')

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    rasa.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield rasa
    server.shutdown()
    server.server_close()


def month_of_conversations(tracker: TrackerBuilder) -> None:
    """Enough history for the dashboard and the transcript search to show something real."""
    now = datetime.now(timezone.utc)
    topics = [("legal_divorce", "离婚了孩子抚养权归谁"), ("legal_employment", "怀孕被公司辞退怎么办"),
              ("care_mental_health", "最近总是失眠很焦虑"), ("family_screen_study", "孩子沉迷手机不写作业"),
              ("startup_finance", "想开网店有没有创业贷款"), ("legal_family_property", "彩礼能要回来吗")]
    for day in range(14):
        for index, (intent, text) in enumerate(topics[: 2 + day % 5]):
            sender = f"woman-{day}-{index}"
            at = now - timedelta(days=day, hours=index + 1)
            tracker.user(sender, text, intent, 0.6 + 0.05 * index, at, "telegram" if index % 2 else "socketio")
            tracker.bot(sender, "这里是机器人的回答……", at + timedelta(seconds=2))
            tracker.slot(sender, "last_faq_id", "legal.dv.what_to_do", at + timedelta(seconds=2))
            tracker.slot(sender, "last_feedback", {"faq_id": "legal.dv.what_to_do", "helpful": index % 3 != 0},
                         at + timedelta(seconds=30))
    asked = now - timedelta(hours=2)  # a question with choices, before she asked for a person
    tracker.user("w-options", "我想问问离婚的事", "legal_divorce", 0.55, asked)
    tracker._publish("w-options", bot_event("你想先了解哪一方面？", asked + timedelta(seconds=2), buttons=[
        {"title": "孩子抚养", "payload": "/custody"}, {"title": "财产分割", "payload": "/property"},
        {"title": "都不是", "payload": "/other"}]))
    tracker.user("w-options", "财产分割", "legal_family_property", 0.91, asked + timedelta(seconds=20))
    at = now - timedelta(hours=5)
    tracker.user("woman-phone", "彩礼的事想找律师，我电话138 1234 5678", "legal_family_property", 0.82, at)
    tracker.bot("woman-phone", "好的，我帮你转接律师。", at + timedelta(seconds=2))


@dataclass(frozen=True)
class ConsoleServer:
    url: str
    workdir: Path

    def open_handoff(self, **body) -> dict:
        request = urllib.request.Request(
            f"{self.url}/api/v1/handoffs", data=json.dumps(body).encode("utf-8"), method="POST",
            headers={"Authorization": f"Bearer {SERVICE_TOKEN}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    def seed_busy_queue(self, count: int = 32, prefix: str = "busy") -> List[dict]:
        """A realistic busy day: `count` open handoffs, every third one urgent, from all over the province."""
        return [self.open_handoff(conversation_id=f"{prefix}-{index}", channel="telegram", category="legal",
                                  intent="legal_employment", urgent=index % 3 == 0,
                                  summary=SUMMARIES[index % len(SUMMARIES)] + f"（第 {index + 1} 位）",
                                  region=REGIONS[index % len(REGIONS)])
                for index in range(count)]

    def her_message(self, handoff_id: str, text: str) -> None:
        request = urllib.request.Request(
            f"{self.url}/api/v1/handoffs/{handoff_id}/messages", data=json.dumps({"text": text}).encode("utf-8"),
            method="POST", headers={"Authorization": f"Bearer {SERVICE_TOKEN}", "Content-Type": "application/json"})
        urllib.request.urlopen(request, timeout=10).close()


@pytest.fixture(scope="module")
def console_server(tmp_path_factory, fake_rasa):
    workdir = tmp_path_factory.mktemp("console")
    tracker = TrackerBuilder(workdir / "tracker.db")
    month_of_conversations(tracker)
    extra = {"ROUTING_EVENT_BROKER_URL": tracker.url, "ROUTING_COOKIE_SECURE": "false"}  # plain http on 127.0.0.1
    with mock.patch.dict(os.environ, extra):
        routing = RoutingProcess(workdir, free_port(), rasa_url=fake_rasa.url)
    routing.run_command("load-org-data")  # migrates, then departments and offices
    for username, role, department, specialty, title in USERS:
        args = ["create-user", "--username", username, "--password", PASSWORD, "--role", role, "--title", title]
        if department:
            args += ["--department", department, "--specialty", specialty]
        routing.run_command(*args)
    routing.start()
    try:
        yield ConsoleServer(routing.url, workdir)
    finally:
        routing.stop()


def log_in(browser, server: ConsoleServer, username: str, viewport=None, **options):
    """A fresh browser context (its own cookies) logged in through the login form."""
    context = browser.new_context(locale="zh-CN", viewport=viewport or {"width": 1280, "height": 900}, **options)
    page = context.new_page()
    page.goto(f"{server.url}/console/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('登录')")
    page.wait_for_selector(".topbar .me")
    return context, page


def no_horizontal_overflow(page) -> bool:
    """Nothing sticks out sideways on a phone (the document is no wider than the screen)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
