"""The handoff page: transcript, masking, claim, reply, attach, note, reassign, escalate,
resolve, stale pages and hostile input."""
import re
from datetime import timedelta

from routing.console.models import HandoffOutcome
from routing.models import Handoff, User
from tests.routing.console_support import login, open_handoff, post, version_of
from tests.routing import console_support

# the console fixtures (tests/routing/console_support.py)
console_app = console_support.console_app
relay = console_support.relay
tracker = console_support.tracker

TRANSCRIPT = [{"role": "user", "text": "老公打我，我电话13812345678，住天河区林和西路123号"},
              {"role": "bot", "text": "先保护好自己"}]


def unassigned(sessions, **extra):
    """Both lawyers away: the handoff waits in the department queue for someone to claim it."""
    with sessions() as db, db.begin():
        for user in db.query(User).filter(User.role == "expert"):
            user.available = False
    return open_handoff(sessions, **extra)


def act(client, handoff_id, action, sessions, **data):
    return post(client, f"/console/handoffs/{handoff_id}/{action}", version=version_of(sessions, handoff_id), **data)


def test_claim_reply_and_the_reply_reaches_her_channel(console_app, sessions, relay):
    handoff_id = unassigned(sessions, transcript=TRANSCRIPT)
    lawyer = login(console_app, "lawyer1")
    page = lawyer.get(f"/console/handoffs/{handoff_id}").text
    assert "认领这个求助" in page and "13812345678" not in page and "[电话已隐藏]" in page
    assert act(lawyer, handoff_id, "claim", sessions).status_code == 303
    page = lawyer.get(f"/console/handoffs/{handoff_id}").text
    assert "13812345678" in page and "发送回复" in page  # the holder sees what she wrote
    assert act(lawyer, handoff_id, "reply", sessions, text="你好，我是律师，请问你现在安全吗？").status_code == 303
    assert relay.sent == [("woman-1", "expert", "你好，我是律师，请问你现在安全吗？")]
    assert "已发出" in lawyer.get(f"/console/handoffs/{handoff_id}/timeline").text


def test_a_reply_that_cannot_be_delivered_shows_as_pending(console_app, sessions, relay):
    relay.up = False
    handoff_id = unassigned(sessions)
    lawyer = login(console_app, "lawyer1")
    act(lawyer, handoff_id, "claim", sessions)
    act(lawyer, handoff_id, "reply", sessions, text="稍后联系你")
    assert "待送达" in lawyer.get(f"/console/handoffs/{handoff_id}/timeline").text


def test_a_second_expert_cannot_claim_what_a_colleague_claimed(console_app, sessions):
    handoff_id = unassigned(sessions)
    first, second = login(console_app, "lawyer1"), login(console_app, "lawyer2")
    stale_version = version_of(sessions, handoff_id)
    assert "认领这个求助" in second.get(f"/console/handoffs/{handoff_id}").text
    assert act(first, handoff_id, "claim", sessions).status_code == 303
    response = post(second, f"/console/handoffs/{handoff_id}/claim", version=stale_version)
    assert response.status_code == 409 and "这个求助刚被更新过（例如已被同事认领），请刷新后再看" in response.text
    fresh = act(second, handoff_id, "claim", sessions)  # even with a fresh page
    assert fresh.status_code == 409 and "lawyer1" in fresh.text
    with sessions() as db:
        assert db.get(Handoff, handoff_id).assignee.username == "lawyer1"


def test_a_stale_supervisor_page_does_not_overwrite_a_claim(console_app, sessions):
    handoff_id = unassigned(sessions)
    stale = version_of(sessions, handoff_id)
    boss = login(console_app, "boss")
    act(login(console_app, "lawyer1"), handoff_id, "claim", sessions)
    lawyer2 = boss.get("/console/queue")  # noqa: F841
    with sessions() as db:
        target = db.query(User).filter_by(username="lawyer2").one().id
    response = post(boss, f"/console/handoffs/{handoff_id}/reassign", version=stale, expert_id=str(target))
    assert response.status_code == 409
    assert act(boss, handoff_id, "reassign", sessions, expert_id=str(target)).status_code == 303
    with sessions() as db:
        assert db.get(Handoff, handoff_id).assignee.username == "lawyer2"


