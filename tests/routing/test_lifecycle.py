from datetime import timedelta

import pytest

from routing import auth, lifecycle
from routing.lifecycle import Conflict, NewHandoff


def request(conversation="c1", category="legal", urgent=False):
    return NewHandoff(conversation_id=conversation, channel="rest", category=category, intent="legal_divorce",
                      urgent=urgent, summary="想离婚", transcript=({"role": "user", "text": "想离婚"},))


def expert(db, name, department="rights", specialty="法律"):
    return auth.create_user(db, username=name, password="a-long-password", role="expert",
                            department_id=department, specialty=specialty, title="律师")


def test_a_request_is_routed_to_its_department_and_assigned_round_robin(sessions):
    with sessions() as db, db.begin():
        first, second = expert(db, "lawyer1"), expert(db, "lawyer2")
        expert(db, "counsellor", department="care", specialty="心理")
        a = lifecycle.open_handoff(db, request("c1"), 48, 1)
        b = lifecycle.open_handoff(db, request("c2"), 48, 1)
        c = lifecycle.open_handoff(db, request("c3"), 48, 1)
        assert a.department_id == "rights" and a.status == "assigned"
        assert [a.assignee_id, b.assignee_id, c.assignee_id] == [first.id, second.id, first.id]
        assert [e.to_status for e in a.events] == ["received", "assigned"]


def test_without_an_available_expert_it_waits_in_the_queue(sessions):
    with sessions() as db, db.begin():
        away = expert(db, "lawyer")
        away.available = False
        handoff = lifecycle.open_handoff(db, request(), 48, 1)
        assert handoff.status == "received" and handoff.assignee_id is None


def test_due_time_follows_the_sla(sessions):
    with sessions() as db, db.begin():
        normal = lifecycle.open_handoff(db, request("c1"), 48, 1)
        urgent = lifecycle.open_handoff(db, request("c2", urgent=True), 48, 1)
        assert normal.due_at - normal.created_at == timedelta(hours=48)
        assert urgent.due_at - urgent.created_at == timedelta(hours=1)


def test_a_second_request_of_the_same_conversation_returns_the_open_one(sessions):
    with sessions() as db, db.begin():
        first = lifecycle.open_handoff(db, request("c1"), 48, 1)
        assert lifecycle.open_handoff(db, request("c1"), 48, 1).id == first.id


def test_danger_reported_while_a_request_is_open_makes_that_request_urgent(sessions):
    with sessions() as db, db.begin():
        first = lifecycle.open_handoff(db, request("c1"), 48, 1)
        again = lifecycle.open_handoff(db, request("c1", urgent=True), 48, 1)
        db.flush()
        assert again.id == first.id and again.urgent
        assert again.due_at - again.created_at <= timedelta(hours=1, minutes=1)
        assert [(e.to_status, e.note) for e in again.events][-1] == (again.status, lifecycle.RAISED_TO_URGENT)
        calm = lifecycle.open_handoff(db, request("c1"), 48, 1)  # a later ordinary request changes nothing
        assert calm.urgent and len(calm.events) == len(again.events)


def test_the_whole_lifecycle_is_recorded_with_actors(sessions):
    with sessions() as db, db.begin():
        lawyer = expert(db, "lawyer")
        handoff = lifecycle.open_handoff(db, request(), 48, 1)
        lifecycle.claim(db, handoff, lawyer)
        lifecycle.reply(db, handoff, lawyer, "你好，我是律师")
        lifecycle.add_user_message(db, handoff, "谢谢，孩子两岁")
        lifecycle.reply(db, handoff, lawyer, "两岁以下一般随母亲")
        lifecycle.resolve(db, handoff, lawyer, "已解答")
        db.flush()
        assert [(e.to_status, e.actor) for e in handoff.events] == [
            ("received", "bot"), ("assigned", "router"), ("in_progress", "lawyer"), ("replied", "lawyer"),
            ("in_progress", "user"), ("replied", "lawyer"), ("resolved", "lawyer")]
        assert [m.sender for m in handoff.messages] == ["user", "expert", "user", "expert", "system"]
        assert handoff.messages[-1].delivery == "pending"  # "the bot takes over" notice for her


def test_steps_cannot_be_skipped_or_undone(sessions):
    with sessions() as db, db.begin():
        lawyer, other = expert(db, "lawyer"), expert(db, "other")
        handoff = lifecycle.open_handoff(db, request(), 48, 1)
        with pytest.raises(Conflict):
            lifecycle.reply(db, handoff, lawyer if handoff.assignee_id != lawyer.id else other, "抢答")
        holder = lawyer if handoff.assignee_id == lawyer.id else other
        stranger = other if holder is lawyer else lawyer
        with pytest.raises(Conflict, match="another expert"):
            lifecycle.claim(db, handoff, stranger)
        lifecycle.claim(db, handoff, holder)
        lifecycle.resolve(db, handoff, holder, "done")
        for action in (lambda: lifecycle.reply(db, handoff, holder, "再说一句"),
                       lambda: lifecycle.add_user_message(db, handoff, "还在吗"),
                       lambda: lifecycle.claim(db, handoff, holder)):
            with pytest.raises(Conflict):
                action()
        assert handoff.status == "resolved"


def test_an_expert_of_another_department_cannot_take_it(sessions):
    with sessions() as db, db.begin():
        counsellor = expert(db, "counsellor", department="care", specialty="心理")
        handoff = lifecycle.open_handoff(db, request(), 48, 1)
        with pytest.raises(lifecycle.Forbidden):
            lifecycle.claim(db, handoff, counsellor)


def supervisor(db, name="boss"):
    return auth.create_user(db, username=name, password="a-long-password", role="supervisor", title="值班主管")


def test_a_supervisor_closes_an_unclaimed_handoff_with_a_reason_and_she_is_told(sessions):
    with sessions() as db, db.begin():
        expert(db, "lawyer")
        boss = supervisor(db)
        handoff = lifecycle.open_handoff(db, request(), 48, 1)
        assert handoff.status == "assigned"
        with pytest.raises(Conflict, match="reason"):
            lifecycle.close_unclaimed(db, handoff, boss, "  ")
        lifecycle.close_unclaimed(db, handoff, boss, "重复求助，已在另一条里处理")
        db.flush()
        db.expire(handoff, ["events", "messages"])
        assert handoff.status == "resolved"
        assert handoff.events[-1].note.endswith("原因：重复求助，已在另一条里处理")
        assert [m.sender for m in handoff.messages][-1] == "system"


def test_only_managers_close_unclaimed_handoffs_and_only_unclaimed_ones(sessions):
    with sessions() as db, db.begin():
        lawyer = expert(db, "lawyer")
        boss = supervisor(db)
        handoff = lifecycle.open_handoff(db, request(), 48, 1)
        with pytest.raises(lifecycle.Forbidden):
            lifecycle.close_unclaimed(db, handoff, lawyer, "不需要")
        lifecycle.claim(db, handoff, lawyer)
        with pytest.raises(Conflict, match="only an unclaimed"):
            lifecycle.close_unclaimed(db, handoff, boss, "不需要")


def test_resolving_a_handoff_nobody_claimed_is_refused_with_what_to_do_instead(sessions):
    with sessions() as db, db.begin():
        lawyer = expert(db, "lawyer")
        boss = supervisor(db)
        handoff = lifecycle.open_handoff(db, request(), 48, 1)
        for person in (lawyer, boss):
            with pytest.raises(Conflict, match="claim it first"):
                lifecycle.resolve(db, handoff, person, "已解答")
        assert handoff.status == "assigned"
