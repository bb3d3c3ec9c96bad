"""The names the assistant and the routing backend share about grid reports.

A grid worker's report comes from her chat (the assistant's report form), from the
console's mobile form, from town staff, or from 12345 / department work orders; both
sides must agree on the sources, subjects, urgency values, stages, roles and the
binding-code shape, so each has one owner, here.

API (routing backend, documented in OpenAPI):
  POST /api/v1/grid/binding-codes            admin user, {user_id} -> {code, expires_at}
  POST /api/v1/grid/bindings                 service token, {code, channel, conversation_id}
                                             -> {user_id, name, role, grid_code, grid_name, office} | 404
                                             (office: a cadre's federation office, else null)
  GET  /api/v1/grid/bindings/{conversation_id}  service token -> the binding | 404
  POST /api/v1/grid/reports                  one report or {"reports": [...]} (<= MAX_BATCH)
                                             -> 201 {id, number, status, area, urgent, handoff_id}
"""
from __future__ import annotations

import re
from typing import Optional

# Where a report comes from.
PATROL, TOWN, HOTLINE_12345, DEPARTMENT = "patrol", "town", "hotline_12345", "department"
SOURCES = (PATROL, TOWN, HOTLINE_12345, DEPARTMENT)
SOURCE_TITLES = {
    PATROL: "网格员巡查",
    TOWN: "镇街妇联发现",
    HOTLINE_12345: "12345热线",
    DEPARTMENT: "部门工单",
}
WORK_ORDER_SOURCES = (HOTLINE_12345, DEPARTMENT)

# Whom a report is about.
WOMAN, CHILD, FAMILY = "woman", "child", "family"
SUBJECTS = (WOMAN, CHILD, FAMILY)
SUBJECT_TITLES = {WOMAN: "妇女", CHILD: "儿童", FAMILY: "家庭"}

# How urgent the reporter says it is.
URGENT, NORMAL = "urgent", "normal"
URGENCIES = (URGENT, NORMAL)
URGENCY_TITLES = {URGENT: "紧急", NORMAL: "一般"}

# The stages of the loop: reported -> verified | rejected -> dispatched -> in_progress -> closed.
REPORTED, VERIFIED, REJECTED = "reported", "verified", "rejected"
DISPATCHED, IN_PROGRESS, CLOSED = "dispatched", "in_progress", "closed"
STAGES = (REPORTED, VERIFIED, REJECTED, DISPATCHED, IN_PROGRESS, CLOSED)
OPEN_STAGES = (REPORTED, VERIFIED, DISPATCHED, IN_PROGRESS)
FINAL_STAGES = (REJECTED, CLOSED)
STAGE_TITLES = {
    REPORTED: "已上报",
    VERIFIED: "已核实",
    REJECTED: "已退回",
    DISPATCHED: "已派发",
    IN_PROGRESS: "处理中",
    CLOSED: "已办结",
}

# The levels a report can be dispatched to.
VILLAGE, TOWN_LEVEL, COUNTY = "village", "town", "county"
DISPATCH_LEVELS = (VILLAGE, TOWN_LEVEL, COUNTY)
LEVEL_TITLES = {VILLAGE: "村（社区）妇联", TOWN_LEVEL: "镇（街道）妇联", COUNTY: "县妇联"}

# People of the grid system.
GRID_WORKER, GRID_VERIFIER = "grid_worker", "grid_verifier"
VILLAGE_STAFF, TOWN_STAFF, COUNTY_STAFF = "village_staff", "town_staff", "county_staff"
GRID_ROLES = (GRID_WORKER, GRID_VERIFIER, VILLAGE_STAFF, TOWN_STAFF, COUNTY_STAFF)
# A federation cadre or executive committee member (执委) at any of the five levels: her
# account is tied to her federation office, not to the grid; she binds her chat the same
# way, for 执委学堂, and files no grid reports.
CADRE = "cadre"
FEDERATION_STAFF = (VILLAGE_STAFF, TOWN_STAFF, COUNTY_STAFF)


def own_source(role: str) -> str:
    """The source of a report a person files herself: a grid worker's or verifier's comes
    from patrol; village, town and county staff file their federation's own findings."""
    return TOWN if role in FEDERATION_STAFF else PATROL
ROLE_TITLES = {
    GRID_WORKER: "网格员",
    GRID_VERIFIER: "一级网格核实员",
    VILLAGE_STAFF: "村（社区）妇联",
    TOWN_STAFF: "镇（街道）妇联",
    COUNTY_STAFF: "县妇联",
    CADRE: "妇联执委",
}

MAX_BATCH = 500
BINDING_CODE_LENGTH = 6
_BINDING_CODE = re.compile(r"^\d{6}$")
NUMBER_PREFIX = "WG"  # report numbers look like WG-2026-000123

# Chat channels a grid worker may bind.
BINDING_CHANNELS = ("telegram", "wechat", "webchat", "rest")


def is_binding_code(value: Optional[str]) -> bool:
    return bool(value) and bool(_BINDING_CODE.match(value.strip()))


def is_source(value: Optional[str]) -> bool:
    return value in SOURCES


def is_subject(value: Optional[str]) -> bool:
    return value in SUBJECTS


def is_urgency(value: Optional[str]) -> bool:
    return value in URGENCIES


def is_open_stage(value: Optional[str]) -> bool:
    return value in OPEN_STAGES


def report_number(year: int, sequence: int) -> str:
    return f"{NUMBER_PREFIX}-{year}-{sequence:06d}"
