"""A turn's new events: found by a count, published once each, in order, in one transaction (bot/turn_events.py)."""
import asyncio
import json
import sqlite3

import pytest
from rasa.core.brokers.sql import SQLEventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.turn_events import TurnSQLEventBroker, TurnSQLTrackerStore, event_bodies, pooled_sqlite

DOMAIN = Domain.from_dict({"slots": {"topic": {"type": "any", "mappings": [{"type": "custom"}]}}})

TURNS = [
    [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")],
    [UserUttered("前夫一年没给抚养费了", intent={"name": "legal_child_support", "confidence": 0.9}), SlotSet("topic", "抚养费"), ActionExecuted("action_answer_faq"),
     BotUttered("可以向法院申请强制执行。"), ActionExecuted("action_listen")],
    [UserUttered("要钱吗"), ActionExecuted("action_answer_faq"), BotUttered("申请执行不收费。"),
     ActionExecuted("action_listen")],
    # a new session: the store counts only the events after its start
    [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen"),
     UserUttered("你好"), ActionExecuted("utter_greet")],
    [UserUttered("还在吗"), ActionExecuted("utter_greet"), ActionExecuted("action_listen")],
]


def stores(folder, store_class, broker_class):
    broker = broker_class(db=str(folder / "events.db"))
    store = store_class(DOMAIN, dialect="sqlite", db=str(folder / "tracker.db"), event_broker=broker)
    return store, broker


def hold_the_conversation(store):
    """Each turn saved the way Rasa does: her stored tracker, the turn's events appended, saved."""
    async def conversation():
        for turn in TURNS:
            tracker = await store.retrieve("her") or DialogueStateTracker("her", DOMAIN.slots)
            for event in turn:
                tracker.update(event)
            await store.save(tracker)

    asyncio.run(conversation())


def published(folder):
    with sqlite3.connect(folder / "events.db") as connection:
        rows = connection.execute("SELECT sender_id, data FROM events ORDER BY id").fetchall()
    return [(sender, json.loads(data)) for sender, data in rows]


def stored(folder):
    """What the tracker store holds, as the broker publishes it (with her conversation's id)."""
    with sqlite3.connect(folder / "tracker.db") as connection:
        rows = connection.execute("SELECT sender_id, data FROM events ORDER BY id").fetchall()
    return [(sender, {"sender_id": sender, **json.loads(data)}) for sender, data in rows]


def columns(folder):
    """Every column of the tracker store's rows but the data itself (which `stored` compares)."""
    with sqlite3.connect(folder / "tracker.db") as connection:
        return connection.execute("SELECT type_name, intent_name, action_name, timestamp, sender_id, id FROM events"
                                  " ORDER BY id").fetchall()


def test_publishes_exactly_what_rasa_own_stores_publish(tmp_path):
    ours, rasa = tmp_path / "ours", tmp_path / "rasa"
    ours.mkdir(), rasa.mkdir()
    hold_the_conversation(stores(ours, TurnSQLTrackerStore, TurnSQLEventBroker)[0])
    hold_the_conversation(stores(rasa, SQLTrackerStore, SQLEventBroker)[0])
    assert published(ours) == published(rasa)
    assert stored(ours) == stored(rasa)
    assert columns(ours) == columns(rasa)
    assert {row[2] for row in columns(ours)} >= {"action_answer_faq", "utter_greet"}
    assert "legal_child_support" in {row[1] for row in columns(ours)}
    assert [data["event"] for _, data in published(ours)].count("user") == 4
    assert published(ours) == stored(ours)  # each stored event once, in order


def test_new_events_are_those_after_the_stored_ones_of_her_latest_session(tmp_path):
    store, _ = stores(tmp_path, TurnSQLTrackerStore, TurnSQLEventBroker)
    hold_the_conversation(store)
    tracker = asyncio.run(store.retrieve("her"))
    assert store.new_events(tracker) == []
    tracker.update(UserUttered("谢谢"))
    assert [event.as_dict()["text"] for event in store.new_events(tracker)] == ["谢谢"]


def test_a_turn_is_one_transaction(tmp_path):
    store, broker = stores(tmp_path, TurnSQLTrackerStore, TurnSQLEventBroker)
    commits = []
    original = broker.session_scope

    def counting_scope():
        commits.append(1)
        return original()

    broker.session_scope = counting_scope
    hold_the_conversation(store)
    assert len(commits) == len(TURNS)
    assert len(published(tmp_path)) == sum(len(turn) for turn in TURNS)


def test_a_turn_that_fails_to_write_publishes_none_of_its_events(tmp_path):
    broker = TurnSQLEventBroker(db=str(tmp_path / "events.db"))
    good = {"sender_id": "her", "event": "user", "text": "你好"}
    with pytest.raises(TypeError):
        broker.publish_turn([good, {"sender_id": "her", "event": "user", "text": object()}])
    assert published(tmp_path) == []
    broker.publish_turn([])
    broker.publish_turn([good])
    assert published(tmp_path) == [("her", good)]


def test_a_broker_without_turns_gets_each_event_rasa_way(tmp_path):
    class OneByOne:
        def __init__(self):
            self.events = []

        def publish(self, event, headers=None):
            self.events.append(event)

    broker = OneByOne()
    store = TurnSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "tracker.db"), event_broker=broker)
    hold_the_conversation(store)
    assert [("her", event) for event in broker.events] == stored(tmp_path)


def test_no_broker_no_streaming(tmp_path):
    store = TurnSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "tracker.db"))
    hold_the_conversation(store)
    assert len(stored(tmp_path)) == sum(len(turn) for turn in TURNS)


def test_both_sqlite_files_are_kept_in_write_ahead_log_mode(tmp_path):
    store, broker = stores(tmp_path, TurnSQLTrackerStore, TurnSQLEventBroker)
    hold_the_conversation(store)
    for name in ("tracker.db", "events.db"):
        with sqlite3.connect(tmp_path / name) as connection:
            assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    # the routing backend's archive reads events.db read-only while Rasa writes it
    with sqlite3.connect(f"file:{tmp_path / 'events.db'}?mode=ro", uri=True) as reader:
        before = reader.execute("SELECT count(*) FROM events").fetchone()[0]
        broker.publish_turn([{"sender_id": "her", "event": "user", "text": "还有一个问题"}])
        assert reader.execute("SELECT count(*) FROM events").fetchone()[0] == before + 1


def test_sqlite_connections_stay_open_between_turns(tmp_path):
    store, broker = stores(tmp_path, TurnSQLTrackerStore, TurnSQLEventBroker)
    hold_the_conversation(store)
    for engine in (store.engine, broker.engine):
        assert engine.pool.checkedin() >= 1  # kept for the next turn, not closed
    # a closed last connection would have checkpointed and removed the log
    assert (tmp_path / "tracker.db-wal").exists() and (tmp_path / "events.db-wal").exists()


def test_other_databases_keep_their_engine():
    import sqlalchemy

    assert pooled_sqlite(sqlalchemy.create_engine("postgresql://localhost/test")) is None
    assert pooled_sqlite(sqlalchemy.create_engine("sqlite://")) is None


def test_event_bodies_carry_her_conversation_id():
    assert event_bodies("her", [UserUttered("你好")])[0]["sender_id"] == "her"
    assert event_bodies("her", []) == []
