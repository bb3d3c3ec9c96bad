"""The queue: open handoffs an expert or supervisor may act on, most pressing first.

Sorted by time left; urgent, nearly due and overdue ones carry a colour, an icon
and a word. Tabs group the queue (mine, my department, urgent, due soon, she
replied, unread) a page at a time; her messages not yet seen are counted on the row
and in the tab title, and a row stays highlighted until the person opens it. The page
listens for changes (live.py) and reloads only its rows.
"""
from __future__ import annotations

from assistant_contract.handoffs import OPEN_STATUSES

from dataclasses import dataclass
from typing import List, Optional
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from routing.authorization import permits
from routing.console import labels, queue_views, sessions, unread
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
    view: str = "all"
    page: int = 1

    @classmethod
    def from_query(cls, params) -> "QueueFilters":
        """Unknown values are ignored rather than refused: a filter link never breaks the page."""
        status = params.get("status", "")
        category = params.get("category", "")
        urgency = params.get("urgency", "")
        page = params.get("page", "1")
        mine = params.get("mine") == "1"
        return cls(status=status if status in OPEN_STATUSES else "",
                   category=category if category in labels.CATEGORY else "",
                   urgency=urgency if urgency in ("urgent", "normal") else "",
                   region=params.get("region", "").strip()[:50], mine=mine,
                   view="mine" if mine else (params.get("view", "all") or "all")[:20],
                   page=int(page) if page.isdigit() and len(page) < 6 else 1)

    def link(self, **changes) -> str:
        """The query string of this queue with some values changed (the page restarts at 1)."""
        values = dict(status=self.status, category=self.category, urgency=self.urgency, region=self.region,
                      view=self.view, page=1)
        values.update(changes)
        return urlencode({key: value for key, value in values.items() if value not in ("", None, "all", 1)})


def open_handoffs(db: Session, user: User, filters: QueueFilters) -> List[Handoff]:
    """Every open handoff the person may see that matches the filters (all views, all pages)."""
    query = select(Handoff).where(Handoff.status.in_(OPEN_STATUSES)).order_by(Handoff.due_at, Handoff.id)
    if filters.status:
        query = query.where(Handoff.status == filters.status)
    if filters.category:
        query = query.where(Handoff.category == filters.category)
    if filters.urgency:
        query = query.where(Handoff.urgent.is_(filters.urgency == "urgent"))
    if filters.region:
        query = query.where(Handoff.region.contains(filters.region))
    return [handoff for handoff in db.scalars(query) if permits(user, "status", handoff)]


def row_facts(db: Session, user: User, handoffs: List[Handoff]) -> queue_views.RowFacts:
    ids = [h.id for h in handoffs]
    return queue_views.RowFacts(unread=unread.unread_counts(db, user, ids),
                                unopened=set(ids) - unread.opened(db, user, ids),
                                her_turn=unread.waiting_on_expert(db, ids))


def highlighted(user: User, handoff: Handoff, facts: queue_views.RowFacts) -> bool:
    """Her unread messages, or a handoff this person has not opened yet (for supervisors: urgent ones)."""
    if handoff.id in facts.unread:
        return True
    return handoff.id in facts.unopened and (user.role == "expert" or handoff.urgent)


def queue_state(handoffs: List[Handoff], facts: Optional[queue_views.RowFacts] = None) -> dict:
    facts = facts or queue_views.RowFacts({}, set(), set())
    return {"handoffs": {h.id: h.version for h in handoffs}, "urgent": sorted(h.id for h in handoffs if h.urgent),
            "unread": {h.id: facts.unread[h.id] for h in handoffs if h.id in facts.unread}}


def build_router(console: Console) -> APIRouter:
    router = APIRouter()

    def rows_context(db: Session, viewer: Viewer, request: Request) -> dict:
        filters = QueueFilters.from_query(request.query_params)
        now = utcnow()
        everything = open_handoffs(db, viewer.user, filters)
        facts = row_facts(db, viewer.user, everything)
        view = queue_views.known_view(filters.view, viewer.user)
        page = queue_views.page_of(queue_views.select_view(everything, view, viewer.user, now, facts), filters.page)
        unread_total = sum(facts.unread.values())
        return dict(handoffs=page.rows, page=page, filters=filters, view=view, now=now, facts=facts,
                    views=queue_views.views_for(viewer.user),
                    counts=queue_views.counts(everything, viewer.user, now, facts),
                    highlighted=lambda h: highlighted(viewer.user, h, facts), unread_total=unread_total,
                    unread_handoffs=len(facts.unread), state=queue_state(everything, facts))

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
        return console.render(request, "_queue_body.html", viewer, **rows_context(db, viewer, request))

    @router.get("/console/queue/events", include_in_schema=False)
    def events(request: Request, viewer: Viewer = Depends(console.viewer(*QUEUE_ROLES)),
               db: Session = Depends(console.db)) -> Response:
        db.rollback()  # end the read transaction: the stream below uses its own sessions
        token = request.cookies.get(sessions.SESSION_COOKIE)
        filters = QueueFilters.from_query(request.query_params)

        def poll() -> Optional[dict]:
            with console.session_factory() as db:
                user = sessions.user_for_session(db, token)
                if user is None:
                    return None
                handoffs = open_handoffs(db, user, filters)
                return queue_state(handoffs, row_facts(db, user, handoffs))

        return event_stream(request, poll)

    @router.post("/console/queue/availability", include_in_schema=False)
    def availability(form: dict = Depends(console.form), viewer: Viewer = Depends(console.viewer("expert")),
                     db: Session = Depends(console.db)) -> Response:
        user = db.get(User, viewer.user.id)
        user.available = form.get("available") == "1"
        console.commit(db)
        return RedirectResponse("/console/queue", status_code=303)

    return router
