"""The SLA policy in minutes: defaults from the environment, admins' values, older values saved in hours."""
import pytest

from routing import sla_policy
from routing.console.models import PolicySetting
from routing.settings import Settings


def test_minutes_are_saved_and_read_and_hours_saved_before_are_still_read(sessions):
    settings = Settings(sla_normal_hours=48, sla_urgent_hours=1, reminder_before_hours=6)
    with sessions() as db, db.begin():
        assert sla_policy.current(db, settings) == sla_policy.SlaPolicy(2880, 60, 360)
        db.add(PolicySetting(key="normal_hours", value=24))  # as the console stored it before minutes
        db.flush()
        assert sla_policy.current(db, settings).normal_minutes == 24 * 60
        sla_policy.save(db, sla_policy.SlaPolicy(normal_minutes=90, urgent_minutes=45, reminder_before_minutes=20))
        db.flush()
        policy = sla_policy.current(db, settings)
        assert (policy.normal_hours, policy.urgent_hours, policy.reminder_before_hours) == (1.5, 0.75, 20 / 60)
        assert db.get(PolicySetting, "normal_hours") is None
        with pytest.raises(ValueError):
            sla_policy.save(db, sla_policy.SlaPolicy(normal_minutes=30, urgent_minutes=45, reminder_before_minutes=5))
