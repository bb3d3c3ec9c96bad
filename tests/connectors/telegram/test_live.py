"""End to end: a real Rasa server (trained model, action server, routing backend) with the
Telegram channel configured against the fake Bot API. One set of servers for the module;
each test talks in its own chat."""
import json
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
import yaml

from connectors.telegram.channel import SECRET_HEADER
from connectors.telegram.texts import MEDIA_NOT_READ, SAFE_EXIT_HINT
from tests.conftest import PROJECT_ROOT
from tests.connectors.telegram.fake_api import (
    FakeTelegramApi,
    callback_update,
    location_update,
    sticker_update,
    text_update,
)
from tests.live_assistant import assistant_with_routing, json_call, tracker
from tests.routing_process import SERVICE_TOKEN

SECRET = "e2e-secret_0123456789"
PUBLIC_URL = "https://assistant.example.org/webhooks/telegram/webhook"


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("telegram-e2e")
    with FakeTelegramApi() as api:
        credentials = yaml.safe_dump({"connectors.telegram.TelegramInput": {
            "bot_token": api.token, "webhook_secret": SECRET, "webhook_url": PUBLIC_URL, "api_base_url": api.base_url}})
        with assistant_with_routing(workdir, credentials=credentials) as (assistant, routing):
            yield api, assistant.rasa_url, routing.url, assistant.env


def deliver(rasa_url, update, secret=SECRET):
    """POST an update as Telegram would; the answer comes once Rasa has replied."""
    headers = {"Content-Type": "application/json", **({SECRET_HEADER: secret} if secret else {})}
    request = urllib.request.Request(f"{rasa_url}/webhooks/telegram/webhook", method="POST", headers=headers,
                                     data=json.dumps(update, ensure_ascii=False).encode("utf-8"))
    try:
        with urllib.request.urlopen(request, timeout=120) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


def user_events(rasa_url, chat):
    return [e for e in tracker(rasa_url, str(chat))["events"] if e["event"] == "user"]  # chat ids are numbers


def test_the_webhook_was_set_once_at_start_up_with_the_secret(live):
    api, _, _, _ = live
    (call,) = api.wait_for("setWebhook", timeout=30)
    assert call["url"] == PUBLIC_URL and call["secret_token"] == SECRET


def test_a_conversation_with_a_question_buttons_and_a_press(live):
    api, rasa_url, _, _ = live
    chat = 9001
    assert deliver(rasa_url, text_update(100, chat, "/start")) == 200
    assert api.sent_texts(chat), "no greeting"
    assert deliver(rasa_url, text_update(101, chat, "单位知道我怀孕就要辞退我")) == 200
    sent = api.calls_to("sendMessage", chat)
    assert len(sent) >= 2 and all("parse_mode" not in s for s in sent)
    keyboards = [s["reply_markup"]["inline_keyboard"] for s in sent if "inline_keyboard" in s.get("reply_markup", {})]
    assert keyboards, f"no buttons in {[s['text'][:30] for s in sent]}"
    button = keyboards[-1][0][0]
    assert deliver(rasa_url, callback_update(102, chat, button["callback_data"], query_id="e2e-q1",
                                             message_id=sent[-1]["result_message_id"])) == 200
    assert [c["callback_query_id"] for c in api.calls_to("answerCallbackQuery")].count("e2e-q1") == 1
    events = user_events(rasa_url, chat)
    assert [e["parse_data"]["intent"]["name"] for e in events][0] == "greet"
    if not button["callback_data"].startswith("#p:"):  # a long payload is looked up by its key
        assert events[-1]["text"] == button["callback_data"]
    assert events[-1]["input_channel"] == "telegram"
    assert len(api.calls_to("sendMessage", chat)) > len(sent)  # the press was answered


