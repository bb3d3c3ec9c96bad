"""Triage of reports filed without an area: the assistant's own understanding, through
Rasa's HTTP `POST /model/parse`, in a background step so filing stays fast.

The area is the service area of the intent Rasa reads (the catalogue's taxonomy), or of
the best-ranked intent that has one; a report none of whose intents has an area goes to
关爱服务 (care), the general help of the federation. Danger: the parse result's `crisis`
verdict (the assistant's crisis detector, nlu/crisis_detector.py) or a crisis intent
marks the report urgent and opens an urgent handoff (routing/grid/filing.py). When Rasa
cannot be reached the report waits and is tried again later, with a growing pause.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Optional, Protocol

import httpx
from assistant_contract.catalogue.taxonomy import Taxonomy
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from routing.grid import filing, timeline
from routing.grid.models import GridReport
from routing.grid.settings import GridSettings
from routing.models import Department, Handoff, utcnow

FALLBACK_AREA = "care"
MAX_PAUSE = timedelta(hours=1)


class ParseUnavailable(Exception):
    """Rasa did not answer; the report is tried again later."""


class Parser(Protocol):
    def parse(self, text: str) -> dict: ...


class RasaParser:
    def __init__(self, rasa_url: str, token: Optional[str] = None, timeout: float = 5.0) -> None:
        self._url = rasa_url.rstrip("/") + "/model/parse"
        self._params = {"token": token} if token else {}
        self._client = httpx.Client(timeout=timeout)

    def parse(self, text: str) -> dict:
        try:
            response = self._client.post(self._url, params=self._params, json={"text": text})
        except httpx.HTTPError as error:
            raise ParseUnavailable(str(error)) from error
        if response.status_code != 200:
            raise ParseUnavailable(f"Rasa answered {response.status_code}")
        return response.json()


@dataclass(frozen=True)
class Reading:
    area: str
    danger: bool


def read(result: dict, taxonomy: Taxonomy) -> Reading:
    intent = (result.get("intent") or {}).get("name")
    ranked = [intent] + [entry.get("name") for entry in result.get("intent_ranking") or []]
    area = next((taxonomy.category_of(name) for name in ranked if taxonomy.category_of(name)), None)
    crisis = result.get("crisis") or {}
    danger = bool(crisis.get("detected")) or taxonomy.is_crisis(intent)
    return Reading(area=area or FALLBACK_AREA, danger=danger)


def due(db: Session, now: datetime, limit: int) -> list[GridReport]:
    return list(db.scalars(select(GridReport).where(GridReport.area_by == "pending")
                           .where(or_(GridReport.triage_after.is_(None), GridReport.triage_after <= now))
                           .order_by(GridReport.id).limit(limit)))


def retry_later(report: GridReport, settings: GridSettings, now: datetime) -> None:
    report.triage_attempts += 1
    pause = timedelta(seconds=settings.triage_retry_seconds * 2 ** min(report.triage_attempts - 1, 10))
    report.triage_after = now + min(pause, MAX_PAUSE)


def apply(db: Session, report: GridReport, reading: Reading, settings: GridSettings,
          handoff_hours: tuple[int, int], now: datetime) -> None:
    """The area, and on danger: urgent (the stage falls due by the urgent limit) and an urgent handoff."""
    report.area, report.area_by = reading.area, "triage"
    timeline.record(db, report, report.status, "分诊",
                    f"助手分诊：{reading.area}" + ("；发现眼前危险" if reading.danger else ""), now)
    _route_handoff(db, report)
    if reading.danger:
        report.danger = True
        if not report.urgent:
            report.urgent = True
            report.stage_due_at = min(report.stage_due_at, filing.stage_due(settings, report.status, True,
                                                                              report.stage_started_at))
        filing.open_urgent_handoff(db, report, handoff_hours)


def _route_handoff(db: Session, report: GridReport) -> None:
    """An urgent handoff opened before triage (the reporter said urgent) goes to the area's
    department now that the area is known, unless a person already holds it."""
    handoff = db.get(Handoff, report.handoff_id) if report.handoff_id else None
    if handoff is None or handoff.category is not None or handoff.assignee_id is not None:
        return
    department = db.scalars(select(Department).where(Department.category == report.area)).first()
    handoff.category, handoff.department_id = report.area, department.id if department else None


def run_round(session_factory, parser: Parser, taxonomy: Taxonomy, settings: GridSettings,
              handoff_hours, limit: int = 50) -> int:
    """Triage what is due, up to `limit` reports per write; returns how many were read.
    Rasa is asked outside any transaction (SQLite has one writer: filing must not wait on
    Rasa). The first failure to reach Rasa ends the round: that report waits, with a
    growing pause, and the rest wait for the next round."""
    done = 0
    while True:
        with session_factory() as db:
            batch = [(report.id, report.text) for report in due(db, utcnow(), limit)]
        readings, failed = {}, None
        for report_id, text in batch:
            try:
                readings[report_id] = read(parser.parse(text), taxonomy)
            except ParseUnavailable:
                failed = report_id
                break
        with session_factory() as db:
            hours = handoff_hours(db) if callable(handoff_hours) else handoff_hours
        with session_factory() as db, filing.writer(db):
            now = utcnow()
            loaded = {report.id: report for report in db.scalars(  # one read, then the short write
                select(GridReport).where(GridReport.id.in_(list(readings) + [failed])))}
            for report_id, reading in readings.items():
                report = loaded.get(report_id)
                if report is not None and report.area_by == "pending":
                    apply(db, report, reading, settings, hours, now)
            if failed is not None:
                retry_later(loaded[failed], settings, now)
            db.commit()
        done += len(readings)
        if failed is not None or len(batch) < limit:
            return done


class TriageWorker:
    """Runs triage rounds in one background thread while there is work; `wake` after filing.
    Rounds gather: under a stream of reports, one round per report cost a read and a commit
    each, more than the reports' own filing."""

    def __init__(self, session_factory, parser: Parser, taxonomy: Taxonomy, settings: GridSettings,
                 handoff_hours) -> None:
        self._args = (session_factory, parser, taxonomy, settings, handoff_hours)
        self._gather = settings.triage_gather_seconds
        self._lock = threading.Lock()
        self._again = threading.Event()
        self._thread: Optional[threading.Thread] = None

    def wake(self) -> None:
        with self._lock:
            self._again.set()
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="grid-triage", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            time.sleep(self._gather)  # wakes meanwhile join this round
            with self._lock:
                if not self._again.is_set():
                    self._thread = None
                    return
                self._again.clear()
            try:
                run_round(*self._args)
            except Exception:  # the background loop retries what is left
                return

    def wait_idle(self, timeout: float = 30.0) -> None:
        """For tests and the benchmark: until no round runs."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
