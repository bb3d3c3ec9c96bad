"""routing/continuation.py: a code moves her request to another conversation, once, within its
hours; wrong codes are bounded for everyone; replies she has not seen go out again."""
from datetime import timedelta

import pytest
from assistant_contract.continuation import CODE_HOURS, shown

from routing import continuation
from routing.models import Handoff, HandoffMessage, utcnow

LIMITS = dict(max_wrong=3, window_minutes=10)


def a_request(db, conversation="tg-1001", channel="telegram", handoff_id="H-CONT-1"):
    now = utcnow()
    handoff = Handoff(id=handoff_id, conversation_id=conversation, channel=channel, category="legal",
                      status="assigned", created_at=now, due_at=now + timedelta(hours=48))
    db.add(handoff)
    db.flush()
    return handoff


def reply(db, handoff, text, delivery):
    db.add(HandoffMessage(handoff_id=handoff.id, sender="expert", text=text, delivery=delivery))
    db.flush()


def test_a_code_moves_her_request_and_resends_what_she_has_not_seen(sessions):
    with sessions() as db, db.begin():
        handoff = a_request(db, conversation="wx-openid-1", channel="wechat")
        reply(db, handoff, "先保留证据。", "accepted")
        reply(db, handoff, "记得带上结婚证。", "refused")  # WeChat's 45015
        reply(db, handoff, "明天上午打给你。", "waiting")
        issued = continuation.issue(db, "wx-openid-1")
    with sessions() as db, db.begin():
        moved = continuation.take(db, shown(issued.code).lower(), "telegram", "tg-2002", **LIMITS)
        assert moved.resent == 2
        assert (moved.handoff.conversation_id, moved.handoff.channel) == ("tg-2002", "telegram")
        states = {m.text: m.delivery for m in db.get(Handoff, "H-CONT-1").messages}
        assert states == {"先保留证据。": "accepted", "记得带上结婚证。": "pending", "明天上午打给你。": "pending"}
        note = db.get(Handoff, "H-CONT-1").events[-1].note
        assert "从微信转到了Telegram" in note and "2条回复" in note


def test_a_code_works_once(sessions):
    with sessions() as db, db.begin():
        a_request(db)
        code = continuation.issue(db, "tg-1001").code
    with sessions() as db, db.begin():
        continuation.take(db, code, "socketio", "web-1", **LIMITS)
    with sessions() as db, db.begin(), pytest.raises(continuation.CodeRefused):
        continuation.take(db, code, "wechat", "wx-9", **LIMITS)
    with sessions() as db:
        assert db.get(Handoff, "H-CONT-1").conversation_id == "web-1"


def test_an_expired_code_and_an_older_code_are_refused(sessions):
    with sessions() as db, db.begin():
        a_request(db)
        old = continuation.issue(db, "tg-1001").code
        newer = continuation.issue(db, "tg-1001").code  # she asked twice: the newest works
    with sessions() as db, db.begin(), pytest.raises(continuation.CodeRefused):
        continuation.take(db, old, "socketio", "web-1", **LIMITS)
    later = utcnow() + timedelta(hours=CODE_HOURS, minutes=1)
    with sessions() as db, db.begin(), pytest.raises(continuation.CodeRefused):
        continuation.take(db, newer, "socketio", "web-1", now=later, **LIMITS)


def test_no_request_no_code(sessions):
    with sessions() as db, pytest.raises(continuation.NoRequest):
        continuation.issue(db, "never-asked")


def test_only_the_hash_is_stored(sessions):
    with sessions() as db, db.begin():
        a_request(db)
        code = continuation.issue(db, "tg-1001").code
        stored = db.query(continuation.ContinuationCode).one()
        assert code not in stored.digest and len(stored.digest) == 64


def test_wrong_codes_are_bounded_for_everyone_then_the_window_passes(sessions):
    with sessions() as db, db.begin():
        a_request(db)
        code = continuation.issue(db, "tg-1001").code
    for attempt in range(3):
        with sessions() as db, db.begin(), pytest.raises(continuation.CodeRefused):
            continuation.take(db, f"ZZZZZ-ZZZZ{attempt}", "socketio", f"web-guess-{attempt}", **LIMITS)
    with sessions() as db, db.begin(), pytest.raises(continuation.TooManyWrongCodes):
        continuation.take(db, code, "socketio", "web-1", **LIMITS)  # even the right one waits
    later = utcnow() + timedelta(minutes=11)
    with sessions() as db, db.begin():
        assert continuation.take(db, code, "socketio", "web-1", now=later, **LIMITS).handoff.conversation_id == "web-1"


def test_the_same_conversation_sending_its_own_code_changes_nothing(sessions):
    with sessions() as db, db.begin():
        handoff = a_request(db)
        reply(db, handoff, "记得带上结婚证。", "refused")
        code = continuation.issue(db, "tg-1001").code
    with sessions() as db, db.begin():
        moved = continuation.take(db, code, "telegram", "tg-1001", **LIMITS)
        assert moved.resent == 0 and not moved.handoff.events
