"""The embedded default's endpoints as Rasa reads them: one owner for the stores it names.

`endpoints.yml` (what `make run` uses) names the same classes; the live tests and the benchmarks
write their own copy with `embedded_endpoints` for their own ports and folders
(tests/bot/test_endpoints_file.py checks that the two agree).
"""
from __future__ import annotations

from pathlib import Path

TRACKER_STORE_TYPE = "bot.turn_events.TurnSQLTrackerStore"
EVENT_BROKER_TYPE = "bot.turn_events.TurnSQLEventBroker"


def embedded_endpoints(action_url: str, action_token: str, tracker_db: Path, events_db: Path) -> str:
    """endpoints.yml for an action server at `action_url` and SQLite files at the given paths."""
    return (f'action_endpoint:\n  url: "{action_url}/webhook"\n  token: "{action_token}"\n'
            f'tracker_store:\n  type: {TRACKER_STORE_TYPE}\n  dialect: "sqlite"\n  db: "{tracker_db}"\n'
            f'event_broker:\n  type: {EVENT_BROKER_TYPE}\n  dialect: "sqlite"\n  db: "{events_db}"\n')
