"""The Telegram channel's blueprint over real HTTP, with a stub dialogue and the fake Bot API."""
import asyncio
import json
import logging

import httpx
import pytest
from rasa.core.channels.channel import CollectingOutputChannel

from connectors.telegram.channel import SECRET_HEADER, TelegramInput
from connectors.telegram.texts import (
    BUTTON_EXPIRED,
    HELD_WHILE_AWAY,
    MEDIA_NOT_READ,
    PRIVATE_CHAT_ONLY,
    SAFE_EXIT_HINT,
)
from tests.connectors.telegram.channel_server import SECRET, StubDialogue, channel_for, serve
from tests.connectors.telegram.fake_api import (
    FakeTelegramApi,
    callback_update,
    location_update,
    photo_update,
    sticker_update,
    text_update,
)

CHAT = 4242


@pytest.fixture
def api():
    with FakeTelegramApi() as fake:
        yield fake


def post(client, base, body, secret=SECRET):
    headers = {SECRET_HEADER: secret} if secret is not None else {}
    content = body if isinstance(body, (bytes, str)) else json.dumps(body, ensure_ascii=False)
    return client.post(f"{base}/webhooks/telegram/webhook", content=content,
                       headers={"Content-Type": "application/json", **headers})


def run(channel, dialogue, scenario):
    async def main():
        async with serve(channel, dialogue) as base, httpx.AsyncClient(timeout=60) as client:
            return await scenario(client, base)
    return asyncio.run(main())


def test_without_a_token_the_channel_is_disabled_and_says_so_once(monkeypatch, tmp_path, caplog):
    for name in ("TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET", "TELEGRAM_WEBHOOK_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ASSISTANT_VAR_DIR", str(tmp_path))
    with caplog.at_level(logging.WARNING):
        channel = TelegramInput.from_credentials(None)
    assert channel.get_output_channel() is None
    dialogue = StubDialogue()

    async def scenario(client, base):
        health = await client.get(f"{base}/webhooks/telegram/")
        webhook = await post(client, base, text_update(1, CHAT, "你好"))
        return health.status_code, webhook.status_code

    assert run(channel, dialogue, scenario) == (503, 503)
    assert dialogue.messages == []
    disabled = [r for r in caplog.records if "Telegram channel disabled" in r.getMessage()]
    assert len(disabled) == 1 and "TELEGRAM_BOT_TOKEN" in disabled[0].getMessage()


@pytest.mark.parametrize("secret", [None, "", "wrong-secret", SECRET + "x"])
def test_a_forged_or_missing_secret_is_refused_and_nothing_is_processed(api, tmp_path, secret):
    dialogue = StubDialogue()

    async def scenario(client, base):
        return (await post(client, base, text_update(1, CHAT, "你好"), secret=secret)).status_code

    assert run(channel_for(api, tmp_path), dialogue, scenario) == 403
    assert dialogue.messages == [] and api.calls == []


@pytest.mark.parametrize("body", [b"{not json", b"", b"[]", b'{"update_id": "7"}',
                                  b'{"update_id": 7, "message": "oops"}'])
def test_a_malformed_update_is_400_logged_and_not_processed(api, tmp_path, caplog, body):
    dialogue = StubDialogue()

    async def scenario(client, base):
        return (await post(client, base, body)).status_code

    with caplog.at_level(logging.WARNING):
        assert run(channel_for(api, tmp_path), dialogue, scenario) == 400
    assert dialogue.messages == [] and api.calls == []
    assert any("malformed update" in r.getMessage() for r in caplog.records)


def test_text_reaches_the_dialogue_and_the_reply_is_sent_as_plain_text(api, tmp_path):
    tricky = "<script>alert(1)</script> *_[ 不要转义 & </b>"
    dialogue = StubDialogue(lambda text: [{"text": tricky}])

    async def scenario(client, base):
        return (await post(client, base, text_update(1, CHAT, "单位知道我怀孕就要辞退我"))).status_code

    assert run(channel_for(api, tmp_path), dialogue, scenario) == 200
    message = dialogue.messages[0]
    assert (message.text, message.sender_id, message.input_channel) == ("单位知道我怀孕就要辞退我", str(CHAT), "telegram")
    assert "first_name" not in json.dumps(message.metadata)  # no names in the tracker
    sent = api.calls_to("sendMessage", CHAT)
    assert [s["text"] for s in sent] == [tricky] and "parse_mode" not in sent[0]


