"""The web console for experts, supervisors, staff and admins, served at /console/.

`mount_console(app, ...)` hands every request under /console to the console's own
FastAPI application; each page or concern lives in its own module. Its middleware
(form limits, NUL characters, a strict CSP) and its error pages in Chinese belong to
that application alone, so mounting the console changes nothing for the API.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import URLPath
from starlette.routing import BaseRoute, Match, NoMatchFound
from starlette.types import ASGIApp, Receive, Scope, Send

from routing.console import models  # noqa: F401  (registers the console tables)
from routing.console.context import NUL_MESSAGE, Console, ConsoleError, LoginRequired, login_redirect_target
from routing.console.tracker_reader import ArchiveReader, TrackerReader
from routing.settings import Settings

PREFIX = "/console"
STATIC_PREFIX = "/console/static/"
STATIC = Path(__file__).resolve().parent / "static"
SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


class ConsolePaths(BaseRoute):
    """Every request under /console goes to the console's application with its scope as it
    came (the full path), so the console's own routes, written with /console, match."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] not in ("http", "websocket"):
            return Match.NONE, {}
        path, root = scope["path"], scope.get("root_path", "")
        path = path[len(root):] if root and path.startswith(root) else path
        return (Match.FULL if path == PREFIX or path.startswith(PREFIX + "/") else Match.NONE), {}

    def url_path_for(self, name: str, /, **path_params) -> URLPath:
        raise NoMatchFound(name, path_params)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app({key: value for key, value in scope.items() if key != "router"}, receive, send)


def mount_console(app: FastAPI, settings: Settings, session_factory, relay,
                  tracker: Optional[TrackerReader] = None) -> Console:
    console = Console(settings, session_factory, relay, tracker or ArchiveReader(session_factory))
    app.router.routes.append(ConsolePaths(console_application(console)))
    return console


def console_application(console: Console) -> FastAPI:
    from routing.console import (
        account_pages, activity_pages, admin_pages, admin_settings_pages, audit_pages, dashboard_pages, erase_pages,
        grid_dashboard, grid_forms, grid_pages, handoff_actions, handoff_pages, login_pages, queue_pages, study_pages,
        transcript_pages,
    )

    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    for module in (login_pages, queue_pages, handoff_pages, handoff_actions, transcript_pages, dashboard_pages,
                   admin_pages, admin_settings_pages, audit_pages, account_pages, erase_pages,
                   grid_pages, grid_forms, grid_dashboard, activity_pages, study_pages):
        app.include_router(module.build_router(console))
    app.mount("/console/static", StaticFiles(directory=str(STATIC)), name="console-static")
    _guard(app, console)
    _error_pages(app, console)
    return app


def _error_page(console: Console, request: Request, status: int, message: str,
                back: Optional[str] = None) -> HTMLResponse:
    return console.templates.TemplateResponse(
        request, "error.html", dict(viewer=None, nav=[], csrf="", status=status, message=message, back=back),
        status_code=status)


def _guard(app: FastAPI, console: Console) -> None:
    @app.middleware("http")
    async def console_guard(request: Request, call_next):
        """Oversized forms and NUL characters (PostgreSQL refuses them) get a readable page;
        every console response gets a strict CSP."""
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > console.settings.max_body_bytes:
            response = _error_page(console, request, 413,
                                   "提交的内容太长了。回复最多 2000 字，备注最多 1000 字，请删减后再提交。")
        elif "\x00" in request.url.path or "%00" in request.url.query:
            response = _error_page(console, request, 400, NUL_MESSAGE)
        else:
            response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response


def _error_pages(app: FastAPI, console: Console) -> None:
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
        return _error_page(console, request, error.status, error.message, error.back)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, _error: RequestValidationError) -> HTMLResponse:
        """A console URL with a malformed id gets a page in Chinese (the API keeps FastAPI's JSON)."""
        return _error_page(console, request, 400, "链接或表单的内容不正确，请回到工作台重新打开页面。", "/console/")
