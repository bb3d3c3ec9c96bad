"""A turn's new events found with one count and, on the SQL event broker, written in one transaction.

Rasa 3.6's tracker stores find the events a turn added by loading her conversation from the database a
second time and comparing (`TrackerStore.stream_events`), and its SQL event broker commits each event on
its own (`SQLEventBroker.publish`). On the embedded default (SQLite, whose every commit waits for the
disk) a turn of ten events cost ten commits, and the synchronous database calls held Rasa's event loop
for all of them: under twenty women, half of the Rasa server's time (README, "Speed under load").

- `TurnSQLTrackerStore.save` counts the events already stored for her latest session once (Rasa's
  store counts them too, to decide which to insert), hands exactly those new events to the broker, all
  at once when it can take a turn (`publish_turn`), then inserts them, with the same columns as Rasa's
  `SQLTrackerStore.save`, in one statement instead of one ORM object each.
- `TurnSQLEventBroker` writes a turn's events in one transaction and one statement: all of them or none.
- On SQLite both keep their connections open (`pooled_sqlite`) and their files in write-ahead-log
  mode, with SQLite's default full sync: a commit waits for one write to disk instead of the three or
  so of the rollback journal (1.0 → 0.26 ms on an idle disk here, more under load), and the routing
  backend's archive reads events.db while Rasa writes it without either waiting for the other.

endpoints.yml names both (`type: bot.turn_events.…`); bot/confirmed_events.py builds the scaled
deployment's store on the first.
"""
from __future__ import annotations

import itertools
import json
from typing import Any, Dict, List, Optional, Sequence, Text

from rasa.core.brokers.broker import EventBroker
from rasa.core.brokers.sql import SQLEventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY


def pooled_sqlite(engine: Any) -> Optional[Any]:
    """For a SQLite file: an engine on it that keeps its connections open, in write-ahead-log mode.

    Rasa's stores get SQLAlchemy 1.4's default for SQLite files, a new connection for every session
    (NullPool); closing the last connection to a write-ahead-log database checkpoints it to disk, so
    each turn paid a connect and a checkpoint. None for any other database (nothing to change)."""
    import sqlalchemy
    from sqlalchemy.pool import QueuePool

    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        return None
    pooled = sqlalchemy.create_engine(engine.url, poolclass=QueuePool, connect_args={"check_same_thread": False})

    @sqlalchemy.event.listens_for(pooled, "connect")
    def _write_ahead_log(connection, _record):
        connection.execute("PRAGMA journal_mode=WAL")

    return pooled


def _use_pooled_sqlite(store: Any) -> None:
    pooled = pooled_sqlite(store.engine)
    if pooled is not None:
        from sqlalchemy.orm import sessionmaker

        store.engine.dispose()
        store.engine, store.sessionmaker = pooled, sessionmaker(bind=pooled)


def event_bodies(sender_id: Text, events: Sequence[Event]) -> List[Dict[Text, Any]]:
    """What Rasa publishes for each event: its dictionary with the conversation's id."""
    return [{"sender_id": sender_id, **event.as_dict()} for event in events]


def stored_row(sender_id: Text, event: Event) -> Dict[Text, Any]:
    """The tracker store's row for an event: the columns `SQLTrackerStore.save` fills (Rasa 3.6)."""
    data = event.as_dict()
    return {"sender_id": sender_id, "type_name": event.type_name, "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            "action_name": data.get("name"), "data": json.dumps(data)}


class TurnSQLEventBroker(SQLEventBroker):
    """Rasa's SQL event broker that can also write a whole turn in one transaction."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _use_pooled_sqlite(self)

    def publish_turn(self, events: Sequence[Dict[Text, Any]]) -> None:
        if not events:
            return
        with self.session_scope() as session:
            session.execute(self.SQLBrokerEvent.__table__.insert(),
                            [{"sender_id": event.get("sender_id"), "data": json.dumps(event)} for event in events])
            session.commit()


class TurnSQLTrackerStore(SQLTrackerStore):
    """Rasa's SQL tracker store, finding a turn's new events by a count instead of a second load."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _use_pooled_sqlite(self)

    def new_events(self, tracker: DialogueStateTracker) -> List[Event]:
        """The events of `tracker` not stored yet: those after the stored ones of her latest session."""
        with self.session_scope() as session:
            stored = self._event_query(session, tracker.sender_id, fetch_events_from_all_sessions=False).count()
        return list(itertools.islice(tracker.events, stored, len(tracker.events)))

    def latest_input_channel(self, sender_id: Text) -> Optional[Text]:
        """The channel of her latest message, in any session; None before her first. One row read,
        where `retrieve(...).get_latest_input_channel()` rebuilds her whole latest session (and knows
        nothing of a conversation whose new session has no message of hers yet)."""
        with self.session_scope() as session:
            row = (session.query(self.SQLEvent.data)
                   .filter(self.SQLEvent.sender_id == sender_id, self.SQLEvent.type_name == UserUttered.type_name)
                   .order_by(self.SQLEvent.id.desc()).first())
        return json.loads(row.data).get("input_channel") if row is not None else None

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Rasa's order: the new events to the broker first, then stored and committed. No session is
        held while the broker is awaited: other conversations' turns need the pool's connections, and
        waiting for one blocks the event loop (the scaled deployment stood still until the pool's
        timeout when this held one)."""
        new_events = self.new_events(tracker)
        if not new_events:
            return
        if self.event_broker is not None:
            await self._stream_new_events(self.event_broker, new_events, tracker.sender_id)
        with self.session_scope() as session:
            session.execute(self.SQLEvent.__table__.insert(), [stored_row(tracker.sender_id, event)
                                                               for event in new_events])
            session.commit()

    async def _stream_new_events(self, event_broker: EventBroker, new_events: List[Event], sender_id: Text) -> None:
        publish_turn = getattr(event_broker, "publish_turn", None)
        if publish_turn is None:
            await super()._stream_new_events(event_broker, new_events, sender_id)
            return
        publish_turn(event_bodies(sender_id, new_events))
