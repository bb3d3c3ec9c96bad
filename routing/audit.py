"""The audit log: who did what to what, when, with the values before and after.

Admin and supervisor actions in the console are recorded here (users, departments,
the SLA policy, canned replies, availability, closing a handoff nobody claimed, a
password changed by its owner). `record` is small and general, so any other code that
must leave a trace (a read of personal data, an export) can call it the same way; the
caller commits with the change it records.
"""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any, List, Optional

from sqlalchemy import Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from routing.db import Base, UTCDateTime
from routing.models import User, utcnow

MAX_VALUE_CHARS = 4000


class AuditEntry(Base):
    __tablename__ = "audit_entries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(64), index=True)  # a username, or "system"
    action: Mapped[str] = mapped_column(String(64), index=True)  # e.g. user.disable, sla.update
    target: Mapped[str] = mapped_column(String(200))  # e.g. user:lawyer1, handoff:ab12…
    before: Mapped[Optional[str]] = mapped_column(Text)  # JSON
    after: Mapped[Optional[str]] = mapped_column(Text)  # JSON


def _as_json(value: Any) -> Optional[str]:
    if value is None:
        return None
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return text[:MAX_VALUE_CHARS]


def entry(actor: User | str, action: str, target: str, before: Any = None, after: Any = None) -> AuditEntry:
    """One entry, dated now, not yet in any session."""
    name = actor.username if isinstance(actor, User) else str(actor)
    return AuditEntry(at=utcnow(), actor=name[:64], action=action[:64], target=target[:200],
                      before=_as_json(before), after=_as_json(after))


def record(db: Session, actor: User | str, action: str, target: str, before: Any = None,
           after: Any = None) -> AuditEntry:
    """Add one entry to the session; it is stored when the caller commits its change."""
    added = entry(actor, action, target, before=before, after=after)
    db.add(added)
    return added


def recent(db: Session, *, limit: int = 100, offset: int = 0, actor: str = "", action: str = "",
           excluding: str = "") -> List[AuditEntry]:
    """Newest first; `actor` and `action` narrow it down (an action prefix such as "user."),
    `excluding` leaves out a prefix (such as "read.", to see changes only)."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc())
    if actor:
        query = query.where(AuditEntry.actor == actor)
    if action:
        query = query.where(AuditEntry.action.startswith(action))
    if excluding:
        query = query.where(~AuditEntry.action.startswith(excluding))
    return list(db.scalars(query.offset(offset).limit(limit)))


def values(entry_value: Optional[str]) -> Any:
    return json.loads(entry_value) if entry_value else None
