"""Settings of grid reporting, from the environment (prefix ROUTING_GRID_).

Stage time limits: how long a report may stay in each open stage before the person
responsible is reminded and then the level above is told. Urgent cases are counted in
hours. Rasa's address for triage is the relay's (ROUTING_RASA_URL).
"""
from __future__ import annotations

from assistant_contract.grid import DISPATCHED, IN_PROGRESS, REPORTED, VERIFIED
from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class GridSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ROUTING_GRID_")

    # reported → verified/rejected (the first-level grid checks it)
    verify_hours: int = 24
    verify_urgent_hours: int = 2
    # verified → dispatched (to a village, town or county federation)
    dispatch_hours: int = 24
    dispatch_urgent_hours: int = 2
    # dispatched → in progress (the federation takes it up)
    accept_hours: int = 48
    accept_urgent_hours: int = 4
    # in progress → closed with an outcome
    close_hours: int = 168
    close_urgent_hours: int = 24
    # a reminder when this share of the stage's time is left
    reminder_share: float = 0.25
    binding_code_minutes: int = 30
    unvisited_days: int = 30  # children not visited for longer are listed for their grid worker
    triage_retry_seconds: int = 30  # Rasa down: try again after this, doubling, up to an hour
    triage_timeout_seconds: float = 5.0
    # a woken triage waits this long first, so one round (one read, one commit) takes what came meanwhile
    triage_gather_seconds: float = 0.2
    id_hash_key: str = "grid-sample-key-change-in-production"  # keys the children's ID-number hashes

    @model_validator(mode="after")
    def _positive(self) -> "GridSettings":
        hours = [self.verify_hours, self.verify_urgent_hours, self.dispatch_hours, self.dispatch_urgent_hours,
                 self.accept_hours, self.accept_urgent_hours, self.close_hours, self.close_urgent_hours]
        if min(hours) <= 0:
            raise ValueError("stage time limits must be positive")
        if not 0 < self.reminder_share < 1:
            raise ValueError("reminder_share must be between 0 and 1")
        if self.triage_gather_seconds < 0 or self.triage_timeout_seconds <= 0:
            raise ValueError("triage_gather_seconds must not be negative, triage_timeout_seconds must be positive")
        return self

    def stage_hours(self, stage: str, urgent: bool) -> int:
        """The time limit of an open stage; 0 for a final one."""
        limits = {REPORTED: (self.verify_hours, self.verify_urgent_hours),
                  VERIFIED: (self.dispatch_hours, self.dispatch_urgent_hours),
                  DISPATCHED: (self.accept_hours, self.accept_urgent_hours),
                  IN_PROGRESS: (self.close_hours, self.close_urgent_hours)}
        normal, quick = limits.get(stage, (0, 0))
        return quick if urgent else normal
