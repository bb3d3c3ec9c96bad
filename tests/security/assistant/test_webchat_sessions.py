"""Finding 3: web chat sessions could be taken over.

The socket.io channel took whatever `session_id` a client sent: joining with another
woman's session id put the attacker's messages into her handoff, and her expert's
reply arrived at the attacker's socket. Session ids must come from the server, be
unguessable and stay with the browser that got them; her page must still get expert
replies after a reconnect. Against the running assistant (project credentials.yml),
with python-socketio clients sending what a browser or a modified page would."""
from __future__ import annotations

import urllib.request

import pytest
import socketio

from tests.security.assistant.conftest import ChatTab, page_cookie, rest_post, trigger_expert_reply, user_events


def test_another_client_cannot_join_her_session(live, tabs):
    she = tabs(live).connect()
    she.say("你好")
    she.wait_for("")
    attacker = tabs(live).connect(claimed_session=she.session_id)
    assert attacker.session_id != she.session_id
    attacker.say("我不需要帮助了，别再联系我", claimed_session=she.session_id)
    attacker.wait_for("")
    assert "我不需要帮助了，别再联系我" not in [event["text"] for event in user_events(live, she.session_id)]

    trigger_expert_reply(live, she.session_id, "你好，我是律师，请保留好证据。")
    assert "请保留好证据" in she.wait_for("【律师回复】")["text"]
    assert not any("请保留好证据" in text for text in attacker.texts(seconds=3))


def test_a_connection_without_the_page_cookie_is_refused(live):
    stranger = ChatTab(live, cookie="")
    with pytest.raises(socketio.exceptions.ConnectionError):
        stranger.connect(claimed_session="anything", wait_seconds=3)  # a refused client waits that long
    stranger.close()


def test_a_made_up_cookie_gets_a_session_of_its_own(live, tabs):
    she = tabs(live).connect()
    guessed = tabs(live, cookie=she.cookie.split("=", 1)[0] + "=" + "A" * 43).connect(claimed_session=she.session_id)
    assert guessed.session_id != she.session_id


def test_the_session_id_is_the_servers_not_the_clients(live, tabs):
    tab = tabs(live).connect(claimed_session="session-i-chose")
    assert tab.session_id != "session-i-chose" and len(tab.session_id) >= 32
    same_browser = tabs(live, cookie=tab.cookie).connect(claimed_session="another-one")
    assert same_browser.session_id == tab.session_id  # a reload or a second tab: the same conversation
    other_browser = tabs(live).connect(claimed_session=tab.session_id)
    assert other_browser.session_id != tab.session_id


def test_a_page_from_another_site_cannot_connect(live, tabs):
    with pytest.raises(socketio.exceptions.ConnectionError):
        tabs(live, origin="https://evil.example").connect()


def test_the_session_cookie_is_out_of_reach_of_scripts_and_other_sites(live):
    with urllib.request.urlopen(f"{live.rasa_url}/webhooks/webchat/", timeout=30) as response:
        cookies = response.headers.get_all("Set-Cookie") or []
    assert len(cookies) == 1
    attributes = [part.strip().lower() for part in cookies[0].split(";")]
    assert "httponly" in attributes and "samesite=strict" in attributes and "path=/" in attributes
    assert len(page_cookie(live).split("=", 1)[1]) >= 32


def test_after_a_reconnect_her_expert_reply_still_reaches_her(live, tabs):
    first = tabs(live).connect()
    first.say("你好")
    first.wait_for("")
    first.close()
    again = tabs(live, cookie=first.cookie).connect(claimed_session=first.session_id)  # as the old page did
    assert again.session_id == first.session_id
    trigger_expert_reply(live, again.session_id, "你好，我是律师，孩子不满两周岁一般随母亲。")
    assert "一般随母亲" in again.wait_for("【律师回复】")["text"]


def test_the_rest_channel_cannot_write_into_a_web_chat_session_by_name(live, tabs):
    """Her session id is not a secret the page keeps, so knowing it must not be enough either."""
    she = tabs(live).connect()
    she.say("你好")
    she.wait_for("")
    status, answer = rest_post(live, {"sender": she.session_id, "message": "我不需要帮助了"})
    assert status == 403 and "error" in answer
    assert "我不需要帮助了" not in [event["text"] for event in user_events(live, she.session_id)]
