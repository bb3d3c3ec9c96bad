"""Transcript review: search, read masked, mark a misunderstood message, export the marks."""
import re
from datetime import datetime, timedelta, timezone

import yaml

from routing.cli import main as cli_main
from routing.console import corrections, intents
from routing.console.models import HandoffOutcome
from tests.routing.console_support import login, open_handoff, post
from tests.routing import console_support

# the console fixtures (tests/routing/console_support.py)
console_app = console_support.console_app
relay = console_support.relay
tracker = console_support.tracker

NOW = datetime.now(timezone.utc).replace(microsecond=0)


def conversations(tracker):
    tracker.user("alice", "我怀孕了公司要辞退我，电话13812345678", "legal_employment", 0.91, NOW - timedelta(days=2))
    tracker.bot("alice", "怀孕期间用人单位不得解除劳动合同……", NOW - timedelta(days=2))
    tracker.slot("alice", "last_faq_id", "legal.employment.pregnancy_dismissal", NOW - timedelta(days=2))
    tracker.slot("alice", "last_feedback", {"faq_id": "legal.employment.pregnancy_dismissal", "helpful": True},
                 NOW - timedelta(days=2))
    tracker.user("bella", "孩子天天玩手机不写作业", "family_screen_study", 0.8, NOW - timedelta(days=1), "telegram")
    tracker.bot("bella", "可以先和孩子约定使用时间……", NOW - timedelta(days=1))
    wrong = tracker.user("carol", "彩礼能要回来吗", "out_of_scope", 0.3, NOW - timedelta(days=40))
    return wrong


def found(page):
    return re.findall(r'href="/console/transcripts/([^"]+)">阅读', page)


def test_search_by_date_channel_category_intent_keyword_and_outcome(console_app, tracker, sessions):
    conversations(tracker)
    handoff_id = open_handoff(sessions, conversation="alice")
    with sessions() as db, db.begin():
        db.add(HandoffOutcome(handoff_id=handoff_id, outcome="answered"))
    staff = login(console_app, "staff")
    assert set(found(staff.get("/console/transcripts").text)) == {"alice", "bella"}  # the last 30 days
    start = (NOW - timedelta(days=60)).date().isoformat()
    assert "carol" in found(staff.get(f"/console/transcripts?start={start}").text)
    assert found(staff.get("/console/transcripts?channel=telegram").text) == ["bella"]
    assert found(staff.get("/console/transcripts?category=legal").text) == ["alice"]
    assert found(staff.get("/console/transcripts?intent=family_screen_study").text) == ["bella"]
    assert found(staff.get("/console/transcripts?keyword=辞退").text) == ["alice"]
    assert found(staff.get("/console/transcripts?keyword=13812345678").text) == []  # masked for staff
    assert found(staff.get("/console/transcripts?outcome=answered").text) == ["alice"]


def test_staff_read_a_transcript_with_the_phone_number_masked_admins_see_it(console_app, tracker):
    conversations(tracker)
    page = login(console_app, "staff").get("/console/transcripts/alice").text
    assert "13812345678" not in page and "[电话已隐藏]" in page
    assert "legal_employment" in page and "置信度 91%" in page and "有帮助" in page
    assert "13812345678" in login(console_app, "root").get("/console/transcripts/alice").text


def test_bad_dates_and_long_keywords_get_a_clear_message(console_app):
    staff = login(console_app, "staff")
    assert "日期格式应为" in staff.get("/console/transcripts?start=yesterday").text
    assert "开始日期不能晚于结束日期" in staff.get("/console/transcripts?start=2026-02-01&end=2026-01-01").text
    assert "关键词最多 50 字" in staff.get("/console/transcripts?keyword=" + "字" * 51).text


def test_a_marked_message_is_exported_masked_as_rasa_training_data(console_app, tracker, sessions, tmp_path):
    conversations(tracker)
    staff = login(console_app, "staff")
    page = staff.get("/console/transcripts/alice").text
    event_id = re.search(r'name="event_id" value="(\d+)"', page).group(1)
    response = post(staff, "/console/transcripts/alice/corrections", event_id=event_id, intent="legal_aid")
    assert response.status_code == 303
    assert "已标记为 legal_aid" in staff.get("/console/transcripts/alice").text
    assert post(staff, "/console/transcripts/alice/corrections", event_id=event_id,
                intent="not_an_intent").status_code == 400
    out = tmp_path / "corrections.yml"
    with sessions() as db:
        assert corrections.export(db, intents.correctable_intents(), out) == 1
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["version"] == "3.1"
    assert data["nlu"] == [{"intent": "legal_aid", "examples": "- 我怀孕了公司要辞退我，电话[电话已隐藏]\n"}]
    assert "examples: |" in out.read_text(encoding="utf-8")


def test_export_corrections_command_writes_the_file(sessions, database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("ROUTING_DATABASE_URL", database_url)
    out = tmp_path / "nlu" / "corrections.yml"
    assert cli_main(["export-corrections", "--out", str(out)]) == 0
    assert yaml.safe_load(out.read_text(encoding="utf-8")) == {"version": "3.1", "nlu": []}


def test_an_experts_relayed_reply_is_not_shown_as_her_message_and_is_masked(console_app, tracker):
    """The routing backend delivers a reply with trigger_intent: Rasa stores "EXTERNAL: expert_reply"
    as a user event, then the bot says the expert's words."""
    tracker.user("dora", "我想咨询离婚", "legal_divorce", 0.9, NOW - timedelta(hours=3))
    tracker.external("dora", "expert_reply", {"expert_text": "我稍后打13812345678"}, NOW - timedelta(hours=2))
    tracker.bot("dora", "【律师回复】\n我稍后打13812345678", NOW - timedelta(hours=2))
    page = login(console_app, "staff").get("/console/transcripts/dora").text
    assert "EXTERNAL" not in page and page.count('class="correction"') == 1
    assert "13812345678" not in page and "【律师回复】" in page and "专家 ·" in page
    assert "13812345678" in login(console_app, "root").get("/console/transcripts/dora").text


def test_a_wrong_mark_is_undone_and_no_longer_exported(console_app, tracker, sessions, tmp_path):
    from routing import audit

    conversations(tracker)
    staff = login(console_app, "staff")
    page = staff.get("/console/transcripts/alice").text
    event_id = re.search(r'name="event_id" value="(\d+)"', page).group(1)
    post(staff, "/console/transcripts/alice/corrections", event_id=event_id, intent="legal_aid")
    assert "撤销标记" in staff.get("/console/transcripts/alice").text
    assert post(staff, "/console/transcripts/alice/corrections/undo", event_id=event_id).status_code == 303
    page = staff.get("/console/transcripts/alice").text
    assert "已标记为" not in page and "撤销标记" not in page
    with sessions() as db:
        assert corrections.export(db, intents.correctable_intents(), tmp_path / "c.yml") == 0
        assert audit.recent(db, action="correction.undo")[0].actor == "staff"
    again = post(staff, "/console/transcripts/alice/corrections/undo", event_id=event_id)
    assert again.status_code == 404 and "标记已经撤销" in again.text
