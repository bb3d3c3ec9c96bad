"""The handoff page: her whole conversation, who she is (as far as she consented),
the history, and the actions the viewer may take; kept live by server-sent events."""
from __future__ import annotations

from assistant_contract.handoffs import OPEN_STATUSES

from typing import Optional

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from routing import read_audit  # every read and export in the audit log (issue #20)
from routing import lifecycle
from routing.authorization import MANAGERS, may_hand_to, may_see_personal_data, permits
from routing.console import history, knowledge, labels, sessions, unread
from routing.console.context import ALL_ROLES, Console, ConsoleError, Viewer
from routing.console.live import event_stream
from routing.masking import for_viewer
from routing.console.models import CannedReply, HandoffNote, HandoffOutcome
from routing.console.timeline import handoff_lines
from routing.models import Department, Handoff, HandoffMessage, User, utcnow


def visible_handoff(db: Session, handoff_id: str, user: User, action: str = "read") -> Handoff:
    handoff = db.get(Handoff, handoff_id)
    if handoff is None:
        raise ConsoleError(404, f"找不到编号为 {handoff_id[:40]} 的求助。", "/console/queue")
    if not permits(user, action, handoff):
        raise ConsoleError(403, "这个求助属于其他部门，你没有权限查看。", "/console/queue")
    return handoff


def live_signature(db: Session, handoff: Handoff) -> str:
    """Changes when a message arrives, a delivery state moves, or a note is added."""
    messages = db.execute(select(HandoffMessage.id, HandoffMessage.delivery)
                          .where(HandoffMessage.handoff_id == handoff.id).order_by(HandoffMessage.id)).all()
    notes = db.scalars(select(HandoffNote.id).where(HandoffNote.handoff_id == handoff.id)).all()
    return ",".join(f"{i}:{d}" for i, d in messages) + f"|{len(notes)}"


PHASE = {"received": "new", "assigned": "new", "in_progress": "working", "replied": "working",
         "escalated": "escalated", "resolved": "closed", "returned": "closed"}


def state_of(handoff: Handoff) -> str:
    """What an action depends on: the phase and who holds it. A reminder, or her new
    message (replied → in_progress), bumps the version without changing this and must
    not stop an expert in the middle of a reply."""
    return f"{PHASE[handoff.status]}:{handoff.assignee_id or ''}"


def permissions(user: User, handoff: Handoff) -> dict:
    """Which forms the page shows: what the policy (routing/authorization.py) permits,
    where the lifecycle (routing/lifecycle.py) allows it now. A form never offered is
    never refused for the state it was offered in."""
    open_now = handoff.status in OPEN_STATUSES
    unclaimed = handoff.status in lifecycle.UNCLAIMED
    flags = dict(
        can_claim=permits(user, "claim", handoff) and handoff.status in ("received", "assigned", "escalated")
        and (handoff.assignee_id in (None, user.id) or handoff.status == "escalated"),
        can_reply=permits(user, "reply", handoff) and handoff.status in ("in_progress", "replied"),
        can_reassign=open_now and permits(user, "reassign", handoff),
        can_escalate=open_now and permits(user, "escalate", handoff) and lifecycle.may_become(handoff, "escalated"),
        can_resolve=open_now and not unclaimed and permits(user, "resolve", handoff)
        and lifecycle.may_become(handoff, "resolved"),
        can_close_unclaimed=unclaimed and user.role in MANAGERS and permits(user, "resolve", handoff),
        can_return=open_now and permits(user, "return", handoff) and lifecycle.may_become(handoff, "returned"),
        can_note=permits(user, "note", handoff),
    )
    flags["can_manage"] = flags["can_reassign"] or flags["can_escalate"] or flags["can_resolve"]
    return flags


def remember_seen(db: Session, user: User, handoff: Handoff) -> None:
    """Opening the page reads her messages; two tabs opening it at once must not fail the page."""
    try:
        unread.mark_seen(db, user, handoff)
        db.commit()
    except (IntegrityError, StaleDataError):
        db.rollback()