def test_script_in_her_message_is_shown_as_text(console_app, sessions):
    hostile = [{"role": "user", "text": "<script>alert(1)</script><img src=x onerror=alert(2)>"}]
    handoff_id = open_handoff(sessions, transcript=hostile, summary="<b>bold</b>")
    page = login(console_app, "boss").get(f"/console/handoffs/{handoff_id}").text
    assert "<script>alert(1)</script>" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;img src=x onerror=alert(2)&gt;" in page


def test_oversized_reply_and_note_are_refused_with_a_clear_message(console_app, sessions):
    handoff_id = unassigned(sessions)
    lawyer = login(console_app, "lawyer1")
    act(lawyer, handoff_id, "claim", sessions)
    response = act(lawyer, handoff_id, "reply", sessions, text="字" * 2001)
    assert response.status_code == 400 and "回复最多 2000 字，现在有 2001 字" in response.text
    response = act(lawyer, handoff_id, "note", sessions, text="字" * 1001)
    assert response.status_code == 400 and "内部备注最多 1000 字" in response.text
    huge = act(lawyer, handoff_id, "reply", sessions, text="字" * 30000)
    assert huge.status_code == 413 and "提交的内容太长了" in huge.text


def test_notes_stay_internal_and_canned_replies_fill_the_reply(console_app, sessions, relay):
    from routing.console.models import CannedReply

    with sessions() as db, db.begin():
        db.add(CannedReply(department_id="rights", title="问候", text="你好，我是妇联的律师。"))
    handoff_id = unassigned(sessions)
    lawyer = login(console_app, "lawyer1")
    act(lawyer, handoff_id, "claim", sessions)
    assert act(lawyer, handoff_id, "note", sessions, text="她可能需要法律援助").status_code == 303
    page = lawyer.get(f"/console/handoffs/{handoff_id}").text
    assert "她可能需要法律援助" in page and "问候" in page
    canned_id = re.search(r'<option value="(\d+)" data-text="你好，我是妇联的律师。">', page).group(1)
    act(lawyer, handoff_id, "reply", sessions, text="", canned_id=canned_id)
    assert relay.sent == [("woman-1", "expert", "你好，我是妇联的律师。")]


def test_attach_a_faq_sends_its_answer(console_app, sessions, relay):
    handoff_id = unassigned(sessions)
    lawyer = login(console_app, "lawyer1")
    act(lawyer, handoff_id, "claim", sessions)
    assert act(lawyer, handoff_id, "attach", sessions, entry_id="legal.dv.what_to_do").status_code == 303
    assert relay.sent[0][2].startswith("【参考问答】遭受家庭暴力怎么办？")


def test_escalate_to_her_grassroots_federation_and_resolve_with_an_outcome(console_app, sessions, relay):
    handoff_id = open_handoff(sessions, region="广东省佛山市顺德区")
    boss = login(console_app, "boss")
    assert act(boss, handoff_id, "escalate", sessions, note="需要上门").status_code == 303
    page = boss.get(f"/console/handoffs/{handoff_id}").text
    assert "已升级" in page and "转基层妇联跟进：佛山市顺德区妇女联合会" in page
    assert act(boss, handoff_id, "resolve", sessions, outcome="grassroots").status_code == 303
    with sessions() as db:
        assert db.get(Handoff, handoff_id).status == "resolved"
        assert db.get(HandoffOutcome, handoff_id).outcome == "grassroots"
    assert relay.sent == [("woman-1", "system", "handoff_closed")]
    assert act(boss, handoff_id, "resolve", sessions, outcome="").status_code == 400


