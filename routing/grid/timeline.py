"""Every change of a report is an event: who, when, from which stage to which, and a note."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy.orm import Session

from routing.grid.models import GridReport, GridReportEvent


def record(db: Session, report: GridReport, to_status: str, actor: str, note: Optional[str],
           now: datetime, from_status: Optional[str] = "same") -> GridReportEvent:
    event = GridReportEvent(report_id=report.id, from_status=report.status if from_status == "same" else from_status,
                            to_status=to_status, actor=actor, note=note, created_at=now)
    db.add(event)
    return event
