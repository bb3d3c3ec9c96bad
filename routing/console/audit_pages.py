"""The audit log page for admins: who changed what, when, with the values before and after.
Reads of personal data are recorded in the same log; the page shows changes unless asked for reads."""
from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from routing import audit
from routing.console import labels
from routing.console.context import Console, Viewer
from routing.models import Department, User

PAGE = 100
ACTIONS = {
    "user.create": "新建用户", "user.update": "修改用户", "user.disable": "停用账号", "user.enable": "启用账号",
    "user.availability": "改变值班状态", "user.password": "本人修改密码", "department.update": "修改部门",
    "sla.update": "修改回复时限", "canned.create": "新增常用回复", "canned.update": "修改常用回复",
    "canned.delete": "删除常用回复", "handoff.reassign": "转交求助", "handoff.escalate": "升级求助",
    "handoff.resolve": "办结求助", "handoff.return": "交还机器人", "handoff.close_unclaimed": "关闭未认领的求助",
    "correction.undo": "撤销意图标记", "read.handoff": "查看求助", "read.transcript": "查看对话记录",
    "read.transcript_search": "搜索对话记录", "export.dashboard_csv": "导出看板 CSV",
}
GROUPS = {"user.": "用户", "department.": "部门", "sla.": "回复时限", "canned.": "常用回复", "handoff.": "求助",
          "correction.": "意图标记", "export.": "导出", "read.": "查阅记录", "all": "全部（含查阅）"}
READS = "read."
KEYS = {"role": "角色", "title": "职称", "department_id": "部门", "specialty": "专长", "disabled": "停用",
        "available": "在岗", "normal_minutes": "一般求助时限", "urgent_minutes": "紧急求助时限",
        "reminder_before_minutes": "到期前提醒", "status": "状态", "assignee_id": "处理人", "reason": "原因",
        "note": "说明", "outcome": "结果", "intent": "意图", "predicted_intent": "原识别意图", "name": "名称",
        "text": "内容", "password_changed": "改了密码", "to": "转交给"}


def action_title(action: str) -> str:
    return ACTIONS.get(action, action)


def describer(db: Session):
    """Audit values in words: names for codes, 是/否 for flags, hours and minutes for limits."""
    departments = {d.id: d.name for d in db.scalars(select(Department))}
    people = {u.id: f"{u.title} {u.username}" for u in db.scalars(select(User))}

    def word(key: str, value) -> str:
        if value is None or value == "":
            return "—"
        if isinstance(value, bool):
            return "是" if value else "否"
        if key.endswith("_minutes") and isinstance(value, int):
            return labels.minutes_text(value)
        known = {"department_id": departments, "assignee_id": people, "status": labels.STATUS, "role": labels.ROLE,
                 "outcome": labels.OUTCOME}.get(key, {})
        return str(known.get(value, value))

    def describe(raw: Optional[str]) -> str:
        value = audit.values(raw)
        if value is None:
            return "—"
        if not isinstance(value, dict):
            return str(value)
        return "；".join(f"{KEYS.get(key, key)}：{word(key, item)}" for key, item in sorted(value.items()))

    return describe


def build_router(console: Console) -> APIRouter:
    router = APIRouter()

    @router.get("/console/admin/audit", response_class=HTMLResponse, include_in_schema=False)
    def log(request: Request, viewer: Viewer = Depends(console.viewer("admin")),
            db: Session = Depends(console.db)) -> Response:
        params = request.query_params
        actor = (params.get("actor") or "").strip()[:64]
        group = params.get("group") or ""
        group = group if group in GROUPS else ""
        page = params.get("page", "1")
        number = int(page) if page.isdigit() and len(page) < 6 else 1
        entries = audit.recent(db, limit=PAGE + 1, offset=(number - 1) * PAGE, actor=actor,
                               action="" if group == "all" else group, excluding="" if group else READS)
        return console.render(request, "admin_audit.html", viewer, entries=entries[:PAGE], more=len(entries) > PAGE,
                              number=number, actor=actor, group=group, groups=GROUPS, title=action_title,
                              describe=describer(db))

    return router
