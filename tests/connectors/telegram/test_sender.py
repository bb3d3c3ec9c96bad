"""Sending with bounded retries against the fake Bot API; failures end up recorded."""
import asyncio
import logging

import pytest
from telegram import Bot

from connectors.telegram.sender import TelegramSender
from connectors.telegram.store import TelegramStore
from tests.connectors.telegram.fake_api import FakeTelegramApi
from tests.routing_process import free_port

CHAT = "4242"


@pytest.fixture
def api():
    with FakeTelegramApi() as fake:
        yield fake


def make_sender(base_url, token, tmp_path, waits):
    async def sleep(seconds):
        waits.append(seconds)

    return TelegramSender(Bot(token, base_url=base_url), TelegramStore(tmp_path / "telegram.db"),
                          attempts=4, base_delay=0.5, max_delay=30.0, sleep=sleep)


def test_server_errors_are_retried_with_growing_waits(api, tmp_path):
    waits = []
    api.fail("sendMessage", 500, times=2)
    sender = make_sender(api.base_url, api.token, tmp_path, waits)
    message = asyncio.run(sender.send_message(CHAT, "你好"))
    assert message is not None and len(api.calls_to("sendMessage")) == 3
    assert waits == [0.5, 1.0]
    assert sender.store.deletable_messages(CHAT) == [message.message_id]
    assert sender.store.undelivered() == []


def test_flood_control_waits_as_long_as_telegram_asks(api, tmp_path):
    waits = []
    api.fail("sendMessage", 429, retry_after=3, description="Too Many Requests: retry after 3")
    sender = make_sender(api.base_url, api.token, tmp_path, waits)
    assert asyncio.run(sender.send_message(CHAT, "你好")) is not None
    assert waits == [3.0]


def test_after_the_last_try_the_message_is_recorded_and_logged(api, tmp_path, caplog):
    waits = []
    api.fail("sendMessage", 502, times=10, description="Bad Gateway")
    sender = make_sender(api.base_url, api.token, tmp_path, waits)
    with caplog.at_level(logging.ERROR):
        assert asyncio.run(sender.send_message(CHAT, "请保留证据")) is None
    assert len(api.calls_to("sendMessage")) == 4 and waits == [0.5, 1.0, 2.0]
    (row,) = sender.store.undelivered()
    assert (row.chat_id, row.method, row.body["text"], row.reason) == (CHAT, "sendMessage", "请保留证据",
                                                                      "failed_after_retries")
    assert any("not delivered" in r.getMessage() for r in caplog.records)


def test_a_blocked_bot_is_recorded_without_retrying(api, tmp_path):
    waits = []
    api.fail("sendMessage", 403, description="Forbidden: bot was blocked by the user")
    sender = make_sender(api.base_url, api.token, tmp_path, waits)
    assert asyncio.run(sender.send_message(CHAT, "你好")) is None
    assert len(api.calls_to("sendMessage")) == 1 and waits == []
    assert [r.reason for r in sender.store.undelivered()] == ["forbidden"]


def test_an_unreachable_api_is_retried_then_recorded(tmp_path):
    waits = []
    sender = make_sender(f"http://127.0.0.1:{free_port()}/bot", "1:x", tmp_path, waits)
    assert asyncio.run(sender.send_message(CHAT, "你好")) is None
    assert waits == [0.5, 1.0, 2.0]
    assert [r.reason for r in sender.store.undelivered()] == ["failed_after_retries"]


def test_a_message_that_cannot_be_deleted_any_more_is_not_recorded(api, tmp_path):
    api.fail("deleteMessage", 400, description="Bad Request: message to delete not found")
    sender = make_sender(api.base_url, api.token, tmp_path, [])
    assert asyncio.run(sender.delete_message(CHAT, 5)) is False
    assert asyncio.run(sender.delete_message(CHAT, 6)) is True
    assert sender.store.undelivered() == []
