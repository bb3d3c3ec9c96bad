"""End to end through the running services: an admin issues a grid worker's binding code,
she binds her chat with it, reports a case through the form one answer at a time and gets
its number; the report is in the routing backend as she gave it, from her grid, triaged.
A danger in the description marks the report urgent and gives 110 at once; 「取消」 sends
nothing; chats that are not bound never reach the form (tests/conversations/grid.yml,
played here through the same servers)."""
import re
import secrets
from pathlib import Path

import pytest

from tests.conversations.conversation_spec import load_files
from tests.conversations.live_services import LiveServices
from tests.conversations.player import play
from tests.live_chat import press, read, say
from tests.routing_process import _json, a_password

GRID_FILE = Path(__file__).resolve().parent / "conversations" / "grid.yml"
GRID = ("T01V02G1-01", "宣化村第1网格第1小网格")  # in routing/data/grid/sample_county.yml
NUMBER = re.compile(r"WG-\d{4}-\d{6}")


@pytest.fixture(scope="module")
def services(tmp_path_factory):
    live = LiveServices(tmp_path_factory.mktemp("grid-e2e")).start()
    try:
        live.routing.run_command("load-grid-data")
        yield live
    finally:
        live.stop()


@pytest.fixture(scope="module")
def admin(services):
    password = a_password()
    services.routing.run_command("create-user", "--username", "grid-admin", "--password", password, "--role", "admin")
    return _json("POST", f"{services.routing.url}/api/v1/auth/token",
                 {"username": "grid-admin", "password": password})["access_token"]


def bound_chat(services, username):
    """A grid worker in the sample grid, her code issued by the admin command, her chat bound."""
    services.routing.run_command("create-grid-user", "--username", username, "--password", a_password(),
                                 "--role", "grid_worker", "--unit", GRID[0])
    printed = services.routing.run_command("issue-binding-code", "--user", username)
    code = re.search(r"\b(\d{6})\b", printed).group(1)
    chat = f"grid-e2e-{username}"
    assert "绑定好了" in read(say(services, chat, f"绑定 {code}"))
    return chat


def report_numbered(services, token, number):
    reports = _json("GET", f"{services.routing.url}/api/v1/grid/reports", token=token)
    matching = [r for r in reports if r["number"] == number]
    assert matching, f"{number} not in the backend's reports"
    return matching[0]


def test_a_bound_grid_worker_reports_a_case_and_gets_its_number(services, admin):
    chat = bound_chat(services, "wanggeyuan1")
    replies = say(services, chat, "我要上报")
    assert "这次上报的是谁" in read(replies)
    replies = say(services, chat, press(replies, "儿童"))
    assert GRID[1] in read(replies)
    replies = say(services, chat, press(replies, "就在"))
    assert "发生了什么" in read(replies)
    replies = say(services, chat, "三组有个留守儿童，爸妈都在外地打工，爷爷瘫痪在床，孩子经常一个人在家没人照顾")
    assert "紧急吗" in read(replies)
    replies = say(services, chat, press(replies, "一般"))
    replies = say(services, chat, press(replies, "不同意"))
    assert "为什么" in read(replies)
    replies = say(services, chat, "孩子还小，监护人在外地联系不上")
    summary = read(replies)
    assert "请核对" in summary and "儿童" in summary and GRID[1] in summary and "不同意（孩子还小" in summary
    replies = say(services, chat, press(replies, "确认上报"))
    number = NUMBER.search(read(replies)).group(0)
    report = report_numbered(services, admin, number)
    assert (report["source"], report["grid_code"], report["subject"], report["place"]) == \
        ("patrol", GRID[0], "child", GRID[1])
    assert report["text"].startswith("三组有个留守儿童") and report["urgency"] == "normal"
    assert report["consent"] is False and report["no_consent_reason"] == "孩子还小，监护人在外地联系不上"
    assert report["area"] == "care" and report["status"] == "reported"


def test_danger_in_the_description_gives_110_at_once_and_files_it_urgent(services, admin):
    chat = bound_chat(services, "wanggeyuan2")
    replies = say(services, chat, "我要上报")
    replies = say(services, chat, press(replies, "妇女"))
    replies = say(services, chat, "宣化村十二号")
    replies = say(services, chat, "她老公喝醉了，现在拿着菜刀在屋里追着她砍")
    text = read(replies)
    assert "110" in text and "紧急吗" not in text and "同意你上报吗" in text
    replies = say(services, chat, press(replies, "同意"))
    assert "紧急程度：紧急" in read(replies)
    replies = say(services, chat, press(replies, "确认上报"))
    assert "紧急" in read(replies)
    report = report_numbered(services, admin, NUMBER.search(read(replies)).group(0))
    assert report["urgency"] == "urgent" and report["urgent"] is True and report["place"] == "宣化村十二号"


def test_a_case_she_just_describes_starts_a_report_and_cancel_sends_nothing(services, admin):
    chat = bound_chat(services, "wanggeyuan3")
    before = len(_json("GET", f"{services.routing.url}/api/v1/grid/reports", token=admin))
    replies = say(services, chat, "宣化村有个妇女离婚后回了娘家，村里不给她分红，她想问问怎么办")
    assert "登记成一份上报" in read(replies) and "这次上报的是谁" in read(replies)
    replies = say(services, chat, press(replies, "妇女"))
    replies = say(services, chat, press(replies, "就在"))
    assert "紧急吗" in read(replies)  # what happened is already known
    assert "不上报了" in read(say(services, chat, "取消"))
    assert len(_json("GET", f"{services.routing.url}/api/v1/grid/reports", token=admin)) == before
    assert "这次上报的是谁" in read(say(services, chat, "我要上报"))  # a new report starts afresh


def test_chats_that_are_not_bound_never_reach_the_form(services):
    results = [play(services, conversation, secrets.token_hex(3)) for conversation in load_files([GRID_FILE])]
    failing = [(r.conversation_id, t.index, [c.detail for c in t.checks if not c.passed])
               for r in results for t in r.turns if not t.passed]
    assert not failing
