import threading

from tests.faults.expert import NOT_STORED, STORED, Handling, SimulatedExpert, replies_for, reply_text
from tests.faults.load import RetryPolicy
from tests.faults.web_client import Answer

API = "http://proxy/api/v1"
BROKEN = Answer(None, None, "RemoteDisconnected: Remote end closed connection without response")


class FakeRouting:
    """The routing API as an expert uses it, in memory, with faults on demand."""

    def __init__(self, handoffs):
        self.handoffs = {h: {"id": h, "conversation_id": c, "status": "received", "messages": []}
                         for h, c in handoffs.items()}
        self.calls = []
        self.store_then_break = 0  # replies stored whose answer is then lost
        self.refuse_replies = 0  # replies refused with a 502 before storing

    def __call__(self, method, url, body=None, token=None, timeout=60):
        path = url.removeprefix(API)
        self.calls.append((method, path))
        if path == "/auth/token":
            return Answer(200, {"access_token": "tok"}) if body["password"] == "pw" else Answer(401, None, "HTTP 401")
        assert token == "tok"
        if path.startswith("/handoffs?"):
            return Answer(200, [{k: v for k, v in h.items() if k != "messages"} for h in self.handoffs.values()])
        parts = path.split("/")
        handoff = self.handoffs[parts[2]]
        if method == "GET":
            return Answer(200, handoff)
        if parts[3] == "claim":
            if handoff["status"] != "received":
                return Answer(409, None, "HTTP 409")
            handoff["status"] = "in_progress"
            return Answer(200, handoff)
        if self.refuse_replies:
            self.refuse_replies -= 1
            return Answer(502, None, "HTTP 502")
        handoff["status"] = "replied"
        handoff["messages"].append({"sender": "expert", "text": body["text"]})
        if self.store_then_break:
            self.store_then_break -= 1
            return BROKEN
        return Answer(200, handoff)


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def expert(api, password="pw", **kwargs):
    clock = Clock()
    return SimulatedExpert("lawyer", password, ["请把转账记录整理好。", "可以申请强制执行。"], "http://proxy", "run", api,
                           threading.Event(), gap_seconds=5, sleep=clock.sleep, clock=clock, **kwargs), clock


def test_two_or_three_numbered_replies_per_handoff():
    assert {replies_for(f"H-{n}") for n in range(50)} == {2, 3}
    assert replies_for("H-1") == replies_for("H-1")
    assert reply_text(["甲", "乙"], 3, 3) == "（3/3）甲"


def test_she_claims_this_runs_handoffs_only_and_answers_each_in_numbered_replies_spaced_apart():
    api = FakeRouting({"H-1": "run-w00-c0", "H-2": "other-run-w00-c0"})
    lawyer, clock = expert(api)
    assert lawyer.log_in()
    lawyer.work_once()
    assert api.handoffs["H-1"]["status"] == "replied" and api.handoffs["H-2"]["status"] == "received"
    lawyer.work_once()  # too soon for the next one
    assert len(api.handoffs["H-1"]["messages"]) == 1
    for _ in range(3):
        clock.now += 5
        lawyer.work_once()
    due = replies_for("H-1")
    assert [m["text"][:5] for m in api.handoffs["H-1"]["messages"]] == [f"（{n}/{due}）" for n in range(1, due + 1)]
    assert lawyer.all_answered() and all(s.outcome == STORED for s in lawyer.sent)


def test_a_reply_stored_before_the_connection_broke_is_not_sent_again():
    api = FakeRouting({"H-1": "run-w00-c0"})
    api.store_then_break = 1
    lawyer, _ = expert(api)
    lawyer.log_in()
    lawyer.work_once()
    [sent] = lawyer.sent
    assert sent.outcome == STORED and sent.attempts == 1 and sent.retried_because == [BROKEN.error]
    assert len(api.handoffs["H-1"]["messages"]) == 1


def test_a_reply_refused_by_the_proxy_is_sent_again():
    api = FakeRouting({"H-1": "run-w00-c0"})
    api.refuse_replies = 2
    lawyer, _ = expert(api)
    lawyer.log_in()
    lawyer.work_once()
    [sent] = lawyer.sent
    assert sent.outcome == STORED and sent.attempts == 3 and len(api.handoffs["H-1"]["messages"]) == 1


def test_a_reply_the_backend_never_took_is_recorded_as_not_stored():
    api = FakeRouting({"H-1": "run-w00-c0"})
    api.refuse_replies = 100
    lawyer, _ = expert(api, policy=RetryPolicy(attempts=4, first_pause=1, give_up_after=60))
    lawyer.log_in()
    lawyer.work_once()
    [sent] = lawyer.sent
    assert sent.outcome == NOT_STORED and sent.attempts == 4 and sent.error == "HTTP 502"


def test_a_claim_whose_answer_was_lost_still_counts_as_hers():
    api = FakeRouting({"H-1": "run-w00-c0"})
    lawyer, _ = expert(api)
    lawyer.log_in()
    api.handoffs["H-1"]["status"] = "in_progress"  # her first claim went through; the list still said received
    handling = Handling("H-1", "run-w00-c0", 2)
    lawyer.claim(handling, "received")
    assert handling.claimed


def test_a_wrong_password_is_a_problem_in_the_report_and_no_work():
    api = FakeRouting({"H-1": "run-w00-c0"})
    lawyer, _ = expert(api, password="wrong")
    assert lawyer.run() == [] and "could not log in" in lawyer.problems[0]
