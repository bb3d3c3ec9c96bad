"""Several routing backends on one PostgreSQL database (issue #16): expert replies, SLA reminders
and escalations.

Each replica is a separate process running the backend's own scheduler jobs (`deliveries` and
`sla-sweep` from routing/scheduler.py `backend_jobs`, with their locks) against a fake Rasa: a small
HTTP server that records every reply it takes, and can refuse one (HTTP 500: nothing taken), be
slow, or hold a reply it took without answering. The test process is one more replica: it
delivers as the reply endpoint does (`deliver_round` at any moment) and sweeps without the
advisory lock, as a replica whose lock connection was lost would.

What is checked, and the bound (routing/relay.py):
- every reply is taken by Rasa exactly once when nobody dies, one at a time per conversation and in
  the order written, while different conversations go out in parallel from both replicas;
- a replica killed -9 while Rasa holds its reply: the reply is sent again by another replica, once,
  and never before the dead replica's claim expired (`claim_seconds` after its claim); her later
  replies follow it, in order, and other conversations are not held up meanwhile. That is the
  bound: at most one extra copy per replica that dies between Rasa taking a reply and the
  `delivered` update, no sooner than the claim's end;
- every reminder and escalation is recorded once, however many sweeps race.
Run: PYTHONPATH=. .venv-routing/bin/python -m pytest -q tests/routing/test_replicas.py
"""
from __future__ import annotations

import collections
import json
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Dict, List, Optional
from urllib.parse import unquote

import pytest
from sqlalchemy import func, select

from routing.db import make_engine, make_session_factory
from routing.models import Handoff, HandoffEvent, HandoffMessage, SlaNotice, User, utcnow
from routing import auth, lifecycle, scheduler, sla
from routing.lifecycle import NewHandoff
from routing.relay import RasaRelay, deliver_round
from routing.scheduler import JobLocks, Scheduler, SchedulerSettings
from routing.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
EXPERT = "replica-lawyer"


class FakeRasa:
    """Rasa's trigger_intent: takes a reply (records it) unless it refuses the request; `hold` names
    replies whose first copy it takes and then answers only when released (or after 15 s)."""

    def __init__(self, delay: float = 0.0, refuse_every: int = 0) -> None:
        self.delay, self.refuse_every = delay, refuse_every
        self.arrivals: List[tuple] = []  # (conversation, reply id, wall-clock time), as taken
        self.hold: Dict[int, threading.Event] = {}
        self.lock = threading.Lock()
        self.requests = 0
        self.in_flight: collections.Counter = collections.Counter()
        self.most_in_flight = self.most_in_one_conversation = 0
        rasa = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                conversation = unquote(self.path.split("/")[2])
                reply_id = body.get("entities", {}).get("expert_message_id")
                if not rasa.take(conversation, reply_id):
                    return self.answer(500)
                try:
                    time.sleep(rasa.delay)
                    held = rasa.hold.get(reply_id)
                    if held is not None and rasa.copies(reply_id) == 1:
                        held.wait(15)
                finally:
                    with rasa.lock:
                        rasa.in_flight[conversation] -= 1
                self.answer(200)

            def answer(self, code: int) -> None:
                try:
                    self.send_response(code)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"{}")
                except OSError:
                    pass  # the replica that sent it is gone

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def take(self, conversation: str, reply_id: Optional[int]) -> bool:
        with self.lock:
            self.requests += 1
            if self.refuse_every and self.requests % self.refuse_every == 0:
                return False
            self.arrivals.append((conversation, reply_id, time.time()))
            self.in_flight[conversation] += 1
            self.most_in_flight = max(self.most_in_flight, sum(self.in_flight.values()))
            self.most_in_one_conversation = max(self.most_in_one_conversation, self.in_flight[conversation])
            return True

    def copies(self, reply_id: int) -> int:
        with self.lock:
            return sum(1 for _, taken, _ in self.arrivals if taken == reply_id)

    def close(self) -> None:
        for event in self.hold.values():
            event.set()
        self.server.shutdown()
        self.server.server_close()


