"""Dashboard figures, charts drawn in the page, and the CSV export."""
import csv
import io
from datetime import date, datetime, timedelta, timezone

from routing.console.dashboard_figures import city_of, compute
from routing.console.tracker_reader import Turn
from routing.models import Handoff, HandoffMessage
from tests.routing.console_support import login, open_handoff
from tests.routing import console_support

# the console fixtures (tests/routing/console_support.py)
console_app = console_support.console_app
relay = console_support.relay
tracker = console_support.tracker

NOW = datetime(2026, 11, 20, 4, 0, tzinfo=timezone.utc)  # 12:00 in China


def handoff(created, status="replied", region=None, reply_after=None, limit=timedelta(hours=48)):
    h = Handoff(id=str(id(created)), conversation_id="x", status=status, created_at=created, due_at=created + limit,
                region=region, urgent=limit < timedelta(hours=2), summary="")
    h.messages = [HandoffMessage(sender="expert", text="hi", created_at=created + reply_after)] if reply_after else []
    return h


def test_figures_count_requests_replies_ratings_and_regions():
    day = NOW - timedelta(days=1)
    turns = [Turn(1, "a", "user", "x", day, "legal_divorce", 0.9), Turn(2, "a", "user", "y", day, "legal_aid", 0.9),
             Turn(3, "b", "user", "z", day, "care_mental_health", 0.9), Turn(4, "b", "user", "hi", day, "greet", 0.9),
             Turn(5, "a", "feedback", "", day, helpful=True), Turn(6, "b", "feedback", "", day, helpful=False),
             Turn(7, "c", "user", "old", NOW - timedelta(days=90), "legal_aid", 0.9)]
    handoffs = [handoff(NOW - timedelta(days=5), region="广东省佛山市顺德区", reply_after=timedelta(hours=2)),
                handoff(NOW - timedelta(days=4), region="广东省佛山市南海区", reply_after=timedelta(hours=50)),
                handoff(NOW - timedelta(days=3), status="received"),  # due, never answered
                handoff(NOW - timedelta(hours=3), status="assigned", region="广东省广州市")]  # not yet due
    figures = compute(turns, handoffs, date(2026, 11, 1), date(2026, 11, 20), NOW)
    assert figures.requests_by_day == {date(2026, 11, 19): {"legal": 1, "care": 1}}
    assert figures.handoffs_by_status == {"replied": 2, "received": 1, "assigned": 1}
    assert (figures.answered_in_time, figures.answer_due) == (1, 3)
    assert figures.median_first_reply == timedelta(hours=26)
    assert (figures.rated_helpful, figures.rated) == (1, 2)
    assert figures.requests_by_region == [("佛山市", 2), ("广州市", 1), ("未知", 1)]


def test_city_of_a_full_region_path():
    assert city_of("广东省佛山市顺德区") == "佛山市" and city_of("广州市天河区") == "广州市"
    assert city_of(None) == "未知" and city_of("顺德区") == "顺德区"


def test_the_dashboard_draws_its_charts_and_exports_the_same_figures(console_app, sessions, tracker):
    now = datetime.now(timezone.utc)
    tracker.user("a", "离婚孩子归谁", "legal_divorce", 0.9, now - timedelta(hours=1))
    tracker.slot("a", "last_feedback", {"faq_id": "x", "helpful": True}, now - timedelta(hours=1))
    open_handoff(sessions, "a", region="广东省佛山市顺德区")
    staff = login(console_app, "staff")
    page = staff.get("/console/dashboard")
    assert page.status_code == 200
    assert '<svg viewBox="0 0 640 220" role="img" aria-label="每日求助数"' in page.text
    assert 'class="swatch-legal"' in page.text and "佛山市：1" in page.text
    assert 'id="helpful">100%' in page.text
    exported = staff.get("/console/dashboard.csv")
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0] == ["指标", "项目", "数值"]
    assert ["转人工求助（按地区）", "佛山市", "1"] in rows and ["问答被评为有帮助", "1/1", "100%"] in rows
    assert "日期格式应为" in staff.get("/console/dashboard?start=soon").text


def test_experts_cannot_open_the_dashboard(console_app):
    assert login(console_app, "lawyer1").get("/console/dashboard.csv").status_code == 403


def test_csv_cells_that_look_like_formulas_stay_text():
    from routing.console.dashboard_pages import safe_cell

    assert safe_cell("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")" and safe_cell("佛山市") == "佛山市"


def test_a_handoff_early_in_the_morning_in_china_counts_on_that_day(console_app, sessions):
    """01:00 in China is 17:00 UTC the day before: the period's bounds must be compared in UTC."""
    handoff_id = open_handoff(sessions, "a", region="广东省佛山市顺德区")
    with sessions() as db, db.begin():
        db.get(Handoff, handoff_id).created_at = datetime(2026, 10, 31, 17, 0, tzinfo=timezone.utc)
    exported = login(console_app, "staff").get("/console/dashboard.csv?start=2026-11-01&end=2026-11-01")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert ["转人工求助（按地区）", "佛山市", "1"] in rows


def test_the_reply_rate_measures_each_handoff_against_its_own_time_limit():
    urgent_late = handoff(NOW - timedelta(hours=5), reply_after=timedelta(hours=2), limit=timedelta(hours=1))
    urgent_in_time = handoff(NOW - timedelta(hours=6), reply_after=timedelta(minutes=40), limit=timedelta(hours=1))
    urgent_waiting = handoff(NOW - timedelta(hours=2), status="assigned", limit=timedelta(hours=1))  # due, no reply
    normal_pending = handoff(NOW - timedelta(hours=3), status="assigned")  # not yet due
    figures = compute([], [urgent_late, urgent_in_time, urgent_waiting, normal_pending], date(2026, 11, 19),
                      date(2026, 11, 20), NOW)
    assert (figures.answered_in_time, figures.answer_due) == (1, 3)


def test_the_live_board_shows_workload_and_alerts_and_refreshes_itself(console_app, sessions):
    from routing.models import User, utcnow

    with sessions() as db, db.begin():
        db.query(User).filter_by(username="lawyer2").one().available = False  # lawyer1 gets them all
    ids = [open_handoff(sessions, conversation=f"w-{i}", urgent=i < 3) for i in range(13)]
    with sessions() as db, db.begin():
        db.get(Handoff, ids[0]).due_at = utcnow() + timedelta(minutes=10)
    staff = login(console_app, "boss")
    page = staff.get("/console/dashboard").text
    assert 'id="live-board" data-refresh="15"' in page and "/console/static/dashboard.js" in page
    live = staff.get("/console/dashboard/live")
    assert live.status_code == 200
    assert f"紧急求助 {ids[0]} " in live.text and "分钟后到期" in live.text
    assert "律师 lawyer1 手上有 13 个未办结求助，其中紧急 3 个" in live.text
    assert "权益部" in live.text and 'id="workload-experts"' in live.text
    assert "按时回复率" in page and "48 小时内回复率" not in page
    assert login(console_app, "lawyer1").get("/console/dashboard/live").status_code == 403