def test_an_expert_reply_through_the_routing_backend_reaches_her_chat(live):
    api, rasa_url, routing_url, _ = live
    chat = 9002
    deliver(rasa_url, text_update(200, chat, "老公出轨了我想离婚，孩子两岁"))
    deliver(rasa_url, text_update(201, chat, "转人工"))
    handoff = json_call("GET", f"{routing_url}/api/v1/conversations/{chat}/status", token=SERVICE_TOKEN)
    assert any(handoff["id"] in text for text in api.sent_texts(chat))
    token = json_call("POST", f"{routing_url}/api/v1/auth/token",
                     {"username": "lawyer", "password": "a-long-password"})["access_token"]
    json_call("POST", f"{routing_url}/api/v1/handoffs/{handoff['id']}/claim", token=token)
    json_call("POST", f"{routing_url}/api/v1/handoffs/{handoff['id']}/reply",
             {"text": "你好，我是律师。孩子不满两周岁，一般由母亲直接抚养。"}, token=token)
    (reply,) = api.wait_for("sendMessage", lambda p: p["chat_id"] == chat and "【律师回复】" in p["text"])
    assert "一般由母亲直接抚养" in reply["text"]


def test_a_forged_secret_is_refused_and_nothing_is_sent(live):
    api, rasa_url, _, _ = live
    chat = 9003
    assert deliver(rasa_url, text_update(300, chat, "你好"), secret="forged") == 403
    assert deliver(rasa_url, text_update(301, chat, "你好"), secret=None) == 403
    assert api.calls_to("sendMessage", chat) == [] and user_events(rasa_url, chat) == []


def test_a_repeated_update_is_processed_once(live):
    api, rasa_url, _, _ = live
    chat = 9004
    assert deliver(rasa_url, text_update(400, chat, "谢谢你")) == 200
    replies = len(api.calls_to("sendMessage", chat))
    assert deliver(rasa_url, text_update(400, chat, "谢谢你")) == 200
    assert len(api.calls_to("sendMessage", chat)) == replies >= 1
    assert [e["text"] for e in user_events(rasa_url, chat)] == ["谢谢你"]


def test_a_20000_character_message_gets_an_answer(live):
    api, rasa_url, _, _ = live
    chat = 9005
    huge = "我老公经常打我，还不给生活费。" * 1334
    assert len(huge) > 20000
    assert deliver(rasa_url, text_update(500, chat, huge)) == 200
    sent = api.calls_to("sendMessage", chat)
    assert sent and all(len(s["text"]) <= 4096 for s in sent)
    assert user_events(rasa_url, chat)[-1]["text"] == huge


def test_a_sticker_gets_a_request_for_words_and_stays_out_of_the_dialogue(live):
    api, rasa_url, _, _ = live
    chat = 9006
    assert deliver(rasa_url, sticker_update(600, chat)) == 200
    assert api.sent_texts(chat) == [MEDIA_NOT_READ]
    assert user_events(rasa_url, chat) == []


def test_finding_an_office_asks_with_the_location_button_and_answers_a_shared_location(live):
    api, rasa_url, _, _ = live
    chat = 9007
    assert deliver(rasa_url, text_update(699, chat, "离我最近的妇联在哪里")) == 200
    (question,) = api.calls_to("sendMessage", chat)
    assert "你在哪个市" in question["text"]
    assert question["reply_markup"]["keyboard"][0][0]["request_location"] is True  # Telegram's own button
    assert deliver(rasa_url, location_update(700, chat, 23.12, 113.36)) == 200
    event = user_events(rasa_url, chat)[-1]
    assert event["text"] == '/share_location{"latitude": 23.12, "longitude": 113.36}'
    assert event["parse_data"]["intent"]["name"] == "share_location"
    assert {e["entity"]: e["value"] for e in event["parse_data"]["entities"]} == {"latitude": 23.12, "longitude": 113.36}
    answer = api.sent_texts(chat)[-1]
    # the sample 林和街道 office is 4.6 km away: a town office within 10 km beats the district's
    assert answer.startswith("离你最近的妇联组织（按直线距离）") and "天河区林和街道妇女联合会" in answer
    assert "距离你约 4.6 公里" in answer


