"""A newcomer talks to the assistant in the web chat page, in headless Chromium,
against the real Rasa server (socket.io channel) and action server."""
from __future__ import annotations

import re
import sqlite3
import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import WEBCHAT_ACK_SECONDS

EXIT_URL = "https://www.baidu.com/"


@pytest.fixture
def chat(page, live_assistant):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{live_assistant.rasa_url}/webhooks/webchat/")
    expect(page.locator("#status")).to_have_text("已连接，可以开始聊天", timeout=30_000)
    page.dialogs = dialogs
    return page


def say(page, text):
    page.fill("#input", text)
    page.click("#send")
    expect(page.locator(".message.user").last).to_have_text(text)


def test_greeting_then_a_button_then_its_answer(chat, screenshots):
    say(chat, "你好")
    expect(chat.locator(".message.bot").first).to_contain_text("南粤女声+小助手", timeout=60_000)

    say(chat, "救命 他拿着刀在踹门")
    safe = chat.get_by_role("button", name="我现在安全")
    expect(safe).to_be_visible(timeout=60_000)
    safe.click()
    expect(chat.locator(".message.user").last).to_have_text("我现在安全")  # the title, not "/affirm"
    expect(chat.locator(".message.bot").last).to_contain_text("知道你现在是安全的", timeout=60_000)
    expect(safe).to_be_disabled()
    chat.screenshot(path=str(screenshots / "webchat.png"), full_page=True)


def test_the_page_acknowledges_what_it_shows_so_nothing_waits_or_comes_twice(chat, live_assistant):
    started = time.time()
    say(chat, "你好")
    expect(chat.locator(".message.bot").first).to_contain_text("南粤女声+小助手", timeout=60_000)
    shown = chat.locator(".message.bot").count()
    chat.wait_for_timeout((WEBCHAT_ACK_SECONDS + 2) * 1000)  # past the server's wait for the acknowledgement
    expect(chat.locator(".message.bot")).to_have_count(shown)
    assert "你离开之后" not in chat.locator("#messages").inner_text()
    with sqlite3.connect(live_assistant.workdir / "webchat.db") as kept:  # every shown message confirmed
        assert kept.execute("SELECT count(*) FROM webchat_waiting WHERE created_at >= ?", (started,)).fetchone() == (0,)


def test_markup_she_types_is_shown_as_text_and_never_runs(chat):
    markup = "<img src=x onerror=alert(1)>"
    bot_messages = chat.locator(".message.bot").count()
    say(chat, markup)
    expect(chat.locator(".message.bot")).not_to_have_count(bot_messages, timeout=60_000)  # the bot answered
    assert chat.locator("#messages img").count() == 0
    assert chat.dialogs == []


def test_quick_exit_leaves_for_a_neutral_site_without_a_way_back(chat):
    chat.route(EXIT_URL, lambda route: route.fulfill(status=200, content_type="text/html",
                                                        body="<title>百度一下</title>"))
    say(chat, "你好")
    chat.get_by_role("button", name="安全退出").click()
    expect(chat).to_have_url(EXIT_URL)
    chat.go_back()
    assert "webchat" not in chat.url


def test_a_lost_connection_is_shown_and_sending_waits(page, live_assistant):
    page.route(re.compile(r".*/socket\.io/.*"), lambda route: route.abort())
    page.route_web_socket(re.compile(r".*/socket\.io/.*"), lambda socket: socket.close())
    page.goto(f"{live_assistant.rasa_url}/webhooks/webchat/")
    expect(page.locator("#status")).to_have_text("连接已断开，正在重试…", timeout=30_000)
    expect(page.locator("#send")).to_be_disabled()
