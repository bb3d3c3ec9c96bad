"""The Telegram channel as she lives it: safe exit in any wording and by code word, honest delivery
of experts' replies, buttons that go once answered, edits, captions and albums.

Real HTTP both ways: the channel's blueprint in a Sanic server, the fake Bot API recording calls."""
import asyncio
import json

import httpx
import pytest
from rasa.core.channels.channel import CollectingOutputChannel

from connectors.safe_exit_words import CODE_WORD_SET
from connectors.telegram.channel import SECRET_HEADER
from connectors.telegram.texts import HELD_WHILE_AWAY, MEDIA_NOT_READ, SAFE_EXIT_HINT
from tests.connectors.telegram.channel_server import SECRET, StubDialogue, serve, settings_for
from tests.connectors.telegram.fake_api import (
    FakeTelegramApi,
    callback_update,
    edited_text_update,
    photo_update,
    text_update,
)

CHAT = 5151
CRISIS_TEXT = "你现在有危险，请马上拨打110报警；受伤了请拨打120。\n你现在安全吗？"
CRISIS_BUTTONS = [{"title": "我现在安全", "payload": "/affirm"}, {"title": "我不安全", "payload": "/deny"}]


class Reports:
    """Stands in for connectors.delivery_reports.DeliveryReports: what the routing backend would hear."""

    def __init__(self):
        self.made = []

    def report(self, message_id, state, detail=""):
        if message_id is not None:
            self.made.append((message_id, state, detail))


@pytest.fixture
def api():
    with FakeTelegramApi() as fake:
        yield fake


def channel_with(api, tmp_path, reports=None):
    from connectors.telegram.channel import TelegramInput

    return TelegramInput(settings_for(api, tmp_path), sender_options={"base_delay": 0.01}, reports=reports)


async def post(client, base, body):
    return await client.post(f"{base}/webhooks/telegram/webhook", content=json.dumps(body, ensure_ascii=False),
                             headers={"Content-Type": "application/json", SECRET_HEADER: SECRET})


def run(channel, dialogue, scenario):
    async def main():
        async with serve(channel, dialogue) as base, httpx.AsyncClient(timeout=60) as client:
            return await scenario(client, base)
    return asyncio.run(main())


def expert_reply(message_id, text="【律师回复】\n请保留好证据。"):
    return {"text": text, "expert_message_id": message_id}


@pytest.mark.parametrize("wording", ["安全退出！", "安全退出。", "安全 退出", "退出", "他来了快删", "老公回来了快删",
                                     "快删掉", "删掉记录", "清空聊天"])
def test_exit_in_any_wording_deletes_her_chat_and_holds_the_expert_reply(api, tmp_path, wording):
    reports = Reports()
    dialogue = StubDialogue(lambda text: [] if text == "/safe_exit" else [{"text": "可以申请保护令。"}])
    channel = channel_with(api, tmp_path, reports)

    async def scenario(client, base):
        await post(client, base, text_update(1, CHAT, "他打我", message_id=300))
        await post(client, base, text_update(2, CHAT, wording, message_id=302))
        await channel.get_output_channel().send_response(str(CHAT), expert_reply(17))

    run(channel, dialogue, scenario)
    deleted = sorted(call["message_id"] for call in api.calls_to("deleteMessage", CHAT))
    assert deleted == [300, 302, 5001]  # hers, the exit words, and the bot's answer
    assert api.sent_texts(CHAT) == ["可以申请保护令。", SAFE_EXIT_HINT] and "48小时" in SAFE_EXIT_HINT
    assert dialogue.texts == ["他打我", "/safe_exit"]  # the dialogue hears the exit, its reply is not shown
    assert isinstance(dialogue.messages[-1].output_channel, CollectingOutputChannel)
    assert reports.made == [(17, "waiting", "她用了安全退出，等她再发消息")]


def test_held_expert_reply_arrives_when_she_writes_again_and_is_reported_accepted(api, tmp_path):
    reports = Reports()
    dialogue = StubDialogue(lambda text: [] if text == "/safe_exit" else [{"text": "在的。"}])
    channel = channel_with(api, tmp_path, reports)

    async def scenario(client, base):
        await post(client, base, text_update(1, CHAT, "他来了快删"))
        await channel.get_output_channel().send_response(str(CHAT), expert_reply(18))
        await post(client, base, text_update(2, CHAT, "我回来了"))

    run(channel, dialogue, scenario)
    assert api.sent_texts(CHAT) == [SAFE_EXIT_HINT, HELD_WHILE_AWAY, "【律师回复】\n请保留好证据。", "在的。"]
    assert [state for _, state, _ in reports.made] == ["waiting", "accepted"]


