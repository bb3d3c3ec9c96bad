"""Typed settings from the environment (prefix ROUTING_). Every default works on a laptop."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = "change-me"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ROUTING_")

    database_url: str = f"sqlite:///{PROJECT_ROOT / 'var' / 'routing.db'}"
    demo_mode: bool = True
    service_token: str = PLACEHOLDER  # the action server's token
    token_hours: int = 12
    sla_normal_hours: int = 48
    sla_urgent_hours: int = 1
    reminder_before_hours: int = 6
    max_body_bytes: int = 64_000
    rasa_url: str = "http://localhost:5005"
    rasa_token: str = ""
    # The web console (routing/console/): Rasa's tracker store is read, never written.
    tracker_db_url: str = f"sqlite:///{PROJECT_ROOT / 'var' / 'tracker.db'}"
    cookie_secure: Optional[bool] = None  # None: Secure cookies outside demo mode
    console_session_hours: int = 10
    login_max_failures: int = 5
    login_window_minutes: int = 15

    @model_validator(mode="after")
    def _no_placeholder_secrets_outside_demo(self) -> "Settings":
        if not self.demo_mode and self.service_token == PLACEHOLDER:
            raise ValueError("ROUTING_SERVICE_TOKEN must be set when ROUTING_DEMO_MODE is false")
        if self.sla_normal_hours <= 0 or self.sla_urgent_hours <= 0:
            raise ValueError("SLA hours must be positive")
        return self
