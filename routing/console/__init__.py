"""The web console for experts, supervisors, staff and admins, served at /console/.

`mount_console(app, ...)` adds its pages to the routing backend's FastAPI app;
each page or concern lives in its own module.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from fastapi import FastAPI, Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from routing.console import models  # noqa: F401  (registers the console tables)
from routing.console.context import NUL_MESSAGE, Console, ConsoleError, LoginRequired, login_redirect_target
from routing.console.tracker_reader import SqlTrackerReader, TrackerReader
from routing.settings import Settings

STATIC = Path(__file__).resolve().parent / "static"
SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def mount_console(app: FastAPI, settings: Settings, session_factory, relay,
                  tracker: Optional[TrackerReader] = None) -> Console:
    from routing.console import (
        admin_pages, admin_settings_pages, dashboard_pages, handoff_actions, handoff_pages, login_pages, queue_pages,
        transcript_pages,
    )

    console = Console(settings, session_factory, relay, tracker or SqlTrackerReader(settings.tracker_db_url))
    for module in (login_pages, queue_pages, handoff_pages, handoff_actions, transcript_pages, dashboard_pages,
                   admin_pages, admin_settings_pages):
        app.include_router(module.build_router(console))
    app.mount("/console/static", StaticFiles(directory=str(STATIC)), name="console-static")

    def error_page(request: Request, status: int, message: str, back: Optional[str] = None) -> HTMLResponse:
        return console.templates.TemplateResponse(
            request, "error.html", dict(viewer=None, nav=[], csrf="", status=status, message=message, back=back),
            status_code=status)

    @app.middleware("http")
    async def console_guard(request: Request, call_next):
        """Oversized forms and NUL characters (PostgreSQL refuses them) get a readable page;
        every console response gets a strict CSP."""
        if not request.url.path.startswith("/console"):
            return await call_next(request)
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > settings.max_body_bytes:
            response = error_page(request, 413, "提交的内容太长了。回复最多 2000 字，备注最多 1000 字，请删减后再提交。")
        elif "\x00" in request.url.path or "%00" in request.url.query:
            response = error_page(request, 400, NUL_MESSAGE)
        else:
            response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, _error: LoginRequired):
        if request.method == "GET" and "text/event-stream" not in request.headers.get("accept", "") \
                and not request.url.path.endswith(("/rows", "/timeline")):
            return RedirectResponse(login_redirect_target(request), status_code=303)
        if request.method == "GET":
            return JSONResponse({"detail": "请重新登录"}, status_code=401)
        return RedirectResponse("/console/login", status_code=303)

    @app.exception_handler(ConsoleError)
    async def console_error(request: Request, error: ConsoleError) -> HTMLResponse:
        return error_page(request, error.status, error.message, error.back)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError):
        """A console URL with a malformed id gets a page in Chinese; the API keeps FastAPI's JSON."""
        if not request.url.path.startswith("/console"):
            return await request_validation_exception_handler(request, error)
        return error_page(request, 400, "链接或表单的内容不正确，请回到工作台重新打开页面。", "/console/")

    return console
