"""Events confirmed by RabbitMQ before the tracker store commits them (bot/confirmed_events.py)."""
import asyncio
import uuid

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.confirmed_events import ConfirmedSQLTrackerStore, ConfirmingPikaEventBroker


class RecordingBroker:
    """Records what was published, how, and how many events the tracker store held at that moment."""

    def __init__(self, store_events, confirms=True):
        self.store_events, self.confirms, self.calls = store_events, confirms, []

    async def publish_confirmed(self, event, timeout=5.0):
        self.calls.append(("confirmed", event["event"], event.get("text") or event.get("name"), self.store_events()))
        return self.confirms

    def publish(self, event, headers=None):
        self.calls.append(("background", event["event"], event.get("text") or event.get("name"), self.store_events()))


def save_a_turn(tmp_path, confirms):
    holder = {}
    broker = RecordingBroker(lambda: holder["count"](), confirms)
    store = ConfirmedSQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "tracker.db"), event_broker=broker)

    def count():
        with store.session_scope() as session:
            return session.query(store.SQLEvent).count()

    holder["count"] = count
    tracker = DialogueStateTracker.from_events("her", [UserUttered("你好"), ActionExecuted("utter_greet")])
    asyncio.run(store.save(tracker))
    return broker, count()


def test_each_event_is_confirmed_in_order_before_the_turn_is_committed(tmp_path):
    broker, stored = save_a_turn(tmp_path, confirms=True)
    assert [(how, kind, what) for how, kind, what, _ in broker.calls] == [
        ("confirmed", "user", "你好"), ("confirmed", "action", "utter_greet")]
    assert [held for *_, held in broker.calls] == [0, 0]  # nothing committed while publishing
    assert stored == 2


def test_no_database_connection_is_held_while_rabbitmq_is_awaited(tmp_path):
    """Another conversation's turn needs a connection meanwhile; waiting for one would block the event loop."""
    held = []

    class WatchingBroker(RecordingBroker):
        async def publish_confirmed(self, event, timeout=5.0):
            held.append(store.engine.pool.checkedout())
            return True

    store = ConfirmedSQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "tracker.db"),
                                     event_broker=WatchingBroker(lambda: 0))
    tracker = DialogueStateTracker.from_events("her", [UserUttered("你好"), ActionExecuted("utter_greet")])
    asyncio.run(store.save(tracker))
    assert held == [0, 0]


def test_an_event_rabbitmq_does_not_confirm_still_goes_out_the_ordinary_way(tmp_path):
    broker, stored = save_a_turn(tmp_path, confirms=False)
    assert [how for how, *_ in broker.calls] == ["confirmed", "background", "confirmed", "background"]
    assert stored == 2


def rabbitmq_answers() -> bool:
    import socket

    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", 5672)) == 0


@pytest.mark.skipif(not rabbitmq_answers(), reason="no RabbitMQ at 127.0.0.1:5672")
def test_a_confirmed_event_is_already_in_the_queue_when_publish_returns():
    import aio_pika

    name = f"test-confirmed-{uuid.uuid4().hex[:8]}"

    async def scenario():
        broker = ConfirmingPikaEventBroker("localhost", "guest", "guest", queues=[name], exchange_name=name,
                                           connection_attempts=1)
        await broker.connect()
        try:
            assert await broker.publish_confirmed({"sender_id": "her", "event": "user", "text": "你好"})
            connection = await aio_pika.connect("amqp://guest:guest@127.0.0.1:5672/")
            async with connection:
                channel = await connection.channel()
                queue = await channel.declare_queue(name, passive=True)
                message = await queue.get(no_ack=True, fail=True)
                assert b'"text": "\\u4f60\\u597d"' in message.body or "你好".encode() in message.body
                await queue.delete(if_unused=False, if_empty=False)
                await channel.exchange_delete(name)
        finally:
            await broker.close()

    asyncio.run(scenario())


def test_the_scaled_endpoints_name_these_classes_and_rasa_builds_them(tmp_path):
    """Rasa falls back to an in-memory tracker store, with a warning only, when a custom class fails to load."""
    from pathlib import Path

    import yaml
    from rasa.core.tracker_store import TrackerStore
    from rasa.shared.utils.common import class_from_module_path
    from rasa.utils.endpoints import EndpointConfig

    endpoints = yaml.safe_load((Path(__file__).resolve().parents[2] / "deploy" / "endpoints.scale.yml").read_text())
    assert class_from_module_path(endpoints["tracker_store"]["type"]) is ConfirmedSQLTrackerStore
    assert class_from_module_path(endpoints["event_broker"]["type"]) is ConfirmingPikaEventBroker
    config = EndpointConfig(type=endpoints["tracker_store"]["type"], dialect="sqlite", db=str(tmp_path / "t.db"))
    assert isinstance(TrackerStore.create(config, Domain.empty()), ConfirmedSQLTrackerStore)
