"""Handoffs and archived conversations of a given age in the routing database, for the
retention and erasure tests."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from itertools import count

from routing import lifecycle
from routing.models import ArchivedEvent, HandoffEvent, HandoffMessage

_positions = count(1)
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)


def days_ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def archived(sessions, sender: str, at: datetime, text: str = "他又打我了") -> None:
    with sessions() as db, db.begin():
        position = next(_positions)
        db.add(ArchivedEvent(source="rasa-sql-broker", broker_id=position, fingerprint=f"f{position}",
                             conversation_id=sender, event_type="user", at=at, text=text, channel="rest"))


def handoff(sessions, sender: str, opened: datetime, closed: datetime | None = None, contact: str | None = None) -> str:
    """A handoff opened at `opened`, resolved at `closed` when given (else still open)."""
    with sessions() as db, db.begin():
        request = lifecycle.NewHandoff(conversation_id=sender, channel="rest", category="legal", intent="legal_divorce",
                                       urgent=False, summary="想离婚", transcript=({"role": "user", "text": "想离婚"},),
                                       contact=contact)
        item = lifecycle.open_handoff(db, request, 48, 1)
        item.created_at = opened
        for event in db.query(HandoffEvent).filter_by(handoff_id=item.id):
            event.created_at = opened
        for message in db.query(HandoffMessage).filter_by(handoff_id=item.id):
            message.created_at = opened
        if closed is not None:
            db.add(HandoffEvent(handoff_id=item.id, from_status=item.status, to_status="resolved", actor="lawyer1",
                                created_at=closed))
            item.status = "resolved"
        return item.id
