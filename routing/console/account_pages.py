"""A person's own account: changing one's password without asking an admin.

The current password is asked again (a session left open on a shared computer must not
be enough), and the change ends every session and API token of the account, this one
included, so the person logs in again with the new password.
"""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from routing import audit, auth
from routing.console import sessions
from routing.console.context import Console, ConsoleError, Viewer

PAGE = "/console/account/password"


def build_router(console: Console) -> APIRouter:
    router = APIRouter()

    @router.get(PAGE, response_class=HTMLResponse, include_in_schema=False)
    def form_page(request: Request, viewer: Viewer = Depends(console.viewer())) -> Response:
        return console.render(request, "account_password.html", viewer, minimum=auth.MIN_PASSWORD_LENGTH)

    @router.post(PAGE, include_in_schema=False)
    def change(form: dict = Depends(console.form), viewer: Viewer = Depends(console.viewer()),
               db: Session = Depends(console.db)) -> Response:
        current, new, again = (form.get(name) or "" for name in ("current", "password", "again"))
        if auth.authenticate(db, viewer.user.username, current) is None:
            raise ConsoleError(400, "当前密码不正确，密码没有修改。", PAGE)
        if new != again:
            raise ConsoleError(400, "两次输入的新密码不一样，请重新输入。", PAGE)
        if not auth.MIN_PASSWORD_LENGTH <= len(new) <= 200:
            raise ConsoleError(400, f"新密码需要 {auth.MIN_PASSWORD_LENGTH} 到 200 个字符。", PAGE)
        if new == current:
            raise ConsoleError(400, "新密码不能和当前密码相同。", PAGE)
        auth.set_password(db, viewer.user, new)  # ends every session and token of this account
        audit.record(db, viewer.user, "user.password", f"user:{viewer.user.username}", None, {"password_changed": True})
        db.commit()
        response = RedirectResponse("/console/login?changed=1", status_code=303)
        response.delete_cookie(sessions.SESSION_COOKIE, path="/console")
        return response

    return router
