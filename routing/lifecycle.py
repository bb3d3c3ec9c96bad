"""The handoff lifecycle: every change goes through here and leaves an event.

received → assigned → in_progress → replied → resolved, with escalated and
returned (to the bot) on the side. A transition that the table does not allow
raises `Conflict`; nothing is skipped or undone silently. Who may make a change is
decided by routing/authorization.py, here as for every caller.

This table is the only copy: the API, the console and the SLA sweep all change a status
through `transition`, directly or through routing/handoff_operations.py.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Optional

from assistant_contract.handoffs import HANDOFF_CLOSED, OPEN_STATUSES, is_open
from sqlalchemy import select
from sqlalchemy.orm import Session

from routing import authorization
from routing.assignment import pick_expert
from routing.authorization import Forbidden  # noqa: F401  (lifecycle.Forbidden, as callers know it)
from routing.models import Department, Handoff, HandoffEvent, HandoffMessage, User, utcnow

ALLOWED = {
    # → resolved from an unclaimed state only through `close_unclaimed` (a supervisor, with a reason).
    "received": {"assigned", "in_progress", "escalated", "returned", "resolved"},
    "assigned": {"assigned", "in_progress", "escalated", "returned", "resolved"},
    "in_progress": {"replied", "resolved", "escalated", "returned", "in_progress"},
    "replied": {"replied", "in_progress", "resolved", "escalated", "returned"},
    "escalated": {"assigned", "in_progress", "resolved", "returned"},
    "resolved": set(),
    "returned": set(),
}


class Conflict(Exception):
    """The request does not fit the handoff's current state (HTTP 409)."""


@dataclass(frozen=True)
class NewHandoff:
    conversation_id: str
    channel: Optional[str]
    category: Optional[str]
    intent: Optional[str]
    urgent: bool
    summary: str
    transcript: tuple = ()
    region: Optional[str] = None
    contact: Optional[str] = None
    contact_consented_at: Optional[datetime] = None  # when she agreed to give her contact


def may_become(handoff: Handoff, to_status: str) -> bool:
    return to_status in ALLOWED[handoff.status]


def transition(session: Session, handoff: Handoff, to_status: str, actor: str, note: Optional[str] = None) -> None:
    """The one way a status changes: checked against ALLOWED, and recorded as an event."""
    if not may_become(handoff, to_status):
        raise Conflict(f"handoff {handoff.id} is {handoff.status}; cannot become {to_status}")
    session.add(HandoffEvent(handoff_id=handoff.id, from_status=handoff.status, to_status=to_status,
                             actor=actor, note=note, created_at=utcnow()))
    handoff.status = to_status


def due_time(created: datetime, urgent: bool, normal_hours: int, urgent_hours: int) -> datetime:
    return created + timedelta(hours=urgent_hours if urgent else normal_hours)


RAISED_TO_URGENT = "她在对话中说出了眼前的危险，这条求助已转为紧急"


def raise_to_urgent(session: Session, handoff: Handoff, urgent_hours: int) -> None:
    """Danger reported while her request is open: the same request becomes urgent and
    falls due by the urgent SLA (never later than it already was), recorded as an event."""
    now = utcnow()
    handoff.urgent = True
    handoff.due_at = min(handoff.due_at, now + timedelta(hours=urgent_hours))
    session.add(HandoffEvent(handoff_id=handoff.id, from_status=handoff.status, to_status=handoff.status,
                             actor="bot", note=RAISED_TO_URGENT, created_at=now))


def open_handoff(session: Session, request: NewHandoff, normal_hours: int, urgent_hours: int) -> Handoff:
    """Collect at once, route to the department, assign round-robin when someone is free."""
    existing = session.scalars(
        select(Handoff).where(Handoff.conversation_id == request.conversation_id, Handoff.status.in_(OPEN_STATUSES))
    ).first()
    if existing is not None:
        if request.urgent and not existing.urgent:
            raise_to_urgent(session, existing, urgent_hours)
        return existing
    now = utcnow()
    department = (
        session.scalars(select(Department).where(Department.category == request.category)).first()
        if request.category else None
    )
    handoff = Handoff(
        id=uuid.uuid4().hex[:12], conversation_id=request.conversation_id, channel=request.channel,
        category=request.category, intent=request.intent, urgent=request.urgent, summary=request.summary,
        region=request.region, contact=request.contact, department_id=department.id if department else None,
        status="received", created_at=now, due_at=due_time(now, request.urgent, normal_hours, urgent_hours),
    )
    handoff.contact_consented_at = request.contact_consented_at if request.contact else None
    session.add(handoff)
    session.add(HandoffEvent(handoff_id=handoff.id, from_status=None, to_status="received", actor="bot",
                             note="urgent" if request.urgent else None, created_at=now))
    for line in request.transcript:
        session.add(HandoffMessage(handoff_id=handoff.id, sender=line.get("role", "user"),
                                   text=str(line.get("text", "")), created_at=now))
    session.flush()
    expert = pick_expert(session, department)
    if expert is not None:
        handoff.assignee_id = expert.id
        expert.last_assigned_at = now
        transition(session, handoff, "assigned", "router", f"round-robin to {expert.username}")
    return handoff


