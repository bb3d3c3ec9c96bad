"""Background work without traffic: a reply waiting for her goes out while nobody calls the
backend, jobs run most urgent first, a failing job does not stop the others, and two
replicas never run the same job at once (file lock on SQLite, advisory lock on PostgreSQL), and a
lock ends with its process or its connection."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from routing import scheduler
from routing.api.app import create_app
from routing.db import make_engine
from routing.models import HandoffMessage
from routing.scheduler import Job, JobLocks, Scheduler, SchedulerSettings
from routing.settings import Settings
from tests.routing.conftest import _postgres_schema_url
from tests.routing.console_support import open_handoff
from tests.routing.fake_relay import FakeRelay


def test_a_job_held_by_another_replica_is_skipped(sessions, database_url):
    first, second = JobLocks(make_engine(database_url)), JobLocks(make_engine(database_url))
    with first.hold("deliveries") as held:
        assert held
        with second.hold("deliveries") as other:
            assert other is False
        with second.hold("sla-sweep") as unrelated:
            assert unrelated
    with second.hold("deliveries") as later:
        assert later


def test_jobs_run_most_urgent_first_and_a_failure_does_not_stop_the_rest(sessions, database_url):
    ran = []

    def broken():
        ran.append("sla-sweep")
        raise RuntimeError("database blip")

    jobs = [Job("deliveries", 5, lambda: ran.append("deliveries")), Job("sla-sweep", 30, broken),
            Job("retention", 3600, lambda: ran.append("retention"))]
    runner = Scheduler(jobs, JobLocks(make_engine(database_url)))
    outcomes = [runner.run_job(job) for job in runner.due(time.monotonic())]
    assert ran == ["deliveries", "sla-sweep", "retention"]
    assert outcomes == ["done", "failed", "done"]


def test_a_waiting_reply_goes_out_with_no_request_at_all(sessions, database_url):
    relay = FakeRelay()
    handoff_id = open_handoff(sessions, conversation="woman-sched-1")
    with sessions() as db, db.begin():
        db.add(HandoffMessage(handoff_id=handoff_id, sender="expert", text="您好，我是律师", delivery="pending"))
    settings = Settings(database_url=database_url, demo_mode=False, service_token="service-secret-for-tests",
                        rasa_token="rasa-token-for-the-routing-tests")
    app = create_app(settings, sessions, relay=relay, with_console=False)
    scheduler.install(app, SchedulerSettings(tick_seconds=0.05, delivery_seconds=0.1, sla_seconds=0.1))
    runs = app.state.metrics.jobs
    with TestClient(app):
        deadline = time.monotonic() + 10
        while (not relay.sent or not runs.value(job="sla-sweep", outcome="done")) and time.monotonic() < deadline:
            time.sleep(0.05)
    assert relay.sent == [("woman-sched-1", "expert", "您好，我是律师")]
    with sessions() as db:
        assert db.scalar(select(HandoffMessage.delivery).where(HandoffMessage.text == "您好，我是律师")) == "delivered"
    assert runs.value(job="deliveries", outcome="done") >= 1 and runs.value(job="sla-sweep", outcome="done") >= 1
    assert runs.value(job="grid", outcome="failed") == 0


def test_the_scheduler_stops_with_the_application(sessions, database_url):
    ticks = threading.Event()
    settings = Settings(database_url=database_url, demo_mode=True)
    app = create_app(settings, sessions, relay=FakeRelay(), with_console=False)
    runner = scheduler.install(app, SchedulerSettings(tick_seconds=0.05), jobs=[Job("probe", 0.05, ticks.set)])
    with TestClient(app):
        assert ticks.wait(5)
    ticks.clear()
    time.sleep(0.3)
    assert not ticks.is_set() and runner.jobs[0].name == "probe"


@pytest.fixture
def postgres_url():
    url, drop = _postgres_schema_url()
    yield url
    drop()


HOLDER = """
import sys, time
from routing.db import make_engine
from routing.scheduler import JobLocks
with JobLocks(make_engine(sys.argv[1])).hold("sla-sweep") as held:
    print("held" if held else "not held", flush=True)
    time.sleep(30)
"""


def free_within(locks, name, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with locks.hold(name) as held:
            if held:
                return True
        time.sleep(0.1)
    return False


def test_a_replica_killed_while_holding_a_job_frees_it_at_once(postgres_url):
    root = Path(__file__).resolve().parents[2]
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, postgres_url], cwd=root, stdout=subprocess.PIPE,
                              text=True, env=dict(os.environ, PYTHONPATH=str(root)))
    try:
        assert holder.stdout.readline().strip() == "held"
        locks = JobLocks(make_engine(postgres_url))
        with locks.hold("sla-sweep") as held:
            assert held is False
        holder.send_signal(signal.SIGKILL)
        holder.wait(10)
        assert free_within(locks, "sla-sweep", 10)  # PostgreSQL ends the session with the process
    finally:
        holder.kill()
        holder.wait(10)
        holder.stdout.close()


def test_a_lock_whose_connection_died_during_the_round_is_not_kept_and_stops_nothing(postgres_url):
    engine = make_engine(postgres_url)
    locks = JobLocks(engine)
    with locks.hold("sla-sweep") as held:
        assert held
        with engine.connect() as other:  # the lock's connection is cut (a restart, a network blip)
            other.execute(text("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND "
                               "((classid::bigint << 32) | objid::bigint) = "
                               "hashtextextended(current_schema() || '/routing-job/sla-sweep', 0)"))
    assert free_within(JobLocks(make_engine(postgres_url)), "sla-sweep", 5)
    assert free_within(locks, "sla-sweep", 5)


def test_the_same_job_in_two_schemas_of_one_database_runs_in_both(postgres_url):
    other_url, drop = _postgres_schema_url()
    try:
        with JobLocks(make_engine(postgres_url)).hold("deliveries") as here:
            with JobLocks(make_engine(other_url)).hold("deliveries") as there:
                assert here and there
    finally:
        drop()


def test_a_lock_that_cannot_be_taken_fails_the_round_and_the_loop_goes_on():
    closed = socket.create_server(("127.0.0.1", 0))  # a port where no database answers
    port = closed.getsockname()[1]
    closed.close()
    runner = Scheduler([Job("sla-sweep", 30, lambda: None)],
                       JobLocks(make_engine(f"postgresql+psycopg://postgres@127.0.0.1:{port}/test?connect_timeout=2")))
    assert runner.run_job(runner.jobs[0]) == "failed"
