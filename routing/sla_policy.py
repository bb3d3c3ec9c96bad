"""The SLA policy: how long a handoff may wait, and when its expert is reminded.

The environment gives the defaults (in hours); admins change them in the console in hours
and minutes, and the API, the console and the SLA sweep all read them here. Read whenever
a handoff is opened and on every sweep, so a change takes effect at once for new handoffs
without a restart (existing due times are kept).

The numbers are stored in minutes in the console's `policy_settings` table (migration
0002), which is why the table's class is imported from routing/console/models.py. A
value saved in whole hours before minutes existed is still read.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from routing.console.models import PolicySetting
from routing.settings import Settings

FIELDS = ("normal_minutes", "urgent_minutes", "reminder_before_minutes")
HOURS_KEYS = {"normal_minutes": "normal_hours", "urgent_minutes": "urgent_hours",
              "reminder_before_minutes": "reminder_before_hours"}


@dataclass(frozen=True)
class SlaPolicy:
    normal_minutes: int
    urgent_minutes: int
    reminder_before_minutes: int

    # Hours (fractional where minutes are set), as lifecycle.open_handoff and sla.sweep take them.
    @property
    def normal_hours(self) -> float:
        return self.normal_minutes / 60

    @property
    def urgent_hours(self) -> float:
        return self.urgent_minutes / 60

    @property
    def reminder_before_hours(self) -> float:
        return self.reminder_before_minutes / 60


def current(db: Session, settings: Settings) -> SlaPolicy:
    keys = FIELDS + tuple(HOURS_KEYS.values())
    stored = {row.key: row.value for row in db.scalars(select(PolicySetting).where(PolicySetting.key.in_(keys)))}
    defaults = {"normal_minutes": settings.sla_normal_hours * 60, "urgent_minutes": settings.sla_urgent_hours * 60,
                "reminder_before_minutes": settings.reminder_before_hours * 60}

    def minutes(name: str) -> int:
        if name in stored:
            return stored[name]
        if HOURS_KEYS[name] in stored:
            return stored[HOURS_KEYS[name]] * 60
        return defaults[name]

    return SlaPolicy(*(minutes(name) for name in FIELDS))


def save(db: Session, policy: SlaPolicy) -> None:
    if min(policy.normal_minutes, policy.urgent_minutes, policy.reminder_before_minutes) <= 0:
        raise ValueError("time limits must be positive")
    if policy.urgent_minutes > policy.normal_minutes:
        raise ValueError("urgent handoffs cannot have longer than normal ones")
    for name in FIELDS:
        db.merge(PolicySetting(key=name, value=getattr(policy, name)))
    db.execute(delete(PolicySetting).where(PolicySetting.key.in_(tuple(HOURS_KEYS.values()))))


def as_dict(policy: SlaPolicy) -> dict:
    """For the audit log."""
    return {name: getattr(policy, name) for name in FIELDS}
