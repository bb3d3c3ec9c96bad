import threading
import time

from routing import auth, lifecycle
from routing.lifecycle import NewHandoff
from routing.relay import RasaRelay, deliver_round


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


def test_overlapping_delivery_rounds_send_each_reply_once(sessions):
    with sessions() as db, db.begin():
        lawyer = auth.create_user(db, username="relay-lawyer", password="a-long-password", role="expert",
                                  department_id="rights", specialty="法律", title="律师")
        handoff = lifecycle.open_handoff(db, NewHandoff("woman-r", "rest", "legal", "legal_divorce", False, "想离婚"),
                                         48, 1)
        lifecycle.claim(db, handoff, lawyer)
        lifecycle.reply(db, handoff, lawyer, "第一条回复")
    rasa = SlowRasa()
    rounds = [threading.Thread(target=deliver_round, args=(rasa, sessions)) for _ in range(3)]
    for thread in rounds:
        thread.start()
    for thread in rounds:
        thread.join()
    assert rasa.sent == ["第一条回复"]


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