def authorize(user: User, action: str, handoff: Handoff) -> None:
    """The policy decides. An expert of the department who does not hold the handoff is
    told about its state (claim it first, or a colleague holds it: 409); anyone else who
    may not act is refused (403)."""
    if authorization.permits(user, action, handoff):
        return
    if authorization.permits(user, "claim", handoff):
        hint = "; claim it first" if handoff.assignee_id is None else ""
        raise Conflict(f"only the expert holding handoff {handoff.id} can {action} it{hint}")
    authorization.require(user, action, handoff)


def claim(session: Session, handoff: Handoff, user: User) -> Handoff:
    authorize(user, "claim", handoff)
    if handoff.assignee_id not in (None, user.id) and handoff.status != "escalated":
        raise Conflict("another expert already holds this handoff")
    if handoff.status not in ("received", "assigned", "escalated"):
        raise Conflict(f"handoff is {handoff.status}; only new handoffs can be claimed")
    handoff.assignee_id = user.id
    transition(session, handoff, "in_progress", user.username, "claimed")
    return handoff


def reply(session: Session, handoff: Handoff, user: User, text: str) -> HandoffMessage:
    authorize(user, "reply", handoff)
    transition(session, handoff, "replied", user.username)
    message = HandoffMessage(handoff_id=handoff.id, sender="expert", text=text, author_id=user.id,
                             delivery="pending", created_at=utcnow())
    session.add(message)
    return message


def add_user_message(session: Session, handoff: Handoff, text: str) -> HandoffMessage:
    """Her message while the handoff is open: kept, and the ball is back with the expert."""
    if not is_open(handoff.status):
        raise Conflict(f"handoff is {handoff.status}")
    if handoff.status == "replied":
        transition(session, handoff, "in_progress", "user", "she answered")
    message = HandoffMessage(handoff_id=handoff.id, sender="user", text=text, created_at=utcnow())
    session.add(message)
    return message


UNCLAIMED = ("received", "assigned")


def resolve(session: Session, handoff: Handoff, user: User, note: str) -> Handoff:
    authorize(user, "resolve", handoff)
    if handoff.status in UNCLAIMED:
        raise Conflict(f"handoff is {handoff.status}: nobody has claimed it yet; claim it first, "
                       "or a supervisor closes it with a reason")
    transition(session, handoff, "resolved", user.username, note)
    # Tell her the bot takes over again, through the same ordered relay as replies.
    session.add(HandoffMessage(handoff_id=handoff.id, sender="system", text=HANDOFF_CLOSED,
                               delivery="pending", created_at=utcnow()))
    return handoff


def return_to_bot(session: Session, handoff: Handoff, user: User, note: str) -> Handoff:
    """Nothing for a person to do (e.g. the bot can answer it): hand the conversation back."""
    authorize(user, "return", handoff)
    transition(session, handoff, "returned", user.username, note)
    session.add(HandoffMessage(handoff_id=handoff.id, sender="system", text=HANDOFF_CLOSED,
                               delivery="pending", created_at=utcnow()))
    return handoff


WITHDRAWN_BY_HER = "她在对话里撤回了这次求助"


def withdraw(session: Session, handoff: Handoff) -> Handoff:
    """She takes her request back in the chat ("算了 不用了"). An urgent request stays: after
    danger, a person first makes sure she is safe (her phone may be in someone else's hands)."""
    if handoff.urgent:
        raise Conflict("an urgent handoff is closed by a person, not withdrawn")
    if not is_open(handoff.status):
        raise Conflict(f"handoff is {handoff.status}")
    transition(session, handoff, "returned", "user", WITHDRAWN_BY_HER)
    return handoff


def escalate(session: Session, handoff: Handoff, actor: str, organisation_id: Optional[str], note: str) -> Handoff:
    transition(session, handoff, "escalated", actor, note)
    handoff.escalated_to = organisation_id
    return handoff


CLOSED_UNCLAIMED = "主管关闭了这个未认领的求助"


def close_unclaimed(session: Session, handoff: Handoff, user: User, reason: str) -> Handoff:
    """A supervisor (or admin) closes a handoff nobody has claimed (a duplicate, a test, she was
    helped elsewhere), saying why; she is told the bot takes over again, as on any close."""
    authorization.require(user, "resolve", handoff)
    if user.role not in authorization.MANAGERS:
        raise Forbidden("only a supervisor or an admin closes a handoff nobody has claimed")
    if handoff.status not in UNCLAIMED:
        raise Conflict(f"handoff is {handoff.status}; only an unclaimed handoff is closed this way")
    reason = (reason or "").strip()
    if not reason:
        raise Conflict("a reason is needed to close a handoff nobody claimed")
    transition(session, handoff, "resolved", user.username, f"{CLOSED_UNCLAIMED}。原因：{reason}")
    session.add(HandoffMessage(handoff_id=handoff.id, sender="system", text=HANDOFF_CLOSED,
                               delivery="pending", created_at=utcnow()))
    return handoff
