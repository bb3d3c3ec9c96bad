"""Login, logout and the landing redirect.

Five failed logins for one account from one address within fifteen minutes (by
default) lock that pair out for the rest of the window, and three times as many from
anywhere lock the account: slow enough to stop password guessing, short enough not to
lock an expert out for the day. The limiter (routing/login_limits.py) is the API's too.
"""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from routing import login_limits
from assistant_contract.grid import GRID_ROLES
from routing.console import sessions
from routing.console.context import Console, ConsoleError, LoginRequired, text_values

HOME_BY_ROLE = {"expert": "/console/queue", "supervisor": "/console/queue", "staff": "/console/transcripts",
                "admin": "/console/queue"}
HOME_BY_ROLE.update({role: "/console/grid" for role in GRID_ROLES})  # grid reporting's people


def safe_next(target: str) -> str:
    if target.startswith("/console/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/console/"


def build_router(console: Console) -> APIRouter:
    router = APIRouter()
    cookie_path = "/console"

    def login_page(request: Request, message: str = "", status_code: int = 200, next_url: str = "") -> Response:
        token = request.cookies.get(sessions.LOGIN_CSRF_COOKIE) or sessions.new_login_csrf()
        response = console.templates.TemplateResponse(
            request, "login.html", dict(viewer=None, nav=[], csrf=token, message=message,
                                        next_url=safe_next(next_url or request.query_params.get("next", "")),
                                        demo_mode=console.settings.demo_mode,
                                        changed=request.query_params.get("changed") == "1"),
            status_code=status_code)
        response.set_cookie(sessions.LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict",
                            secure=console.secure_cookies(request), path=cookie_path)
        return response

    @router.get("/console", include_in_schema=False)
    @router.get("/console/", include_in_schema=False)
    def home(request: Request, db: Session = Depends(console.db)) -> Response:
        user = sessions.user_for_session(db, request.cookies.get(sessions.SESSION_COOKIE))
        if user is None:
            raise LoginRequired()
        return RedirectResponse(HOME_BY_ROLE.get(user.role, "/console/login"), status_code=303)

    @router.get("/console/login", include_in_schema=False)
    def login_form(request: Request, db: Session = Depends(console.db)) -> Response:
        if sessions.user_for_session(db, request.cookies.get(sessions.SESSION_COOKIE)) is not None:
            return RedirectResponse(safe_next(request.query_params.get("next", "")), status_code=303)
        return login_page(request)

    async def posted_login(request: Request) -> dict:
        form = await request.form()
        values = text_values(form, "/console/login")
        if not sessions.csrf_matches(request.cookies.get(sessions.LOGIN_CSRF_COOKIE), values.get("csrf_token")):
            raise ConsoleError(403, "登录页面已过期，请重新打开登录页再试。", "/console/login")
        return values

    @router.post("/console/login", include_in_schema=False)
    def login(request: Request, form: dict = Depends(posted_login), db: Session = Depends(console.db)) -> Response:
        username = form.get("username", "").strip()
        password = form.get("password", "")
        next_url = form.get("next", "")
        if not username or not password:
            return login_page(request, "请填写用户名和密码。", 400, next_url)
        if len(username) > 64 or len(password) > 200:
            return login_page(request, "用户名最多 64 个字符，密码最多 200 个字符。", 400, next_url)
        settings = console.settings
        result = login_limits.attempt_login(db, username, password, request.client.host if request.client else None,
                                            settings)
        if result.locked:
            return login_page(request, f"登录失败次数过多，请 {settings.login_window_minutes} 分钟后再试。"
                                       "忘记密码请联系管理员。", 429, next_url)
        user = result.user
        if user is None:
            return login_page(request, "用户名或密码不正确。", 401, next_url)
        if user.role not in HOME_BY_ROLE:  # a cadre: her account is for 执委学堂 in her chat
            return login_page(request, "这个账号在聊天里使用：绑定后发「执委学堂」学习答题，不需要登录工作台。", 403, next_url)
        token = sessions.start_session(db, user, settings.console_session_hours)
        db.commit()
        response = RedirectResponse(safe_next(next_url) if next_url else HOME_BY_ROLE[user.role], status_code=303)
        response.set_cookie(sessions.SESSION_COOKIE, token, httponly=True, samesite="lax",
                            secure=console.secure_cookies(request), path=cookie_path,
                            max_age=settings.console_session_hours * 3600)
        response.delete_cookie(sessions.LOGIN_CSRF_COOKIE, path=cookie_path)
        return response

    @router.post("/console/logout", include_in_schema=False)
    def logout(request: Request, form: dict = Depends(console.form), db: Session = Depends(console.db)) -> Response:
        sessions.end_session(db, request.cookies.get(sessions.SESSION_COOKIE))
        db.commit()
        response = RedirectResponse("/console/login", status_code=303)
        response.delete_cookie(sessions.SESSION_COOKIE, path=cookie_path)
        return response

    return router