def test_the_tracker_shows_classification_confidence_and_the_faq_given(console_app, sessions, tracker):
    handoff_id = open_handoff(sessions, conversation="w-7", transcript=TRANSCRIPT)
    with sessions() as db:
        opened = db.get(Handoff, handoff_id).created_at
    before = opened - timedelta(minutes=5)
    tracker.user("w-7", "被家暴了怎么办", "legal_domestic_violence", 0.87, before)
    tracker.bot("w-7", "遭受家暴不是你的错……", before)
    tracker.slot("w-7", "last_faq_id", "legal.dv.what_to_do", before)
    page = login(console_app, "boss").get(f"/console/handoffs/{handoff_id}").text
    assert "legal_domestic_violence" in page and "置信度 87%" in page
    assert "给出问答：遭受家庭暴力怎么办？" in page and "她在这里请求转人工" in page


def test_experts_of_another_department_cannot_open_the_handoff(console_app, sessions):
    handoff_id = open_handoff(sessions)
    response = login(console_app, "counsellor").get(f"/console/handoffs/{handoff_id}")
    assert response.status_code == 403 and "其他部门" in response.text
    assert login(console_app, "staff").post(f"/console/handoffs/{handoff_id}/note",
                                            data={"text": "x"}).status_code == 403


def test_a_reminder_does_not_make_an_open_page_stale(console_app, sessions):
    from routing import sla
    from routing.models import utcnow

    handoff_id = unassigned(sessions, urgent=True)
    lawyer = login(console_app, "lawyer1")
    page = lawyer.get(f"/console/handoffs/{handoff_id}").text
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    state = re.search(r'name="state" value="([^"]*)"', page).group(1)
    with sessions() as db, db.begin():
        # 1-hour urgent: reminded when a quarter of its limit is left; bumps the version, nothing else
        assert sla.sweep(db, utcnow() + timedelta(minutes=46), 6).reminded == [handoff_id]
    assert version_of(sessions, handoff_id) != version
    response = post(lawyer, f"/console/handoffs/{handoff_id}/claim", version=version, state=state)
    assert response.status_code == 303


def test_her_new_message_does_not_stop_the_reply_being_written(console_app, sessions, relay):
    from routing import lifecycle

    handoff_id = unassigned(sessions)
    lawyer = login(console_app, "lawyer1")
    act(lawyer, handoff_id, "claim", sessions)
    act(lawyer, handoff_id, "reply", sessions, text="请问孩子多大？")
    page = lawyer.get(f"/console/handoffs/{handoff_id}").text
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    state = re.search(r'name="state" value="([^"]*)"', page).group(1)
    with sessions() as db, db.begin():  # she answers: replied → in_progress
        lifecycle.add_user_message(db, db.get(Handoff, handoff_id), "两岁")
    response = post(lawyer, f"/console/handoffs/{handoff_id}/reply", version=version, state=state, text="好的")
    assert response.status_code == 303 and relay.sent[-1][2] == "好的"


def test_a_full_length_reply_with_line_breaks_is_accepted(console_app, sessions, relay):
    """maxlength counts a line break once; the browser submits it as CRLF."""
    handoff_id = unassigned(sessions)
    lawyer = login(console_app, "lawyer1")
    act(lawyer, handoff_id, "claim", sessions)
    text = "\r\n".join(["好" * 199] * 10)  # 1990 characters and 9 line breaks: 1999 in the browser
    assert act(lawyer, handoff_id, "reply", sessions, text=text).status_code == 303
    assert relay.sent[-1][2] == text.replace("\r\n", "\n")


def test_malformed_ids_and_nul_characters_get_a_page_not_a_server_error(console_app, sessions):
    handoff_id = unassigned(sessions)
    boss, lawyer = login(console_app, "boss"), login(console_app, "lawyer1")
    for expert_id in ("99999999999999999999", "²", "-1"):
        response = act(boss, handoff_id, "reassign", sessions, expert_id=expert_id)
        assert response.status_code == 400 and "请选择要转交的专家" in response.text
    act(lawyer, handoff_id, "claim", sessions)
    response = act(lawyer, handoff_id, "reply", sessions, text="", canned_id="99999999999999999999")
    assert response.status_code == 400 and "请填写回复内容" in response.text
    response = act(lawyer, handoff_id, "note", sessions, text="a\x00b")
    assert response.status_code == 400 and "无法识别的字符" in response.text
    assert lawyer.get(f"/console/handoffs/{handoff_id}%00").status_code == 400
    assert lawyer.get("/console/queue?region=%00").status_code == 400


