"""Typed settings read from the environment. Every default works on a laptop."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _path(name: str, default: str) -> Path:
    value = Path(os.environ.get(name, default))
    return value if value.is_absolute() else PROJECT_ROOT / value


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise ValueError(f"{name} must be a whole number, got {raw!r}") from error


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
    def from_env(cls) -> "Settings":
        var_dir = _path("ASSISTANT_VAR_DIR", "var")
        settings = cls(
            environment=os.environ.get("ASSISTANT_ENV", "development"),
            model_path=_path("ASSISTANT_MODEL", "models/assistant.tar.gz"),
            var_dir=var_dir,
            handoff_store_path=_path(
                "ASSISTANT_HANDOFF_DB", str(var_dir / "handoff_requests.db")
            ),
            sla_normal_hours=_int("SLA_NORMAL_HOURS", 48),
            sla_urgent_hours=_int("SLA_URGENT_HOURS", 1),
            routing_url=os.environ.get("ROUTING_URL", "http://localhost:8000"),
            routing_token=os.environ.get("ROUTING_SERVICE_TOKEN", ""),  # make run: var/secrets/
        )
        if settings.sla_urgent_hours <= 0 or settings.sla_normal_hours <= 0:
            raise ValueError("SLA hours must be positive")
        return settings
