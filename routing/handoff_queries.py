"""Reading handoffs: one by id, a conversation's, and the page of a list a person may see.

Lists are filtered by routing/authorization.py in Python, row by row, rather than by a
second copy of the policy in SQL; a page therefore reads the ordered rows in batches
until it has enough visible ones. Pages follow (due time, id), so a page boundary
stays put while handoffs are opened, claimed or resolved elsewhere in the list.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import List, Optional

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session

from routing import authorization
from routing.models import Handoff, User

URGENCIES = ("urgent", "normal")


@dataclass(frozen=True)
class Position:
    """Where a page ended: the last handoff's due time and id."""

    due_at: datetime
    handoff_id: str

    @classmethod
    def of(cls, handoff: Handoff) -> "Position":
        return cls(due_at=handoff.due_at, handoff_id=handoff.id)


@dataclass(frozen=True)
class Filters:
    status: Optional[str] = None
    category: Optional[str] = None
    urgency: Optional[str] = None  # anything but "urgent" or "normal" is ignored, as it always was


@dataclass(frozen=True)
class Page:
    handoffs: List[Handoff]
    next_position: Optional[Position]  # None: this was the last page


def find(session: Session, *, handoff_id: str, lock: bool = False) -> Optional[Handoff]:
    """`lock`: row-locked where the database can, so two changes to one handoff queue up."""
    return session.get(Handoff, handoff_id, with_for_update=lock)


def _ordered(filters: Filters, after: Optional[Position]) -> Select:
    query = select(Handoff).order_by(Handoff.due_at, Handoff.id)
    if filters.status:
        query = query.where(Handoff.status == filters.status)
    if filters.category:
        query = query.where(Handoff.category == filters.category)
    if filters.urgency in URGENCIES:
        query = query.where(Handoff.urgent.is_(filters.urgency == "urgent"))
    if after is not None:
        query = query.where(or_(Handoff.due_at > after.due_at,
                                and_(Handoff.due_at == after.due_at, Handoff.id > after.handoff_id)))
    return query


def visible_page(session: Session, *, viewer: User, filters: Filters, limit: int,
                 after: Optional[Position] = None) -> Page:
    """Up to `limit` handoffs the viewer may see (authorization "status"), soonest due first."""
    batch_size = max(limit + 1, 100)
    found: List[Handoff] = []
    position = after
    while len(found) <= limit:
        batch = session.scalars(_ordered(filters, position).limit(batch_size)).all()
        found += [handoff for handoff in batch if authorization.permits(viewer, "status", handoff)]
        if len(batch) < batch_size:
            break
        position = Position.of(batch[-1])
    page = found[:limit]
    return Page(handoffs=page, next_position=Position.of(page[-1]) if len(found) > limit else None)


def of_conversation(session: Session, *, conversation_id: str) -> List[Handoff]:
    """Oldest first: her requests in the order she made them."""
    return list(session.scalars(select(Handoff).where(Handoff.conversation_id == conversation_id)
                                .order_by(Handoff.created_at)))


def latest_of_conversation(session: Session, *, conversation_id: str) -> Optional[Handoff]:
    return session.scalars(select(Handoff).where(Handoff.conversation_id == conversation_id)
                           .order_by(Handoff.created_at.desc())).first()
