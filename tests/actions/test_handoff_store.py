"""The local outbox file: durable, upgraded in place, and closing every connection it opens."""
import sqlite3
import threading
from datetime import timedelta

import pytest

from actions.handoff_store import SQLiteHandoffStore
from actions.handoff_types import HandoffRequest


def request(conversation_id="c1", urgent=False):
    return HandoffRequest(
        conversation_id=conversation_id,
        channel="rest",
        category="legal",
        intent="legal_divorce",
        urgent=urgent,
        summary="想离婚，孩子两岁",
        transcript=[{"role": "user", "text": "想离婚，孩子两岁"}],
    )


@pytest.fixture
def store(tmp_path):
    return SQLiteHandoffStore(tmp_path / "handoffs.db", normal_hours=48, urgent_hours=1)


def test_normal_request_is_due_in_48_hours(store):
    record = store.open_request(request())
    assert record.status == "received"
    assert record.due_at - record.created_at == timedelta(hours=48)


def test_urgent_request_is_due_in_one_hour(store):
    record = store.open_request(request(urgent=True))
    assert record.due_at - record.created_at == timedelta(hours=1)


def test_latest_request_of_a_conversation_is_found(store):
    store.open_request(request("c1"))
    second = store.open_request(request("c1"))
    store.open_request(request("other"))
    assert store.latest_for("c1").id == second.id
    assert store.latest_for("nobody") is None


def test_sqlite_store_survives_a_restart(tmp_path):
    path = tmp_path / "handoffs.db"
    record = SQLiteHandoffStore(path).open_request(request())
    reopened = SQLiteHandoffStore(path).latest_for("c1")
    assert reopened.id == record.id and reopened.summary == "想离婚，孩子两岁"


def test_her_region_waits_in_the_outbox_with_the_request(tmp_path):
    path = tmp_path / "handoffs.db"
    store = SQLiteHandoffStore(path)
    store.open_request(HandoffRequest("c9", "rest", "legal", "legal_divorce", False, "想离婚", [],
                                      region="广东省佛山市顺德区"))
    ((_, waiting),) = SQLiteHandoffStore(path).pending()
    assert waiting.region == "广东省佛山市顺德区"


def test_an_outbox_file_from_before_regions_is_upgraded(tmp_path):
    path = tmp_path / "old.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE handoff_requests (id TEXT PRIMARY KEY, conversation_id TEXT NOT NULL,"
                       " channel TEXT, category TEXT, intent TEXT, urgent INTEGER NOT NULL, summary TEXT NOT NULL,"
                       " transcript TEXT NOT NULL, status TEXT NOT NULL, created_at TEXT NOT NULL,"
                       " due_at TEXT NOT NULL)")
    connection.execute("CREATE TABLE forwarded_messages (id INTEGER PRIMARY KEY AUTOINCREMENT,"
                       " conversation_id TEXT NOT NULL, handoff_id TEXT NOT NULL, text TEXT NOT NULL,"
                       " delivered INTEGER NOT NULL DEFAULT 0)")
    connection.commit()
    connection.close()
    store = SQLiteHandoffStore(path)
    store.open_request(HandoffRequest("c1", "rest", None, None, False, "你好", [], region="广东省"))
    store.queue_message("c1", "h1", "还在吗")
    assert store.pending()[0][1].region == "广东省"
    assert [m[3] for m in store.pending_messages()] == ["还在吗"]


def test_a_delivered_request_is_no_longer_pending_and_is_known_by_the_backends_id(store):
    waiting = store.open_request(request())
    store.mark_delivered(waiting.id, "remote-7")
    assert store.pending() == []
    assert store.backend_id_of(waiting.id) == "remote-7"
    assert store.latest_for("c1").delivered is True
    assert store.backend_id_of("remote-9") == "remote-9"  # never waited here: already the backend's id


def test_a_refused_request_stays_on_file_but_is_neither_pending_nor_hers(store):
    refused = store.open_request(request())
    store.mark_refused(refused.id, 422)
    assert store.pending() == [] and store.latest_for("c1") is None
    assert store.backend_id_of(refused.id) is None


def test_waiting_messages_keep_her_order_until_delivered_or_refused(store):
    for text in ("第一条", "第二条", "第三条"):
        store.queue_message("c1", "h1", text)
    first, second, third = store.pending_messages()
    assert [m[3] for m in (first, second, third)] == ["第一条", "第二条", "第三条"]
    store.mark_message_delivered(first[0])
    store.mark_message_refused(second[0], 404)
    assert [m[3] for m in store.pending_messages()] == ["第三条"]


def test_every_connection_is_closed_after_its_operation(tmp_path, monkeypatch):
    opened, connect = [], sqlite3.connect

    def tracked(*args, **kwargs):
        opened.append(connect(*args, **kwargs))
        return opened[-1]

    monkeypatch.setattr(sqlite3, "connect", tracked)
    store = SQLiteHandoffStore(tmp_path / "handoffs.db")
    record = store.open_request(request())
    store.queue_message("c1", record.id, "孩子两岁")
    store.pending(), store.pending_messages(), store.latest_for("c1"), store.backend_id_of(record.id)
    store.mark_delivered(record.id, "remote-1")
    store.mark_message_delivered(1)
    saboteur = connect(tmp_path / "handoffs.db")
    saboteur.execute("DROP TABLE forwarded_messages")
    saboteur.close()
    with pytest.raises(sqlite3.OperationalError):  # a failed write closes its connection too
        store.queue_message("c1", record.id, "还在吗")
    still_open = []
    for connection in opened:
        try:
            connection.execute("SELECT 1")
            still_open.append(connection)
        except sqlite3.ProgrammingError:  # "Cannot operate on a closed database"
            pass
    assert len(opened) >= 10 and still_open == []


def test_requests_from_many_threads_are_all_kept(store):
    def open_five(thread):
        for number in range(5):
            store.open_request(request(f"c{thread}-{number}"))

    threads = [threading.Thread(target=open_five, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    waiting = store.pending()
    assert len(waiting) == 40 and len({local_id for local_id, _ in waiting}) == 40
