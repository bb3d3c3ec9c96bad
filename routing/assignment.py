"""精准流转: category → department; round-robin over the department's available experts."""
from __future__ import annotations

from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from routing.models import Department, User


def pick_expert(session: Session, department: Optional[Department]) -> Optional[User]:
    """The available expert of the department's specialty who was assigned least recently."""
    if department is None:
        return None
    candidates = session.scalars(
        select(User).where(
            User.role == "expert",
            User.available.is_(True),
            User.disabled.is_(False),
            User.department_id == department.id,
            User.specialty == department.specialty,
        )
    ).all()
    if not candidates:
        return None
    return min(candidates, key=lambda u: (u.last_assigned_at is not None, u.last_assigned_at or 0, u.id))
