"""Delivery rounds: each reply once, urgent conversations first, each conversation in order, also
when rounds overlap; a claimed reply holds back its conversation until the claim ends; a send has
a hard deadline (routing/relay.py)."""
import socket
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import update

from routing import auth, lifecycle
from routing.lifecycle import NewHandoff
from routing.models import Handoff, HandoffMessage, User, utcnow
from routing.relay import RasaRelay, claim_next, deliver_round, deliver_soon, record_delivery, settle
from tests.routing.fake_relay import FakeRelay


class SlowRasa(RasaRelay):
    """Takes a while to accept each reply, as a busy Rasa does; records what it got."""

    def __init__(self):
        super().__init__("http://127.0.0.1:9")
        self.sent, self._lock = [], threading.Lock()

    def deliver(self, message, handoff, author):
        time.sleep(0.2)
        with self._lock:
            self.sent.append(message.text)
        return True


def a_claimed_reply(sessions, name, text):
    """A lawyer `relay-<name>` who claimed woman-<name>'s handoff and replied `text`: (handoff id, lawyer id)."""
    with sessions() as db, db.begin():
        lawyer = auth.create_user(db, username=f"relay-{name}", password="a-long-password", role="expert",
                                  department_id="rights", specialty="法律", title="律师")
        handoff = lifecycle.open_handoff(db, NewHandoff(f"woman-{name}", "rest", "legal", "legal_divorce", False,
                                                        "想离婚"), 48, 1)
        lifecycle.claim(db, handoff, lawyer)
        lifecycle.reply(db, handoff, lawyer, text)
        return handoff.id, lawyer.id


def test_overlapping_delivery_rounds_send_each_reply_once(sessions):
    a_claimed_reply(sessions, "r", "第一条回复")
    rasa = SlowRasa()
    rounds = [threading.Thread(target=deliver_round, args=(rasa, sessions)) for _ in range(3)]
    for thread in rounds:
        thread.start()
    for thread in rounds:
        thread.join()
    assert rasa.sent == ["第一条回复"]


class HeldRasa(SlowRasa):
    """Holds its first send until told to go on, so a test can act while a round is running."""

    def __init__(self):
        super().__init__()
        self.sending, self.go_on = threading.Event(), threading.Event()

    def deliver(self, message, handoff, author):
        self.sending.set()
        assert self.go_on.wait(10)
        return super().deliver(message, handoff, author)


def test_replies_asked_for_during_a_round_go_in_the_same_thread_and_no_request_waits(sessions):
    handoff_id, lawyer_id = a_claimed_reply(sessions, "s", "第一条")
    rasa = HeldRasa()
    first = threading.Thread(target=deliver_soon, args=(rasa, sessions))
    first.start()
    assert rasa.sending.wait(10)
    with sessions() as db, db.begin():
        lifecycle.reply(db, db.get(Handoff, handoff_id), db.get(User, lawyer_id), "第二条")
    # twenty more requests while the first round is held: each returns at once, leaving it to that thread
    assert [deliver_soon(rasa, sessions) for _ in range(20)] == [0] * 20
    assert first.is_alive() and rasa.sent == []
    rasa.go_on.set()
    first.join(10)
    assert rasa.sent == ["第一条", "第二条"]
    assert deliver_soon(rasa, sessions) == 0  # nothing left


def test_a_request_for_another_database_is_not_left_to_a_round_on_this_one(sessions):
    from sqlalchemy.orm import sessionmaker

    other = sessionmaker(bind=sessions.kw["bind"])  # another backend in this process
    rasa = HeldRasa()
    rasa.go_on.set()
    a_claimed_reply(sessions, "o", "另一个后台的回复")
    from routing import relay as relay_module
    busy = relay_module._soon_of(sessions)
    assert busy.running.acquire(blocking=False)  # a round for the first backend is running
    try:
        assert deliver_soon(rasa, other) == 1  # the other backend's reply leaves now, not "later"
    finally:
        busy.running.release()
    assert rasa.sent == ["另一个后台的回复"]


def test_a_round_delivers_urgent_handoffs_replies_first_and_each_conversation_in_order(sessions):
    with sessions() as db, db.begin():
        lawyer = auth.create_user(db, username="relay-lawyer-2", password="a-long-password", role="expert",
                                  department_id="rights", specialty="法律", title="律师")
        ordinary = lifecycle.open_handoff(db, NewHandoff("woman-a", "rest", "legal", "legal_divorce", False, "想离婚"),
                                          48, 1)
        urgent = lifecycle.open_handoff(db, NewHandoff("woman-b", "rest", "legal", "crisis_violence", True, "他打我"),
                                        48, 1)
        for handoff in (ordinary, urgent):
            lifecycle.claim(db, handoff, lawyer)
        lifecycle.reply(db, ordinary, lawyer, "普通一")
        lifecycle.reply(db, urgent, lawyer, "紧急一")
        lifecycle.reply(db, ordinary, lawyer, "普通二")
        lifecycle.reply(db, urgent, lawyer, "紧急二")
    rasa = SlowRasa()
    deliver_round(rasa, sessions)
    assert rasa.sent == ["紧急一", "紧急二", "普通一", "普通二"]


