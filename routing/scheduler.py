"""Background work that does not wait for traffic: the routing backend's jobs, run by the
application's lifespan (`install`), so `serve` needs no loop of its own.

Each tick runs the jobs that are due, most urgent first: expert replies to her (every
`DELIVERY_SECONDS`), then the SLA sweep that reminds and escalates (`SLA_SECONDS`), grid
reports' late stages and triage (same interval), then retention (routing/retention.py, every `ROUTING_RETENTION_EVERY_HOURS`). Jobs run in a worker
thread, so the API keeps answering; a failing job is logged and tried again next time.

Several replicas. An exclusive job runs on one replica at a time: on PostgreSQL each round first
takes a session-level advisory lock named after the job and the schema (`pg_try_advisory_lock`)
and skips the round when another replica holds it; on SQLite (one host) a file lock beside the
database does the same across processes. The lock lives as long as its connection: PostgreSQL frees it when the
process dies (kill -9 closes the socket; a host that vanishes without closing it holds it until
TCP keepalive gives up), and a connection whose unlock failed is closed rather than pooled, so a
lock never outlives its round. For the SLA sweep the lock only saves work: a lock's connection
can be lost while its round goes on, so the sweep is safe on its own, in the database
(routing/sla.py: row locks and one notice per reminder). Grid reports' round and retention
rely on the lock alone.

Deliveries are not exclusive: every replica delivers at once, each claiming other conversations'
replies (routing/relay.py), so one slow conversation never holds up the others.
"""
from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import AsyncIterator, Callable, Dict, Iterator, List, Optional

from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import Engine, text

from routing import retention, sla, sla_policy
from routing.models import utcnow
from routing.relay import deliver_round

log = logging.getLogger(__name__)


class SchedulerSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ROUTING_SCHEDULER_")

    tick_seconds: float = 1.0
    delivery_seconds: float = 5.0
    sla_seconds: float = 30.0


@dataclass
class Job:
    name: str
    every_seconds: float
    run: Callable[[], object]
    next_at: float = 0.0  # monotonic; 0: at the first tick
    exclusive: bool = True  # one replica at a time (JobLocks); False: the job coordinates itself


# An advisory lock's key is one 64-bit number per database: named after the job and the schema the
# connection works in, so two deployments (or test runs) in two schemas of one database never meet.
_KEY = "hashtextextended(coalesce(current_schema(), '') || :tag, 0)"


def _tag(name: str) -> dict:
    return {"tag": f"/routing-job/{name}"}


def job_lock_path(engine: Engine, name: str) -> Optional[Path]:
    """Where a SQLite database's file lock for `name` lives (beside it); None for memory or PostgreSQL."""
    if engine.url.get_backend_name() != "sqlite":
        return None
    database = engine.url.database
    return Path(database).parent / f".routing-job-{name}.lock" if database and database != ":memory:" else None


@contextlib.contextmanager
def file_lock(path: Path, *, wait: bool) -> Iterator[bool]:
    """An exclusive lock on `path` across processes of this host; yields False when another holds it
    and `wait` is False. The kernel frees it when the holder dies."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class JobLocks:
    """`hold(name)` yields True when this process may run the job now, False when another does."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._threads: Dict[str, threading.Lock] = {}
        self._postgres = engine.url.get_backend_name() == "postgresql"

    @contextlib.contextmanager
    def hold(self, name: str) -> Iterator[bool]:
        local = self._threads.setdefault(name, threading.Lock())
        if not local.acquire(blocking=False):
            yield False
            return
        try:
            with (self._advisory(name) if self._postgres else self._file(name)) as held:
                yield held
        finally:
            local.release()

    @contextlib.contextmanager
    def _advisory(self, name: str) -> Iterator[bool]:
        with self._engine.connect() as connection:
            held = bool(connection.execute(text(f"SELECT pg_try_advisory_lock({_KEY})"), _tag(name)).scalar())
            connection.commit()
            try:
                yield held
            finally:
                if held:
                    self._unlock(connection, name)

    @staticmethod
    def _unlock(connection, name: str) -> None:
        """Back to the pool unlocked, or not at all: a pooled connection still holding the lock
        would keep every replica (this one too, on its other connections) from the job."""
        try:
            released = connection.execute(text(f"SELECT pg_advisory_unlock({_KEY})"), _tag(name)).scalar()
            connection.commit()
        except Exception:  # noqa: BLE001 - the connection is dropped below, which frees the lock
            released = False
        if not released:
            connection.invalidate()

    @contextlib.contextmanager
    def _file(self, name: str) -> Iterator[bool]:
        path = job_lock_path(self._engine, name)
        if path is None:
            yield True
            return
        with file_lock(path, wait=False) as held:
            yield held


