"""A message shown to her page counts once the page acknowledges it; without that it waits again."""
from __future__ import annotations

import asyncio
from typing import Any, List, Optional

import pytest

from connectors.webchat.acknowledgements import NOT_CONFIRMED, Acknowledgements, with_ids
from connectors.webchat.store import PAGE_CLOSED, WebChatStore


class Reports:
    def __init__(self) -> None:
        self.made: List[tuple] = []

    def report(self, message_id: Optional[int], state: str, detail: str = "") -> None:
        self.made.append((message_id, state, detail))


class Sockets:
    """The socket.io server as far as showing a message goes: records emits, and acknowledges if told to."""

    def __init__(self, acknowledging: bool, failing: bool = False) -> None:
        self.acknowledging, self.failing = acknowledging, failing
        self.emitted: List[dict] = []

    async def emit(self, event: str, data: dict, room: str, namespace: str, callback: Any = None) -> None:
        if self.failing:
            raise ConnectionError("the message queue is gone")
        self.emitted.append(data)
        if callback is not None and self.acknowledging:
            asyncio.get_running_loop().call_later(0.01, callback, "shown")


@pytest.fixture
def store(tmp_path):
    return WebChatStore(tmp_path / "webchat.db")


def show(acknowledgements: Acknowledgements, sockets: Sockets, messages: List[dict], expert_id: Optional[int] = 7):
    shown_again: List[str] = []

    async def redeliver(session_id: str) -> None:
        shown_again.append(session_id)

    async def run() -> None:
        row_id = acknowledgements.keep_unconfirmed("web-1", messages, expert_id)
        await acknowledgements.show(sockets, "bot_uttered", "/", "web-1", row_id, messages, expert_id, redeliver)
        await acknowledgements.settled()

    asyncio.run(run())
    return shown_again


def test_an_acknowledged_message_is_forgotten_and_reported_accepted(store):
    reports = Reports()
    sockets = Sockets(acknowledging=True)
    messages = with_ids([{"text": "【律师回复】"}, {"text": "请保留好证据。"}])
    assert show(Acknowledgements(store, reports, ack_seconds=2), sockets, messages) == []
    assert sockets.emitted == messages
    assert reports.made == [(7, "accepted", "")]
    assert store.take_waiting("web-1") == []


def test_a_message_no_page_acknowledges_waits_again_and_is_offered_again(store):
    reports = Reports()
    messages = with_ids([{"text": "【律师回复】请保留好证据。"}])
    shown_again = show(Acknowledgements(store, reports, ack_seconds=0.1), Sockets(acknowledging=False), messages)
    assert shown_again == ["web-1"]
    assert reports.made == [(7, "waiting", NOT_CONFIRMED)]
    waiting = store.take_waiting("web-1", (PAGE_CLOSED,))
    assert [w.messages for w in waiting] == [messages]  # the same ids: a page that has it shows it once


def test_a_message_that_waits_again_and_again_is_reported_waiting_once(store):
    reports = Reports()
    acknowledgements = Acknowledgements(store, reports, ack_seconds=0.05)
    sockets = Sockets(acknowledging=False)
    messages = with_ids([{"text": "【律师回复】"}])

    async def run() -> None:
        row_id = acknowledgements.keep_unconfirmed("web-1", messages, 7)
        for _ in range(3):  # shown, not acknowledged, taken again: a page whose connection died
            await acknowledgements.show(sockets, "bot_uttered", "/", "web-1", row_id, messages, 7, _nothing)
            await acknowledgements.settled()
            assert [w.id for w in store.take_waiting("web-1")] == [row_id]
        sockets.acknowledging = True
        await acknowledgements.show(sockets, "bot_uttered", "/", "web-1", row_id, messages, 7, _nothing)
        await acknowledgements.settled()

    asyncio.run(run())
    assert reports.made == [(7, "waiting", NOT_CONFIRMED), (7, "accepted", "")]


async def _nothing(_: str) -> None:
    return None


def test_an_emit_that_fails_leaves_the_message_waiting(store):
    reports = Reports()
    messages = with_ids([{"text": "【律师回复】"}])
    with pytest.raises(ConnectionError):
        show(Acknowledgements(store, reports, ack_seconds=0.05), Sockets(acknowledging=False, failing=True), messages)
    assert [w.messages for w in store.take_waiting("web-1")] == [messages]
    assert reports.made == [(7, "waiting", NOT_CONFIRMED)]


def test_a_redelivery_that_fails_is_logged_and_the_message_still_waits(store, caplog):
    acknowledgements = Acknowledgements(store, Reports(), ack_seconds=0.05)
    messages = with_ids([{"text": "【律师回复】"}])

    async def broken(_: str) -> None:
        raise ConnectionError("Redis is away")

    async def run() -> None:
        row_id = acknowledgements.keep_unconfirmed("web-1", messages, None)
        await acknowledgements.show(Sockets(acknowledging=False), "bot_uttered", "/", "web-1", row_id, messages,
                                    None, broken)
        await acknowledgements.settled()

    asyncio.run(run())
    assert "not shown again" in caplog.text
    assert len(store.take_waiting("web-1")) == 1


def test_each_part_gets_its_own_id_and_keeps_what_it_says():
    parts = with_ids([{"text": "一"}, {"text": "二", "quick_replies": []}])
    assert [part["text"] for part in parts] == ["一", "二"] and parts[1]["quick_replies"] == []
    assert len({part["id"] for part in parts}) == 2
    assert parts[0]["id"] != with_ids([{"text": "一"}])[0]["id"]
