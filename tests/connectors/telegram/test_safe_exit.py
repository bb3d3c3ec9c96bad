"""Safe exit on its own: what is deleted, what is kept for later, what is always sent."""
import asyncio

import pytest
from telegram import Bot

from connectors.telegram.safe_exit import safe_exit
from connectors.telegram.sender import TelegramSender
from connectors.telegram.store import TelegramStore
from connectors.telegram.texts import SAFE_EXIT_HINT
from tests.connectors.telegram.fake_api import FakeTelegramApi

CHAT = "4242"


@pytest.fixture
def api():
    with FakeTelegramApi() as fake:
        yield fake


@pytest.fixture
def sender(api, tmp_path):
    return TelegramSender(Bot(api.token, base_url=api.base_url), TelegramStore(tmp_path / "telegram.db"),
                          attempts=2, base_delay=0.01)


def test_only_messages_telegram_still_lets_us_delete_are_tried(api, sender):
    now = sender.store.now()
    sender.store.remember_message(CHAT, 1, "in", sent_at=now - 50 * 3600)
    sender.store.remember_message(CHAT, 2, "out", sent_at=now - 3600)
    sender.store.remember_message(CHAT, 3, "in")
    sender.store.remember_message("other-chat", 4, "in")

    async def dialogue():
        return None

    assert asyncio.run(safe_exit(CHAT, sender, dialogue)) == 2
    assert sorted(c["message_id"] for c in api.calls_to("deleteMessage")) == [2, 3]
    assert api.sent_texts(int(CHAT)) == [SAFE_EXIT_HINT]


def test_a_deletion_that_failed_is_kept_for_the_next_attempt_and_the_hint_still_goes(api, sender):
    sender.store.remember_message(CHAT, 10, "in")
    sender.store.remember_message(CHAT, 11, "out")
    api.fail("deleteMessage", 500, times=3)  # both fail once, then one of them fails again

    async def broken_dialogue():
        raise RuntimeError("Rasa is down")

    assert asyncio.run(safe_exit(CHAT, sender, broken_dialogue)) == 1
    assert api.sent_texts(int(CHAT)) == [SAFE_EXIT_HINT]
    left = sender.store.deletable_messages(CHAT)
    assert len(left) == 2 and set(left) & {10, 11}  # the failed one and the hint
    assert [r.method for r in sender.store.undelivered()] == ["deleteMessage"]
    assert sender.store.quiet_since(CHAT) is not None
