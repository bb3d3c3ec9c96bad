"""Words of the grid pages: titles of sources, stages, areas and levels, and the grid
navigation each role sees (the console's own navigation is for the handoff work)."""
from __future__ import annotations

from datetime import datetime

from assistant_contract.areas import AREA_TITLES
from assistant_contract.grid import (
    CLOSED, COUNTY_STAFF, DISPATCHED, GRID_VERIFIER, GRID_WORKER, IN_PROGRESS, LEVEL_TITLES, REJECTED, ROLE_TITLES,
    SOURCE_TITLES, STAGE_TITLES, SUBJECT_TITLES, TOWN_STAFF, URGENCY_TITLES, VERIFIED, VILLAGE_STAFF,
)

from routing.console import labels
from routing.grid.models import CHILD_KIND_TITLES
from routing.models import User

TARGETS = {"verify": (VERIFIED,), "reject": (REJECTED,), "dispatch": (DISPATCHED,), "start": (IN_PROGRESS,),
           "close": (CLOSED,)}
ACTION_TITLES = {"verify": "核实", "reject": "退回", "dispatch": "派发", "start": "接手办理", "close": "办结"}
DONE = {"verify": "已核实。", "reject": "已退回。", "dispatch": "已派发。", "start": "已接手办理。", "close": "已办结。",
        "filed": "已上报。请记下上面的编号，可随时凭编号查看进展。"}
FILERS = (GRID_WORKER, GRID_VERIFIER, VILLAGE_STAFF, TOWN_STAFF, COUNTY_STAFF, "admin")
DASHBOARD_VIEWERS = (VILLAGE_STAFF, TOWN_STAFF, COUNTY_STAFF, "admin", "supervisor", "staff")
WORK_ORDER_UPLOADERS = (COUNTY_STAFF, "admin")
CHILDREN_VIEWERS = (GRID_WORKER, GRID_VERIFIER, VILLAGE_STAFF, TOWN_STAFF, COUNTY_STAFF, "admin")
NAVIGATION = [("/console/grid", "网格上报", None), ("/console/grid/new", "我要上报", FILERS),
              ("/console/grid/children", "儿童走访", CHILDREN_VIEWERS),
              ("/console/grid/work-orders", "工单导入", WORK_ORDER_UPLOADERS),
              ("/console/grid/dashboard", "网格看板", DASHBOARD_VIEWERS)]


def navigation(user: User) -> list:
    return [(url, title) for url, title, roles in NAVIGATION if roles is None or user.role in roles]


def role_title(role: str) -> str:
    return ROLE_TITLES.get(role) or labels.ROLE.get(role, role)


def time_left(due: datetime, now: datetime) -> str:
    return labels.time_left(due, now)


SOURCE, STAGE, SUBJECT, URGENCY, AREA, LEVEL, CHILD_KIND = (SOURCE_TITLES, STAGE_TITLES, SUBJECT_TITLES,
                                                           URGENCY_TITLES, AREA_TITLES, LEVEL_TITLES,
                                                           CHILD_KIND_TITLES)