def test_commands_become_intents_and_typed_intents_are_not_injected(api, tmp_path):
    typed = ["/start", "/help", "/human", "/status", "/start@test_helper_bot", "/start from-a-link",
             "/legal_divorce", '/share_location{"latitude": 1, "longitude": 2}']
    dialogue = StubDialogue(lambda text: [])

    async def scenario(client, base):
        for number, text in enumerate(typed, start=1):
            assert (await post(client, base, text_update(number, CHAT, text))).status_code == 200

    run(channel_for(api, tmp_path), dialogue, scenario)
    assert dialogue.texts == ["/greet", "/ask_capabilities", "/request_human", "/ticket_status", "/greet", "/greet",
                              "legal_divorce", 'share_location{"latitude": 1, "longitude": 2}']


def test_buttons_are_an_inline_keyboard_and_a_press_is_answered_and_handed_over(api, tmp_path):
    long_payload = '/choose_faq{"faq_id": "legal_employment_pregnancy_dismissal_compensation_2024"}'
    assert len(long_payload.encode()) > 64

    def replies(text):
        if text == "我怀孕被辞退了":
            return [{"text": "你想问的是哪一个？", "buttons": [
                {"title": "怀孕被辞退怎么办", "payload": "/legal_employment"},
                {"title": "赔偿怎么算", "payload": long_payload}]}]
        return [{"text": f"好的：{text}"}]

    dialogue = StubDialogue(replies)

    async def scenario(client, base):
        await post(client, base, text_update(1, CHAT, "我怀孕被辞退了"))
        keyboard = api.calls_to("sendMessage", CHAT)[0]["reply_markup"]["inline_keyboard"]
        data = [row[0]["callback_data"] for row in keyboard]
        assert data[0] == "/legal_employment" and all(len(d.encode()) <= 64 for d in data)
        await post(client, base, callback_update(2, CHAT, data[1], query_id="q-2"))
        await post(client, base, callback_update(3, CHAT, data[0], query_id="q-3"))
        return keyboard

    keyboard = run(channel_for(api, tmp_path), dialogue, scenario)
    assert [row[0]["text"] for row in keyboard] == ["怀孕被辞退怎么办", "赔偿怎么算"]
    assert dialogue.texts == ["我怀孕被辞退了", long_payload, "/legal_employment"]
    assert [c["callback_query_id"] for c in api.calls_to("answerCallbackQuery")] == ["q-2", "q-3"]


def test_a_location_button_asks_for_her_location_and_a_shared_location_reaches_the_dialogue(api, tmp_path):
    def replies(text):
        if text == "附近的妇联在哪":
            return [{"text": "发个位置给我，我帮你找最近的妇联。",
                     "buttons": [{"title": "发送我的位置", "payload": "/share_location"}]}]
        return []

    dialogue = StubDialogue(replies)

    async def scenario(client, base):
        await post(client, base, text_update(1, CHAT, "附近的妇联在哪"))
        await post(client, base, location_update(2, CHAT, 23.12, 113.36))

    run(channel_for(api, tmp_path), dialogue, scenario)
    markup = api.calls_to("sendMessage", CHAT)[0]["reply_markup"]
    assert markup["one_time_keyboard"] is True
    assert markup["keyboard"] == [[{"text": "发送我的位置", "request_location": True}]]
    assert dialogue.texts[1] == '/share_location{"latitude": 23.12, "longitude": 113.36}'


def test_a_repeated_update_or_callback_is_processed_once_even_after_a_restart(api, tmp_path):
    dialogue = StubDialogue()

    async def first_run(client, base):
        statuses = [(await post(client, base, text_update(10, CHAT, "你好"))).status_code for _ in range(2)]
        await post(client, base, callback_update(11, CHAT, "/greet", query_id="same-query"))
        await post(client, base, callback_update(12, CHAT, "/greet", query_id="same-query"))
        return statuses

    async def after_restart(client, base):
        return (await post(client, base, text_update(10, CHAT, "你好"))).json()

    assert run(channel_for(api, tmp_path), dialogue, first_run) == [200, 200]
    assert run(channel_for(api, tmp_path), dialogue, after_restart) == {"status": "duplicate"}
    assert dialogue.texts == ["你好", "/greet"]
    assert len(api.calls_to("answerCallbackQuery")) == 1


def test_a_failure_while_processing_is_500_and_the_redelivery_is_handled(api, tmp_path):
    dialogue = StubDialogue()
    dialogue.fail_next = 1

    async def scenario(client, base):
        return [(await post(client, base, text_update(20, CHAT, "你好"))).status_code for _ in range(2)]

    assert run(channel_for(api, tmp_path), dialogue, scenario) == [500, 200]
    assert dialogue.texts == ["你好"]


