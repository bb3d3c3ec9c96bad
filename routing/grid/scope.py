"""Who sees and does what in grid reporting: each person sees only her own part of the tree.

A grid person's part of the tree is the unit she belongs to (routing/grid/models.py
`GridMember`) and everything below it; reports carry the path of their grid, so "hers"
is a prefix test. Admins (and supervisors and staff, read only) see the whole county.

- grid_worker    files reports from patrol in her grid; reads her part of the tree.
- grid_verifier  the first-level grid: verifies or rejects, and dispatches.
- village_staff, town_staff, county_staff
                 the federations: verify, reject and dispatch within their part;
                 take up and close what was dispatched to their unit or below; town and
                 county staff file their own findings (source "town").
Refusals raise routing.authorization.Forbidden (HTTP 403), as for handoffs.
"""
from __future__ import annotations

from typing import Optional

from assistant_contract.grid import (
    COUNTY_STAFF, GRID_VERIFIER, GRID_WORKER, HOTLINE_12345, DEPARTMENT, PATROL, TOWN, TOWN_STAFF, VILLAGE_STAFF,
)
from sqlalchemy.orm import Session, joinedload

from routing.authorization import Forbidden
from routing.grid.models import GridMember, GridReport, GridUnit
from routing.models import User

WHOLE_TREE_ROLES = ("admin", "supervisor", "staff")
CHECKERS = (GRID_VERIFIER, VILLAGE_STAFF, TOWN_STAFF, COUNTY_STAFF, "admin")
HANDLERS = (VILLAGE_STAFF, TOWN_STAFF, COUNTY_STAFF, "admin")
SOURCES_BY_ROLE = {GRID_WORKER: (PATROL,), GRID_VERIFIER: (PATROL,), VILLAGE_STAFF: (TOWN,),
                   TOWN_STAFF: (TOWN,), COUNTY_STAFF: (TOWN, HOTLINE_12345, DEPARTMENT),
                   "admin": (PATROL, TOWN, HOTLINE_12345, DEPARTMENT)}
ACTIONS = ("read", "verify", "reject", "dispatch", "start", "close")
REFUSALS = {
    "read": "这份上报不在你负责的网格范围内 / this report is outside your part of the grid",
    "verify": "只有一级网格核实员或妇联工作人员可以核实 / only a grid verifier or federation staff can verify",
    "reject": "只有一级网格核实员或妇联工作人员可以退回 / only a grid verifier or federation staff can reject",
    "dispatch": "只有一级网格核实员或妇联工作人员可以派发 / only a grid verifier or federation staff can dispatch",
    "start": "只有承办单位（或其上级）妇联可以接手办理 / only the federation it was dispatched to can take it up",
    "close": "只有承办单位（或其上级）妇联可以办结 / only the federation it was dispatched to can close it",
}


def unit_of(db: Session, user: User) -> Optional[GridUnit]:
    member = db.get(GridMember, user.id, options=[joinedload(GridMember.unit)])
    return member.unit if member else None


def scope_path(db: Session, user: Optional[User]) -> Optional[str]:
    """The path prefix of her part of the tree; None when she sees nothing."""
    if user is None or user.disabled:
        return None
    if user.role in WHOLE_TREE_ROLES:
        return "/"
    unit = unit_of(db, user)
    return unit.path if unit is not None else None


def within(path: Optional[str], scope: Optional[str]) -> bool:
    return bool(path) and scope is not None and path.startswith(scope)


def permits(db: Session, user: Optional[User], action: str, report: GridReport) -> bool:
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    scope = scope_path(db, user)
    if action == "read":
        return within(report.scope_path, scope) or (user is not None and report.reporter_id == user.id)
    if not within(report.scope_path, scope):
        return False
    if action in ("verify", "reject", "dispatch"):
        return user.role in CHECKERS
    if user.role not in HANDLERS:
        return False
    target = db.get(GridUnit, report.dispatch_unit) if report.dispatch_unit else None
    return user.role == "admin" or (target is not None and within(target.path, scope))


def require(db: Session, user: Optional[User], action: str, report: GridReport) -> None:
    if not permits(db, user, action, report):
        raise Forbidden(REFUSALS[action])


def may_file(db: Session, user: User, source: str, grid: GridUnit) -> bool:
    """A person files reports of her own source, about a grid in her part of the tree."""
    if source not in SOURCES_BY_ROLE.get(user.role, ()):
        return False
    return user.role == "admin" or within(grid.path, scope_path(db, user))
