"""Nothing is lost when the routing backend is down: first against the real service,
stopped and restarted, then the finer rules against an in-memory backend."""
import asyncio
import json
import urllib.request
from dataclasses import replace

import pytest

from actions.handoff_outbox import OutboxHandoffStore
from actions.handoff_store import SQLiteHandoffStore
from actions.handoff_types import HandoffRequest
from actions.routing_client import RoutingClient
from actions.routing_protocol import RoutingRefused, RoutingUnavailable
from tests.actions.fakes import FakeRoutingBackend
from tests.routing_process import SERVICE_TOKEN, RoutingProcess, free_port


def request(conversation):
    return HandoffRequest(conversation, "rest", "legal", "legal_divorce", False, "想离婚，孩子两岁",
                          [{"role": "user", "text": "想离婚，孩子两岁"}, {"role": "bot", "text": "好的"}])


# ---- the real routing backend ----

@pytest.fixture
def backend(tmp_path):
    process = RoutingProcess(tmp_path, free_port()).start()
    yield process
    process.stop()


def test_requests_reach_the_backend_with_a_48_hour_promise(backend, tmp_path):
    store = OutboxHandoffStore(RoutingClient(backend.url, SERVICE_TOKEN), SQLiteHandoffStore(tmp_path / "outbox.db"))
    record = asyncio.run(store.open_request(request("woman-1")))
    assert record.delivered and record.status in ("received", "assigned")
    assert (record.due_at - record.created_at).total_seconds() == 48 * 3600
    assert asyncio.run(store.latest_for("woman-1")).id == record.id


def test_a_request_made_while_the_backend_is_down_is_delivered_when_it_is_back(backend, tmp_path):
    store = OutboxHandoffStore(RoutingClient(backend.url, SERVICE_TOKEN, timeout=1),
                               SQLiteHandoffStore(tmp_path / "outbox.db"))
    backend.stop()
    waiting = asyncio.run(store.open_request(request("woman-2")))
    assert waiting.delivered is False
    assert asyncio.run(store.latest_for("woman-2")).delivered is False
    backend.start()
    assert asyncio.run(store.flush()) == 1
    delivered = asyncio.run(store.latest_for("woman-2"))
    assert delivered.delivered and delivered.id != waiting.id
    assert asyncio.run(store.flush()) == 0  # delivered once, not again


def test_a_wrong_service_token_is_refused_not_queued(backend, tmp_path):
    outbox = SQLiteHandoffStore(tmp_path / "outbox.db")
    store = OutboxHandoffStore(RoutingClient(backend.url, "forged"), outbox)
    with pytest.raises(RoutingRefused, match="403"):
        asyncio.run(store.open_request(request("woman-3")))
    assert outbox.pending() == []


def test_her_messages_wait_while_the_backend_is_down_and_reach_the_expert_after(backend, tmp_path):
    store = OutboxHandoffStore(RoutingClient(backend.url, SERVICE_TOKEN, timeout=1),
                               SQLiteHandoffStore(tmp_path / "outbox.db"))
    record = asyncio.run(store.open_request(request("woman-4")))
    backend.stop()
    assert asyncio.run(store.forward_message("woman-4", record.id, "孩子两岁")) is False
    backend.start()
    assert asyncio.run(store.flush()) == 1
    status = urllib.request.Request(f"{backend.url}/api/v1/conversations/woman-4/status",
                                    headers={"Authorization": f"Bearer {SERVICE_TOKEN}"})
    with urllib.request.urlopen(status, timeout=10) as response:
        assert json.loads(response.read())["status"] in ("received", "assigned", "in_progress")


# ---- the finer rules, against an in-memory backend ----

@pytest.fixture
def fake():
    return FakeRoutingBackend()


@pytest.fixture
def outbox(tmp_path):
    return SQLiteHandoffStore(tmp_path / "outbox.db")


def test_a_message_about_a_request_that_waited_reaches_the_handoff_it_became(fake, outbox):
    store = OutboxHandoffStore(fake, outbox)
    fake.down = True
    waiting = asyncio.run(store.open_request(request("woman-5")))  # her slot keeps this local id
    fake.down = False
    assert asyncio.run(store.forward_message("woman-5", waiting.id, "孩子两岁")) is True
    assert fake.messages == [("remote-1", "孩子两岁")]


def test_nothing_new_overtakes_what_waits(fake, outbox):
    store = OutboxHandoffStore(fake, outbox)
    first = asyncio.run(store.open_request(request("woman-6")))
    fake.down = True
    asyncio.run(store.forward_message("woman-6", first.id, "第一条"))
    asyncio.run(store.forward_message("woman-6", first.id, "第二条"))
    fake.down = False
    assert asyncio.run(store.forward_message("woman-6", first.id, "第三条")) is True
    assert [text for _, text in fake.messages] == ["第一条", "第二条", "第三条"]


def test_a_refused_waiting_request_is_kept_on_file_and_does_not_block_the_ones_after(fake, outbox):
    store = OutboxHandoffStore(fake, outbox)
    fake.down = True
    asyncio.run(store.open_request(request("woman-refused")))
    asyncio.run(store.open_request(request("woman-7")))
    fake.down, fake.refused_conversations = False, {"woman-refused"}
    assert asyncio.run(store.flush()) == 1
    assert [r.conversation_id for r in fake.requests] == ["woman-7"]
    assert outbox.pending() == [] and asyncio.run(store.flush()) == 0


