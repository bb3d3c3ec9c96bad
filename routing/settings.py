"""Typed settings from the environment (prefix ROUTING_). Every default works on a laptop.

Secrets have no usable default: an empty or placeholder token never opens anything.
Outside demo mode the service does not start without real ones (`secret_problems`).
"""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

from assistant_contract.handoff_request import MAX_BODY_BYTES
from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MIN_SECRET_LENGTH = 24
# Values copied from examples and templates; compared without case.
PLACEHOLDERS = frozenset({"change-me", "changeme", "change_me", "secret", "password", "token", "example",
                          "placeholder", "default", "test", "none", "null", "xxx"})
TOKEN_SETTINGS = (("service_token", "ROUTING_SERVICE_TOKEN", "the action server's token"),
                  ("rasa_token", "ROUTING_RASA_TOKEN", "the token of Rasa's HTTP API"))


def usable_secret(value: Optional[str]) -> bool:
    """Long enough to resist guessing and not a value anyone could copy from a template."""
    text = (value or "").strip()
    lowered = text.lower()
    return (len(text) >= MIN_SECRET_LENGTH and lowered not in PLACEHOLDERS and "change-me" not in lowered
            and "changeme" not in lowered and len(set(text)) >= 6)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ROUTING_")

    database_url: str = f"sqlite:///{PROJECT_ROOT / 'var' / 'routing.db'}"
    demo_mode: bool = True
    service_token: str = ""  # the action server's token; no default ever works
    token_hours: int = 12
    sla_normal_hours: int = 48
    sla_urgent_hours: int = 1
    reminder_before_hours: int = 6
    max_body_bytes: int = MAX_BODY_BYTES  # the action server cuts requests to fit (assistant_contract)
    rasa_url: str = "http://localhost:5005"
    rasa_token: str = ""  # Rasa's --auth-token, for trigger_intent
    # Rasa's SQL event broker (endpoints.yml `event_broker`), read only: `serve` archives
    # its conversations into the routing database for the console (routing/archive/).
    event_broker_url: str = f"sqlite:///{PROJECT_ROOT / 'var' / 'events.db'}"
    # The scaled deployment (docs/scaling.md): Rasa publishes to RabbitMQ and one process of its
    # own, `python -m routing consume-archive --source rabbitmq`, archives the events; `serve`
    # then runs no archive loop of its own (ROUTING_ARCHIVE_IN_PROCESS=false).
    archive_in_process: bool = True
    rabbitmq_url: str = "amqp://guest:guest@127.0.0.1:5672/%2F"
    event_queue: str = "assistant_events"
    archive_prefetch: int = 200  # unacknowledged messages RabbitMQ hands the consumer at most
    cookie_secure: Optional[bool] = None  # None: Secure over HTTPS and outside demo mode
    console_session_hours: int = 10
    login_max_failures: int = 5  # per account and client address
    login_account_factor: int = 3  # per account across addresses: this many times the above
    login_window_minutes: int = 15
    # Continuation codes (routing/continuation.py): this many wrong codes within the window,
    # from anyone, and every attempt is refused until the window has passed.
    continuation_max_wrong_codes: int = 30
    continuation_window_minutes: int = 10
    # Several routing backends share login failures in Redis (routing/login_limits_store.py);
    # empty: counted in the routing database, as one process does. Keys start with the prefix.
    redis_url: str = ""
    redis_key_prefix: str = "assistant"
    # Proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (comma-separated
    # addresses or networks, as uvicorn's forwarded_allow_ips). Empty: none.
    trusted_proxies: str = ""

    @model_validator(mode="after")
    def _positive_sla(self) -> "Settings":
        if self.sla_normal_hours <= 0 or self.sla_urgent_hours <= 0:
            raise ValueError("SLA hours must be positive")
        if not 1 <= self.archive_prefetch <= 65535:
            raise ValueError("ROUTING_ARCHIVE_PREFETCH must be between 1 and 65535")
        if self.continuation_max_wrong_codes < 1 or self.continuation_window_minutes < 1:
            raise ValueError("ROUTING_CONTINUATION_MAX_WRONG_CODES and _WINDOW_MINUTES must be at least 1")
        return self

    def secret_problems(self) -> List[str]:
        """One line per token that is missing, a placeholder or too short."""
        return [f"{variable} ({purpose}) is missing, a placeholder or shorter than {MIN_SECRET_LENGTH} characters"
                for name, variable, purpose in TOKEN_SETTINGS if not usable_secret(getattr(self, name))]

    @property
    def service_token_usable(self) -> bool:
        return usable_secret(self.service_token)

    @property
    def trusted_proxy_list(self) -> List[str]:
        return [item.strip() for item in self.trusted_proxies.split(",") if item.strip()]


class InsecureConfiguration(Exception):
    """Outside demo mode a token is missing or a placeholder: the service must not start."""


def refuse_placeholder_secrets(settings: Settings) -> List[str]:
    """Raise outside demo mode; in demo mode return the problems, for a warning."""
    problems = settings.secret_problems()
    if problems and not settings.demo_mode:
        raise InsecureConfiguration("refusing to start with ROUTING_DEMO_MODE=false: " + "; ".join(problems)
                                    + " (set a random value, e.g. `openssl rand -base64 32`)")
    return problems
