"""The catalogue of stores outside the routing database: every file the services write is in
it, a store never used is not created, and rows still waiting for delivery are never pruned."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from routing.her_data_stores import HANDOFF, LOG, OpenStore, catalogue
from tests.routing.her_data_factory import NOW, days_ago
from tests.routing.her_stores_builder import HerStores


def test_every_store_of_the_services_is_catalogued(tmp_path):
    names = {spec.name: spec.url for spec in catalogue(tmp_path)}
    assert names == {"rasa-tracker": f"sqlite:///{tmp_path / 'tracker.db'}",
                     "rasa-event-broker": f"sqlite:///{tmp_path / 'events.db'}",
                     "action-outbox": f"sqlite:///{tmp_path / 'handoff_requests.db'}",
                     "grid-outbox": f"sqlite:///{tmp_path / 'grid_reports.db'}",
                     "telegram": f"sqlite:///{tmp_path / 'telegram.db'}",
                     "wechat": f"sqlite:///{tmp_path / 'wechat.db'}",
                     "safe-exit": f"sqlite:///{tmp_path / 'safe_exit.db'}",
                     "webchat": f"sqlite:///{tmp_path / 'webchat.db'}"}
    assert catalogue(tmp_path, tracker_store_url="postgresql://rasa@db/rasa")[0].url == "postgresql://rasa@db/rasa"


def test_a_store_never_used_is_neither_read_nor_created(tmp_path):
    store = OpenStore(catalogue(tmp_path)[4])
    assert not store.exists and store.rules() == []
    assert not Path(tmp_path / "telegram.db").exists()


def test_time_pruning_keeps_what_still_waits_and_what_belongs_to_a_live_conversation(tmp_path):
    stores = HerStores(tmp_path)
    stores.conversation("woman-1", days_ago(400))
    stores.outbox_request("woman-1", days_ago(400), delivered=False)
    stores.outbox_request("woman-1", days_ago(400), delivered=True)
    outbox, telegram = (OpenStore(spec) for spec in catalogue(tmp_path) if spec.name in ("action-outbox", "telegram"))
    cutoffs = {HANDOFF: NOW - timedelta(days=180), LOG: NOW - timedelta(days=30)}
    assert outbox.older_than(cutoffs, delete=True) == {"handoff_requests": 1}
    assert stores.count("handoff_requests.db", "handoff_requests", "delivered_as IS NULL") == 1
    assert stores.count("handoff_requests.db", "forwarded_messages") == 1  # goes only with her conversation
    assert telegram.older_than(cutoffs, delete=False) == {"undelivered": 1}
    assert telegram.last_activity() == {}
    tracker = OpenStore(catalogue(tmp_path)[0])
    assert tracker.last_activity() == {"woman-1": days_ago(400).timestamp()}
