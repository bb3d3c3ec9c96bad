"""Filing a report: checked against the tree, numbered, timed, and — when it is about
danger now — an urgent handoff opened at once through the handoff lifecycle.

A work order (12345 or a department's) is filed once: the same work-order number again
returns the report it already made (`Filed.created` is False), never a second row, also
when two requests race (the unique column decides; the loser's request is rolled back
and filed again, and then finds the winner's row: `file_batch`).
"""
from __future__ import annotations

import threading
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Optional

from assistant_contract.china_time import in_china
from assistant_contract.grid import REPORTED, SUBJECT_TITLES, URGENT, report_number
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from routing import lifecycle
from routing.grid import children, timeline
from routing.grid.models import GridReport, GridUnit
from routing.grid.settings import GridSettings
from routing.models import utcnow

UNKNOWN_GRID = "网格编码 {code} 不存在，请核对后重新上报 / unknown grid code {code}"
NO_TEXT = "请写明发生了什么 / the report has no text"
NO_REASON = "当事人未同意上报时，请写明原因 / no_consent_reason is required when consent is false"
ATTEMPTS = 3  # a racing twin of a work order, or SQLite busy under load: try again, all or none
HANDOFF_NOTE = "网格上报：眼前有危险，已同时转紧急求助"


class InvalidReport(ValueError):
    """The report cannot be filed as it is (HTTP 422); the message is Chinese and English."""


@dataclass(frozen=True)
class NewReport:
    source: str
    grid_code: str
    subject: str
    place: str
    text: str
    urgency: str
    consent: bool
    person_name: Optional[str] = None
    no_consent_reason: Optional[str] = None
    area: Optional[str] = None
    work_order_no: Optional[str] = None
    reporter_conversation_id: Optional[str] = None


@dataclass(frozen=True)
class Reporter:
    user_id: Optional[int]
    name: str  # username, or "12345" / "service" for work orders


@dataclass
class Filed:
    report: GridReport
    created: bool


def check(db: Session, item: NewReport) -> GridUnit:
    """The report's grid; InvalidReport for anything the schema cannot see."""
    if not item.text.strip():
        raise InvalidReport(NO_TEXT)
    if not item.consent and not (item.no_consent_reason or "").strip():
        raise InvalidReport(NO_REASON)
    grid = db.get(GridUnit, item.grid_code)
    if grid is None or grid.level not in ("grid1", "grid2"):
        raise InvalidReport(UNKNOWN_GRID.format(code=item.grid_code))
    return grid


def existing_work_order(db: Session, work_order_no: Optional[str]) -> Optional[GridReport]:
    if not work_order_no:
        return None
    return db.scalars(select(GridReport).where(GridReport.work_order_no == work_order_no)).first()


def _town_code(grid: GridUnit) -> str:
    codes = [code for code in grid.path.strip("/").split("/") if code]
    return codes[1] if len(codes) > 1 else codes[0]


def stage_due(settings: GridSettings, stage: str, urgent: bool, start: datetime) -> datetime:
    return start + timedelta(hours=settings.stage_hours(stage, urgent))


def file_report(db: Session, item: NewReport, reporter: Reporter, settings: GridSettings,
                handoff_hours, now: Optional[datetime] = None, grid: Optional[GridUnit] = None) -> Filed:
    """Store one report (or find its work order's). `handoff_hours`: the SLA policy's
    (normal, urgent) hours for the urgent handoff a report about danger opens, or a
    function of the session giving them (asked only when one is opened). `grid`: what
    `check` found for it, when the caller has checked it already."""
    now = now or utcnow()
    grid = grid or check(db, item)
    earlier = existing_work_order(db, item.work_order_no)
    if earlier is not None:
        return Filed(earlier, False)
    urgent = item.urgency == URGENT
    report = GridReport(
        source=item.source, grid_code=grid.code, town_code=_town_code(grid), scope_path=grid.path,
        subject=item.subject, person_name=(item.person_name or "").strip() or None, place=item.place.strip(),
        text=item.text.strip(), urgency=item.urgency, urgent=urgent, danger=False, consent=item.consent,
        no_consent_reason=(item.no_consent_reason or "").strip() or None, area=item.area,
        area_by="reporter" if item.area else "pending", triage_attempts=0, work_order_no=item.work_order_no or None,
        reporter_id=reporter.user_id, reporter_name=reporter.name,
        reporter_conversation_id=item.reporter_conversation_id, status=REPORTED, stage_started_at=now,
        stage_due_at=stage_due(settings, REPORTED, urgent, now), created_at=now)
    db.add(report)
    db.flush()  # a racing twin of the same work order raises IntegrityError here: see `file_batch`
    report.number = report_number(in_china(now).year, report.id)
    children.link_report(db, report)
    timeline.record(db, report, REPORTED, reporter.name, "紧急" if urgent else None, now, from_status=None)
    if urgent:
        open_urgent_handoff(db, report, handoff_hours)
    return Filed(report, True)


def open_urgent_handoff(db: Session, report: GridReport, handoff_hours) -> None:
    """Danger now: an urgent handoff through the handoff lifecycle, once per report."""
    if report.handoff_id:
        return
    if callable(handoff_hours):
        handoff_hours = handoff_hours(db)
    summary = (f"【网格上报 {report.number}】{SUBJECT_TITLES.get(report.subject, '')}·{report.place}："
               f"{report.text}")[:500]
    request = lifecycle.NewHandoff(conversation_id=f"grid-{report.number}", channel="grid", category=report.area,
                                   intent=None, urgent=True, summary=summary)
    handoff = lifecycle.open_handoff(db, request, *handoff_hours)
    report.handoff_id = handoff.id
    timeline.record(db, report, report.status, "router", f"{HANDOFF_NOTE}（{handoff.id}）", utcnow())


_SQLITE_WRITER = threading.Lock()


def writer(db: Session):
    """On SQLite, filing and triage in this process write one at a time, queued here: SQLite
    has one writer, and its own busy handler polls with growing sleeps, so twenty requests
    waiting in it time out where a queue in Python hands the lock straight on. Other
    databases lock rows themselves: no lock."""
    if db.get_bind().dialect.name != "sqlite":
        return nullcontext()
    db.connection()  # hold a pooled connection first: never wait for one while holding the queue
    return _SQLITE_WRITER


def file_batch(db: Session, items: list, reporter_for, settings: GridSettings, handoff_hours) -> list[Filed]:
    """All of the reports or none: each is checked before any is stored (InvalidReport names
    the item), and a work order filed meanwhile by a racing request is found on a second go
    (as is a moment when SQLite's one writer stayed busy past its timeout).
    `reporter_for(item, grid)` says who files each one (`grid`: the item's, checked)."""
    problems, grids = [], []
    for index, item in enumerate(items):
        try:
            grids.append(check(db, item))
        except InvalidReport as error:
            problems.append(f"reports[{index}]: {error}" if len(items) > 1 else str(error))
    if problems:
        raise InvalidReport("; ".join(problems))
    for attempt in range(1, ATTEMPTS + 1):
        try:
            filed = [file_report(db, item, reporter_for(item, grid), settings, handoff_hours, grid=grid)
                     for item, grid in zip(items, grids)]
            db.flush()
            return filed
        except (IntegrityError, OperationalError) as error:
            db.rollback()
            if attempt == ATTEMPTS or (isinstance(error, OperationalError) and not busy(error)):
                raise
    raise AssertionError("unreachable")


def busy(error: OperationalError) -> bool:
    """SQLite's single writer was busy for longer than its timeout: worth another go."""
    return "database is locked" in str(error.orig)
