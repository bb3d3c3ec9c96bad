"""The queue: what an expert or supervisor sees, in which order, and how it changes."""
import asyncio
import json
from datetime import timedelta

from routing.console.live import _events
from routing.console.queue_pages import QueueFilters, open_handoffs, queue_state
from routing.models import Handoff, User
from tests.routing.console_support import login, open_handoff, post
from tests.routing import console_support

# the console fixtures (tests/routing/console_support.py)
console_app = console_support.console_app
relay = console_support.relay
tracker = console_support.tracker


def row_ids(html):
    import re

    return re.findall(r'<tr class="row [^"]*" data-id="([0-9a-f]+)"', html)


def test_the_queue_lists_urgent_and_nearly_due_first_with_colour_icon_and_time_left(console_app, sessions):
    normal = open_handoff(sessions, "a")
    urgent = open_handoff(sessions, "b", urgent=True, summary="他现在在砸门")
    soon_id = open_handoff(sessions, "c")
    with sessions() as db, db.begin():  # a normal one that falls due in two hours
        soon = db.get(Handoff, soon_id)
        soon.due_at = soon.created_at + timedelta(hours=2)
    page = login(console_app, "lawyer1").get("/console/queue").text
    assert row_ids(page) == [urgent, soon_id, normal]
    assert 'class="row urgent"' in page and 'class="icon icon-urgent"' in page and 'class="row due-soon"' in page
    assert "剩余 0小时59分" in page or "剩余 59分钟" in page
    assert "剩余 1小时59分" in page or "剩余 2小时0分" in page


def test_experts_see_their_department_only_supervisors_see_all(console_app, sessions):
    legal = open_handoff(sessions, "a")
    care = open_handoff(sessions, "b", category="care")
    assert row_ids(login(console_app, "lawyer1").get("/console/queue").text) == [legal]
    assert row_ids(login(console_app, "counsellor").get("/console/queue").text) == [care]
    assert set(row_ids(login(console_app, "boss").get("/console/queue").text)) == {legal, care}


def test_filters_by_category_urgency_status_and_region(console_app, sessions):
    first = open_handoff(sessions, "a", region="广东省佛山市顺德区")
    second = open_handoff(sessions, "b", category="care", urgent=True, region="广东省广州市天河区")
    boss = login(console_app, "boss")
    assert row_ids(boss.get("/console/queue?category=care").text) == [second]
    assert row_ids(boss.get("/console/queue?urgency=normal").text) == [first]
    assert row_ids(boss.get("/console/queue?region=佛山").text) == [first]
    assert row_ids(boss.get("/console/queue?status=resolved&category=nonsense").text) == [second, first]
    assert row_ids(boss.get("/console/queue/rows?region=天河").text) == [second]


def test_her_words_in_the_queue_are_masked_for_those_not_holding_the_case(console_app, sessions):
    open_handoff(sessions, "a", category="care", summary="我的电话13812345678")
    page = login(console_app, "boss").get("/console/queue").text
    assert "13812345678" not in page and "[电话已隐藏]" in page


def test_the_event_stream_reports_a_new_handoff(console_app, sessions):
    """The generator behind /console/queue/events: first the state, then a new id when one arrives."""
    with sessions() as db:
        user = db.query(User).filter_by(username="lawyer1").one()
    open_handoff(sessions, "a")
    calls = []

    def poll():
        calls.append(1)
        if len(calls) == 2:
            open_handoff(sessions, "b", urgent=True)
        with sessions() as db:
            return queue_state(open_handoffs(db, db.get(User, user.id), QueueFilters()))

    class Request:
        async def is_disconnected(self):
            return len(calls) >= 3

    async def collect():
        return [chunk async for chunk in _events(Request(), poll, interval=0, lifetime=10)]

    chunks = asyncio.run(collect())
    states = [json.loads(c.split("data: ", 1)[1]) for c in chunks if c.startswith("event: state")]
    assert len(states) == 2 and len(states[1]["handoffs"]) == 2 and len(states[1]["urgent"]) == 1


def test_the_event_stream_needs_a_login(console_app):
    from fastapi.testclient import TestClient

    response = TestClient(console_app).get("/console/queue/events", headers={"accept": "text/event-stream"})
    assert response.status_code == 401


def test_an_expert_can_go_away_and_is_then_not_assigned(console_app, sessions):
    for name in ("lawyer1", "lawyer2"):
        client = login(console_app, name)
        assert "在岗" in client.get("/console/queue").text
        assert post(client, "/console/queue/availability", available="0").status_code == 303
        assert "暂离" in client.get("/console/queue").text
    handoff_id = open_handoff(sessions, "a")
    with sessions() as db:
        assert db.get(Handoff, handoff_id).assignee_id is None


def test_her_new_messages_are_counted_on_the_row_and_the_highlight_stays_until_opened(console_app, sessions):
    from routing import lifecycle

    handoff_id = open_handoff(sessions, "w-unread")
    other = open_handoff(sessions, "w-other")
    lawyer = login(console_app, "lawyer1")
    lawyer.get(f"/console/handoffs/{handoff_id}")
    lawyer.get(f"/console/handoffs/{other}")
    with sessions() as db, db.begin():
        handoff = db.get(Handoff, handoff_id)
        lifecycle.add_user_message(db, handoff, "还在吗？")
        lifecycle.add_user_message(db, handoff, "我很着急")
    page = lawyer.get("/console/queue").text
    assert "新消息 2" in page and 'data-unread="2" data-fresh="yes"' in page
    assert 'data-unread="2"' in page.split('id="queue-tabs"')[1][:40]  # the tab title counts them
    assert 'data-unread="0" data-fresh="no"' in page  # the other one was opened
    for _ in range(2):  # later refreshes keep it, until she opens it
        assert "新消息 2" in lawyer.get("/console/queue/rows").text
    her_turn = lawyer.get("/console/queue?view=her_turn").text
    assert row_ids(her_turn) == [handoff_id]
    lawyer.get(f"/console/handoffs/{handoff_id}")
    assert "新消息" not in lawyer.get("/console/queue/rows").text


def test_tabs_group_the_queue_and_pages_hold_twenty_five_rows(console_app, sessions):
    ids = [open_handoff(sessions, f"w-{i}", urgent=i % 10 == 0) for i in range(30)]
    boss = login(console_app, "boss")
    first = boss.get("/console/queue").text
    assert len(row_ids(first)) == 25 and "第 1–25 条，共 30 条" in first and 'rel="next"' in first
    assert len(row_ids(boss.get("/console/queue?page=2").text)) == 5
    urgent = boss.get("/console/queue?view=urgent").text
    assert sorted(row_ids(urgent)) == sorted(ids[0:30:10])
    assert 'data-view="urgent"' in urgent and '紧急 <span class="count">3</span>' in urgent
    lawyer = login(console_app, "lawyer1")
    mine = row_ids(lawyer.get("/console/queue?view=mine").text)
    assert 0 < len(mine) < 30


def test_the_status_filter_offers_the_open_statuses(console_app):
    page = login(console_app, "boss").get("/console/queue").text
    assert '<option value="in_progress" >处理中</option>' in page or 'value="in_progress"' in page
