"""Typed settings read from the environment. Every default works on a laptop."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional

from bot.environment import PROJECT_ROOT, deployment, environment, path, text, var_dir, whole_number

__all__ = ["PROJECT_ROOT", "Settings"]


@dataclass(frozen=True)
class Settings:
    environment: str
    model_path: Path
    var_dir: Path
    handoff_store_path: Path
    sla_normal_hours: int
    sla_urgent_hours: int
    routing_url: str
    routing_token: str

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None) -> "Settings":
        environ = environment(environ)
        state = var_dir(environ)
        settings = cls(
            environment=deployment(environ),
            model_path=path(environ, "ASSISTANT_MODEL", "models/assistant.tar.gz"),
            var_dir=state,
            handoff_store_path=path(environ, "ASSISTANT_HANDOFF_DB", str(state / "handoff_requests.db")),
            sla_normal_hours=whole_number(environ, "SLA_NORMAL_HOURS", 48),
            sla_urgent_hours=whole_number(environ, "SLA_URGENT_HOURS", 1),
            routing_url=text(environ, "ROUTING_URL", "http://localhost:8000"),
            routing_token=text(environ, "ROUTING_SERVICE_TOKEN"),  # make run: var/secrets/
        )
        if settings.sla_urgent_hours <= 0 or settings.sla_normal_hours <= 0:
            raise ValueError("SLA hours must be positive")
        return settings
