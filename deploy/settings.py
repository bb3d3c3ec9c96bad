"""The scaled deployment's settings (prefix SCALED_) and the names and addresses that follow
from them. Standard library only; `deploy.scaled` exports them too."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Mapping, Optional
from urllib.parse import urlsplit, urlunsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# The front door is base_port; the servers and the proxy's internal port follow it.
PORT_OFFSETS = {"front": 0, "rasa-1": 1, "rasa-2": 2, "actions-1": 3, "actions-2": 4,
                "routing-1": 5, "routing-2": 6, "actions-front": 7}
DATABASE_PREFIX = re.compile(r"^[a-z_][a-z0-9_]{0,40}$")


@dataclass(frozen=True)
class ScaledSettings:
    """From the environment with `from_env`: SCALED_BASE_PORT, SCALED_WORKDIR, … (docs/scaling.md)."""

    root: Path
    workdir: Path
    base_port: int = 18000
    postgres_url: str = "postgresql://postgres@127.0.0.1:5432"
    database_prefix: str = "assistant_scaled"
    redis_url: str = "redis://127.0.0.1:6379/0"
    rabbitmq_url: str = "amqp://guest:guest@127.0.0.1:5672/%2F"
    queue: str = "assistant_events"
    model: Path = Path("models/assistant.tar.gz")

    def __post_init__(self) -> None:
        if not DATABASE_PREFIX.match(self.database_prefix):
            raise ValueError(f"SCALED_DATABASE_PREFIX must be lower-case letters, digits and _ (it names "
                             f"databases and Redis keys), got {self.database_prefix!r}")

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None) -> "ScaledSettings":
        env = os.environ if environ is None else environ
        root = Path(env.get("SCALED_ROOT") or PROJECT_ROOT).resolve()
        defaults = cls(root=root, workdir=root / "var" / "scaled")
        workdir = Path(env.get("SCALED_WORKDIR") or defaults.workdir)
        return cls(
            root=root,
            workdir=workdir if workdir.is_absolute() else root / workdir,
            base_port=int(env.get("SCALED_BASE_PORT") or defaults.base_port),
            postgres_url=env.get("SCALED_POSTGRES_URL") or defaults.postgres_url,
            database_prefix=env.get("SCALED_DATABASE_PREFIX") or defaults.database_prefix,
            redis_url=env.get("SCALED_REDIS_URL") or defaults.redis_url,
            rabbitmq_url=env.get("SCALED_RABBITMQ_URL") or defaults.rabbitmq_url,
            queue=env.get("SCALED_QUEUE") or defaults.queue,
            model=Path(env.get("SCALED_MODEL") or defaults.model),
        )

    @property
    def ports(self) -> Dict[str, int]:
        return {name: self.base_port + offset for name, offset in PORT_OFFSETS.items()}

    def url_of(self, name: str) -> str:
        """A server's own address, past the proxy (front, rasa-N, actions-N, routing-N, actions-front)."""
        if name not in PORT_OFFSETS:
            raise ValueError(f"no server {name!r}; the servers are {', '.join(PORT_OFFSETS)}")
        return f"http://127.0.0.1:{self.ports[name]}"

    @property
    def front_url(self) -> str:
        return self.url_of("front")

    @property
    def model_path(self) -> Path:
        return self.model if self.model.is_absolute() else self.root / self.model

    @property
    def tracker_database(self) -> str:
        return f"{self.database_prefix}_tracker"

    @property
    def routing_database(self) -> str:
        return f"{self.database_prefix}_routing"

    def postgres_server(self, driver: str = "") -> str:
        parts = urlsplit(self.postgres_url)
        return urlunsplit(("postgresql" + (f"+{driver}" if driver else ""), parts.netloc, "", "", ""))

    @property
    def tracker_database_url(self) -> str:
        """Rasa's (SQLAlchemy 1.4 with psycopg2)."""
        return f"{self.postgres_server()}/{self.tracker_database}"

    @property
    def routing_database_url(self) -> str:
        """The routing backend's (SQLAlchemy 2 with psycopg 3)."""
        return f"{self.postgres_server('psycopg')}/{self.routing_database}"

    @property
    def redis_prefix(self) -> str:
        """The shared state's keys are `<this>:…` (ASSISTANT_REDIS_KEY_PREFIX, ROUTING_REDIS_KEY_PREFIX)."""
        return self.database_prefix

    @property
    def lock_prefix(self) -> str:
        """Rasa's lock store takes letters and digits only; its keys are `<this>:lock:<conversation>`."""
        return re.sub(r"[^A-Za-z0-9]", "", self.database_prefix) or "assistant"

    @property
    def exchange(self) -> str:
        """Rasa's fanout exchange, one per deployment: two deployments on one RabbitMQ do not mix."""
        return f"{self.queue}.exchange"