class PartlyDownRasa(FakeRelay):
    """Takes every reply except those of the conversations in `down`."""

    def __init__(self, down=()):
        super().__init__()
        self.down = set(down)

    def deliver(self, message, handoff, author):
        if handoff.conversation_id in self.down:
            return False
        return super().deliver(message, handoff, author)


def replies_in_two_conversations(sessions, prefix):
    """Her conversation with two replies, and another woman's with one; returns their reply ids."""
    with sessions() as db, db.begin():
        lawyer = auth.create_user(db, username=f"{prefix}-lawyer", password="a-long-password", role="expert",
                                  department_id="rights", specialty="法律", title="律师")
        hers, others = (lifecycle.open_handoff(db, NewHandoff(f"{prefix}-{who}", "rest", "legal", "legal_divorce",
                                                              False, "想离婚"), 48, 1) for who in ("her", "other"))
        for handoff in (hers, others):
            lifecycle.claim(db, handoff, lawyer)
        replies = [lifecycle.reply(db, hers, lawyer, "第一条"), lifecycle.reply(db, hers, lawyer, "第二条"),
                   lifecycle.reply(db, others, lawyer, "另一位的回复")]
        db.flush()
        return [message.id for message in replies]


def stored(sessions, message_id):
    with sessions() as db:
        return db.get(HandoffMessage, message_id)


def test_a_claimed_reply_holds_back_her_later_replies_until_its_claim_ends(sessions):
    first, second, others = replies_in_two_conversations(sessions, "claimed")
    with sessions() as db, db.begin():  # a replica claims her first reply, and dies
        message, _, _ = claim_next(db, "a-replica-that-died", 30)
    assert message.id == first
    rasa = FakeRelay()
    assert deliver_round(rasa, sessions) == 1
    assert [text for _, _, text in rasa.sent] == ["另一位的回复"]  # hers wait for the claim, in order
    with sessions() as db, db.begin():
        db.execute(update(HandoffMessage).where(HandoffMessage.id == first)
                   .values(delivery_until=utcnow() - timedelta(seconds=1)))
    assert deliver_round(rasa, sessions) == 2
    assert [text for _, _, text in rasa.sent] == ["另一位的回复", "第一条", "第二条"]
    assert (stored(sessions, first).delivery, stored(sessions, first).delivery_attempts) == ("delivered", 2)
    with sessions() as db, db.begin():  # the dead replica's own update, had it come back, changes nothing
        assert settle(db, first, "a-replica-that-died", False) is False
    assert stored(sessions, first).delivery == "delivered" and stored(sessions, others).delivery == "delivered"


def test_a_failed_send_ends_its_claim_at_once_and_her_channels_report_stands(sessions):
    first, second, others = replies_in_two_conversations(sessions, "failed")
    rasa = PartlyDownRasa(down={"failed-her"})
    assert deliver_round(rasa, sessions) == 1
    failed, waiting = stored(sessions, first), stored(sessions, second)
    assert (failed.delivery, failed.delivery_until, failed.delivery_attempts) == ("pending", None, 1)
    assert waiting.delivery_attempts == 0  # never tried before the first is through
    rasa.down.clear()
    with sessions() as db, db.begin():
        message, _, _ = claim_next(db, "round-1", 30)
    with sessions() as db, db.begin():  # her channel reports before the round's own update
        assert record_delivery(db, message.id, "accepted")
    with sessions() as db, db.begin():
        assert settle(db, message.id, "round-1", True) is False
    assert stored(sessions, first).delivery == "accepted"
    assert deliver_round(rasa, sessions) == 1
    assert [text for _, _, text in rasa.sent] == ["另一位的回复", "第二条"]


class SilentRasa:
    """Accepts the connection and trickles an answer that never ends (bounded: 5 s)."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        connection, _ = self.listener.accept()
        with connection:
            for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 50:
                try:
                    connection.sendall(bytes([byte]))
                except OSError:
                    return
                time.sleep(0.1)


def test_a_send_ends_at_its_hard_deadline_and_a_claim_outlasts_it():
    rasa = SilentRasa()
    message, handoff = HandoffMessage(id=7, sender="expert", text="您好"), Handoff(conversation_id="slow-1")
    started = time.monotonic()
    assert RasaRelay(rasa.url, timeout=0.5).deliver(message, handoff, None) is False
    assert time.monotonic() - started < 2.0  # each byte comes within httpx's read timeout; the deadline ends it
    rasa.listener.close()
    assert RasaRelay(rasa.url, timeout=10).claim_seconds == 30
    with pytest.raises(ValueError):
        RasaRelay(rasa.url, timeout=10, claim_seconds=10)
