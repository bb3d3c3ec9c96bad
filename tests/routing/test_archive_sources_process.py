"""`python -m routing consume-archive --source rabbitmq` as the scaled deployment runs it: a
process of its own, killed with SIGKILL in the middle of the stream, started again, stopped
with SIGTERM. Every event is archived exactly once. RabbitMQ and the queue as in
test_archive_sources.py."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta

from sqlalchemy import func, select

from routing.models import ArchivedEvent
from tests.routing.test_archive_sources import NOW, RABBITMQ_URL, conversation, queue  # noqa: F401 - fixture
from tests.routing.tracker_builder import PROJECT_ROOT

WAIT_SECONDS = 90


def start_consumer(database_url: str, queue_name: str, log) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT), ROUTING_DATABASE_URL=database_url,
               ROUTING_RABBITMQ_URL=RABBITMQ_URL, ROUTING_EVENT_QUEUE=queue_name)
    return subprocess.Popen([sys.executable, "-m", "routing", "consume-archive", "--source", "rabbitmq",
                             "--prefetch", "20"], cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def count(sessions) -> int:
    with sessions() as db:
        return db.scalar(select(func.count()).select_from(ArchivedEvent))


def wait_until(condition, process: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        assert process.poll() is None, f"the consumer exited ({process.returncode}) before {what}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def test_killed_mid_stream_and_started_again_the_consumer_archives_every_event_exactly_once(
        queue, sessions, database_url, tmp_path):  # noqa: F811 - the fixture
    for number in range(20):
        conversation(queue, f"woman-{number}", 4, NOW - timedelta(hours=2, minutes=number))  # 13 events, 9 kept
    expected = 20 * 9
    with open(tmp_path / "consumer.log", "ab") as log:
        first = start_consumer(database_url, queue.name, log)
        try:
            wait_until(lambda: count(sessions) > 0, first, "the first events were archived")
        finally:
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=30)
        for number in range(20, 30):
            conversation(queue, f"woman-{number}", 4, NOW - timedelta(hours=1, minutes=number))
        expected += 10 * 9
        assert count(sessions) < expected

        second = start_consumer(database_url, queue.name, log)
        try:
            wait_until(lambda: count(sessions) >= expected and queue.waiting() == 0, second, "every event")
            time.sleep(1)  # nothing more comes in
        finally:
            second.send_signal(signal.SIGTERM)
            assert second.wait(timeout=30) == 0
    output = (tmp_path / "consumer.log").read_text(encoding="utf-8", errors="replace")
    assert output.count("archive: consuming queue") == 2 and "archive: stopped" in output

    with sessions() as db:
        rows = db.execute(select(ArchivedEvent.conversation_id, ArchivedEvent.event_type, ArchivedEvent.text)).all()
    assert len(rows) == expected
    assert set(Counter(rows).values()) == {1}
    assert queue.waiting() == 0
