"""The FastAPI application: build it with `create_app(settings)`.

Who may read or change a handoff is decided by routing/authorization.py, exactly as
for the console; her words reach only admins and her own expert unmasked.
"""
from __future__ import annotations

import logging
from typing import Iterator, List, Optional

from fastapi import BackgroundTasks, Depends, FastAPI, HTTPException, Query, Request, status
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from routing import auth, authorization, lifecycle, login_limits
from routing.api.offices import office_router
from routing.api.schemas import (
    ConversationStatus, HandoffCreate, HandoffDetail, HandoffOut, NoteBody, TextBody, TokenRequest, TokenResponse,
)
from routing.console import mount_console, sla_policy
from routing.db import make_engine, make_session_factory
from routing.masking import for_viewer
from routing.models import Handoff, User
from routing.relay import RasaRelay, deliver_round
from routing.settings import Settings, refuse_placeholder_secrets

bearer = HTTPBearer(auto_error=False)
log = logging.getLogger(__name__)
HER_WORDS = ("user", "expert")  # message senders whose text may carry her personal data (as in the console)


def conversation_status(handoff: Handoff) -> dict:
    return dict(
        id=handoff.id, conversation_id=handoff.conversation_id, channel=handoff.channel,
        category=handoff.category, intent=handoff.intent, urgent=handoff.urgent, status=handoff.status,
        department=handoff.department.name if handoff.department else None,
        holder=handoff.assignee.title if handoff.assignee else None,
        created_at=handoff.created_at, due_at=handoff.due_at,
    )


def handoff_out(handoff: Handoff, viewer: Optional[User] = None) -> dict:
    """`viewer` None: the service, which sent the summary itself."""
    summary = handoff.summary if viewer is None else for_viewer(handoff.summary, viewer, handoff)
    return dict(conversation_status(handoff), summary=summary, region=handoff.region)


def handoff_detail(handoff: Handoff, viewer: User) -> dict:
    def shown(text: Optional[str]) -> Optional[str]:
        return None if text is None else for_viewer(text, viewer, handoff)

    return dict(
        handoff_out(handoff, viewer), contact=shown(handoff.contact),
        messages=[dict(sender=m.sender, text=shown(m.text) if m.sender in HER_WORDS else m.text,
                       delivery=m.delivery, created_at=m.created_at) for m in handoff.messages],
        history=[dict(from_status=e.from_status, to_status=e.to_status, actor=e.actor, note=shown(e.note),
                      created_at=e.created_at) for e in handoff.events],
    )


