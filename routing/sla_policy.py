"""The SLA policy: how long a handoff may wait, and when its expert is reminded.

The environment gives the defaults; admins change them in the console, and the API, the
console and the SLA sweep all read them here. Read whenever a handoff is opened and on
every sweep, so a change takes effect at once for new handoffs without a restart
(existing due times are kept).

The numbers are stored in the console's `policy_settings` table (migration 0002), which
is why the table's class is imported from routing/console/models.py.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from routing.console.models import PolicySetting
from routing.settings import Settings


@dataclass(frozen=True)
class SlaPolicy:
    normal_hours: int
    urgent_hours: int
    reminder_before_hours: int


FIELDS = ("normal_hours", "urgent_hours", "reminder_before_hours")


def current(db: Session, settings: Settings) -> SlaPolicy:
    stored = {row.key: row.value for row in db.scalars(select(PolicySetting).where(PolicySetting.key.in_(FIELDS)))}
    return SlaPolicy(normal_hours=stored.get("normal_hours", settings.sla_normal_hours),
                     urgent_hours=stored.get("urgent_hours", settings.sla_urgent_hours),
                     reminder_before_hours=stored.get("reminder_before_hours", settings.reminder_before_hours))


def save(db: Session, policy: SlaPolicy) -> None:
    if policy.urgent_hours > policy.normal_hours:
        raise ValueError("urgent handoffs cannot have longer than normal ones")
    for name in FIELDS:
        db.merge(PolicySetting(key=name, value=getattr(policy, name)))
