"""Admin settings that change daily work: experts' availability (also for supervisors),
the SLA policy, and the canned replies per department."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from routing import audit, sla_policy
from routing.console import forms
from routing.console.context import Console, ConsoleError, Viewer
from routing.console.models import CannedReply
from routing.models import Department, User


def hours_and_minutes(form: dict, name: str, label: str, max_hours: int, back: str) -> int:
    """`<name>_hours` and `<name>_minutes` (0–59, may be left empty) as minutes, at least one minute."""
    hours = forms.int_field(form, f"{name}_hours", f"{label}（小时）", 0, max_hours, back)
    minutes = 0
    if (form.get(f"{name}_minutes") or "").strip():
        minutes = forms.int_field(form, f"{name}_minutes", f"{label}（分钟）", 0, 59, back)
    total = hours * 60 + minutes
    if total <= 0:
        raise ConsoleError(400, f"{label}至少要 1 分钟。", back)
    if total > max_hours * 60:
        raise ConsoleError(400, f"{label}最多 {max_hours} 小时。", back)
    return total


def build_router(console: Console) -> APIRouter:
    router = APIRouter()
    admin = console.viewer("admin")
    manager = console.viewer("admin", "supervisor")

    @router.get("/console/admin/availability", response_class=HTMLResponse, include_in_schema=False)
    def availability(request: Request, viewer: Viewer = Depends(manager), db: Session = Depends(console.db)) -> Response:
        experts = db.scalars(select(User).where(User.role == "expert").order_by(User.department_id, User.username)).all()
        names = {d.id: d.name for d in db.scalars(select(Department))}
        return console.render(request, "admin_availability.html", viewer, experts=experts, department_names=names)

    @router.post("/console/admin/availability/{user_id}", include_in_schema=False)
    def set_availability(user_id: int, form: dict = Depends(console.form), viewer: Viewer = Depends(manager),
                         db: Session = Depends(console.db)) -> Response:
        expert = forms.find(db, User, user_id)
        if expert is None or expert.role != "expert":
            raise ConsoleError(404, "找不到这位专家。", "/console/admin/availability")
        before = expert.available
        expert.available = form.get("available") == "1"
        audit.record(db, viewer.user, "user.availability", f"user:{expert.username}", {"available": before},
                     {"available": expert.available})
        console.commit(db)
        return RedirectResponse("/console/admin/availability", status_code=303)

    @router.get("/console/admin/sla", response_class=HTMLResponse, include_in_schema=False)
    def sla_form(request: Request, viewer: Viewer = Depends(admin), db: Session = Depends(console.db)) -> Response:
        return console.render(request, "admin_sla.html", viewer, policy=sla_policy.current(db, console.settings),
                              saved=request.query_params.get("done") == "1")

    @router.post("/console/admin/sla", include_in_schema=False)
    def save_sla(form: dict = Depends(console.form), viewer: Viewer = Depends(admin),
                 db: Session = Depends(console.db)) -> Response:
        back = "/console/admin/sla"
        policy = sla_policy.SlaPolicy(
            normal_minutes=hours_and_minutes(form, "normal", "一般求助的回复时限", 720, back),
            urgent_minutes=hours_and_minutes(form, "urgent", "紧急求助的回复时限", 72, back),
            reminder_before_minutes=hours_and_minutes(form, "reminder_before", "到期前提醒", 72, back))
        before = sla_policy.current(db, console.settings)
        if policy.urgent_minutes > policy.normal_minutes:
            raise ConsoleError(400, "紧急求助的时限不能比一般求助更长。", back)
        sla_policy.save(db, policy)
        audit.record(db, viewer.user, "sla.update", "sla", sla_policy.as_dict(before), sla_policy.as_dict(policy))
        console.commit(db)
        return RedirectResponse(f"{back}?done=1", status_code=303)

    @router.get("/console/admin/canned", response_class=HTMLResponse, include_in_schema=False)
    def canned(request: Request, viewer: Viewer = Depends(admin), db: Session = Depends(console.db)) -> Response:
        departments = db.scalars(select(Department).order_by(Department.id)).all()
        replies = db.scalars(select(CannedReply).order_by(CannedReply.department_id, CannedReply.title)).all()
        return console.render(request, "admin_canned.html", viewer, departments=departments, replies=replies)

    def fields(db: Session, form: dict) -> dict:
        back = "/console/admin/canned"
        department_id = form.get("department_id", "")
        if db.get(Department, department_id) is None:
            raise ConsoleError(400, "请选择部门。", back)
        return dict(department_id=department_id,
                    title=forms.text_field(form, "title", "标题", forms.TITLE_MAX, back=back),
                    text=forms.text_field(form, "text", "回复内容", forms.REPLY_MAX, back=back))

    @router.post("/console/admin/canned", include_in_schema=False)
    def add_canned(form: dict = Depends(console.form), viewer: Viewer = Depends(admin),
                   db: Session = Depends(console.db)) -> Response:
        values = fields(db, form)
        db.add(CannedReply(**values))
        audit.record(db, viewer.user, "canned.create", f"canned:{values['title']}", None, values)
        console.commit(db)
        return RedirectResponse("/console/admin/canned", status_code=303)

    @router.post("/console/admin/canned/{reply_id}", include_in_schema=False)
    def edit_canned(reply_id: int, form: dict = Depends(console.form), viewer: Viewer = Depends(admin),
                    db: Session = Depends(console.db)) -> Response:
        reply = forms.find(db, CannedReply, reply_id)
        if reply is None:
            raise ConsoleError(404, "找不到这条常用回复。", "/console/admin/canned")
        before = {"department_id": reply.department_id, "title": reply.title, "text": reply.text}
        if form.get("delete") == "1":
            db.delete(reply)
            audit.record(db, viewer.user, "canned.delete", f"canned:{reply.id}", before, None)
        else:
            for name, value in fields(db, form).items():
                setattr(reply, name, value)
            audit.record(db, viewer.user, "canned.update", f"canned:{reply.id}", before,
                         {"department_id": reply.department_id, "title": reply.title, "text": reply.text})
        console.commit(db)
        return RedirectResponse("/console/admin/canned", status_code=303)

    return router