def test_exit_deletes_the_conversation_and_leaves_only_the_hint(live):
    api, rasa_url, _, _ = live
    chat = 9008
    deliver(rasa_url, text_update(800, chat, "你好", message_id=80))
    deliver(rasa_url, text_update(801, chat, "他打我怎么办", message_id=81))
    ours = [m["result_message_id"] for m in api.calls_to("sendMessage", chat)]
    assert ours, "the bot did not answer"
    assert deliver(rasa_url, text_update(802, chat, "/exit", message_id=82)) == 200
    deleted = sorted(c["message_id"] for c in api.calls_to("deleteMessage", chat))
    assert deleted == sorted([80, 81, 82] + ours)  # hers and every message the bot had sent
    after = api.calls_to("sendMessage", chat)[len(ours):]
    assert [m["text"] for m in after] == [SAFE_EXIT_HINT]  # Rasa's own goodbye is not shown
    assert user_events(rasa_url, chat)[-1]["parse_data"]["intent"]["name"] == "safe_exit"


def test_the_polling_runner_hands_updates_to_rasa(live):
    api, rasa_url, _, env = live
    chat = 9009
    runner_env = dict(env, TELEGRAM_BOT_TOKEN=api.token, TELEGRAM_WEBHOOK_SECRET=SECRET,
                      TELEGRAM_API_BASE_URL=api.base_url, TELEGRAM_RASA_URL=rasa_url)
    runner = subprocess.Popen([sys.executable, "-m", "connectors.telegram.polling"], cwd=PROJECT_ROOT, env=runner_env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        api.queue_update(text_update(900, chat, "你好"))
        # confirmed to Telegram with the next offset once Rasa has handled it
        api.wait_for("getUpdates", lambda p: p.get("offset") == 901, timeout=90)
        assert api.calls_to("sendMessage", chat)
        assert [e["text"] for e in user_events(rasa_url, chat)] == ["你好"]
    finally:
        runner.send_signal(signal.SIGTERM)
        output = runner.communicate(timeout=30)[0].decode("utf-8", "replace")
    assert runner.returncode == 0, output


def test_a_hurried_exit_deletes_everything_holds_the_lawyers_reply_and_the_console_sees_why(live):
    """「他来了快删」 with a request open: her chat is emptied, the lawyer's reply waits (the routing
    backend says so), and when she writes again it arrives and is marked accepted."""
    api, rasa_url, routing_url, _ = live
    chat = 9010
    deliver(rasa_url, text_update(1000, chat, "老公出轨了我想离婚，孩子两岁", message_id=100))
    deliver(rasa_url, text_update(1001, chat, "转人工", message_id=101))
    handoff = json_call("GET", f"{routing_url}/api/v1/conversations/{chat}/status", token=SERVICE_TOKEN)
    ours = [m["result_message_id"] for m in api.calls_to("sendMessage", chat)]
    assert deliver(rasa_url, text_update(1002, chat, "他来了快删", message_id=102)) == 200
    deleted = sorted(c["message_id"] for c in api.calls_to("deleteMessage", chat))
    assert deleted == sorted([100, 101, 102] + ours)
    assert api.sent_texts(chat)[-1] == SAFE_EXIT_HINT
    token = json_call("POST", f"{routing_url}/api/v1/auth/token",
                      {"username": "lawyer", "password": "a-long-password"})["access_token"]
    json_call("POST", f"{routing_url}/api/v1/handoffs/{handoff['id']}/claim", token=token)
    json_call("POST", f"{routing_url}/api/v1/handoffs/{handoff['id']}/reply", {"text": "请保留好证据。"}, token=token)

    def delivery():
        messages = json_call("GET", f"{routing_url}/api/v1/handoffs/{handoff['id']}", token=token)["messages"]
        return [m for m in messages if m["sender"] == "expert"][-1]["delivery"]  # her later words follow it

    deadline = time.monotonic() + 60
    while delivery() != "waiting":
        assert time.monotonic() < deadline, f"the held reply is marked {delivery()}"
        time.sleep(0.5)
    assert "【律师回复】" not in "".join(api.sent_texts(chat))
    deliver(rasa_url, text_update(1003, chat, "我回来了", message_id=103))
    assert any("【律师回复】" in text for text in api.sent_texts(chat))
    deadline = time.monotonic() + 60
    while delivery() != "accepted":
        assert time.monotonic() < deadline, f"the delivered reply is marked {delivery()}"
        time.sleep(0.5)
