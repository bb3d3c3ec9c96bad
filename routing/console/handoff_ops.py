"""What the console can do to a handoff beyond routing/lifecycle.py: reassign,
internal notes, escalation to her grassroots federation, resolving with an outcome.

Status changes keep to lifecycle.ALLOWED and leave an event, like every other change;
who may make them is decided by routing/authorization.py, as for the API.
"""
from __future__ import annotations

from typing import Optional

from sqlalchemy.orm import Session

from routing import authorization, lifecycle, sla
from routing.console.labels import OUTCOME
from routing.console.models import HandoffNote, HandoffOutcome
from routing.models import Handoff, HandoffEvent, User, utcnow


def _transition(db: Session, handoff: Handoff, to_status: str, actor: str, note: str) -> None:
    if to_status not in lifecycle.ALLOWED[handoff.status]:
        raise lifecycle.Conflict(f"handoff {handoff.id} is {handoff.status}; cannot become {to_status}")
    db.add(HandoffEvent(handoff_id=handoff.id, from_status=handoff.status, to_status=to_status, actor=actor,
                        note=note, created_at=utcnow()))
    handoff.status = to_status


def reassign(db: Session, handoff: Handoff, actor: User, expert: User) -> None:
    lifecycle.authorize(actor, "reassign", handoff)
    if expert.id == handoff.assignee_id:
        raise lifecycle.Conflict("choose another expert")
    if not authorization.may_hand_to(actor, handoff, expert):
        raise lifecycle.Forbidden("to an active expert; experts hand over within their department")
    target = "assigned" if "assigned" in lifecycle.ALLOWED[handoff.status] else "in_progress"
    _transition(db, handoff, target, actor.username, f"转交给{expert.title} {expert.username}")
    handoff.assignee_id = expert.id
    if expert.department_id:
        handoff.department_id = expert.department_id


def escalate_to_grassroots(db: Session, handoff: Handoff, actor: User, note: str) -> Optional[str]:
    """To the supervisors and, when her region is known, to that region's federation; returns its name."""
    lifecycle.authorize(actor, "escalate", handoff)
    organisation = sla.local_federation(db, handoff.region)
    text = "转基层妇联跟进" + (f"：{organisation.name}" if organisation else "（她的地区未知，转主管）")
    lifecycle.escalate(db, handoff, actor.username, organisation.id if organisation else None,
                       f"{text}。{note}" if note else text)
    return organisation.name if organisation else None


def resolve_with_outcome(db: Session, handoff: Handoff, actor: User, outcome: str, note: str) -> None:
    if outcome not in OUTCOME:
        raise lifecycle.Conflict("unknown outcome")
    lifecycle.resolve(db, handoff, actor, f"结果：{OUTCOME[outcome]}" + (f"。{note}" if note else ""))
    db.merge(HandoffOutcome(handoff_id=handoff.id, outcome=outcome, created_at=utcnow()))


def add_note(db: Session, handoff: Handoff, author: User, text: str) -> HandoffNote:
    lifecycle.authorize(author, "note", handoff)
    note = HandoffNote(handoff_id=handoff.id, author_id=author.id, text=text, created_at=utcnow())
    db.add(note)
    return note
