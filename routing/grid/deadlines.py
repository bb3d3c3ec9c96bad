"""Stage time limits: remind before a stage runs out, tell the level above when it has.

Who answers for a stage: the first-level grid while a report waits to be verified or
dispatched; the federation it was dispatched to afterwards. When the stage runs late the
report is escalated one level up (grid → village → town → county), once per stage, as
an event on its timeline; the level above sees it marked in its queue. `sweep` is a pure
step at a given time; the routing service's background loop runs it (routing/cli.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import List, Optional

from assistant_contract.china_time import month_day_time
from assistant_contract.grid import DISPATCHED, IN_PROGRESS, OPEN_STAGES, STAGE_TITLES
from sqlalchemy import select
from sqlalchemy.orm import Session

from routing.grid import timeline, tree
from routing.grid.models import GridReport, GridUnit
from routing.grid.settings import GridSettings

ACTOR = "时限提醒"


@dataclass
class SweepResult:
    reminded: List[int] = field(default_factory=list)
    escalated: List[int] = field(default_factory=list)


def responsible_unit(db: Session, report: GridReport) -> Optional[GridUnit]:
    if report.status in (DISPATCHED, IN_PROGRESS) and report.dispatch_unit:
        return db.get(GridUnit, report.dispatch_unit)
    grid = db.get(GridUnit, report.grid_code)
    return tree.ancestor_at(db, grid, "grid1") if grid else None


def level_above(db: Session, report: GridReport) -> Optional[GridUnit]:
    unit = responsible_unit(db, report)
    if unit is None:
        return None
    return db.get(GridUnit, unit.parent_code) if unit.parent_code else unit  # the county answers to itself


def sweep(db: Session, now: datetime, settings: GridSettings) -> SweepResult:
    result = SweepResult()
    late_or_soon = db.scalars(select(GridReport).where(GridReport.status.in_(OPEN_STAGES))
                              .where(GridReport.escalated_to.is_(None))).all()
    for report in late_or_soon:
        length = report.stage_due_at - report.stage_started_at
        if report.stage_due_at <= now:
            above = level_above(db, report)
            if above is None:
                continue
            report.escalated_to = above.code
            timeline.record(db, report, report.status, ACTOR,
                            f"「{STAGE_TITLES[report.status]}」已超过时限，已报告{above.name}督办", now)
            result.escalated.append(report.id)
        elif report.reminded_at is None and report.stage_due_at - now <= length * settings.reminder_share \
                and length > timedelta(0):
            report.reminded_at = now
            timeline.record(db, report, report.status, ACTOR,
                            f"提醒：「{STAGE_TITLES[report.status]}」将于{month_day_time(report.stage_due_at)}"
                            "（北京时间）到期", now)
            result.reminded.append(report.id)
    return result