def test_a_refused_token_keeps_everything_waiting_until_it_is_fixed(fake, outbox):
    store = OutboxHandoffStore(fake, outbox)
    fake.down = True
    asyncio.run(store.open_request(request("woman-8")))
    fake.down, fake.refusal = False, RoutingRefused(403, "not the service token")
    assert asyncio.run(store.flush()) == 0 and len(outbox.pending()) == 1
    fake.refusal = None
    assert asyncio.run(store.flush()) == 1


def test_a_refused_message_is_not_queued(fake, outbox):
    store = OutboxHandoffStore(fake, outbox)
    with pytest.raises(RoutingRefused, match="404"):
        asyncio.run(store.forward_message("woman-9", "no-such-handoff", "你好"))
    assert outbox.pending_messages() == []


def test_flushes_running_at_once_deliver_each_request_once(fake, outbox):
    store = OutboxHandoffStore(fake, outbox)
    fake.down = True
    for number in range(3):
        asyncio.run(store.open_request(request(f"woman-{number}")))
    fake.down = False

    async def together():
        return await asyncio.gather(*(store.flush() for _ in range(4)))

    assert sum(asyncio.run(together())) == 3
    assert [r.conversation_id for r in fake.requests] == ["woman-0", "woman-1", "woman-2"]


def test_with_the_backend_down_and_nothing_here_her_status_is_unknown_not_none(fake, outbox):
    store = OutboxHandoffStore(fake, outbox)
    fake.down = True
    with pytest.raises(RoutingUnavailable):
        asyncio.run(store.latest_for("woman-10"))
    waiting = asyncio.run(store.open_request(request("woman-10")))
    assert asyncio.run(store.latest_for("woman-10")).id == waiting.id


def test_she_withdraws_her_request_in_the_real_backend_but_not_an_urgent_one(backend, tmp_path):
    store = OutboxHandoffStore(RoutingClient(backend.url, SERVICE_TOKEN), SQLiteHandoffStore(tmp_path / "o.db"))
    opened = asyncio.run(store.open_request(request("woman-withdraws")))
    asyncio.run(store.withdraw("woman-withdraws", opened.id))
    assert asyncio.run(store.latest_for("woman-withdraws")).status == "returned"
    urgent = asyncio.run(store.open_request(replace(request("woman-in-danger"), urgent=True)))
    with pytest.raises(RoutingRefused) as refused:
        asyncio.run(store.withdraw("woman-in-danger", urgent.id))
    assert refused.value.status == 409
    assert asyncio.run(store.latest_for("woman-in-danger")).status in ("received", "assigned")


def test_nothing_is_withdrawn_past_what_still_waits(fake, outbox):
    store = OutboxHandoffStore(fake, outbox)
    fake.down = True
    waiting = asyncio.run(store.open_request(request("woman-9")))
    with pytest.raises(RoutingUnavailable):
        asyncio.run(store.withdraw("woman-9", waiting.id))
    fake.down = False
    asyncio.run(store.withdraw("woman-9", waiting.id))  # delivered first, then withdrawn under its backend id
    assert [h.status for h in fake.handoffs] == ["returned"]


class GatedBackend(FakeRoutingBackend):
    """Holds every request until `release` is set, as a backend that hangs would."""

    def __init__(self) -> None:
        super().__init__()
        self.release = asyncio.Event()

    async def open_handoff(self, request):
        self._answer_or_fail()  # down is down at once; up, it hangs until released
        await self.release.wait()
        return await super().open_handoff(request)


def test_an_urgent_request_is_kept_at_once_and_delivered_in_the_background_urgent_first(outbox):
    async def scenario():
        backend = GatedBackend()
        store = OutboxHandoffStore(backend, outbox)
        backend.down = True
        await store.open_request(request("woman-calm"))  # waits in the outbox
        backend.down = False
        urgent = await store.open_urgent(replace(request("woman-danger"), urgent=True))
        await store.forward_later("woman-danger", urgent.id, "他还在门外")
        kept_before_delivery = (urgent.delivered, list(backend.handoffs))
        backend.release.set()
        await store.finish_deliveries()
        return urgent, kept_before_delivery, backend

    urgent, (delivered, handoffs_then), backend = asyncio.run(scenario())
    assert urgent.urgent and delivered is False and handoffs_then == []  # the crisis turn did not wait
    assert [r.conversation_id for r in backend.requests] == ["woman-danger", "woman-calm"]
    assert backend.messages == [(backend.handoffs[0].id, "他还在门外")]


def test_a_failed_background_delivery_keeps_everything_for_the_next_one(outbox, caplog):
    async def scenario():
        backend = FakeRoutingBackend()
        backend.down = True
        store = OutboxHandoffStore(backend, outbox)
        await store.open_urgent(replace(request("woman-danger"), urgent=True))
        await store.finish_deliveries()
        backend.down = False
        await store.flush()
        return backend

    backend = asyncio.run(scenario())
    assert [r.conversation_id for r in backend.requests] == ["woman-danger"]


def test_the_background_loop_delivers_what_waited_once_the_backend_is_back(outbox):
    async def scenario():
        backend = FakeRoutingBackend()
        backend.down = True
        store = OutboxHandoffStore(backend, outbox)
        await store.open_urgent(replace(request("woman-danger"), urgent=True))
        await store.finish_deliveries()
        loop = asyncio.get_running_loop().create_task(store.keep_delivering(0.01))
        backend.down = False
        for _ in range(500):  # no other call is made: only the loop can deliver it
            if backend.requests:
                break
            await asyncio.sleep(0.01)
        loop.cancel()
        return backend

    assert [r.conversation_id for r in asyncio.run(scenario()).requests] == ["woman-danger"]