def test_stickers_and_photos_get_a_polite_request_for_words(api, tmp_path):
    dialogue = StubDialogue()

    async def scenario(client, base):
        await post(client, base, sticker_update(30, CHAT))
        await post(client, base, photo_update(31, CHAT, caption="这是他打我的伤"))

    run(channel_for(api, tmp_path), dialogue, scenario)
    texts = api.sent_texts(CHAT)
    assert texts == [MEDIA_NOT_READ, "收到：这是他打我的伤"] and "文字" in MEDIA_NOT_READ
    assert dialogue.texts == ["这是他打我的伤"]  # the caption is her words: no request to write them


def test_a_20000_character_message_is_handled_and_a_long_answer_is_split(api, tmp_path):
    huge = "我老公经常打我，还不给生活费。" * 1334
    paragraph = "第{}段：" + "依据反家庭暴力法，你可以申请人身安全保护令。" * 20
    answer = "\n\n".join(paragraph.format(n) for n in range(30))
    dialogue = StubDialogue(lambda text: [{"text": answer, "buttons": [{"title": "转人工", "payload": "/request_human"}]}])

    async def scenario(client, base):
        return (await post(client, base, text_update(40, CHAT, huge))).status_code

    assert run(channel_for(api, tmp_path), dialogue, scenario) == 200
    assert dialogue.texts == [huge]
    sent = api.calls_to("sendMessage", CHAT)
    assert len(sent) > 1 and all(len(s["text"]) <= 4096 for s in sent)
    assert all(s["text"].startswith("第") for s in sent)  # cut at paragraphs
    assert "\n\n".join(s["text"] for s in sent) == answer
    assert [("reply_markup" in s) for s in sent] == [False] * (len(sent) - 1) + [True]


@pytest.mark.parametrize("text", ["😭😭😭🙏", "", "   "])
def test_emoji_only_and_empty_text_still_reach_the_dialogue(api, tmp_path, text):
    dialogue = StubDialogue(lambda _: [{"text": "可以用几句话告诉我你遇到了什么情况吗？"}])

    async def scenario(client, base):
        return (await post(client, base, text_update(50, CHAT, text))).status_code

    assert run(channel_for(api, tmp_path), dialogue, scenario) == 200
    assert len(dialogue.messages) == 1 and api.sent_texts(CHAT)


@pytest.mark.parametrize("exit_text", ["安全退出", "/exit"])
def test_safe_exit_deletes_the_chat_and_leaves_only_the_hint(api, tmp_path, exit_text):
    dialogue = StubDialogue(lambda text: [{"text": "好的，这个对话到此结束。"}] if text == "/safe_exit"
                            else [{"text": f"关于{text}：可以申请保护令。", "buttons": [{"title": "转人工", "payload": "/request_human"}]}])
    channel = channel_for(api, tmp_path)

    async def scenario(client, base):
        await post(client, base, text_update(60, CHAT, "他打我", message_id=700))
        await post(client, base, text_update(61, CHAT, "怎么申请保护令", message_id=702))
        await post(client, base, text_update(62, CHAT, exit_text, message_id=704))
        outgoing = [m for m in channel.store.deletable_messages(str(CHAT))]
        # an expert's reply pushed now must not appear in her chat
        await channel.get_output_channel().send_response(str(CHAT), {"text": "【律师回复】请保留证据。"})
        return outgoing

    remaining = run(channel, dialogue, scenario)
    bot_messages = [5001, 5002]
    deleted = sorted(c["message_id"] for c in api.calls_to("deleteMessage", CHAT))
    assert deleted == sorted([700, 702, 704] + bot_messages)
    texts = api.sent_texts(CHAT)
    assert texts[-1] == SAFE_EXIT_HINT and "【律师回复】" not in "".join(texts)
    assert api.calls_to("sendMessage", CHAT)[-1]["reply_markup"] == {"remove_keyboard": True}
    assert remaining == [5003]  # only the hint is left, remembered for a later safe exit
    exit_message = dialogue.messages[-1]
    assert exit_message.text == "/safe_exit" and isinstance(exit_message.output_channel, CollectingOutputChannel)
    held = channel.store.undelivered(chat_id=str(CHAT))
    assert [row.body["text"] for row in held] == ["【律师回复】请保留证据。"]


