import asyncio
import math

from bench.load.expert import DEFAULT_REPLY, REPLIES, ExpertDesk
from bench.load.routing_api import ApiError


class FakeRouting:
    """Handoffs in memory; a reply turns delivered after `polls_until_delivered` reads."""

    def __init__(self, handoffs, polls_until_delivered=2, fail_claims=()):
        self.stored = {h["id"]: dict(h, messages=[]) for h in handoffs}
        self.polls_until_delivered, self.fail_claims = polls_until_delivered, set(fail_claims)
        self.reads, self.claims, self.replies, self.resolved = {}, [], [], []

    async def login(self, username, password):
        return f"token-{username}"

    async def handoffs(self, token):
        return [{k: v for k, v in h.items() if k != "messages"} for h in self.stored.values()]

    async def claim(self, token, handoff_id):
        if handoff_id in self.fail_claims:
            raise ApiError("POST /api/v1/handoffs/x/claim: HTTP 409: another expert holds it")
        self.claims.append(handoff_id)
        self.stored[handoff_id]["status"] = "in_progress"

    async def reply(self, token, handoff_id, text):
        self.replies.append((handoff_id, text))
        self.stored[handoff_id]["status"] = "replied"
        self.stored[handoff_id]["messages"].append({"sender": "expert", "text": text, "delivery": "pending"})

    async def detail(self, token, handoff_id):
        self.reads[handoff_id] = self.reads.get(handoff_id, 0) + 1
        if self.reads[handoff_id] >= self.polls_until_delivered:
            for message in self.stored[handoff_id]["messages"]:
                message["delivery"] = "delivered"
        return self.stored[handoff_id]

    async def resolve(self, token, handoff_id, note):
        self.resolved.append(handoff_id)
        self.stored[handoff_id]["status"] = "resolved"


def handoff(number, category="legal", prefix="load-r-u20-", status="received"):
    return {"id": f"H{number}", "conversation_id": f"{prefix}w{number}-c0", "category": category, "status": status}


def run(desk, rounds=4):
    async def go():
        await desk.open()
        for _ in range(rounds):
            await desk.round()
    asyncio.run(go())


def test_each_new_handoff_of_the_level_gets_one_reply_and_is_resolved_once_delivered():
    routing = FakeRouting([handoff(1), handoff(2, "family_education"), handoff(3, prefix="load-r-u50-")])
    desk = ExpertDesk(routing, {"lawyer": "pw"}, prefix="load-r-u20-", poll_seconds=0)
    run(desk)
    assert routing.replies == [("H1", REPLIES["legal"]), ("H2", REPLIES["family_education"])]
    assert sorted(routing.resolved) == ["H1", "H2"]
    figures = desk.figures()
    assert (figures.handoffs_seen, figures.replies_posted, figures.replies_delivered, figures.resolved) == (2, 2, 2, 2)
    assert figures.still_pending == 0 and figures.delivery_p95_ms >= 0


def test_a_reply_that_never_leaves_pending_is_counted_as_pending():
    routing = FakeRouting([handoff(1, category=None)], polls_until_delivered=99)
    desk = ExpertDesk(routing, {"lawyer": "pw"}, prefix="load-r-u20-", poll_seconds=0)
    run(desk)
    assert routing.replies == [("H1", DEFAULT_REPLY)]
    figures = desk.figures()
    assert (figures.replies_delivered, figures.still_pending, figures.resolved) == (0, 1, 0)
    assert math.isnan(figures.delivery_p50_ms)


def test_api_refusals_are_counted_by_status_and_the_handoff_is_left_alone():
    routing = FakeRouting([handoff(1), handoff(2)], fail_claims={"H1"})
    desk = ExpertDesk(routing, {"lawyer": "pw"}, prefix="load-r-u20-", poll_seconds=0)
    run(desk, rounds=1)
    assert [h for h, _ in routing.replies] == ["H2"]
    assert desk.figures().api_errors == {"HTTP 409": 1}


def test_urgent_handoffs_are_counted():
    routing = FakeRouting([dict(handoff(1), urgent=True), handoff(2)])
    desk = ExpertDesk(routing, {"lawyer": "pw"}, prefix="load-r-u20-", poll_seconds=0)
    run(desk, rounds=1)
    assert desk.figures().urgent == 1


def test_handoffs_someone_already_holds_are_not_claimed():
    routing = FakeRouting([handoff(1, status="in_progress")])
    desk = ExpertDesk(routing, {"lawyer": "pw"}, prefix="load-r-u20-", poll_seconds=0)
    run(desk)
    assert routing.claims == [] and desk.figures().handoffs_seen == 1


def test_work_stops_when_told_and_drain_is_bounded():
    routing = FakeRouting([handoff(1)], polls_until_delivered=10**6)
    desk = ExpertDesk(routing, {"lawyer": "pw"}, prefix="load-r-u20-", poll_seconds=0.01)

    async def go():
        await desk.open()
        stop = asyncio.Event()
        task = asyncio.ensure_future(desk.work(stop))
        await asyncio.sleep(0.05)
        stop.set()
        await asyncio.wait_for(task, timeout=1)
        await asyncio.wait_for(desk.drain(0.1), timeout=1)
    asyncio.run(go())
    assert desk.figures().still_pending == 1


def test_an_expert_who_cannot_log_in_sits_the_level_out_and_tokens_are_reused():
    class Refusing(FakeRouting):
        logins = 0

        async def login(self, username, password):
            Refusing.logins += 1
            if username == "bench-educator":
                raise ApiError("POST /api/v1/auth/token: TimeoutError: ")
            return await super().login(username, password)

    routing = Refusing([handoff(1)])
    desk = ExpertDesk(routing, {"bench-lawyer": "pw", "bench-educator": "pw"}, prefix="load-r-u20-", poll_seconds=0)
    run(desk, rounds=2)
    assert desk.tokens == {"bench-lawyer": "token-bench-lawyer"}
    assert desk.figures().api_errors == {"TimeoutError": 1} and desk.figures().replies_posted == 1
    again = ExpertDesk(routing, {"bench-lawyer": "pw"}, prefix="load-r-u50-", tokens=desk.tokens)
    asyncio.run(again.open())
    assert Refusing.logins == 2 and again.tokens == desk.tokens
