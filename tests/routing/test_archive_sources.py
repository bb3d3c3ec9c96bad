"""RabbitMqSource: the queue Rasa's pika broker feeds, into the same consumer the SQL broker
feeds. On the machine's RabbitMQ (127.0.0.1:5672, or ROUTING_TEST_RABBITMQ_URL), a queue of
the test's own, deleted afterwards; the archive on SQLite and PostgreSQL (`sessions`)."""
from __future__ import annotations

import json
import os
import time
import uuid
from datetime import datetime, timedelta, timezone

import pika
import pytest
from sqlalchemy import select

from routing.archive.consumer import consume_round
from routing.archive.sources import Bookmark, RabbitMqSource, fingerprint, queue_position
from routing.models import ArchivedEvent
from tests.routing.tracker_builder import action_event, bot_event, slot_event, user_event

RABBITMQ_URL = os.environ.get("ROUTING_TEST_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672/%2F")
NOW = datetime.now(timezone.utc).replace(microsecond=0)


class Queue:
    """A queue of the test's own, declared as Rasa's broker declares it (durable)."""

    def __init__(self) -> None:
        self.name = f"test_archive_{uuid.uuid4().hex[:10]}"
        try:
            self._connection = pika.BlockingConnection(pika.URLParameters(RABBITMQ_URL))
        except pika.exceptions.AMQPConnectionError as error:
            pytest.fail(f"no RabbitMQ answers at {RABBITMQ_URL} ({type(error).__name__}); set "
                        "ROUTING_TEST_RABBITMQ_URL", pytrace=False)
        self._channel = self._connection.channel()
        self._channel.queue_declare(self.name, durable=True)

    def publish(self, sender: str, event: dict) -> str:
        """As Rasa's pika broker publishes: `json.dumps({"sender_id": …, **event})`, persistent."""
        body = json.dumps({"sender_id": sender, **event})
        self._channel.basic_publish("", self.name, body.encode("utf-8"), pika.BasicProperties(delivery_mode=2))
        return body

    def waiting(self) -> int:
        """Ready messages (not the ones a consumer holds unacknowledged)."""
        return self._channel.queue_declare(self.name, durable=True, passive=True).method.message_count

    def delete(self) -> None:
        self._channel.queue_delete(self.name)
        self._connection.close()


@pytest.fixture
def queue():
    made = Queue()
    yield made
    made.delete()


def conversation(queue: Queue, sender: str, turns: int, start: datetime) -> list:
    """Her messages and the bot's answers, with the events the archive leaves out between them."""
    bodies = []
    for number in range(turns):
        at = start + timedelta(seconds=10 * number)
        bodies.append(queue.publish(sender, user_event(f"第{number}条消息", "legal_divorce", 0.8, at)))
        bodies.append(queue.publish(sender, action_event("action_answer_request", at)))
        bodies.append(queue.publish(sender, bot_event(f"第{number}条回答", at + timedelta(seconds=1))))
    bodies.append(queue.publish(sender, slot_event("last_faq_id", "legal.divorce.property", start)))
    return bodies


def archived(sessions) -> list:
    with sessions() as db:
        return list(db.scalars(select(ArchivedEvent).order_by(ArchivedEvent.id)))


def drain(source, sessions, rounds: int = 20, limit: int = 50) -> list:
    """Rounds until one takes nothing (bounded)."""
    results = []
    for _ in range(rounds):
        results.append(consume_round(source, sessions, limit))
        if not results[-1].read:
            return results
    raise AssertionError("the queue did not drain")


def holding(source: RabbitMqSource, count: int, seconds: float = 10) -> int:
    """Reads, acknowledging nothing, until the source holds `count` messages (RabbitMQ delivers
    a few at a time on a loaded machine) or the time is up; how many it holds."""
    deadline = time.monotonic() + seconds
    held = len(source.read(Bookmark(), 100))
    while held < count and time.monotonic() < deadline:
        held = len(source.read(Bookmark(), 100))
    return held


class Crashes(RabbitMqSource):
    """Dies between the archive's commit and the acknowledgement: the connection goes, no ack."""

    def acknowledge(self, rows) -> None:
        self.close()
        raise ConnectionError("killed before the acknowledgement")


