"""Background work without traffic: a reply waiting for her goes out while nobody calls the
backend, jobs run most urgent first, a failing job does not stop the others, and two
replicas never run the same job at once (file lock on SQLite, advisory lock on PostgreSQL)."""
from __future__ import annotations

import threading
import time

from fastapi.testclient import TestClient
from sqlalchemy import select

from routing import scheduler
from routing.api.app import create_app
from routing.db import make_engine
from routing.models import HandoffMessage
from routing.scheduler import Job, JobLocks, Scheduler, SchedulerSettings
from routing.settings import Settings
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