def run_replica(database_url: str, rasa_url: str, seconds: float, timeout: float, claim: float) -> None:
    """A routing backend's background jobs (its deliveries and its SLA sweep) in this process."""
    import asyncio  # noqa: PLC0415
    from types import SimpleNamespace  # noqa: PLC0415

    engine = make_engine(database_url)
    services = SimpleNamespace(session_factory=make_session_factory(engine), settings=Settings(database_url=database_url),
                               relay=RasaRelay(rasa_url, timeout=timeout, claim_seconds=claim))
    jobs = [job for job in scheduler.backend_jobs(services, SchedulerSettings(delivery_seconds=0.05, sla_seconds=0.1))
            if job.name in ("deliveries", "sla-sweep")]
    runner = Scheduler(jobs, JobLocks(engine), tick_seconds=0.02)
    print("ready", flush=True)
    try:
        asyncio.run(asyncio.wait_for(runner.run_forever(), seconds))
    except TimeoutError:
        pass


class Replica:
    def __init__(self, database_url: str, rasa: FakeRasa, seconds: float = 40, timeout: float = 2.0,
                 claim: float = 6.0) -> None:
        environment = dict(os.environ, PYTHONPATH=str(ROOT))
        self.process = subprocess.Popen([sys.executable, __file__, database_url, rasa.url, str(seconds), str(timeout),
                                         str(claim)], cwd=ROOT, env=environment, stdout=subprocess.PIPE, text=True)

    def ready(self, within: float = 30) -> None:
        ready = threading.Event()
        threading.Thread(target=lambda: self.process.stdout.readline() == "ready\n" and ready.set(),
                         daemon=True).start()
        assert ready.wait(within), "the replica did not start"

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)
        self.process.stdout.close()


@pytest.fixture(scope="module")
def database():
    from routing.migrate import upgrade  # noqa: PLC0415
    from routing.org_data import load_file  # noqa: PLC0415
    from tests.routing.conftest import _postgres_schema_url  # noqa: PLC0415

    url, drop = _postgres_schema_url()
    upgrade(url)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    with factory() as db, db.begin():
        load_file(db)
        auth.create_user(db, username=EXPERT, password="a-long-password", role="expert", department_id="rights",
                         specialty="法律", title="律师")
    yield url, factory
    engine.dispose()
    drop()


def claimed_handoff(factory, conversation: str) -> str:
    with factory() as db, db.begin():
        expert = db.scalars(select(User).where(User.username == EXPERT)).one()
        handoff = lifecycle.open_handoff(db, NewHandoff(conversation, "rest", "legal", "legal_divorce", False, "想离婚"),
                                         48, 1)
        lifecycle.claim(db, handoff, expert)
        return handoff.id


def reply(factory, handoff_id: str, text: str) -> int:
    """As the reply endpoint writes one: the handoff locked, the reply pending."""
    with factory() as db, db.begin():
        expert = db.scalars(select(User).where(User.username == EXPERT)).one()
        handoff = db.get(Handoff, handoff_id, with_for_update=True)
        message = lifecycle.reply(db, handoff, expert, text)
        db.flush()
        return message.id


def replies_of(factory, handoff_ids) -> Dict[str, List[HandoffMessage]]:
    with factory() as db:
        rows = db.execute(select(Handoff.conversation_id, HandoffMessage)
                          .join(HandoffMessage, HandoffMessage.handoff_id == Handoff.id)
                          .where(Handoff.id.in_(handoff_ids), HandoffMessage.sender == "expert")
                          .order_by(HandoffMessage.id)).all()
    kept = collections.defaultdict(list)
    for conversation, message in rows:
        kept[conversation].append(message)
    return kept


