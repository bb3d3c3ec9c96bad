from datetime import timedelta

import pytest

from actions.handoff_store import HandoffRequest, InMemoryHandoffStore, SQLiteHandoffStore


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


@pytest.fixture(params=["sqlite", "memory"])
def any_store(request, tmp_path):
    if request.param == "sqlite":
        return SQLiteHandoffStore(tmp_path / "handoffs.db", normal_hours=48, urgent_hours=1)
    return InMemoryHandoffStore(normal_hours=48, urgent_hours=1)


def test_normal_request_is_due_in_48_hours(any_store):
    record = any_store.open_request(request())
    assert record.status == "received"
    assert record.due_at - record.created_at == timedelta(hours=48)


def test_urgent_request_is_due_in_one_hour(any_store):
    record = any_store.open_request(request(urgent=True))
    assert record.due_at - record.created_at == timedelta(hours=1)


def test_latest_request_of_a_conversation_is_found(any_store):
    any_store.open_request(request("c1"))
    second = any_store.open_request(request("c1"))
    any_store.open_request(request("other"))
    assert any_store.latest_for("c1").id == second.id
    assert any_store.latest_for("nobody") is None


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
    import sqlite3

    path = tmp_path / "old.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE handoff_requests (id TEXT PRIMARY KEY, conversation_id TEXT NOT NULL,"
                           " channel TEXT, category TEXT, intent TEXT, urgent INTEGER NOT NULL, summary TEXT NOT NULL,"
                           " transcript TEXT NOT NULL, status TEXT NOT NULL, created_at TEXT NOT NULL,"
                           " due_at TEXT NOT NULL)")
    store = SQLiteHandoffStore(path)
    store.open_request(HandoffRequest("c1", "rest", None, None, False, "你好", [], region="广东省"))
    assert store.pending()[0][1].region == "广东省"
