"""The loop of a report: reported → verified | rejected → dispatched → in progress → closed.

Every change goes through `move`: checked against ALLOWED, recorded as an event (who,
when, a note), and the new stage's time limit starts. A change that does not fit the
report's current stage — e.g. a second verifier a moment after the first — raises
`Conflict` (HTTP 409) saying who changed it and when; two changes at the very same
moment are told apart by the report's version column (StaleDataError, also 409).
"""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from assistant_contract.china_time import month_day_time
from assistant_contract.grid import (
    CLOSED, COUNTY, DISPATCHED, IN_PROGRESS, LEVEL_TITLES, REJECTED, REPORTED, STAGE_TITLES, TOWN_LEVEL, VERIFIED,
    VILLAGE,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from routing.grid import children, scope, timeline
from routing.grid.filing import stage_due
from routing.grid.models import GridReport, GridReportEvent, GridUnit
from routing.grid.settings import GridSettings
from routing.lifecycle import Conflict
from routing.models import User, utcnow

ALLOWED = {
    REPORTED: {VERIFIED, REJECTED},
    VERIFIED: {DISPATCHED, REJECTED},
    DISPATCHED: {IN_PROGRESS, DISPATCHED, CLOSED},  # re-dispatched to another level; closed at once
    IN_PROGRESS: {CLOSED},
    REJECTED: set(),
    CLOSED: set(),
}
UNIT_LEVEL_OF = {VILLAGE: "village", TOWN_LEVEL: "town", COUNTY: "county"}


def _last_change(db: Session, report: GridReport) -> str:
    event = db.scalars(select(GridReportEvent).where(GridReportEvent.report_id == report.id,
                                                     GridReportEvent.to_status == report.status)
                       .order_by(GridReportEvent.id.desc())).first()
    return f"（{event.actor} 于 {month_day_time(event.created_at)}）" if event else ""


def move(db: Session, report: GridReport, to_status: str, actor: str, note: Optional[str],
         settings: GridSettings, now: Optional[datetime] = None) -> None:
    if to_status not in ALLOWED[report.status]:
        raise Conflict(f"上报 {report.number} 已是「{STAGE_TITLES[report.status]}」{_last_change(db, report)}，"
                       f"不能改为「{STAGE_TITLES[to_status]}」，请刷新后再看 / report {report.number} is "
                       f"{report.status}; it cannot become {to_status}")
    now = now or utcnow()
    timeline.record(db, report, to_status, actor, note, now)
    report.status = to_status
    report.stage_started_at, report.reminded_at, report.escalated_to = now, None, None
    if to_status in (REJECTED, CLOSED):
        report.closed_at = now
        report.stage_due_at = now
    else:
        report.stage_due_at = stage_due(settings, to_status, report.urgent, now)


def _text(value: Optional[str], message: str) -> str:
    if not (value or "").strip():
        raise ValueError(message)
    return value.strip()


def verify(db: Session, report: GridReport, user: User, note: Optional[str], settings: GridSettings) -> None:
    scope.require(db, user, "verify", report)
    move(db, report, VERIFIED, user.username, (note or "").strip() or None, settings)
    children.record_visit(db, report, report.stage_started_at)


def reject(db: Session, report: GridReport, user: User, reason: Optional[str], settings: GridSettings) -> None:
    scope.require(db, user, "reject", report)
    reason = _text(reason, "退回需要写明原因 / a rejection needs a reason")
    move(db, report, REJECTED, user.username, reason, settings)
    report.reject_reason = reason


def dispatch_target(db: Session, report: GridReport, level: str, unit_code: str) -> GridUnit:
    """The federation it goes to: the village, town or county above the report's grid."""
    unit = db.get(GridUnit, unit_code or "")
    if level not in UNIT_LEVEL_OF or unit is None or unit.level != UNIT_LEVEL_OF[level] \
            or not report.scope_path.startswith(unit.path):
        raise ValueError(f"派发单位 {unit_code} 不是这份上报所在网格的{LEVEL_TITLES.get(level, level)} / "
                         f"{unit_code} is not the {level} above the report's grid")
    return unit


def dispatch(db: Session, report: GridReport, user: User, level: str, unit_code: str, note: Optional[str],
             settings: GridSettings) -> None:
    scope.require(db, user, "dispatch", report)
    unit = dispatch_target(db, report, level, unit_code)
    move(db, report, DISPATCHED, user.username, f"派发至{unit.name}" + (f"：{note.strip()}" if note and note.strip()
                                                                      else ""), settings)
    report.dispatch_level, report.dispatch_unit = level, unit.code


def start(db: Session, report: GridReport, user: User, note: Optional[str], settings: GridSettings) -> None:
    scope.require(db, user, "start", report)
    move(db, report, IN_PROGRESS, user.username, (note or "").strip() or "已接手办理", settings)


def close(db: Session, report: GridReport, user: User, outcome: Optional[str], settings: GridSettings) -> None:
    scope.require(db, user, "close", report)
    outcome = _text(outcome, "办结需要写明办理结果 / closing needs an outcome")
    move(db, report, CLOSED, user.username, outcome, settings)
    report.outcome = outcome