def test_every_event_rasa_published_is_archived_once_in_the_order_published(queue, sessions):
    conversation(queue, "alice", 3, NOW - timedelta(hours=1))
    conversation(queue, "bella", 2, NOW - timedelta(minutes=30))
    source = RabbitMqSource(RABBITMQ_URL, queue.name, prefetch=50, wait_seconds=0.5)
    try:
        results = drain(source, sessions)
    finally:
        source.close()

    rows = archived(sessions)
    assert [(row.conversation_id, row.event_type, row.text) for row in rows] == [
        ("alice", "user", "第0条消息"), ("alice", "bot", "第0条回答"), ("alice", "user", "第1条消息"),
        ("alice", "bot", "第1条回答"), ("alice", "user", "第2条消息"), ("alice", "bot", "第2条回答"),
        ("alice", "slot", None), ("bella", "user", "第0条消息"), ("bella", "bot", "第0条回答"),
        ("bella", "user", "第1条消息"), ("bella", "bot", "第1条回答"), ("bella", "slot", None)]
    assert {row.source for row in rows} == {"rasa-rabbitmq"}
    assert sum(result.read for result in results) == 17  # actions too: read, acknowledged, not archived
    assert queue.waiting() == 0


def test_killed_after_the_commit_and_before_the_ack_each_event_is_archived_exactly_once(queue, sessions):
    bodies = conversation(queue, "alice", 4, NOW - timedelta(hours=1))
    crashing = Crashes(RABBITMQ_URL, queue.name, prefetch=100)
    assert holding(crashing, len(bodies)) == len(bodies)  # the round below reads all of them
    with pytest.raises(ConnectionError):
        consume_round(crashing, sessions, limit=100)
    assert len(archived(sessions)) == 9  # committed, never acknowledged
    assert queue.waiting() == len(bodies)  # RabbitMQ put every one of them back

    again = RabbitMqSource(RABBITMQ_URL, queue.name, prefetch=100)
    try:
        results = drain(again, sessions)
    finally:
        again.close()

    # in as many rounds as RabbitMQ's redelivery takes (a few at a time on a loaded machine)
    totals = tuple(sum(getattr(result, name) for result in results) for name in ("read", "archived", "already_archived"))
    assert totals == (len(bodies), 0, 9)
    rows = archived(sessions)
    assert len(rows) == 9
    assert len({(row.broker_id, row.fingerprint) for row in rows}) == 9
    assert queue.waiting() == 0


def test_a_round_that_failed_before_its_commit_gets_the_same_messages_again(queue):
    bodies = [queue.publish("alice", user_event(f"消息{number}", "greet", 0.9, NOW)) for number in range(3)]
    source = RabbitMqSource(RABBITMQ_URL, queue.name, prefetch=10)
    try:
        first = source.read(Bookmark(), 10)
        second = source.read(Bookmark(), 10)  # nothing acknowledged: the same ones, first
        assert [row.data for row in first] == bodies
        assert [row.data for row in second] == bodies
        source.acknowledge(second[:2])
        assert [row.data for row in source.read(Bookmark(), 10)] == bodies[2:]
    finally:
        source.close()
    assert queue.waiting() == 1  # the unacknowledged one went back when the connection closed


def test_prefetch_bounds_what_the_consumer_holds_unacknowledged(queue):
    for number in range(30):
        queue.publish("alice", user_event(f"消息{number}", "greet", 0.9, NOW))
    source = RabbitMqSource(RABBITMQ_URL, queue.name, prefetch=7)
    try:
        held = [holding(source, 7)]  # none acknowledged
        time.sleep(0.3)  # room for RabbitMQ to send more, were the bound not kept
        held += [len(source.read(Bookmark(), 100)) for _ in range(3)]
        assert max(held) == 7 and held[-1] == 7
        assert queue.waiting() == 23
    finally:
        source.close()


def test_a_message_delivered_twice_has_the_same_position_and_fingerprint(queue):
    body = queue.publish("alice", user_event("你好", "greet", 0.9, NOW))
    seen = []
    for _ in range(2):
        source = RabbitMqSource(RABBITMQ_URL, queue.name, prefetch=5)
        try:
            seen.append(source.read(Bookmark(), 5)[0])
        finally:
            source.close()  # not acknowledged: delivered again
    assert seen[0] == seen[1]
    assert seen[0].sender_id == "alice"
    assert seen[0].position == queue_position(fingerprint("alice", body)) < 2 ** 63


def test_a_body_that_is_not_an_event_is_acknowledged_and_skipped(queue, sessions):
    queue._channel.basic_publish("", queue.name, b"\xff not json")
    queue.publish("alice", user_event("你好", "greet", 0.9, NOW))
    source = RabbitMqSource(RABBITMQ_URL, queue.name, prefetch=5)
    try:
        result = consume_round(source, sessions, limit=5)
    finally:
        source.close()
    assert (result.read, result.archived, result.malformed) == (2, 1, 1)
    assert queue.waiting() == 0


def test_a_prefetch_below_one_is_refused():
    with pytest.raises(ValueError):
        RabbitMqSource(RABBITMQ_URL, "any", prefetch=0)
