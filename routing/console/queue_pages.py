"""The queue: open handoffs an expert or supervisor may act on, most pressing first.

Sorted by time left; urgent, nearly due and overdue ones carry a colour, an icon
and a word. The page listens for changes (live.py) and reloads only its rows.
"""
from __future__ import annotations

from assistant_contract.handoffs import OPEN_STATUSES

from dataclasses import dataclass
from typing import List, Optional

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from routing.authorization import permits
from routing.console import labels, sessions
from routing.console.context import QUEUE_ROLES, Console, Viewer
from routing.console.live import event_stream
from routing.models import Handoff, User, utcnow


@dataclass(frozen=True)
class QueueFilters:
    status: str = ""
    category: str = ""
    urgency: str = ""
    region: str = ""
    mine: bool = False

    @classmethod
    def from_query(cls, params) -> "QueueFilters":
        """Unknown values are ignored rather than refused: a filter link never breaks the page."""
        status = params.get("status", "")
        category = params.get("category", "")
        urgency = params.get("urgency", "")
        return cls(status=status if status in OPEN_STATUSES else "",
                   category=category if category in labels.CATEGORY else "",
                   urgency=urgency if urgency in ("urgent", "normal") else "",
                   region=params.get("region", "").strip()[:50], mine=params.get("mine") == "1")


def open_handoffs(db: Session, user: User, filters: QueueFilters) -> List[Handoff]:
    query = select(Handoff).where(Handoff.status.in_(OPEN_STATUSES)).order_by(Handoff.due_at, Handoff.id)
    if filters.status:
        query = query.where(Handoff.status == filters.status)
    if filters.category:
        query = query.where(Handoff.category == filters.category)
    if filters.urgency:
        query = query.where(Handoff.urgent.is_(filters.urgency == "urgent"))
    if filters.region:
        query = query.where(Handoff.region.contains(filters.region))
    if filters.mine:
        query = query.where(Handoff.assignee_id == user.id)
    return [handoff for handoff in db.scalars(query) if permits(user, "status", handoff)]


def queue_state(handoffs: List[Handoff]) -> dict:
    return {"handoffs": {h.id: h.version for h in handoffs}, "urgent": sorted(h.id for h in handoffs if h.urgent)}


def build_router(console: Console) -> APIRouter:
    router = APIRouter()

    def rows_context(db: Session, viewer: Viewer, request: Request) -> dict:
        filters = QueueFilters.from_query(request.query_params)
        return dict(handoffs=open_handoffs(db, viewer.user, filters), filters=filters, now=utcnow())

    @router.get("/console/queue", response_class=HTMLResponse, include_in_schema=False)
    def queue(request: Request, viewer: Viewer = Depends(console.viewer(*QUEUE_ROLES)),
              db: Session = Depends(console.db)) -> Response:
        regions = sorted({r for r in db.scalars(select(Handoff.region).where(
            Handoff.status.in_(OPEN_STATUSES), Handoff.region.is_not(None)))})
        return console.render(request, "queue.html", viewer, regions=regions,
                              query=str(request.url.query), **rows_context(db, viewer, request))

    @router.get("/console/queue/rows", response_class=HTMLResponse, include_in_schema=False)
    def rows(request: Request, viewer: Viewer = Depends(console.viewer(*QUEUE_ROLES)),
             db: Session = Depends(console.db)) -> Response:
        return console.render(request, "_queue_rows.html", viewer, **rows_context(db, viewer, request))

    @router.get("/console/queue/events", include_in_schema=False)
    def events(request: Request, viewer: Viewer = Depends(console.viewer(*QUEUE_ROLES)),
               db: Session = Depends(console.db)) -> Response:
        db.rollback()  # end the read transaction: the stream below uses its own sessions
        token = request.cookies.get(sessions.SESSION_COOKIE)
        filters = QueueFilters.from_query(request.query_params)

        def poll() -> Optional[dict]:
            with console.session_factory() as db:
                user = sessions.user_for_session(db, token)
                return None if user is None else queue_state(open_handoffs(db, user, filters))

        return event_stream(request, poll)

    @router.post("/console/queue/availability", include_in_schema=False)
    def availability(form: dict = Depends(console.form), viewer: Viewer = Depends(console.viewer("expert")),
                     db: Session = Depends(console.db)) -> Response:
        user = db.get(User, viewer.user.id)
        user.available = form.get("available") == "1"
        console.commit(db)
        return RedirectResponse("/console/queue", status_code=303)

    return router