def test_notes_and_replies_that_repeat_her_number_are_masked_for_colleagues(console_app, sessions, relay):
    handoff_id = unassigned(sessions)
    holder = login(console_app, "lawyer1")
    act(holder, handoff_id, "claim", sessions)
    act(holder, handoff_id, "note", sessions, text="她的电话13812345678，下午回电")
    act(holder, handoff_id, "reply", sessions, text="我稍后打你的电话13812345678")
    act(holder, handoff_id, "escalate", sessions, note="她住林和西路123号")
    assert "13812345678" in holder.get(f"/console/handoffs/{handoff_id}").text
    for name in ("lawyer2", "boss", "staff"):
        page = login(console_app, name).get(f"/console/handoffs/{handoff_id}").text
        assert "13812345678" not in page and "林和西路123号" not in page and "[电话已隐藏]" in page, name
    assert "13812345678" in login(console_app, "root").get(f"/console/handoffs/{handoff_id}").text


def test_the_live_page_stops_when_the_handoff_moves_to_another_department(console_app, sessions, monkeypatch):
    from routing.console import handoff_pages

    polls = []
    monkeypatch.setattr(handoff_pages, "event_stream", lambda request, poll: polls.append(poll) or "")
    handoff_id = unassigned(sessions)
    lawyer = login(console_app, "lawyer1")
    lawyer.get(f"/console/handoffs/{handoff_id}/events")
    assert polls[0]() is not None
    with sessions() as db, db.begin():
        counsellor = db.query(User).filter_by(username="counsellor").one()
        db.get(Handoff, handoff_id).assignee_id, db.get(Handoff, handoff_id).department_id = counsellor.id, "care"
    assert polls[0]() is None  # the page reloads and shows "属于其他部门"


def test_the_recognised_question_is_named_in_chinese(console_app, sessions):
    handoff_id = unassigned(sessions, transcript=TRANSCRIPT)
    page = login(console_app, "lawyer1").get(f"/console/handoffs/{handoff_id}").text
    assert "离婚与孩子抚养 <code>legal_divorce</code>" in page


def test_a_supervisor_is_offered_close_with_a_reason_not_resolve_on_an_unclaimed_handoff(console_app, sessions,
                                                                                          relay):
    handoff_id = open_handoff(sessions)  # assigned round-robin, not yet claimed
    boss = login(console_app, "boss")
    page = boss.get(f"/console/handoffs/{handoff_id}").text
    assert 'id="close-form"' in page and 'id="resolve-form"' not in page
    assert 'id="resolve-form"' not in login(console_app, "lawyer1").get(f"/console/handoffs/{handoff_id}").text
    assert act(boss, handoff_id, "close", sessions, reason="").status_code == 400
    assert act(boss, handoff_id, "close", sessions, reason="重复求助，她在另一条里已得到答复").status_code == 303
    with sessions() as db:
        assert db.get(Handoff, handoff_id).status == "resolved"
    page = boss.get(f"/console/handoffs/{handoff_id}").text
    assert "原因：重复求助" in page and 'id="close-form"' not in page and 'id="return-form"' not in page
    assert relay.sent == [("woman-1", "system", "handoff_closed")]
    audit_page = login(console_app, "root").get("/console/admin/audit").text
    assert "关闭未认领的求助" in audit_page and "boss" in audit_page


def test_a_refused_step_says_it_does_not_fit_the_state_not_that_someone_changed_it(console_app, sessions):
    handoff_id = open_handoff(sessions)
    boss = login(console_app, "boss")
    response = act(boss, handoff_id, "resolve", sessions, outcome="answered")  # a form never offered, posted anyway
    assert response.status_code == 409
    assert "这一步在这个状态下不能做" in response.text and "主管可以填写原因后关闭" in response.text
    assert "在你打开页面之后" not in response.text and "刚被更新过" not in response.text


