"""Finding 10 (WeChat part): in safe mode a plaintext message was accepted, and a
signature seen once could be sent again with a new body for five minutes.

WeChat's request signature (sha1 over token, timestamp and nonce) does not cover a
plaintext body, so whoever saw one signed request (a proxy log, a shared network)
could post any message as any openid until the timestamp went stale. Over real HTTP
against the channel, with a scripted assistant in place of Rasa."""
from __future__ import annotations

from dataclasses import replace

from wechatpy.crypto import WeChatCrypto

from connectors.wechat.store import WeChatStore
from tests.connectors.wechat import channel_support
from tests.connectors.wechat.channel_support import AES_KEY, ScriptedAssistant, call, encrypted_post, reply_fields
from tests.connectors.wechat.fake_api import APP_ID
from tests.connectors.wechat.payloads import TOKEN, payload, signed_query

# the WeChat channel's fixtures (tests/connectors/wechat/channel_support.py)
fake_api = channel_support.fake_api
settings = channel_support.settings
make_server = channel_support.make_server


def test_in_safe_mode_a_plaintext_message_is_refused(make_server, settings):
    assistant = ScriptedAssistant()
    server, _ = make_server(replace(settings, aes_key=AES_KEY), assistant)
    forged = payload("text", Content="/request_human", MsgId="7001")  # signed, but the body is not
    status, _ = call(server, "POST", signed_query(), forged)
    assert status == 403 and assistant.received == []
    status, _ = encrypted_post(server, WeChatCrypto(TOKEN, AES_KEY, APP_ID),
                               payload("text", Content="加密的消息", MsgId="7002"))
    assert status == 200 and assistant.received == ["加密的消息"]  # WeChat's own messages still arrive


def test_a_seen_signature_with_a_new_body_is_refused(make_server, settings):
    assistant = ScriptedAssistant()
    server, _ = make_server(settings, assistant)
    captured = signed_query()
    assert call(server, "POST", captured, payload("text", Content="我想离婚", MsgId="7101"))[0] == 200
    forged = payload("text", FromUserName="oAnotherWoman000000000000001", Content="我不需要帮助了", MsgId="7102")
    status, _ = call(server, "POST", captured, forged)
    assert status == 403 and assistant.received == ["我想离婚"]


def test_wechat_retrying_the_same_request_still_gets_its_reply(make_server, settings):
    """A retry of the very same request is not a forgery: it gets the first answer, once processed."""
    assistant = ScriptedAssistant()
    server, _ = make_server(settings, assistant)
    query, body = signed_query(), payload("text", Content="我想离婚", MsgId="7201")
    first = call(server, "POST", query, body)
    retry = call(server, "POST", query, body)
    assert retry[0] == 200 and reply_fields(retry[1])["Content"] == reply_fields(first[1])["Content"]
    assert assistant.received == ["我想离婚"]


def test_seen_signatures_survive_a_restart(make_server, settings):
    captured = signed_query()
    first = ScriptedAssistant()
    assert call(make_server(settings, first)[0], "POST", captured, payload("text", MsgId="7301"))[0] == 200
    after_restart = ScriptedAssistant()
    forged = payload("text", Content="我不需要帮助了", MsgId="7302")
    status, _ = call(make_server(settings, after_restart)[0], "POST", captured, forged)
    assert status == 403 and after_restart.received == []


class Clock:
    def __init__(self) -> None:
        self.now = 1_764_403_200.0

    def __call__(self) -> float:
        return self.now


def test_seen_signatures_are_forgotten_once_their_timestamp_is_stale(tmp_path):
    """After the window the timestamp check alone refuses them, so the store need not keep them."""
    clock = Clock()
    store = WeChatStore(tmp_path / "wechat.db", clock=clock)
    assert store.claim_signature("1764403200:abc:sig", "body-1", expires_at=clock.now + 300)
    assert not store.claim_signature("1764403200:abc:sig", "body-2", expires_at=clock.now + 300)
    assert store.claim_signature("1764403200:abc:sig", "body-1", expires_at=clock.now + 300)  # a retry
    clock.now += 301
    store.claim_signature("1764403501:def:sig", "body-3", expires_at=clock.now + 300)  # prunes
    assert store.seen_signature_count() == 1