def create_app(settings: Optional[Settings] = None, session_factory=None, relay=None) -> FastAPI:
    settings = settings or Settings()
    for problem in refuse_placeholder_secrets(settings):  # outside demo mode: raises, the service does not start
        log.warning("demo mode: %s", problem)
    if not settings.service_token_usable:
        log.warning("demo mode: every call with the service token is refused until ROUTING_SERVICE_TOKEN is set")
    if session_factory is None:
        session_factory = make_session_factory(make_engine(settings.database_url))
    relay = relay or RasaRelay(settings.rasa_url, settings.rasa_token or None)

    def deliver_now() -> None:
        """After a reply or a resolve is committed: try to deliver at once."""
        deliver_round(relay, session_factory)
    app = FastAPI(title="南粤女声+ routing backend", version="1.0")

    @app.middleware("http")
    async def limit_body(request: Request, call_next):
        """Oversized bodies are refused; no answer is kept by a browser or proxy cache,
        since most carry her words (the console's static files are the exception)."""
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > settings.max_body_bytes:
            response = JSONResponse({"detail": f"body over {settings.max_body_bytes} bytes"}, status_code=413)
        else:
            response = await call_next(request)
        if not request.url.path.startswith("/console/static/"):
            response.headers["Cache-Control"] = "no-store"
        return response

    def session() -> Iterator[Session]:
        """One session per request. Writing endpoints commit before they return:
        FastAPI may send the response before this exit code runs."""
        with session_factory() as db:
            try:
                yield db
                db.commit()
            except StaleDataError as error:
                db.rollback()
                raise HTTPException(status.HTTP_409_CONFLICT, "the handoff changed meanwhile; reload it") from error
            except Exception:
                db.rollback()
                raise

    def token_of(credentials: Optional[HTTPAuthorizationCredentials]) -> str:
        if credentials is None or credentials.scheme.lower() != "bearer":
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, "missing bearer token",
                                headers={"WWW-Authenticate": "Bearer"})
        return credentials.credentials

    def current_user(credentials=Depends(bearer), db: Session = Depends(session)) -> User:
        user = auth.user_for_token(db, token_of(credentials))
        if user is None:
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, "invalid or expired token",
                                headers={"WWW-Authenticate": "Bearer"})
        return user

    def service_caller(credentials=Depends(bearer)) -> None:
        """The action server's calls. Without a usable ROUTING_SERVICE_TOKEN (demo mode) there are none."""
        if not settings.service_token_usable:
            raise HTTPException(status.HTTP_403_FORBIDDEN,
                                "service calls are refused: ROUTING_SERVICE_TOKEN is not set to a real secret")
        if not auth.is_service_token(token_of(credentials), settings.service_token):
            raise HTTPException(status.HTTP_403_FORBIDDEN, "not the service token")

    def load(db: Session, handoff_id: str, lock: bool = False) -> Handoff:
        handoff = db.get(Handoff, handoff_id, with_for_update=lock)
        if handoff is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"no handoff {handoff_id}")
        return handoff

    def act(action):
        try:
            return action()
        except lifecycle.Conflict as error:
            raise HTTPException(status.HTTP_409_CONFLICT, str(error)) from error
        except lifecycle.Forbidden as error:
            raise HTTPException(status.HTTP_403_FORBIDDEN, str(error)) from error

    app.include_router(office_router(session, service_caller))

    @app.get("/healthz")
    def healthz(db: Session = Depends(session)) -> dict:
        db.execute(select(1))
        return {"status": "ok"}

    @app.post("/api/v1/auth/token", response_model=TokenResponse)
    def token(body: TokenRequest, request: Request, db: Session = Depends(session)) -> dict:
        """Limited with the console's logins (routing/login_limits.py): one budget of guesses."""
        result = login_limits.attempt_login(db, body.username, body.password,
                                            request.client.host if request.client else None, settings)
        if result.locked:
            raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS,
                                f"too many failed logins; try again in {settings.login_window_minutes} minutes",
                                headers={"Retry-After": str(settings.login_window_minutes * 60)})
        user = result.user
        if user is None:
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, "wrong username or password")
        token_value = auth.issue_token(db, user, settings.token_hours)
        db.commit()  # the response may leave before the dependency's exit code runs
        return {"access_token": token_value}

    @app.post("/api/v1/handoffs", response_model=HandoffOut, status_code=201,
              dependencies=[Depends(service_caller)])
    def open_handoff(body: HandoffCreate, db: Session = Depends(session)) -> dict:
        request = lifecycle.NewHandoff(**body.model_dump(exclude={"transcript"}),
                                       transcript=tuple(line.model_dump() for line in body.transcript))
        policy = sla_policy.current(db, settings)  # admins may change it in the console
        handoff = lifecycle.open_handoff(db, request, policy.normal_hours, policy.urgent_hours)
        db.commit()
        db.refresh(handoff)
        return handoff_out(handoff)

    @app.get("/api/v1/handoffs", response_model=List[HandoffOut])
    def list_handoffs(status_filter: Optional[str] = Query(default=None, alias="status"),
                      category: Optional[str] = None,
                      urgency: Optional[str] = None, user: User = Depends(current_user),
                      db: Session = Depends(session)) -> list:
        query = select(Handoff).order_by(Handoff.due_at)
        if status_filter:
            query = query.where(Handoff.status == status_filter)
        if category:
            query = query.where(Handoff.category == category)
        if urgency in ("urgent", "normal"):
            query = query.where(Handoff.urgent.is_(urgency == "urgent"))
        return [handoff_out(h, user) for h in db.scalars(query) if authorization.permits(user, "status", h)]

    @app.get("/api/v1/handoffs/{handoff_id}", response_model=HandoffDetail)
    def get_handoff(handoff_id: str, user: User = Depends(current_user), db: Session = Depends(session)) -> dict:
        handoff = load(db, handoff_id)
        act(lambda: authorization.require(user, "read", handoff))
        return handoff_detail(handoff, user)

    @app.post("/api/v1/handoffs/{handoff_id}/claim", response_model=HandoffOut)
    def claim(handoff_id: str, user: User = Depends(current_user), db: Session = Depends(session)) -> dict:
        handoff = load(db, handoff_id, lock=True)
        act(lambda: lifecycle.claim(db, handoff, user))
        db.commit()
        return handoff_out(handoff, user)

    @app.post("/api/v1/handoffs/{handoff_id}/reply", response_model=HandoffDetail)
    def reply(handoff_id: str, body: TextBody, background: BackgroundTasks, user: User = Depends(current_user),
              db: Session = Depends(session)) -> dict:
        background.add_task(deliver_now)
        handoff = load(db, handoff_id, lock=True)
        act(lambda: lifecycle.reply(db, handoff, user, body.text))
        db.commit()  # before the response and the background delivery
        db.refresh(handoff)
        return handoff_detail(handoff, user)

    @app.post("/api/v1/handoffs/{handoff_id}/resolve", response_model=HandoffOut)
    def resolve(handoff_id: str, body: NoteBody, background: BackgroundTasks, user: User = Depends(current_user),
                db: Session = Depends(session)) -> dict:
        background.add_task(deliver_now)
        handoff = load(db, handoff_id, lock=True)
        act(lambda: lifecycle.resolve(db, handoff, user, body.note))
        db.commit()  # before the response and the background delivery
        return handoff_out(handoff, user)

    @app.post("/api/v1/handoffs/{handoff_id}/return", response_model=HandoffOut)
    def return_to_bot(handoff_id: str, body: NoteBody, background: BackgroundTasks,
                      user: User = Depends(current_user), db: Session = Depends(session)) -> dict:
        background.add_task(deliver_now)
        handoff = load(db, handoff_id, lock=True)
        act(lambda: lifecycle.return_to_bot(db, handoff, user, body.note))
        db.commit()  # before the response and the background delivery
        return handoff_out(handoff, user)

    @app.post("/api/v1/handoffs/{handoff_id}/messages", status_code=201, dependencies=[Depends(service_caller)])
    def her_message(handoff_id: str, body: TextBody, db: Session = Depends(session)) -> dict:
        handoff = load(db, handoff_id, lock=True)
        act(lambda: lifecycle.add_user_message(db, handoff, body.text))
        db.commit()
        return {"status": handoff.status}

    @app.get("/api/v1/conversations/{conversation_id}/transcript")
    def transcript(conversation_id: str, user: User = Depends(current_user), db: Session = Depends(session)) -> dict:
        handoffs = [h for h in db.scalars(select(Handoff).where(Handoff.conversation_id == conversation_id)
                                          .order_by(Handoff.created_at)) if authorization.permits(user, "transcript", h)]
        if not handoffs:
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"no visible handoff for conversation {conversation_id}")
        return {"conversation_id": conversation_id, "handoffs": [handoff_detail(h, user) for h in handoffs]}

    @app.get("/api/v1/conversations/{conversation_id}/status", response_model=ConversationStatus,
             dependencies=[Depends(service_caller)])
    def latest_status(conversation_id: str, db: Session = Depends(session)) -> dict:
        handoff = db.scalars(select(Handoff).where(Handoff.conversation_id == conversation_id)
                             .order_by(Handoff.created_at.desc())).first()
        if handoff is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "no handoff for this conversation")
        return conversation_status(handoff)

    mount_console(app, settings, session_factory, relay)  # the web console at /console/ (routing/console/)
    return app
