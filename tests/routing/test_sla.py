from datetime import timedelta

from routing import lifecycle, sla
from routing.lifecycle import NewHandoff


def handoff(db, conversation, region=None, urgent=False):
    return lifecycle.open_handoff(db, NewHandoff(conversation, "rest", "legal", "legal_divorce", urgent, "想离婚",
                                                 region=region), 48, 1)


def test_reminder_before_the_due_time_then_escalation_to_her_local_federation(sessions):
    with sessions() as db, db.begin():
        item = handoff(db, "c1", region="广东省佛山市顺德区")
        start = item.created_at
        assert sla.sweep(db, start + timedelta(hours=10), 6).reminded == []
        assert sla.sweep(db, start + timedelta(hours=43), 6).reminded == [item.id]
        assert sla.sweep(db, start + timedelta(hours=44), 6).reminded == []  # once only
        result = sla.sweep(db, start + timedelta(hours=48, minutes=1), 6)
        assert result.escalated == [item.id]
        assert item.status == "escalated" and item.escalated_to == "org-440606"
        assert [e.actor for e in item.events][-2:] == ["sla", "sla"]
        assert sla.sweep(db, start + timedelta(hours=60), 6).escalated == []  # not twice


def test_an_urgent_handoff_escalates_after_one_hour_without_a_region(sessions):
    with sessions() as db, db.begin():
        item = handoff(db, "c2", urgent=True)
        result = sla.sweep(db, item.created_at + timedelta(hours=1, seconds=1), 6)
        assert result.escalated == [item.id] and item.escalated_to is None
        assert "权益部主管" in item.events[-1].note


def test_resolved_handoffs_are_left_alone(sessions):
    with sessions() as db, db.begin():
        item = handoff(db, "c3")
        item.status = "resolved"
        assert sla.sweep(db, item.created_at + timedelta(days=5), 6).escalated == []


def test_the_reminder_names_the_due_time_in_beijing_time(sessions):
    from datetime import datetime, timezone

    with sessions() as db, db.begin():
        item = handoff(db, "c4")
        item.due_at = datetime(2026, 11, 29, 11, 48, tzinfo=timezone.utc)
        item.created_at = item.due_at - timedelta(hours=48)
        sla.sweep(db, datetime(2026, 11, 29, 6, 0, tzinfo=timezone.utc), 6)
        assert item.events[-1].note == "提醒：将于11月29日 19:48（北京时间）到期"


def test_a_one_hour_urgent_handoff_is_not_reminded_as_it_opens_but_a_quarter_before_it_falls_due(sessions):
    with sessions() as db, db.begin():
        item = lifecycle.open_handoff(db, NewHandoff(conversation_id="u1", channel="rest", category="legal",
                                                     intent="legal_domestic_violence", urgent=True,
                                                     summary="他在砸门"), 48, 1)
        start = item.created_at
        assert sla.sweep(db, start + timedelta(minutes=1), 6).reminded == []
        assert sla.sweep(db, start + timedelta(minutes=44), 6).reminded == []
        assert sla.sweep(db, start + timedelta(minutes=46), 6).reminded == [item.id]


def test_the_reminder_lead_fits_the_time_limit():
    assert sla.reminder_lead(timedelta(hours=48), timedelta(hours=6)) == timedelta(hours=6)
    assert sla.reminder_lead(timedelta(hours=12), timedelta(hours=6)) == timedelta(hours=6)
    assert sla.reminder_lead(timedelta(hours=1), timedelta(hours=6)) == timedelta(minutes=15)
    assert sla.reminder_lead(timedelta(hours=8), timedelta(hours=6)) == timedelta(hours=2)


def test_a_request_raised_to_urgent_is_reminded_by_its_new_limit_not_at_once(sessions):
    with sessions() as db, db.begin():
        item = lifecycle.open_handoff(db, NewHandoff(conversation_id="u2", channel="rest", category="legal",
                                                     intent="legal_divorce", urgent=False, summary="想离婚"), 48, 1)
        item.created_at -= timedelta(hours=30)
        item.due_at -= timedelta(hours=30)
        lifecycle.open_handoff(db, NewHandoff(conversation_id="u2", channel="rest", category="legal",
                                              intent="legal_domestic_violence", urgent=True, summary="他打我"), 48, 1)
        db.flush()
        now = item.due_at - timedelta(minutes=50)
        assert sla.sweep(db, now, 6).reminded == []
        assert sla.sweep(db, item.due_at - timedelta(minutes=10), 6).reminded == [item.id]
