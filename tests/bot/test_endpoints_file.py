"""The embedded endpoints: the file `make run` reads and the copies the tests write agree, and Rasa builds them."""
import asyncio
from pathlib import Path

import yaml
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.utils.endpoints import read_endpoint_config

from bot.endpoints_file import EVENT_BROKER_TYPE, TRACKER_STORE_TYPE, embedded_endpoints
from bot.turn_events import TurnSQLEventBroker, TurnSQLTrackerStore

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def test_endpoints_yml_names_the_same_stores():
    endpoints = yaml.safe_load((PROJECT_ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    assert endpoints["tracker_store"]["type"] == TRACKER_STORE_TYPE
    assert endpoints["event_broker"]["type"] == EVENT_BROKER_TYPE


def test_rasa_builds_the_stores_of_a_written_copy(tmp_path):
    path = tmp_path / "endpoints.yml"
    path.write_text(embedded_endpoints("http://127.0.0.1:5055", "secret", tmp_path / "tracker.db",
                                       tmp_path / "events.db"), encoding="utf-8")
    written = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert written["action_endpoint"] == {"url": "http://127.0.0.1:5055/webhook", "token": "secret"}
    broker = asyncio.run(EventBroker.create(read_endpoint_config(str(path), "event_broker")))
    assert isinstance(broker, TurnSQLEventBroker)
    store = TrackerStore.create(read_endpoint_config(str(path), "tracker_store"), Domain.empty(), event_broker=broker)
    assert isinstance(store, TurnSQLTrackerStore)
    assert store.event_broker is broker
    assert (tmp_path / "tracker.db").exists() and (tmp_path / "events.db").exists()
