"""Reading reports: what a person may see (her part of the tree), filtered and paged."""
from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional

from assistant_contract.grid import OPEN_STAGES
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session, selectinload

from routing.grid import scope
from routing.grid.models import GridReport
from routing.models import User


@dataclass(frozen=True)
class Filters:
    status: Optional[str] = None  # a stage, or "open" for every open stage
    town: Optional[str] = None
    source: Optional[str] = None
    area: Optional[str] = None


def visible(db: Session, user: User) -> Optional[Select]:
    """Reports in her part of the tree (and her own); None when she sees none."""
    path = scope.scope_path(db, user)
    if path is None:
        return select(GridReport).where(GridReport.reporter_id == user.id)
    if path == "/":
        return select(GridReport)
    return select(GridReport).where(or_(GridReport.scope_path.startswith(path), GridReport.reporter_id == user.id))


def filtered(query: Select, filters: Filters) -> Select:
    if filters.status == "open":
        query = query.where(GridReport.status.in_(OPEN_STAGES))
    elif filters.status:
        query = query.where(GridReport.status == filters.status)
    if filters.town:
        query = query.where(GridReport.town_code == filters.town)
    if filters.source:
        query = query.where(GridReport.source == filters.source)
    if filters.area:
        query = query.where(GridReport.area == filters.area)
    return query


def page(db: Session, user: User, filters: Filters, limit: int, before: Optional[int]) -> tuple[List[GridReport], bool]:
    """Newest first; `before` is the id the previous page ended at. Returns the reports and
    whether there are more."""
    query = filtered(visible(db, user), filters)
    if before is not None:
        query = query.where(GridReport.id < before)
    rows = list(db.scalars(query.order_by(GridReport.id.desc()).limit(limit + 1)))
    return rows[:limit], len(rows) > limit


def open_queue(db: Session, user: User, limit: int = 500) -> List[GridReport]:
    """Her open reports, the soonest due first (the console's queue)."""
    query = filtered(visible(db, user), Filters(status="open"))
    return list(db.scalars(query.order_by(GridReport.stage_due_at, GridReport.id).limit(limit)))


def find(db: Session, report_id: int, *, lock: bool = False, with_events: bool = False) -> Optional[GridReport]:
    query = select(GridReport).where(GridReport.id == report_id)
    if with_events:
        query = query.options(selectinload(GridReport.events))
    if lock:
        query = query.with_for_update()
    return db.scalars(query).first()
