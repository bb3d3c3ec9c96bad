"""The dashboard's figures over the reports a person may see: by source, area, stage and
town; how many are overdue in each open stage; the median time from report to close."""
from __future__ import annotations

import csv
import io
import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Dict, Iterable, Optional

from assistant_contract.areas import AREA_TITLES
from assistant_contract.china_time import in_china
from assistant_contract.grid import CLOSED, OPEN_STAGES, SOURCE_TITLES, STAGE_TITLES, SUBJECT_TITLES, URGENCY_TITLES
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from routing.grid import queries
from routing.grid.models import GridReport
from routing.masking import mask
from routing.models import User

CSV_COLUMNS = ("编号", "来源", "工单号", "镇街", "网格", "对象", "地点", "情况（已隐去个人信息）", "紧急程度", "领域",
               "阶段", "上报时间", "本阶段期限", "办结时间", "办理结果")


@dataclass(frozen=True)
class Figures:
    total: int
    by_source: Dict[str, int]
    by_area: Dict[str, int]
    by_stage: Dict[str, int]
    by_town: Dict[str, int]
    overdue_by_stage: Dict[str, int]
    median_hours_to_close: Optional[float]
    closed: int


def _counts(db: Session, base, column) -> Dict[str, int]:
    subquery = base.subquery()
    rows = db.execute(select(subquery.c[column], func.count()).group_by(subquery.c[column])).all()
    return {key or "": count for key, count in rows}


def figures(db: Session, user: User, now: datetime) -> Figures:
    base = queries.visible(db, user)
    subquery = base.subquery()
    overdue = dict(db.execute(select(subquery.c.status, func.count())
                              .where(subquery.c.status.in_(OPEN_STAGES), subquery.c.stage_due_at < now)
                              .group_by(subquery.c.status)).all())
    spans = db.execute(select(subquery.c.created_at, subquery.c.closed_at).where(subquery.c.status == CLOSED)).all()
    hours = [(closed - created).total_seconds() / 3600 for created, closed in spans if closed and created]
    by_stage = _counts(db, base, "status")
    return Figures(total=sum(by_stage.values()), by_source=_counts(db, base, "source"),
                   by_area=_counts(db, base, "area"), by_stage=by_stage, by_town=_counts(db, base, "town_code"),
                   overdue_by_stage={stage: overdue.get(stage, 0) for stage in OPEN_STAGES},
                   median_hours_to_close=round(statistics.median(hours), 1) if hours else None, closed=len(hours))


def _local(moment: Optional[datetime]) -> str:
    return in_china(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def csv_rows(reports: Iterable[GridReport], towns: Dict[str, str]) -> Iterable[str]:
    """The reports as CSV lines (with a byte-order mark for spreadsheet programs); her words masked."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(CSV_COLUMNS)
    yield buffer.getvalue()
    for report in reports:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([report.number, SOURCE_TITLES[report.source], report.work_order_no or "",
                         towns.get(report.town_code, report.town_code), report.grid_code,
                         SUBJECT_TITLES[report.subject], mask(report.place), mask(report.text),
                         URGENCY_TITLES[report.urgency], AREA_TITLES.get(report.area, "分诊中"),
                         STAGE_TITLES[report.status], _local(report.created_at), _local(report.stage_due_at),
                         _local(report.closed_at), mask(report.outcome or "")])
        yield buffer.getvalue()


def as_duration(hours: Optional[float]) -> str:
    if hours is None:
        return "暂无已办结的上报"
    if hours < 1:
        return f"{round(hours * 60)}分钟" if hours * 60 >= 1 else "不到1分钟"
    span = timedelta(hours=hours)
    days, rest = divmod(span.total_seconds(), 86400)
    return (f"{int(days)}天" if days else "") + f"{rest / 3600:.1f}小时"
