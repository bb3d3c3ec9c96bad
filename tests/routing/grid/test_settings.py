"""Grid settings from the environment (ROUTING_GRID_…): the stage limits and their checks."""
from __future__ import annotations

import pytest
from assistant_contract.grid import DISPATCHED, REPORTED

from routing.grid.settings import GridSettings


def test_stage_limits_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("ROUTING_GRID_VERIFY_URGENT_HOURS", "3")
    settings = GridSettings()
    assert settings.stage_hours(REPORTED, urgent=True) == 3
    assert settings.stage_hours(DISPATCHED, urgent=False) == settings.accept_hours
    assert settings.stage_hours("closed", urgent=False) == 0


@pytest.mark.parametrize("wrong", [{"verify_hours": 0}, {"reminder_share": 1.0}, {"triage_gather_seconds": -1},
                                   {"triage_timeout_seconds": 0}])
def test_settings_that_cannot_work_are_refused_at_start(wrong):
    with pytest.raises(ValueError):
        GridSettings(**wrong)