def wait_until(condition, within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def sla_handoffs(factory, prefix: str, count: int) -> List[str]:
    """Half due for a reminder (an hour left of 48), half overdue."""
    now, made = utcnow(), []
    with factory() as db, db.begin():
        for number in range(count):
            handoff = lifecycle.open_handoff(db, NewHandoff(f"{prefix}-{number}", "rest", "legal", "legal_divorce",
                                                            False, "想离婚"), 48, 1)
            handoff.created_at = now - timedelta(hours=47)
            handoff.due_at = now + timedelta(hours=1) if number % 2 == 0 else now - timedelta(minutes=1)
            made.append(handoff.id)
    return made


def sla_events(factory, handoff_ids) -> Dict[str, List[str]]:
    with factory() as db:
        rows = db.execute(select(HandoffEvent.handoff_id, HandoffEvent.to_status)
                          .where(HandoffEvent.handoff_id.in_(handoff_ids), HandoffEvent.actor == "sla")).all()
    kinds = collections.defaultdict(list)
    for handoff_id, to_status in rows:
        kinds[handoff_id].append("escalation" if to_status == "escalated" else "reminder")
    return kinds


def test_two_replicas_deliver_each_reply_once_in_order_and_remind_once(database):
    url, factory = database
    rasa = FakeRasa(delay=0.03, refuse_every=5)
    conversations = {claimed_handoff(factory, f"replicas-{number}"): f"replicas-{number}" for number in range(6)}
    reminded = sla_handoffs(factory, "replicas-sla", 8)
    replicas = [Replica(url, rasa), Replica(url, rasa)]
    stop = threading.Event()

    def third_replica() -> None:  # delivers as the reply endpoint does, and sweeps without the lock
        relay = RasaRelay(rasa.url, timeout=2.0, claim_seconds=6.0)
        for _ in range(400):
            if stop.is_set():
                return
            deliver_round(relay, factory)
            with factory() as db, db.begin():
                sla.sweep(db, utcnow(), 6)
            time.sleep(0.05)

    try:
        for replica in replicas:
            replica.ready()
        helper = threading.Thread(target=third_replica)
        helper.start()
        written = collections.defaultdict(list)
        for batch in range(3):  # in bursts: several of one conversation's replies wait at once
            for handoff_id in conversations:
                for number in (1, 2, 3):
                    written[handoff_id].append(reply(factory, handoff_id, f"第{batch * 3 + number}条回复"))
            time.sleep(0.1)
        ids = [reply_id for replies in written.values() for reply_id in replies]
        assert wait_until(lambda: sum(1 for _, taken, _ in rasa.arrivals if taken in ids) >= len(ids)
                          and all(len(kinds) == 1 for kinds in sla_events(factory, reminded).values())
                          and len(sla_events(factory, reminded)) == len(reminded), within=30)
        time.sleep(0.5)  # any late second copy or second reminder would show now
    finally:
        stop.set()
        for replica in replicas:
            replica.kill()
        if "helper" in locals():
            helper.join(20)
        rasa.close()
    taken = collections.Counter(reply_id for _, reply_id, _ in rasa.arrivals)
    assert {reply_id: taken[reply_id] for reply_id in ids} == {reply_id: 1 for reply_id in ids}
    for handoff_id, conversation in conversations.items():
        assert [reply_id for seen_in, reply_id, _ in rasa.arrivals if seen_in == conversation] == written[handoff_id]
    assert rasa.most_in_one_conversation == 1 and rasa.most_in_flight >= 2
    stored = [message for replies in replies_of(factory, conversations).values() for message in replies]
    assert {message.delivery for message in stored} == {"delivered"}
    senders = {int(message.delivery_owner.rsplit(":", 2)[1]) for message in stored}
    assert {replica.process.pid for replica in replicas} <= senders  # both replicas delivered
    assert dict(sla_events(factory, reminded)) == {
        handoff_id: ["reminder" if number % 2 == 0 else "escalation"] for number, handoff_id in enumerate(reminded)}
    with factory() as db:
        assert db.scalar(select(func.count()).select_from(SlaNotice).where(SlaNotice.handoff_id.in_(reminded))) == 8


def test_a_replica_killed_mid_send_is_taken_over_once_its_claim_expires(database):
    url, factory = database
    rasa = FakeRasa()
    her, other = claimed_handoff(factory, "killed-her"), claimed_handoff(factory, "killed-other")
    first, second, third = (reply(factory, her, text) for text in ("第一条", "第二条", "第三条"))
    rasa.hold[first] = threading.Event()  # Rasa takes it, and answers only later
    dying = Replica(url, rasa, timeout=3.0, claim=4.0)
    stop = threading.Event()
    try:
        dying.ready()
        assert wait_until(lambda: rasa.copies(first) == 1, within=20)
        dying.kill()  # while Rasa holds its send
        with factory() as db:
            dead_claim = db.get(HandoffMessage, first).delivery_until
        other_reply = reply(factory, other, "另一位的回复")
        relay = RasaRelay(rasa.url, timeout=3.0, claim_seconds=4.0)

        def surviving_replica() -> None:
            for _ in range(300):
                if stop.is_set():
                    return
                deliver_round(relay, factory)
                time.sleep(0.05)

        survivor = threading.Thread(target=surviving_replica)
        survivor.start()
        assert wait_until(lambda: rasa.copies(third) == 1, within=15)
        time.sleep(0.3)
    finally:
        stop.set()
        dying.kill()
        if "survivor" in locals():
            survivor.join(20)
        rasa.close()
    order = [reply_id for _, reply_id, _ in rasa.arrivals]
    assert order == [first, other_reply, first, second, third]  # the other conversation did not wait
    second_copy_at = [at for _, reply_id, at in rasa.arrivals if reply_id == first][1]
    assert second_copy_at >= dead_claim.timestamp()  # never before the dead replica's claim ended
    with factory() as db:
        row = db.get(HandoffMessage, first)
        assert (row.delivery, row.delivery_attempts) == ("delivered", 2)
        assert row.delivery_owner.rsplit(":", 2)[1] == str(os.getpid())  # the survivor's


def test_a_notice_another_transaction_is_writing_is_waited_for_and_not_made_twice(database):
    url, factory = database
    [handoff_id] = sla_handoffs(factory, "notice-race", 1)
    now = utcnow()
    with factory() as db:
        db.begin()
        handoff = db.get(Handoff, handoff_id)
        assert sla.record_once(db, handoff, sla.REMINDER, now)  # not committed yet
        outcome = []

        def second_sweep() -> None:
            with factory() as other, other.begin():
                outcome.append(sla.record_once(other, other.get(Handoff, handoff_id), sla.REMINDER, now))

        racing = threading.Thread(target=second_sweep)
        racing.start()
        time.sleep(0.5)
        assert outcome == []  # waits for the first transaction
        db.commit()
    racing.join(10)
    assert outcome == [False]


def test_a_sweep_leaves_handoffs_another_sweep_is_changing_and_finds_them_done_afterwards(database):
    url, factory = database
    made = sla_handoffs(factory, "sweep-race", 4)
    now = utcnow()
    with factory() as first:
        first.begin()
        done_first = sla.sweep(first, now, 6)
        with factory() as second, second.begin():
            skipped = sla.sweep(second, now, 6)  # the rows are locked: no wait, nothing done
        first.commit()
    with factory() as second, second.begin():
        again = sla.sweep(second, now, 6)

    def ours(result) -> List[str]:
        return sorted(set(result.reminded + result.escalated) & set(made))

    assert (ours(done_first), ours(skipped), ours(again)) == (sorted(made), [], [])
    assert {handoff_id: len(kinds) for handoff_id, kinds in sla_events(factory, made).items()} == {
        handoff_id: 1 for handoff_id in made}


if __name__ == "__main__":  # one replica, started by the tests above
    run_replica(sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]))