def test_a_stale_page_names_who_changed_the_handoff_meanwhile(console_app, sessions):
    handoff_id = unassigned(sessions)
    second = login(console_app, "lawyer2")
    page = second.get(f"/console/handoffs/{handoff_id}").text
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    assert act(login(console_app, "lawyer1"), handoff_id, "claim", sessions).status_code == 303
    response = post(second, f"/console/handoffs/{handoff_id}/claim", version=version, state="new:")
    assert response.status_code == 409 and "律师 lawyer1" in response.text and "认领了这个求助" in response.text


def test_the_history_is_in_chinese_and_a_second_reply_is_not_an_empty_entry(console_app, sessions, relay):
    handoff_id = open_handoff(sessions)
    lawyer = login(console_app, "lawyer1")
    act(lawyer, handoff_id, "claim", sessions)
    act(lawyer, handoff_id, "reply", sessions, text="你好")
    act(lawyer, handoff_id, "reply", sessions, text="还在吗")
    history = re.search(r'<ol class="history" id="history">(.*?)</ol>', lawyer.get(
        f"/console/handoffs/{handoff_id}").text, re.S).group(1)
    assert "自动分派：分派给律师 lawyer1" in history.replace("</span>", "") and "再次回复了她" in history
    assert "round-robin" not in history and "lawyer1</span>：\n" not in history
    assert not re.search(r"：\s*</li>", history)


def test_the_options_she_was_offered_are_shown_beside_the_question(console_app, sessions, tracker):
    from tests.routing.tracker_builder import bot_event

    handoff_id = open_handoff(sessions, conversation="w-9")
    with sessions() as db:
        before = db.get(Handoff, handoff_id).created_at - timedelta(minutes=3)
    tracker.user("w-9", "我想咨询", "ask_clarification", 0.5, before)
    tracker._publish("w-9", bot_event("你想问哪方面的事？", before, buttons=[
        {"title": "法律", "payload": "/legal"}, {"title": "心理", "payload": "/care"}]))
    page = login(console_app, "boss").get(f"/console/handoffs/{handoff_id}").text
    assert re.search(r"你想问哪方面的事？</span>\s*<span class=\"options\">给她的选项：<span class=\"option\">法律</span>"
                     r"<span class=\"option\">心理</span>", page)


def test_opening_the_page_marks_her_messages_read_for_that_person_only(console_app, sessions):
    from routing import lifecycle
    from routing.console import unread

    handoff_id = open_handoff(sessions)
    lawyer, boss = login(console_app, "lawyer1"), login(console_app, "boss")
    lawyer.get(f"/console/handoffs/{handoff_id}")
    with sessions() as db, db.begin():
        handoff = db.get(Handoff, handoff_id)
        lifecycle.add_user_message(db, handoff, "还在吗？")
        lifecycle.add_user_message(db, handoff, "我很着急")
    with sessions() as db:
        people = {u.username: u for u in db.query(User)}
        assert unread.unread_counts(db, people["lawyer1"], [handoff_id]) == {handoff_id: 2}
    lawyer.get(f"/console/handoffs/{handoff_id}")
    with sessions() as db:
        assert unread.unread_counts(db, people["lawyer1"], [handoff_id]) == {}
        assert unread.unread_counts(db, people["boss"], [handoff_id]) == {handoff_id: 2}
    assert boss is not None


def test_an_unknown_delivery_state_is_shown_in_chinese_not_as_an_error(console_app, sessions, relay):
    from routing.models import HandoffMessage

    handoff_id = open_handoff(sessions)
    lawyer = login(console_app, "lawyer1")
    act(lawyer, handoff_id, "claim", sessions)
    act(lawyer, handoff_id, "reply", sessions, text="你好")
    with sessions() as db, db.begin():
        message = db.query(HandoffMessage).filter_by(handoff_id=handoff_id, sender="expert").one()
        message.delivery = "queued_x"
    timeline = lawyer.get(f"/console/handoffs/{handoff_id}/timeline")
    assert timeline.status_code == 200 and "送达状态：queued_x" in timeline.text
    with sessions() as db, db.begin():
        db.query(HandoffMessage).filter_by(handoff_id=handoff_id, sender="expert").one().delivery = "refused"
    assert "平台拒收" in lawyer.get(f"/console/handoffs/{handoff_id}/timeline").text
