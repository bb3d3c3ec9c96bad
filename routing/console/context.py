"""What every console page shares: the database session, who is looking, CSRF,
templates, and the errors a person can read.

Pages are plain HTML forms; an error is a page that says what happened and how
to go on, never a JSON body.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Optional
from urllib.parse import quote, urlsplit

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from routing.console import intents, labels, sessions
from assistant_contract.conversation_ids import path_segment
from assistant_contract.grid import GRID_ROLES
from routing.masking import for_viewer, mask
from routing.models import User
from routing.relay import deliver_soon
from routing.settings import Settings

TEMPLATES = Path(__file__).resolve().parent / "templates"
CONFLICT_MESSAGE = "这个求助刚被更新过（例如已被同事认领），请刷新后再看。"
NUL_MESSAGE = "提交的内容里有无法识别的字符（NUL），请删除后再试。"

QUEUE_ROLES = ("expert", "supervisor", "admin")
TRANSCRIPT_ROLES = ("staff", "supervisor", "admin")
DASHBOARD_ROLES = ("supervisor", "staff", "admin")
ALL_ROLES = ("expert", "supervisor", "staff", "admin")

NAVIGATION = [("/console/queue", "求助队列", QUEUE_ROLES), ("/console/transcripts", "对话审阅", TRANSCRIPT_ROLES),
              ("/console/dashboard", "数据看板", DASHBOARD_ROLES), ("/console/admin", "管理", ("admin",)),
              ("/console/admin/availability", "专家值班", ("supervisor",)),
              ("/console/grid", "网格上报", GRID_ROLES + ("staff", "supervisor", "admin")),
              ("/console/activities", "活动管理", ("staff", "supervisor", "admin")),
              ("/console/study", "执委学堂", ("staff", "supervisor", "admin"))]


class ConsoleError(Exception):
    """Shown to the person as a page with `status`, a message and a way back."""

    def __init__(self, status: int, message: str, back: Optional[str] = None) -> None:
        super().__init__(message)
        self.status, self.message, self.back = status, message, back


class LoginRequired(Exception):
    pass


@dataclass(frozen=True)
class Viewer:
    user: User
    csrf: str


def build_templates() -> Jinja2Templates:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html", "svg"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(local_time=labels.local_time, mask=mask, intent_title=intents.title_of, segment=path_segment)
    env.globals.update(labels=labels, for_viewer=for_viewer, time_left=labels.time_left,
                       urgency_class=labels.urgency_class)
    return Jinja2Templates(env=env)


class Console:
    """Built once per app by `mount_console`; its methods are FastAPI dependencies."""

    def __init__(self, settings: Settings, session_factory, relay, tracker) -> None:
        self.settings, self.session_factory, self.relay, self.tracker = settings, session_factory, relay, tracker
        self.templates = build_templates()

    def secure_cookies(self, request: Request) -> bool:
        """Always over HTTPS (the scheme follows X-Forwarded-Proto only from a trusted proxy);
        otherwise as ROUTING_COOKIE_SECURE says, and by default outside demo mode."""
        if request.url.scheme == "https":
            return True
        return self.settings.cookie_secure if self.settings.cookie_secure is not None else not self.settings.demo_mode

    def db(self) -> Iterator[Session]:
        with self.session_factory() as db:
            try:
                yield db
            except Exception:
                db.rollback()
                raise

    @staticmethod
    def commit(db: Session, back: Optional[str] = None) -> None:
        try:
            db.commit()
        except StaleDataError as error:
            db.rollback()
            raise ConsoleError(409, CONFLICT_MESSAGE, back) from error

    def _viewer(self, request: Request, db: Session, roles: tuple) -> Viewer:
        token = request.cookies.get(sessions.SESSION_COOKIE)
        user = sessions.user_for_session(db, token)
        if user is None:
            raise LoginRequired()
        if user.role not in roles:
            raise ConsoleError(403, "你的账号没有权限打开这个页面。如需使用，请联系管理员。", "/console/")
        return Viewer(user=user, csrf=sessions.csrf_for(token))

    def viewer(self, *roles: str) -> Callable[..., Viewer]:
        allowed = roles or ALL_ROLES

        def dependency(request: Request, db: Session = Depends(self.db)) -> Viewer:
            return self._viewer(request, db, allowed)

        return dependency

    async def form(self, request: Request) -> dict:
        """The posted form, after its CSRF token was checked against the session cookie."""
        form = await request.form()
        token = request.cookies.get(sessions.SESSION_COOKIE)
        if not token:
            raise LoginRequired()
        if not sessions.csrf_matches(sessions.csrf_for(token), form.get("csrf_token")):
            raise ConsoleError(403, "页面已过期或来源不明，请刷新页面后重新提交。", same_site_page(request))
        return text_values(form, same_site_page(request))

    def render(self, request: Request, name: str, viewer: Optional[Viewer], status_code: int = 200,
               **context) -> HTMLResponse:
        nav = [(url, title) for url, title, roles in NAVIGATION if viewer and viewer.user.role in roles]
        return self.templates.TemplateResponse(
            request, name, dict(context, viewer=viewer, csrf=viewer.csrf if viewer else "", nav=nav),
            status_code=status_code)

    def deliver_pending(self) -> None:
        """After a reply is committed: try to deliver at once (the background loop retries)."""
        deliver_soon(self.relay, self.session_factory)


def text_values(form, back: Optional[str] = None) -> dict:
    """The form's text fields; a NUL character, which PostgreSQL cannot store, is refused."""
    values = {key: value for key, value in form.items() if isinstance(value, str)}
    if any("\x00" in value for value in values.values()):
        raise ConsoleError(400, NUL_MESSAGE, back)
    return values


def same_site_page(request: Request) -> Optional[str]:
    """The console page the form came from, for the error page's way back; never another site."""
    referer = urlsplit(request.headers.get("referer") or "")
    if referer.netloc != request.url.netloc or not referer.path.startswith("/console/"):
        return None
    return referer.path + (f"?{referer.query}" if referer.query else "")


def login_redirect_target(request: Request) -> str:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return f"/console/login?next={quote(target)}"