def test_a_code_word_she_arranged_is_a_safe_exit_only_in_her_chat(api, tmp_path):
    dialogue = StubDialogue(lambda text: [] if text == "/safe_exit" else [{"text": f"收到：{text}"}])
    channel = channel_with(api, tmp_path)

    async def scenario(client, base):
        await post(client, base, text_update(1, CHAT, "设置暗号 买菜", message_id=400))
        await post(client, base, text_update(2, CHAT + 1, "买菜"))  # someone else's chat: just words
        await post(client, base, text_update(3, CHAT, "买菜！", message_id=402))

    run(channel, dialogue, scenario)
    assert api.sent_texts(CHAT) == [CODE_WORD_SET, SAFE_EXIT_HINT]
    assert dialogue.texts == ["买菜", "/safe_exit"]  # the code word itself never reaches the dialogue
    assert {400, 402, 5001} <= {call["message_id"] for call in api.calls_to("deleteMessage", CHAT)}


def test_a_reply_telegram_refuses_is_reported_with_its_reason_and_sent_when_she_writes(api, tmp_path):
    reports = Reports()
    channel = channel_with(api, tmp_path, reports)
    api.fail("sendMessage", 403, description="Forbidden: bot was blocked by the user")

    async def scenario(client, base):
        await channel.get_output_channel().send_response(str(CHAT), expert_reply(19))
        await post(client, base, text_update(1, CHAT, "我把你解除屏蔽了"))

    run(channel, StubDialogue(lambda text: []), scenario)
    assert reports.made[0][:2] == (19, "refused") and "blocked" in reports.made[0][2]
    assert reports.made[1] == (19, "accepted", "")
    assert api.sent_texts(CHAT)[-2:] == [HELD_WHILE_AWAY, "【律师回复】\n请保留好证据。"]


def test_an_accepted_expert_reply_is_reported_and_an_ordinary_answer_is_not(api, tmp_path):
    reports = Reports()
    channel = channel_with(api, tmp_path, reports)

    async def scenario(client, base):
        await channel.get_output_channel().send_response(str(CHAT), expert_reply(20))
        await channel.get_output_channel().send_response(str(CHAT), {"text": "普通的回答"})

    run(channel, StubDialogue(), scenario)
    assert reports.made == [(20, "accepted", "")]


def test_a_pressed_keyboard_is_removed_and_not_safe_under_an_old_crisis_message_is_the_crisis_path(api, tmp_path):
    def replies(text):
        if text == "他拿着刀":
            return [{"text": CRISIS_TEXT, "buttons": CRISIS_BUTTONS}]
        return [{"text": f"收到：{text}"}]

    dialogue = StubDialogue(replies)
    channel = channel_with(api, tmp_path)

    async def scenario(client, base):
        await post(client, base, text_update(1, CHAT, "他拿着刀"))
        crisis = api.calls_to("sendMessage", CHAT)[0]
        await post(client, base, text_update(2, CHAT, "我想问问离婚的事"))  # the conversation moves on
        keyboard = crisis["reply_markup"]["inline_keyboard"]
        await post(client, base, callback_update(3, CHAT, keyboard[1][0]["callback_data"], "q-1",
                                                 message_id=crisis["result_message_id"], keyboard=keyboard))
        return crisis

    crisis = run(channel, dialogue, scenario)
    titles = [(row[0]["text"], row[0]["callback_data"]) for row in crisis["reply_markup"]["inline_keyboard"]]
    assert titles == [("我现在安全", "/affirm"), ("我不安全", "/crisis_violence")]
    assert dialogue.texts[-1] == "/crisis_violence"  # never 「好的。还有什么想问的」
    removed = api.calls_to("editMessageReplyMarkup", CHAT)
    assert [call["message_id"] for call in removed] == [crisis["result_message_id"]]
    assert "reply_markup" not in removed[0] or not removed[0]["reply_markup"].get("inline_keyboard")


def test_an_edited_message_is_read_as_a_new_message_danger_included(api, tmp_path):
    dialogue = StubDialogue()

    async def scenario(client, base):
        await post(client, base, text_update(1, CHAT, "我想问点事", message_id=500))
        await post(client, base, edited_text_update(2, CHAT, "他现在拿着刀在门外", message_id=500))

    run(channel_with(api, tmp_path), dialogue, scenario)
    assert dialogue.texts == ["我想问点事", "他现在拿着刀在门外"]


def test_a_caption_is_her_words_and_an_album_gets_one_notice(api, tmp_path):
    dialogue = StubDialogue()

    async def scenario(client, base):
        await post(client, base, photo_update(1, CHAT, caption="他现在拿着刀在门外"))
        for update_id in (2, 3, 4):
            await post(client, base, photo_update(update_id, CHAT, media_group_id="album-1"))

    run(channel_with(api, tmp_path), dialogue, scenario)
    assert dialogue.texts == ["他现在拿着刀在门外"]
    assert api.sent_texts(CHAT) == ["收到：他现在拿着刀在门外", MEDIA_NOT_READ]
