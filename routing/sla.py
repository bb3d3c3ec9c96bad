"""The 48-hour promise: remind before a handoff falls due, escalate when it breaches.

`sweep` is a pure step over the database at a given time; `serve` runs it every
minute. Escalation goes to the supervisors (status `escalated`) and, when her
region is known, to the grassroots federation of that region.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import List, Optional

from assistant_contract.china_time import month_day_time
from sqlalchemy import select
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


def sweep(session: Session, now: datetime, reminder_before_hours: int) -> SweepResult:
    result = SweepResult()
    soon = now + timedelta(hours=reminder_before_hours)
    open_handoffs = session.scalars(select(Handoff).where(Handoff.status.in_(ESCALATABLE))).all()
    for handoff in open_handoffs:
        if handoff.due_at <= now:
            organisation = local_federation(session, handoff.region)
            department = handoff.department.name if handoff.department else "值班"
            note = f"超过承诺时限，转{department}主管" + (f"并转{organisation.name}" if organisation else "")
            lifecycle.escalate(session, handoff, "sla", organisation.id if organisation else None, note)
            result.escalated.append(handoff.id)
        elif handoff.due_at <= soon and handoff.reminded_at is None:
            handoff.reminded_at = now
            session.add(HandoffEvent(handoff_id=handoff.id, from_status=handoff.status, to_status=handoff.status,
                                     actor="sla", note=f"提醒：将于{month_day_time(handoff.due_at)}（北京时间）到期", created_at=now))
            result.reminded.append(handoff.id)
    return result
