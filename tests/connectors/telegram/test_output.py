"""The output channel: what Rasa sends, what is held after a safe exit, custom payloads."""
import asyncio

import pytest
from telegram import Bot

from connectors.telegram.output import HELD_REASON, TelegramOutput, send_held_messages
from connectors.telegram.sender import TelegramSender
from connectors.telegram.store import TelegramStore
from connectors.telegram.texts import HELD_WHILE_AWAY
from tests.connectors.telegram.fake_api import FakeTelegramApi

CHAT = "4242"


@pytest.fixture
def api():
    with FakeTelegramApi() as fake:
        yield fake


@pytest.fixture
def sender(api, tmp_path):
    return TelegramSender(Bot(api.token, base_url=api.base_url), TelegramStore(tmp_path / "telegram.db"),
                          base_delay=0.01)


def test_custom_payloads_with_text_are_sent_and_others_recorded(api, sender):
    output = TelegramOutput(sender, replying_since=sender.store.now())

    async def scenario():
        await output.send_response(CHAT, {"custom": {"text": "自定义消息", "buttons": [{"title": "好", "payload": "/affirm"}]}})
        await output.send_response(CHAT, {"custom": {"map": [23.1, 113.3]}})
        await output.send_response(CHAT, {"image": "https://example.org/map.png"})

    asyncio.run(scenario())
    sent = api.calls_to("sendMessage")
    assert [s["text"] for s in sent] == ["自定义消息", "https://example.org/map.png"]
    assert sent[0]["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "/affirm"
    assert [r.reason for r in sender.store.undelivered()] == ["unsupported"]


def test_a_reply_to_a_message_from_before_the_safe_exit_is_held(api, sender):
    before = sender.store.now() - 5
    sender.store.set_quiet(CHAT)
    late_reply = TelegramOutput(sender, replying_since=before)
    reply_after_return = TelegramOutput(sender, replying_since=sender.store.now() + 5)

    asyncio.run(late_reply.send_response(CHAT, {"text": "迟到的回答"}))
    assert api.calls_to("sendMessage") == []
    assert [r.reason for r in sender.store.undelivered()] == [HELD_REASON]
    asyncio.run(reply_after_return.send_response(CHAT, {"text": "新的回答"}))
    assert api.sent_texts(int(CHAT)) == ["新的回答"]


def test_held_messages_keep_their_buttons_when_sent_later(api, sender):
    sender.store.set_quiet(CHAT)
    pushed = TelegramOutput(sender, replying_since=None)
    asyncio.run(pushed.send_response(CHAT, {"text": "【律师回复】", "buttons": [{"title": "谢谢", "payload": "/thanks"}]}))
    sender.store.clear_quiet(CHAT)
    assert asyncio.run(send_held_messages(sender, CHAT)) == 1
    sent = api.calls_to("sendMessage")
    assert [s["text"] for s in sent] == [HELD_WHILE_AWAY, "【律师回复】"]
    assert sent[1]["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "/thanks"
    assert asyncio.run(send_held_messages(sender, CHAT)) == 0


def test_a_reply_on_its_way_when_she_leaves_is_deleted_and_held(api, sender):
    """Safe exit collects the ids to delete at once; a message still in flight then must not stay in her chat."""
    output = TelegramOutput(sender, replying_since=sender.store.now() - 1)
    real_send = sender.send_message

    async def send_while_she_leaves(chat_id, text, reply_markup=None, expert_message_id=None):
        sent = await real_send(chat_id, text, reply_markup, expert_message_id)
        sender.store.set_quiet(chat_id)  # safe exit ran while this message was on its way
        return sent

    sender.send_message = send_while_she_leaves
    answer = "第一段。" * 1000 + "\n\n" + "第二段。" * 100  # two messages
    asyncio.run(output.send_response(CHAT, {"text": answer}))
    (first,) = api.calls_to("sendMessage")
    assert [c["message_id"] for c in api.calls_to("deleteMessage")] == [first["result_message_id"]]
    assert [r.body["text"][:3] for r in sender.store.undelivered(reason=HELD_REASON)] == ["第一段", "第二段"]
    assert sender.store.deletable_messages(CHAT) == []
