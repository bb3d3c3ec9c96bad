"""The 48-hour promise: remind before a handoff falls due, escalate when it breaches.

A reminder comes only where it fits the handoff's own time limit: the configured lead
(6 hours by default) when it is at most half the limit, otherwise a quarter of the limit,
so a 1-hour urgent handoff is reminded 15 minutes before it falls due, never as it opens.

`sweep` is a pure step over the database at a given time; `serve` runs it every
minute. Escalation goes to the supervisors (status `escalated`) and, when her
region is known, to the grassroots federation of that region.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import List, Optional

from assistant_contract.china_time import month_day_time
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from routing import directory, lifecycle
from routing.models import Handoff, HandoffEvent, Organisation

ESCALATABLE = ("received", "assigned", "in_progress", "replied")


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


def sweep(session: Session, now: datetime, reminder_before_hours: float) -> SweepResult:
    result = SweepResult()
    configured = timedelta(hours=reminder_before_hours)
    open_handoffs = session.scalars(select(Handoff).where(Handoff.status.in_(ESCALATABLE))).all()
    for handoff in open_handoffs:
        if handoff.due_at <= now:
            organisation = local_federation(session, handoff.region)
            department = handoff.department.name if handoff.department else "值班"
            note = f"超过承诺时限，转{department}主管" + (f"并转{organisation.name}" if organisation else "")
            lifecycle.escalate(session, handoff, "sla", organisation.id if organisation else None, note)
            result.escalated.append(handoff.id)
        elif handoff.reminded_at is None and handoff.due_at - now <= reminder_lead(time_limit(session, handoff), configured):
            handoff.reminded_at = now
            session.add(HandoffEvent(handoff_id=handoff.id, from_status=handoff.status, to_status=handoff.status,
                                     actor="sla", note=reminder_text(handoff), created_at=now))
            result.reminded.append(handoff.id)
    return result