def test_after_a_safe_exit_held_messages_arrive_when_she_writes_again(api, tmp_path):
    dialogue = StubDialogue(lambda text: [] if text == "/safe_exit" else [{"text": "在的。"}])
    channel = channel_for(api, tmp_path)

    async def scenario(client, base):
        await post(client, base, text_update(70, CHAT, "安全退出"))
        await channel.get_output_channel().send_response(str(CHAT), {"text": "【律师回复】请保留证据。"})
        assert api.sent_texts(CHAT) == [SAFE_EXIT_HINT]
        await post(client, base, text_update(71, CHAT, "我回来了"))

    run(channel, dialogue, scenario)
    assert api.sent_texts(CHAT) == [SAFE_EXIT_HINT, HELD_WHILE_AWAY, "【律师回复】请保留证据。", "在的。"]
    assert channel.store.undelivered(chat_id=str(CHAT)) == []


def test_a_pushed_message_reaches_her_chat_through_get_output_channel(api, tmp_path):
    channel = channel_for(api, tmp_path)

    async def scenario(client, base):
        await channel.get_output_channel().send_response(str(CHAT), {"text": "【律师回复】孩子不满两周岁，一般由母亲直接抚养。"})

    run(channel, StubDialogue(), scenario)
    assert api.sent_texts(CHAT) == ["【律师回复】孩子不满两周岁，一般由母亲直接抚养。"]
    assert channel.get_output_channel().name() == channel.name() == "telegram"


def test_the_webhook_is_set_at_start_up_only_when_a_url_is_given(api, tmp_path):
    async def nothing(client, base):
        await asyncio.sleep(0)

    run(channel_for(api, tmp_path), StubDialogue(), nothing)
    assert api.calls_to("setWebhook") == []
    channel = channel_for(api, tmp_path, webhook_url="https://bot.example.org/webhooks/telegram/webhook")
    run(channel, StubDialogue(), lambda client, base: asyncio.to_thread(api.wait_for, "setWebhook"))
    (call,) = api.calls_to("setWebhook")
    assert call["url"] == "https://bot.example.org/webhooks/telegram/webhook" and call["secret_token"] == SECRET
    assert call["allowed_updates"] == ["message", "edited_message", "callback_query"]  # an edit is read too


def test_group_chats_get_a_hint_to_write_privately_and_are_not_processed(api, tmp_path):
    dialogue = StubDialogue()
    group_command, group_text = text_update(80, -100, "/start"), text_update(81, -100, "我被家暴了")
    for update in (group_command, group_text):
        update["message"]["chat"] = {"id": -100, "type": "group", "title": "某群"}

    async def scenario(client, base):
        await post(client, base, group_command)
        await post(client, base, group_text)

    run(channel_for(api, tmp_path), dialogue, scenario)
    assert dialogue.messages == [] and api.sent_texts(-100) == [PRIVATE_CHAT_ONLY]


