"""Admin: users (create, change role, department, title, password; disable and enable) and departments.

A new password, a new role or a disabled account ends that user's API tokens and
console sessions at once (routing/auth.py).
"""
from __future__ import annotations

import re

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from routing import audit, auth
from routing.console import forms
from routing.console.context import Console, ConsoleError, Viewer
from routing.models import ROLES, Department, User

USERNAME = re.compile(r"^[A-Za-z0-9_.\-]{2,64}$")
BACK = "/console/admin"


def _department(db: Session, form: dict, back: str):
    department_id = form.get("department_id") or None
    if department_id is not None and db.get(Department, department_id) is None:
        raise ConsoleError(400, "请选择一个存在的部门。", back)
    return department_id


def _password(form: dict, back: str, required: bool) -> str:
    password = form.get("password") or ""
    if not password and not required:
        return ""
    if len(password) < auth.MIN_PASSWORD_LENGTH or len(password) > 200:
        raise ConsoleError(400, f"密码需要 {auth.MIN_PASSWORD_LENGTH} 到 200 个字符。", back)
    return password


def profile(user: User) -> dict:
    """What the audit log keeps of a user (never the password hash)."""
    return {"role": user.role, "title": user.title, "department_id": user.department_id,
            "specialty": user.specialty, "disabled": bool(user.disabled)}


def build_router(console: Console) -> APIRouter:
    router = APIRouter()
    admin = console.viewer("admin")

    @router.get("/console/admin", response_class=HTMLResponse, include_in_schema=False)
    def overview(request: Request, viewer: Viewer = Depends(admin), db: Session = Depends(console.db)) -> Response:
        users = db.scalars(select(User).order_by(User.role, User.username)).all()
        departments = db.scalars(select(Department).order_by(Department.id)).all()
        return console.render(request, "admin.html", viewer, users=users, departments=departments, roles=ROLES,
                              department_names={d.id: d.name for d in departments},
                              message=request.query_params.get("done", ""))

    @router.post("/console/admin/users", include_in_schema=False)
    def create(form: dict = Depends(console.form), viewer: Viewer = Depends(admin),
               db: Session = Depends(console.db)) -> Response:
        username = (form.get("username") or "").strip()
        if not USERNAME.match(username):
            raise ConsoleError(400, "用户名需要 2 到 64 个字符，只能用字母、数字、点、下划线和短横线。", BACK)
        if db.scalars(select(User).where(User.username == username)).first():
            raise ConsoleError(409, f"用户名 {username} 已经存在。", BACK)
        role = forms.choice_field(form, "role", "角色", ROLES, BACK)
        created = auth.create_user(
            db, username=username, password=_password(form, BACK, True), role=role,
            department_id=_department(db, form, BACK),
            specialty=forms.text_field(form, "specialty", "专长", 32, required=False, back=BACK) or None,
            title=forms.text_field(form, "title", "职称", forms.TITLE_MAX, back=BACK))
        audit.record(db, viewer.user, "user.create", f"user:{username}", None, profile(created))
        console.commit(db)
        return RedirectResponse(f"{BACK}?done=created", status_code=303)

    @router.get("/console/admin/users/{user_id}", response_class=HTMLResponse, include_in_schema=False)
    def edit_form(user_id: int, request: Request, viewer: Viewer = Depends(admin),
                  db: Session = Depends(console.db)) -> Response:
        user = forms.find(db, User, user_id)
        if user is None:
            raise ConsoleError(404, "找不到这个用户。", BACK)
        departments = db.scalars(select(Department).order_by(Department.id)).all()
        return console.render(request, "admin_user.html", viewer, person=user, departments=departments, roles=ROLES)

    @router.post("/console/admin/users/{user_id}", include_in_schema=False)
    def update(user_id: int, form: dict = Depends(console.form), viewer: Viewer = Depends(admin),
               db: Session = Depends(console.db)) -> Response:
        back = f"{BACK}/users/{user_id}"
        user = forms.find(db, User, user_id)
        if user is None:
            raise ConsoleError(404, "找不到这个用户。", BACK)
        role = forms.choice_field(form, "role", "角色", ROLES, back)
        before = profile(user)
        if user.id == viewer.user.id and role != "admin":
            raise ConsoleError(400, "不能取消自己的管理员角色（以免没人能管理系统）。", back)
        auth.set_role(db, user, role)
        user.title = forms.text_field(form, "title", "职称", forms.TITLE_MAX, back=back)
        user.department_id = _department(db, form, back)
        user.specialty = forms.text_field(form, "specialty", "专长", 32, required=False, back=back) or None
        password = _password(form, back, False)
        if password:
            auth.set_password(db, user, password)
        after = dict(profile(user), password_changed=bool(password))
        audit.record(db, viewer.user, "user.update", f"user:{user.username}", before, after)
        console.commit(db)
        return RedirectResponse(f"{BACK}?done=updated", status_code=303)

    @router.post("/console/admin/users/{user_id}/disabled", include_in_schema=False)
    def disable(user_id: int, form: dict = Depends(console.form), viewer: Viewer = Depends(admin),
                db: Session = Depends(console.db)) -> Response:
        """Disabled: she cannot log in, and her open pages and API tokens stop working at once."""
        user = forms.find(db, User, user_id)
        if user is None:
            raise ConsoleError(404, "找不到这个用户。", BACK)
        disabled = forms.choice_field(form, "disabled", "停用或启用", ("0", "1"), BACK) == "1"
        if disabled and user.id == viewer.user.id:
            raise ConsoleError(400, "不能停用自己的账号（以免没人能管理系统）。", BACK)
        before = profile(user)
        auth.set_disabled(db, user, disabled)
        audit.record(db, viewer.user, "user.disable" if disabled else "user.enable", f"user:{user.username}",
                     before, profile(user))
        console.commit(db)
        return RedirectResponse(f"{BACK}?done={'disabled' if disabled else 'enabled'}", status_code=303)

    @router.post("/console/admin/departments/{department_id}", include_in_schema=False)
    def department(department_id: str, form: dict = Depends(console.form), viewer: Viewer = Depends(admin),
                   db: Session = Depends(console.db)) -> Response:
        found = db.get(Department, department_id)
        if found is None:
            raise ConsoleError(404, "找不到这个部门。", BACK)
        before = {"name": found.name, "specialty": found.specialty}
        found.name = forms.text_field(form, "name", "部门名称", 100, back=BACK)
        found.specialty = forms.text_field(form, "specialty", "专长", 32, back=BACK)
        audit.record(db, viewer.user, "department.update", f"department:{found.id}", before,
                     {"name": found.name, "specialty": found.specialty})
        console.commit(db)
        return RedirectResponse(f"{BACK}?done=department", status_code=303)

    return router
