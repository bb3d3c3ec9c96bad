"""Base records of children: left-behind children and children in difficulty, merged from
civil affairs and the federation, imported from CSV.

The import is idempotent (the same child again updates her record) and all or none (a
file with a bad line stores nothing and names every bad line). ID numbers are kept only
as a keyed hash (to recognise the same child) and a masked copy (to show). Reports about
a child are linked to her record; a verified report counts as a visit, and each grid
worker sees the children of her part of the tree not visited for more than N days.
"""
from __future__ import annotations

import csv
import hashlib
import hmac
import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import List, Optional

from assistant_contract.china_time import CHINA_TIME
from assistant_contract.grid import CHILD
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from routing.grid import scope
from routing.grid.models import CHILD_KIND_TITLES, CHILD_KINDS, ChildRecord, GridReport, GridUnit
from routing.masking import ID_NUMBER
from routing.models import User, utcnow

COLUMNS = ("id_number", "name", "kind", "grid_code", "guardian", "last_visit", "note")
KIND_BY_TITLE = {title: kind for kind, title in CHILD_KIND_TITLES.items()} | {kind: kind for kind in CHILD_KINDS}


class ImportRefused(ValueError):
    """The file has bad lines; nothing was stored. The message names each line."""


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


def id_hash(id_number: str, key: str) -> str:
    return hmac.new(key.encode("utf-8"), id_number.strip().upper().encode("utf-8"), hashlib.sha256).hexdigest()


def masked(id_number: str) -> str:
    """1101**********123X: enough to tell two records apart by eye, not enough to use."""
    value = id_number.strip().upper()
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def _visit_date(value: str) -> Optional[datetime]:
    if not value.strip():
        return None
    day = date.fromisoformat(value.strip())
    return datetime(day.year, day.month, day.day, 12, tzinfo=CHINA_TIME).astimezone(timezone.utc)


def import_csv(db: Session, text: str, key: str) -> ImportResult:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [column for column in ("id_number", "name", "kind", "grid_code") if column not in (reader.fieldnames or [])]
    if missing:
        raise ImportRefused(f"缺少列：{', '.join(missing)} / missing columns (needed: {', '.join(COLUMNS)})")
    rows, problems = [], []
    for line, row in enumerate(reader, start=2):
        row = {name: (value or "").strip() for name, value in row.items() if name}
        if not ID_NUMBER.fullmatch(row["id_number"]):
            problems.append(f"第{line}行：身份证号格式不对")
        if not row["name"]:
            problems.append(f"第{line}行：缺少姓名")
        if row["kind"] not in KIND_BY_TITLE:
            problems.append(f"第{line}行：类别应为「留守儿童」或「困境儿童」")
        grid = db.get(GridUnit, row["grid_code"])
        if grid is None or grid.level not in ("grid1", "grid2"):
            problems.append(f"第{line}行：网格编码 {row['grid_code']} 不存在")
        try:
            row["visit"] = _visit_date(row.get("last_visit", ""))
        except ValueError:
            problems.append(f"第{line}行：走访日期应写成 2026-05-01")
        rows.append(row)
    if problems:
        raise ImportRefused("；".join(problems) + "。文件未导入，请改正后重新上传。")
    created = updated = 0
    for row in rows:
        digest = id_hash(row["id_number"], key)
        record = db.scalars(select(ChildRecord).where(ChildRecord.id_hash == digest)).first()
        if record is None:
            record = ChildRecord(id_hash=digest, id_masked=masked(row["id_number"]))
            db.add(record)
            created += 1
        else:
            updated += 1
        record.name, record.kind, record.grid_code = row["name"], KIND_BY_TITLE[row["kind"]], row["grid_code"]
        record.guardian, record.note = row.get("guardian") or None, row.get("note") or None
        if row["visit"] and (record.last_visit_at is None or row["visit"] > record.last_visit_at):
            record.last_visit_at = row["visit"]
        record.updated_at = utcnow()
        db.flush()
    return ImportResult(created=created, updated=updated)


def link_report(db: Session, report: GridReport) -> Optional[ChildRecord]:
    """A report about a child, named as in a record of the same grid, is linked to that record."""
    if report.subject != CHILD or not report.person_name or report.child_id:
        return None
    record = db.scalars(select(ChildRecord).where(ChildRecord.grid_code == report.grid_code,
                                                  ChildRecord.name == report.person_name)).first()
    if record is not None:
        report.child_id = record.id
    return record


def record_visit(db: Session, report: GridReport, when: datetime) -> None:
    """A verified report about a child was a visit to her."""
    if report.child_id:
        record = db.get(ChildRecord, report.child_id)
        if record.last_visit_at is None or when > record.last_visit_at:
            record.last_visit_at = when


def not_visited(db: Session, user: User, days: int, now: Optional[datetime] = None) -> List[ChildRecord]:
    """Children of her part of the tree not visited for more than `days`, the longest first."""
    path = scope.scope_path(db, user)
    if path is None:
        return []
    cutoff = (now or utcnow()) - timedelta(days=days)
    query = (select(ChildRecord).join(GridUnit, GridUnit.code == ChildRecord.grid_code)
             .where(GridUnit.path.startswith(path))
             .where(or_(ChildRecord.last_visit_at.is_(None), ChildRecord.last_visit_at < cutoff))
             .order_by(ChildRecord.last_visit_at.is_not(None), ChildRecord.last_visit_at, ChildRecord.name))
    return list(db.scalars(query))


def reports_about(db: Session, child: ChildRecord) -> List[GridReport]:
    return list(db.scalars(select(GridReport).where(GridReport.child_id == child.id).order_by(GridReport.id)))