def test_a_safe_exit_button_deletes_like_the_command(api, tmp_path):
    dialogue = StubDialogue(lambda text: [{"text": "需要的话可以安全退出。",
                                           "buttons": [{"title": "安全退出", "payload": "/safe_exit"}]}])

    async def scenario(client, base):
        await post(client, base, text_update(90, CHAT, "他在看我手机", message_id=900))
        data = api.calls_to("sendMessage", CHAT)[0]["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        await post(client, base, callback_update(91, CHAT, data, query_id="q-exit", message_id=5001))

    run(channel_for(api, tmp_path), dialogue, scenario)
    assert sorted(c["message_id"] for c in api.calls_to("deleteMessage", CHAT)) == [900, 5001]
    assert api.sent_texts(CHAT)[-1] == SAFE_EXIT_HINT and len(api.calls_to("answerCallbackQuery")) == 1
    assert isinstance(dialogue.messages[-1].output_channel, CollectingOutputChannel)


def test_a_press_on_an_expired_long_payload_is_answered_politely(api, tmp_path):
    dialogue = StubDialogue()

    async def scenario(client, base):
        await post(client, base, callback_update(95, CHAT, "#p:0123456789abcdef01234567", query_id="q-old"))

    run(channel_for(api, tmp_path), dialogue, scenario)
    assert dialogue.messages == [] and api.sent_texts(CHAT) == [BUTTON_EXPIRED]


def test_a_forged_callback_data_never_reaches_the_dialogue(api, tmp_path):
    """A modified client can press a button with callback_data the bot never sent."""
    dialogue = StubDialogue()

    async def scenario(client, base):
        for number, data in enumerate(["/request_human", '/share_location{"latitude": 1, "longitude": 2}']):
            await post(client, base, callback_update(96 + number, CHAT, data, query_id=f"q-forged-{number}",
                                                     offered=["/affirm", "/deny"]))

    run(channel_for(api, tmp_path), dialogue, scenario)
    assert dialogue.messages == [] and api.sent_texts(CHAT) == [BUTTON_EXPIRED, BUTTON_EXPIRED]
    assert len(api.calls_to("answerCallbackQuery")) == 2


def test_the_bot_token_never_reaches_the_log(api, tmp_path, caplog):
    """httpx logs each request URL at INFO, and every Bot API URL contains the token."""
    channel = channel_for(api, tmp_path)

    async def scenario(client, base):
        await post(client, base, text_update(97, CHAT, "你好"))

    with caplog.at_level(logging.INFO):
        run(channel, StubDialogue(), scenario)
    assert api.sent_texts(CHAT) == ["收到：你好"]
    assert not [r for r in caplog.records if api.token in r.getMessage()]


def test_safe_exit_also_deletes_messages_the_assistant_did_not_read(api, tmp_path):
    """E.g. pinning her message leaves a service message quoting it in the chat."""
    dialogue = StubDialogue()
    pinned = text_update(98, CHAT, "x", message_id=980)
    del pinned["message"]["text"]
    pinned["message"]["pinned_message"] = text_update(0, CHAT, "他打我", message_id=979)["message"]
    group_chatter = text_update(99, -100, "群里的话", message_id=990)
    group_chatter["message"]["chat"] = {"id": -100, "type": "group", "title": "某群"}

    async def scenario(client, base):
        for update in (text_update(97, CHAT, "他打我", message_id=979), pinned, group_chatter,
                       text_update(100, CHAT, "/exit", message_id=981)):
            assert (await post(client, base, update)).status_code == 200

    channel = channel_for(api, tmp_path)
    run(channel, dialogue, scenario)
    assert sorted(c["message_id"] for c in api.calls_to("deleteMessage", CHAT)) == [979, 980, 981, 5001]
    assert dialogue.texts == ["他打我", "/safe_exit"] and channel.store.deletable_messages("-100") == []


def replica(api, directory, shared):
    """A Rasa replica's channel: its own SQLite file, the deployment's Redis for the updates seen."""
    from connectors.telegram.channel import shared_first_seen
    from tests.connectors.telegram.channel_server import settings_for

    settings = settings_for(api, directory)
    return TelegramInput(settings, sender_options={"base_delay": 0.01}, first_seen=shared_first_seen(settings, shared))


def test_an_update_redelivered_to_two_replicas_at_once_is_handled_once(api, tmp_path, shared):
    dialogue = StubDialogue()
    first, second = replica(api, tmp_path / "rasa-1", shared), replica(api, tmp_path / "rasa-2", shared)

    async def main():
        async with serve(first, dialogue) as one, serve(second, dialogue) as two, \
                httpx.AsyncClient(timeout=60) as client:
            update = text_update(31, CHAT, "你好")
            answers = await asyncio.gather(post(client, one, update), post(client, two, update))
            return sorted(answer.json()["status"] for answer in answers)

    assert asyncio.run(main()) == ["duplicate", "ok"]
    assert dialogue.texts == ["你好"] and api.sent_texts(CHAT) == ["收到：你好"]


def test_an_update_that_failed_on_one_replica_is_handled_when_it_reaches_the_other(api, tmp_path, shared):
    dialogue = StubDialogue()
    dialogue.fail_next = 1
    first, second = replica(api, tmp_path / "rasa-1", shared), replica(api, tmp_path / "rasa-2", shared)

    async def main():
        async with serve(first, dialogue) as one, serve(second, dialogue) as two, \
                httpx.AsyncClient(timeout=60) as client:
            update = text_update(32, CHAT, "在吗")
            return (await post(client, one, update)).status_code, (await post(client, two, update)).status_code

    assert asyncio.run(main()) == (500, 200)  # Telegram delivers it again, this time to rasa-2
    assert dialogue.texts == ["在吗"]


def test_with_a_redis_url_the_channel_keeps_the_updates_seen_there(api, tmp_path, monkeypatch, shared):
    monkeypatch.setenv("ASSISTANT_REDIS_URL", shared.url)
    monkeypatch.setenv("ASSISTANT_REDIS_KEY_PREFIX", shared.prefix)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", api.token)
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", SECRET)
    monkeypatch.setenv("TELEGRAM_STORE_PATH", str(tmp_path / "telegram.db"))
    channel = TelegramInput.from_credentials(None)
    assert channel.first_seen.claim("update:7") is True
    assert shared.client.exists(shared.key("telegram", api.token.split(":")[0], "seen", "update:7"))
    monkeypatch.delenv("ASSISTANT_REDIS_URL")
    embedded = TelegramInput.from_credentials(None)
    assert embedded.first_seen is embedded.store  # the embedded default: its SQLite file