def people_named(db: Session, handoff: Handoff) -> dict:
    names = history.names_in(handoff.events)
    return {u.username: u for u in db.scalars(select(User).where(User.username.in_(names)))} if names else {}


def build_router(console: Console) -> APIRouter:
    router = APIRouter()

    def timeline_context(db: Session, handoff: Handoff, viewer: Viewer) -> dict:
        turns = console.tracker.conversation(handoff.conversation_id)
        notes = db.scalars(select(HandoffNote).where(HandoffNote.handoff_id == handoff.id)
                           .order_by(HandoffNote.id)).all()
        return dict(handoff=handoff, state=state_of(handoff), lines=handoff_lines(handoff, turns, viewer.user), notes=notes,
                    signature=live_signature(db, handoff))

    @router.get("/console/handoffs/{handoff_id}", response_class=HTMLResponse, include_in_schema=False)
    def page(handoff_id: str, request: Request, viewer: Viewer = Depends(console.viewer(*ALL_ROLES)),
             db: Session = Depends(console.db)) -> Response:
        handoff = visible_handoff(db, handoff_id, viewer.user)
        remember_seen(db, viewer.user, handoff)
        read_audit.noted(db, viewer.user, "handoff", handoff.id)  # who read her handoff, when
        flags = permissions(viewer.user, handoff)
        canned = db.scalars(select(CannedReply).where(CannedReply.department_id == handoff.department_id)
                            .order_by(CannedReply.title)).all() if flags["can_reply"] else []
        experts = [expert for expert in db.scalars(select(User).where(User.role == "expert")
                                                   .order_by(User.department_id, User.username))
                   if may_hand_to(viewer.user, handoff, expert)]
        outcome = db.get(HandoffOutcome, handoff.id)
        return console.render(
            request, "handoff.html", viewer, now=utcnow(), contact=for_viewer(handoff.contact, viewer.user, handoff),
            sees_personal=may_see_personal_data(viewer.user, handoff), canned=canned,
            experts=[e for e in experts if e.id != handoff.assignee_id], outcome=outcome,
            entries=knowledge.for_category(handoff.category) if flags["can_reply"] else [],
            history=history.entries(handoff.events, people_named(db, handoff),
                                    lambda text: for_viewer(text, viewer.user, handoff)),
            department_names={d.id: d.name for d in db.scalars(select(Department))},
            level=labels.urgency_class(handoff.urgent, handoff.due_at, utcnow()),
            **flags, **timeline_context(db, handoff, viewer))

    @router.get("/console/handoffs/{handoff_id}/timeline", response_class=HTMLResponse, include_in_schema=False)
    def timeline(handoff_id: str, request: Request, viewer: Viewer = Depends(console.viewer(*ALL_ROLES)),
                 db: Session = Depends(console.db)) -> Response:
        handoff = visible_handoff(db, handoff_id, viewer.user, "transcript")
        remember_seen(db, viewer.user, handoff)  # the open page shows her new message: it is read
        return console.render(request, "_timeline.html", viewer, **timeline_context(db, handoff, viewer))

    @router.get("/console/handoffs/{handoff_id}/events", include_in_schema=False)
    def events(handoff_id: str, request: Request, viewer: Viewer = Depends(console.viewer(*ALL_ROLES)),
               db: Session = Depends(console.db)) -> Response:
        visible_handoff(db, handoff_id, viewer.user, "status")
        db.rollback()  # end the read transaction: the stream below uses its own sessions
        token = request.cookies.get(sessions.SESSION_COOKIE)

        def poll() -> Optional[dict]:
            with console.session_factory() as fresh:
                handoff = fresh.get(Handoff, handoff_id)
                user = sessions.user_for_session(fresh, token)
                if user is None or handoff is None or not permits(user, "status", handoff):
                    return None  # logged out, or moved to another department: the page reloads
                return {"version": handoff.version, "state": state_of(handoff), "status": handoff.status,
                        "status_label": labels.STATUS[handoff.status], "signature": live_signature(fresh, handoff)}

        return event_stream(request, poll)

    return router
