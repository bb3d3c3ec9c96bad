"""The real store and directory the running action server uses, built from settings
on first use (never at import: rasa-sdk imports every module here at start-up).
Actions take a fake instead when a test hands them one."""
from __future__ import annotations

from functools import lru_cache

from actions.handoff_outbox import OutboxHandoffStore
from actions.handoff_store import SQLiteHandoffStore
from actions.routing_client import RoutingClient
from actions.routing_protocol import OfficeDirectory
from bot.settings import Settings


def routing_client(settings: Settings) -> RoutingClient:
    return RoutingClient(settings.routing_url, settings.routing_token)


@lru_cache(maxsize=1)
def default_handoff_store() -> OutboxHandoffStore:
    """The routing backend, with a local outbox for when it is down. One per
    process: the outbox's lock must be shared by every action to deliver once."""
    settings = Settings.from_env()
    outbox = SQLiteHandoffStore(
        settings.handoff_store_path, settings.sla_normal_hours, settings.sla_urgent_hours
    )
    return OutboxHandoffStore(routing_client(settings), outbox)


def default_directory() -> OfficeDirectory:
    """The routing backend owns the office directory; the action server asks it."""
    return routing_client(Settings.from_env())
