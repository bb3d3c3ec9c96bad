"""What people do to a handoff beyond claiming and answering it: hand it to another
expert, write an internal note, escalate it to her grassroots federation, resolve it
with an outcome.

The console's forms and the API's endpoints both call these, so a handoff moves the
same way whichever door a person uses. Status changes go through
`lifecycle.transition` (the one table of allowed moves) and leave an event; who may
make them is decided by routing/authorization.py.

Notes and outcomes are stored in the console's tables (migration 0002), which is why
their classes, and the outcome names, come from routing/console/.
"""
from __future__ import annotations

from typing import List, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from routing import authorization, lifecycle, sla
from routing.console.labels import OUTCOME
from routing.console.models import HandoffNote, HandoffOutcome
from routing.models import Handoff, User, utcnow

OUTCOMES = tuple(OUTCOME)  # answered, referred, grassroots, unreachable, not_needed


def reassign(session: Session, *, handoff: Handoff, actor: User, expert: User) -> Handoff:
    """To another active expert; the handoff follows her into her department and waits for her claim."""
    lifecycle.authorize(actor, "reassign", handoff)
    if expert.id == handoff.assignee_id:
        raise lifecycle.Conflict("choose another expert")
    if not authorization.may_hand_to(actor, handoff, expert):
        raise lifecycle.Forbidden("to an active expert; experts hand over within their department")
    target = "assigned" if lifecycle.may_become(handoff, "assigned") else "in_progress"
    lifecycle.transition(session, handoff, target, actor.username, f"转交给{expert.title} {expert.username}")
    handoff.assignee_id = expert.id
    if expert.department_id:
        handoff.department_id = expert.department_id
    return handoff


def escalate_to_grassroots(session: Session, *, handoff: Handoff, actor: User, note: str) -> Optional[str]:
    """To the supervisors and, when her region is known, to that region's federation; returns its name."""
    lifecycle.authorize(actor, "escalate", handoff)
    organisation = sla.local_federation(session, handoff.region)
    text = "转基层妇联跟进" + (f"：{organisation.name}" if organisation else "（她的地区未知，转主管）")
    lifecycle.escalate(session, handoff, actor.username, organisation.id if organisation else None,
                       f"{text}。{note}" if note else text)
    return organisation.name if organisation else None


def resolve_with_outcome(session: Session, *, handoff: Handoff, actor: User, outcome: str, note: str) -> Handoff:
    """Resolved, with what came of it for the dashboard; the history says it in words."""
    if outcome not in OUTCOME:
        raise lifecycle.Conflict("unknown outcome")
    lifecycle.resolve(session, handoff, actor, f"结果：{OUTCOME[outcome]}" + (f"。{note}" if note else ""))
    session.merge(HandoffOutcome(handoff_id=handoff.id, outcome=outcome, created_at=utcnow()))
    return handoff


def add_note(session: Session, *, handoff: Handoff, author: User, text: str) -> HandoffNote:
    """An internal note: colleagues read it, she never does."""
    lifecycle.authorize(author, "note", handoff)
    note = HandoffNote(handoff_id=handoff.id, author_id=author.id, text=text, created_at=utcnow())
    session.add(note)
    return note


def notes_of(session: Session, *, handoff: Handoff) -> List[HandoffNote]:
    return list(session.scalars(select(HandoffNote).where(HandoffNote.handoff_id == handoff.id)
                                .order_by(HandoffNote.id)))
