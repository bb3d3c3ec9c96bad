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
