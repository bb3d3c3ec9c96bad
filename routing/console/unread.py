"""What a person has not yet seen of a handoff: her messages since they last opened its
page, and handoffs they have never opened. Kept per person (table `handoff_views`), so
an expert's highlight stays until she herself opens the handoff, whoever else looked."""
from __future__ import annotations

from typing import Dict, Iterable, Set

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from routing.console.models import HandoffView
from routing.models import Handoff, HandoffMessage, User, utcnow


def mark_seen(db: Session, user: User, handoff: Handoff) -> None:
    """Everything on the handoff up to now counts as read by `user`."""
    last = db.scalar(select(func.max(HandoffMessage.id)).where(HandoffMessage.handoff_id == handoff.id)) or 0
    view = db.get(HandoffView, (user.id, handoff.id))
    if view is None:
        db.add(HandoffView(user_id=user.id, handoff_id=handoff.id, seen_message_id=last, seen_at=utcnow()))
    elif view.seen_message_id != last:
        view.seen_message_id, view.seen_at = last, utcnow()


def unread_counts(db: Session, user: User, handoff_ids: Iterable[str]) -> Dict[str, int]:
    """Her messages written after the handoff opened that `user` has not seen, per handoff (only those > 0)."""
    ids = list(handoff_ids)
    if not ids:
        return {}
    seen = func.coalesce(HandoffView.seen_message_id, 0)
    rows = db.execute(
        select(HandoffMessage.handoff_id, func.count(HandoffMessage.id))
        .join(Handoff, Handoff.id == HandoffMessage.handoff_id)
        .outerjoin(HandoffView, and_(HandoffView.handoff_id == HandoffMessage.handoff_id,
                                     HandoffView.user_id == user.id))
        .where(HandoffMessage.handoff_id.in_(ids), HandoffMessage.sender == "user",
               HandoffMessage.created_at > Handoff.created_at, HandoffMessage.id > seen)
        .group_by(HandoffMessage.handoff_id)).all()
    return {handoff_id: count for handoff_id, count in rows if count}


def opened(db: Session, user: User, handoff_ids: Iterable[str]) -> Set[str]:
    ids = list(handoff_ids)
    if not ids:
        return set()
    return set(db.scalars(select(HandoffView.handoff_id).where(HandoffView.user_id == user.id,
                                                               HandoffView.handoff_id.in_(ids))))


def waiting_on_expert(db: Session, handoff_ids: Iterable[str]) -> Set[str]:
    """Handoffs whose latest message, written since it opened, is hers: she answered and waits."""
    ids = list(handoff_ids)
    if not ids:
        return set()
    latest = (select(HandoffMessage.handoff_id, func.max(HandoffMessage.id).label("last_id"))
              .where(HandoffMessage.handoff_id.in_(ids), HandoffMessage.sender.in_(("user", "expert")))
              .group_by(HandoffMessage.handoff_id).subquery())
    rows = db.execute(select(HandoffMessage.handoff_id)
                      .join(latest, latest.c.last_id == HandoffMessage.id)
                      .join(Handoff, Handoff.id == HandoffMessage.handoff_id)
                      .where(HandoffMessage.sender == "user", HandoffMessage.created_at > Handoff.created_at)).all()
    return {row[0] for row in rows}