class Scheduler:
    def __init__(self, jobs: List[Job], locks: JobLocks, metrics=None, tick_seconds: float = 1.0) -> None:
        self.jobs, self.locks, self.metrics, self.tick_seconds = jobs, locks, metrics, tick_seconds

    def run_job(self, job: Job) -> str:
        """One round of one job under its lock: `done`, `skipped` (held elsewhere) or `failed`."""
        started = time.perf_counter()
        try:  # taking the lock can fail too (the database restarting): the loop must live
            with (self.locks.hold(job.name) if job.exclusive else contextlib.nullcontext(True)) as held:
                if held:
                    job.run()
                outcome = "done" if held else "skipped"
        except Exception:  # noqa: BLE001 - the next round retries
            log.exception("background job %s failed", job.name, extra={"fields": {"job": job.name}})
            outcome = "failed"
        if self.metrics is not None:
            self.metrics.jobs.inc(job=job.name, outcome=outcome)
            self.metrics.job_seconds.observe(time.perf_counter() - started, job=job.name)
        return outcome

    def due(self, now: float) -> List[Job]:
        """Due jobs in the order given (the most urgent first)."""
        return [job for job in self.jobs if job.next_at <= now]

    async def run_forever(self) -> None:
        while True:
            for job in self.due(time.monotonic()):
                await asyncio.to_thread(self.run_job, job)
                job.next_at = time.monotonic() + job.every_seconds
            await asyncio.sleep(self.tick_seconds)


def backend_jobs(services, settings: Optional[SchedulerSettings] = None, app_state=None) -> List[Job]:
    """The backend's jobs, most urgent first: her replies, the SLA sweep, grid reports' late
    stages and triage (routing/grid/cli.py `background_round`), retention."""
    settings = settings or SchedulerSettings()
    factory, backend = services.session_factory, services.settings
    kept = retention.RetentionSettings.beside(backend)

    def grid_round() -> None:
        from routing.grid import cli as grid_cli, services as grid_services  # noqa: PLC0415

        grid = grid_services.of_app(app_state, backend, factory) if app_state is not None else None
        grid_cli.background_round(backend, factory, grid)

    def sweep() -> None:
        with factory() as db, db.begin():
            sla.sweep(db, utcnow(), sla_policy.current(db, backend).reminder_before_hours)

    def keep_within_retention() -> None:
        report = retention.run(factory, kept)
        log.info("retention", extra={"fields": {"removed": report.stores}})

    return [Job("deliveries", settings.delivery_seconds, lambda: deliver_round(services.relay, factory),
                exclusive=False),  # the replies' claims coordinate the replicas (routing/relay.py)
            Job("sla-sweep", settings.sla_seconds, sweep),
            Job("grid", settings.sla_seconds, grid_round),
            Job("retention", kept.every_hours * 3600, keep_within_retention, next_at=time.monotonic() + 60)]


def install(app, settings: Optional[SchedulerSettings] = None, jobs: Optional[List[Job]] = None) -> Scheduler:
    """Run the jobs for as long as the application serves (its lifespan), around any lifespan it had."""
    settings = settings or SchedulerSettings()
    services = app.state.services
    engine = services.session_factory.kw["bind"]
    scheduler = Scheduler(jobs if jobs is not None else backend_jobs(services, settings, app.state), JobLocks(engine),
                          getattr(app.state, "metrics", None), settings.tick_seconds)
    previous = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(application) -> AsyncIterator[object]:
        async with previous(application) as state:
            task = asyncio.get_running_loop().create_task(scheduler.run_forever(), name="routing-scheduler")
            try:
                yield state
            finally:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    app.router.lifespan_context = lifespan
    app.state.scheduler = scheduler
    return scheduler
