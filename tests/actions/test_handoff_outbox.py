"""Nothing is lost when the routing backend is down: the real service is stopped and restarted."""
import pytest

from actions.handoff_outbox import OutboxHandoffStore
from actions.handoff_store import HandoffRequest, SQLiteHandoffStore
from actions.routing_client import RoutingClient
from tests.routing_process import SERVICE_TOKEN, RoutingProcess, free_port


def request(conversation):
    return HandoffRequest(conversation, "rest", "legal", "legal_divorce", False, "想离婚，孩子两岁",
                          [{"role": "user", "text": "想离婚，孩子两岁"}, {"role": "bot", "text": "好的"}])


@pytest.fixture
def backend(tmp_path):
    process = RoutingProcess(tmp_path, free_port()).start()
    yield process
    process.stop()


def test_requests_reach_the_backend_with_a_48_hour_promise(backend, tmp_path):
    store = OutboxHandoffStore(RoutingClient(backend.url, SERVICE_TOKEN), SQLiteHandoffStore(tmp_path / "outbox.db"))
    record = store.open_request(request("woman-1"))
    assert record.delivered and record.status in ("received", "assigned")
    assert (record.due_at - record.created_at).total_seconds() == 48 * 3600
    assert store.latest_for("woman-1").id == record.id


def test_a_request_made_while_the_backend_is_down_is_delivered_when_it_is_back(backend, tmp_path):
    store = OutboxHandoffStore(RoutingClient(backend.url, SERVICE_TOKEN, timeout=1),
                               SQLiteHandoffStore(tmp_path / "outbox.db"))
    backend.stop()
    waiting = store.open_request(request("woman-2"))
    assert waiting.delivered is False
    assert store.latest_for("woman-2").delivered is False
    backend.start()
    assert store.flush() == 1
    delivered = store.latest_for("woman-2")
    assert delivered.delivered and delivered.id != waiting.id
    assert store.flush() == 0  # delivered once, not again


def test_a_wrong_service_token_is_refused_not_queued(backend, tmp_path):
    store = OutboxHandoffStore(RoutingClient(backend.url, "forged"), SQLiteHandoffStore(tmp_path / "outbox.db"))
    with pytest.raises(Exception, match="403"):
        store.open_request(request("woman-3"))


def test_her_messages_wait_while_the_backend_is_down_and_reach_the_expert_after(backend, tmp_path):
    import json
    import urllib.request

    store = OutboxHandoffStore(RoutingClient(backend.url, SERVICE_TOKEN, timeout=1),
                               SQLiteHandoffStore(tmp_path / "outbox.db"))
    record = store.open_request(request("woman-4"))
    backend.stop()
    assert store.forward_message("woman-4", record.id, "孩子两岁") is False
    backend.start()
    assert store.flush() == 1
    status = urllib.request.Request(f"{backend.url}/api/v1/conversations/woman-4/status",
                                    headers={"Authorization": f"Bearer {SERVICE_TOKEN}"})
    with urllib.request.urlopen(status, timeout=10) as response:
        assert json.loads(response.read())["status"] in ("received", "assigned", "in_progress")
