"""The 48-hour promise: remind before a handoff falls due, escalate when it breaches.

A reminder comes only where it fits the handoff's own time limit: the configured lead
(6 hours by default) when it is at most half the limit, otherwise a quarter of the limit,
so a 1-hour urgent handoff is reminded 15 minutes before it falls due, never as it opens.

`sweep` is a pure step over the database at a given time; `serve` runs it every
minute. Escalation goes to the supervisors (status `escalated`) and, when her
region is known, to the grassroots federation of that region.

Once, whichever replica sweeps (issue #16): a reminder or an escalation is a row in
`sla_notices`, unique per handoff, kind and due time, written in the same transaction as the
reminder's event or the escalation itself. A second sweep (another replica, a round retried
after a crash) finds the row, or waits for the first transaction and then finds it, and does
nothing; a rolled-back sweep leaves neither. The handoffs a sweep acts on are also row-locked
(`FOR UPDATE SKIP LOCKED` on PostgreSQL), so two sweeps share the work instead of colliding,
and one held by an expert's change at that moment is left to the next sweep. So each reminder
and each escalation is recorded exactly once per due time: a handoff escalated, then handed
back to an expert while still overdue, is not escalated again until its due time changes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import List, Optional

from assistant_contract.china_time import month_day_time
from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from routing import directory, lifecycle
from routing.models import Handoff, HandoffEvent, Organisation, SlaNotice

ESCALATABLE = ("received", "assigned", "in_progress", "replied")
REMINDER, ESCALATION = "reminder", "escalation"


@dataclass
class SweepResult:
    reminded: List[str] = field(default_factory=list)
    escalated: List[str] = field(default_factory=list)


def local_federation(session: Session, region: Optional[str]) -> Optional[Organisation]:
    """Her most local office: 广东省佛山市顺德区 → 佛山市顺德区妇联."""
    offices = directory.serving(session, region)
    return offices[0] if offices else None


def reminder_lead(limit: timedelta, configured: timedelta) -> timedelta:
    """How long before its due time a handoff with this time limit is reminded."""
    return configured if configured * 2 <= limit else limit / 4


def time_limit(session: Session, handoff: Handoff) -> timedelta:
    """From the moment the current promise was made (opening, or the raise to urgent) to the due time."""
    raised = session.scalar(select(func.max(HandoffEvent.created_at)).where(
        HandoffEvent.handoff_id == handoff.id, HandoffEvent.note == lifecycle.RAISED_TO_URGENT))
    return max(handoff.due_at - (raised or handoff.created_at), timedelta(0))


def reminder_text(handoff: Handoff) -> str:
    return f"提醒：将于{month_day_time(handoff.due_at)}（北京时间）到期"


def _noticed(kind: str):
    return exists().where(SlaNotice.handoff_id == Handoff.id, SlaNotice.kind == kind, SlaNotice.due_at == Handoff.due_at)


def record_once(session: Session, handoff: Handoff, kind: str, now: datetime) -> bool:
    """The notice's row, in the caller's transaction; False when this notice was already made
    (or another transaction is making it and commits)."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    written = session.execute(insert(SlaNotice.__table__)
                              .values(handoff_id=handoff.id, kind=kind, due_at=handoff.due_at, created_at=now)
                              .on_conflict_do_nothing(index_elements=["handoff_id", "kind", "due_at"])
                              .returning(SlaNotice.__table__.c.id))
    return written.first() is not None


def sweep(session: Session, now: datetime, reminder_before_hours: float) -> SweepResult:
    result = SweepResult()
    configured = timedelta(hours=reminder_before_hours)
    # Only handoffs with something to do; a reminder's lead is never longer than the configured one.
    overdue = and_(Handoff.due_at <= now, ~_noticed(ESCALATION))
    to_remind = and_(Handoff.due_at > now, Handoff.due_at <= now + configured, Handoff.reminded_at.is_(None),
                     ~_noticed(REMINDER))
    due = session.scalars(
        select(Handoff).where(Handoff.status.in_(ESCALATABLE), or_(overdue, to_remind))
        .order_by(Handoff.due_at, Handoff.id)
        .with_for_update(skip_locked=True).execution_options(populate_existing=True)
    ).all()
    for handoff in due:
        if handoff.due_at <= now:
            if not record_once(session, handoff, ESCALATION, now):
                continue
            organisation = local_federation(session, handoff.region)
            department = handoff.department.name if handoff.department else "值班"
            note = f"超过承诺时限，转{department}主管" + (f"并转{organisation.name}" if organisation else "")
            lifecycle.escalate(session, handoff, "sla", organisation.id if organisation else None, note)
            result.escalated.append(handoff.id)
        elif handoff.reminded_at is None and handoff.due_at - now <= reminder_lead(time_limit(session, handoff),
                                                                                    configured):
            if not record_once(session, handoff, REMINDER, now):
                continue
            handoff.reminded_at = now
            session.add(HandoffEvent(handoff_id=handoff.id, from_status=handoff.status, to_status=handoff.status,
                                     actor="sla", note=reminder_text(handoff), created_at=now))
            result.reminded.append(handoff.id)
    return result
