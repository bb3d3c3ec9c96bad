from datetime import timedelta

from actions.handoff_types import RECEIVED, HandoffRequest, new_record


def request(urgent):
    return HandoffRequest("c1", "rest", "legal", "legal_divorce", urgent, "想离婚，孩子两岁")


def test_a_normal_request_is_promised_a_reply_within_48_hours():
    record = new_record(request(urgent=False), normal_hours=48, urgent_hours=1)
    assert record.status == RECEIVED and record.due_at - record.created_at == timedelta(hours=48)


def test_an_urgent_request_is_promised_a_reply_within_one_hour():
    record = new_record(request(urgent=True), normal_hours=48, urgent_hours=1)
    assert record.due_at - record.created_at == timedelta(hours=1)


def test_each_record_has_its_own_id_and_keeps_what_she_asked_for():
    first, second = (new_record(request(False), 48, 1) for _ in range(2))
    assert first.id != second.id
    assert (first.conversation_id, first.category, first.summary) == ("c1", "legal", "想离婚，孩子两岁")
