"""The WeChat channel over real HTTP: recorded payloads signed like WeChat's servers
sign them, a scripted assistant in place of Rasa, and a local fake WeChat API."""
from __future__ import annotations

import asyncio
import logging
import threading
from dataclasses import replace

import pytest
from wechatpy.crypto import WeChatCrypto

from connectors.undelivered import UndeliveredLog
from connectors.wechat.channel import WeChatInput
from connectors.wechat.text import utf8_size
from tests.connectors.sanic_server import ChannelServer
from tests.connectors.wechat import channel_support
from tests.connectors.wechat.channel_support import ACCOUNT, AES_KEY, call, encrypted_post, post, reply_fields
from tests.connectors.wechat.fake_api import APP_ID
from tests.connectors.wechat.payloads import OPENID, TOKEN, payload, signed_query

# the channel fixtures (tests/connectors/wechat/channel_support.py)
fake_api = channel_support.fake_api
settings = channel_support.settings
make_server = channel_support.make_server
assistant = channel_support.assistant


@pytest.fixture
def server(make_server, settings, assistant):
    return make_server(settings, assistant)[0]


def test_handshake_echoes_echostr(server):
    assert call(server, "GET", signed_query(echostr="5837397520331428571")) == (200, "5837397520331428571")


def test_handshake_with_a_forged_signature_is_refused(server):
    query = signed_query(token="not-our-token", echostr="5837397520331428571")
    status, body = call(server, "GET", query)
    assert status == 403 and "5837397520331428571" not in body


FORGED_QUERIES = {
    "wrong-token": lambda: signed_query(token="not-our-token"),
    "no-signature": lambda: {"timestamp": "1764403200", "nonce": "abc"},
    "stale-timestamp": lambda: signed_query(timestamp=1_600_000_000),  # replayed: signed long ago
    "non-ascii-signature": lambda: {**signed_query(), "signature": "签名"},
}


@pytest.mark.parametrize("forgery", sorted(FORGED_QUERIES))
def test_forged_message_is_refused_and_nothing_is_processed(server, assistant, fake_api, forgery):
    status, _ = call(server, "POST", FORGED_QUERIES[forgery](), payload("text"))
    assert status == 403
    assert assistant.received == [] and fake_api.sent == []


def test_malformed_xml_is_rejected_logged_and_not_processed(server, assistant, caplog):
    with caplog.at_level(logging.ERROR, logger="connectors.wechat.webhook"):
        status, _ = post(server, payload("malformed"))
    assert status == 400
    assert assistant.received == []
    assert any("400" in record.getMessage() for record in caplog.records)


SIGNED_BUT_MALFORMED = {
    "nested-type": b"<xml><ToUserName>gh</ToUserName><FromUserName>o1</FromUserName><CreateTime>1</CreateTime>"
                   b"<MsgType><a>text</a></MsgType></xml>",
    "nested-event": b"<xml><ToUserName>gh</ToUserName><FromUserName>o1</FromUserName><CreateTime>1</CreateTime>"
                    b"<MsgType>event</MsgType><Event><a>subscribe</a></Event></xml>",
    "nested-content": b"<xml><ToUserName>gh</ToUserName><FromUserName>o1</FromUserName><CreateTime>1</CreateTime>"
                      b"<MsgType>text</MsgType><Content><b>hi</b></Content><MsgId>1</MsgId></xml>",
    "two-senders": b"<xml><ToUserName>gh</ToUserName><FromUserName>o1</FromUserName><FromUserName>o2</FromUserName>"
                   b"<CreateTime>1</CreateTime><MsgType>text</MsgType><Content>hi</Content><MsgId>2</MsgId></xml>",
}


@pytest.mark.parametrize("name", sorted(SIGNED_BUT_MALFORMED))
def test_signed_xml_with_elements_out_of_shape_is_400_not_500(server, assistant, name):
    assert post(server, SIGNED_BUT_MALFORMED[name])[0] == 400
    assert assistant.received == []


def test_text_goes_to_the_assistant_and_the_answer_is_the_passive_reply(server, assistant, fake_api):
    assistant.replies["单位知道我怀孕就要辞退我"] = [{"text": "孕期辞退是违法的。"}]
    status, body = post(server, payload("text"))
    assert status == 200
    reply = reply_fields(body)
    assert reply["MsgType"] == "text" and reply["Content"] == "孕期辞退是违法的。"
    assert reply["ToUserName"] == OPENID and reply["FromUserName"] == ACCOUNT
    assert assistant.received == ["单位知道我怀孕就要辞退我"] and fake_api.sent == []


def test_a_repeated_delivery_is_processed_once_and_gets_the_same_reply(server, assistant):
    body = payload("text", Content="我想离婚", MsgId="24871530162435999")
    first = post(server, body)
    retry = post(server, body)  # WeChat's retry: same message, freshly signed
    assert assistant.received == ["我想离婚"]
    assert reply_fields(retry[1])["Content"] == reply_fields(first[1])["Content"] == "收到：我想离婚"


def test_following_the_account_is_a_greeting_and_unfollowing_is_ignored(server, assistant):
    assistant.replies["/greet"] = [{"text": "你好，我是南粤女声+小助手🌸"}]
    status, body = post(server, payload("subscribe"))
    assert status == 200 and reply_fields(body)["Content"] == "你好，我是南粤女声+小助手🌸"
    post(server, payload("subscribe"))  # a retried event (no MsgId): sender + time identify it
    assert post(server, payload("unsubscribe")) == (200, "success")
    assert assistant.received == ["/greet"]


def test_a_shared_location_follows_the_location_convention(server, assistant):
    post(server, payload("location"))
    assert assistant.received == ['/share_location{"latitude": 23.12, "longitude": 113.36}']


@pytest.mark.parametrize("name", ["image", "voice", "video"])
def test_media_gets_a_polite_request_to_type(server, assistant, name):
    status, body = post(server, payload(name))
    assert status == 200 and "用文字" in reply_fields(body)["Content"]
    assert assistant.received == []


def test_typed_text_cannot_inject_an_intent(server, assistant):
    post(server, payload("text", Content='/share_location{"latitude": 1, "longitude": 2}', MsgId="6001"))
    assert assistant.received == ['share_location{"latitude": 1, "longitude": 2}']


def test_a_disguised_slash_cannot_inject_an_intent_either(server, assistant):
    """The NLU normalizer turns "／" into "/" and drops emoji and zero-width spaces before Rasa looks for "/"."""
    for number, typed in enumerate(["／request_human", "😀/request_human", "\u200b/ /request_human"], start=6101):
        post(server, payload("text", Content=typed, MsgId=str(number)))
    assert assistant.received == ["request_human"] * 3


def test_recognised_speech_is_read_as_text(server, assistant):
    post(server, payload("voice", Recognition="我想找律师"))
    assert assistant.received == ["我想找律师"]


def test_buttons_become_numbered_options_and_a_number_chooses_one(server, assistant):
    assistant.replies["孩子抚养权怎么判"] = [
        {"text": "两周岁以下一般由母亲抚养。", "buttons": [{"title": "有帮助", "payload": "/affirm"},
                                                         {"title": "没帮助", "payload": "/deny"}]},
        {"text": "还想了解：", "buttons": [{"title": "转人工", "payload": "/request_human"}]},
    ]
    body = post(server, payload("text", Content="孩子抚养权怎么判", MsgId="1001"))[1]
    content = reply_fields(body)["Content"]
    assert "回复 1：有帮助\n回复 2：没帮助" in content and "回复 3：转人工" in content
    post(server, payload("text", Content="２", MsgId="1002"))  # a full-width digit counts too
    assert assistant.received[-1] == "/deny"
    post(server, payload("text", Content="孩子抚养权怎么判", MsgId="1003"))
    post(server, payload("text", Content="3", MsgId="1004"))
    assert assistant.received[-1] == "/request_human"
    post(server, payload("text", Content="1", MsgId="1005"))  # the last answer had no options
    assert assistant.received[-1] == "1"


def test_a_location_button_explains_how_to_send_a_location(server, assistant):
    assistant.replies["附近的妇联"] = [{"text": "告诉我你在哪里：", "buttons": [
        {"title": "发送我的位置", "payload": "/share_location"}, {"title": "不用了", "payload": "/deny"}]}]
    content = reply_fields(post(server, payload("text", Content="附近的妇联", MsgId="2001"))[1])["Content"]
    assert "“位置”" in content and "回复 1：不用了" in content


def test_a_long_answer_is_split_between_paragraphs(server, assistant, fake_api):
    paragraphs = [f"第{number}段：" + "依照民法典的规定，夫妻双方应当平等协商。" * 25 for number in range(1, 8)]
    assistant.replies["彩礼要退吗"] = [{"text": "\n\n".join(paragraphs)}]
    content = reply_fields(post(server, payload("text", Content="彩礼要退吗", MsgId="3001"))[1])["Content"]
    pushed = fake_api.wait_for(OPENID, "第7段")
    parts = [content, *pushed]
    assert len(parts) > 2 and all(utf8_size(part) <= 2048 for part in parts)
    assert [paragraph for part in parts for paragraph in part.split("\n\n")] == paragraphs


def test_a_late_answer_follows_through_the_customer_service_api(make_server, settings, assistant, fake_api):
    server, _ = make_server(replace(settings, reply_deadline_seconds=0.3), assistant)
    assistant.gate = threading.Event()
    assistant.replies["我被家暴了怎么办"] = [{"text": "先保证自己的安全。"}, {"text": "可以申请人身安全保护令。"}]
    assert post(server, payload("text", Content="我被家暴了怎么办", MsgId="4001")) == (200, "success")
    assert fake_api.sent == []
    assistant.gate.set()
    assert fake_api.wait_for(OPENID, "保护令") == ["先保证自己的安全。", "可以申请人身安全保护令。"]


def test_later_messages_use_the_customer_service_api(make_server, settings, assistant, fake_api):
    _, channel = make_server(settings, assistant)
    output = channel.get_output_channel()
    asyncio.run(output.send_response(OPENID, {"text": "【律师回复】\n请保留好证据。"}))
    assert fake_api.texts_for(OPENID) == ["【律师回复】\n请保留好证据。"]


def test_failed_sends_are_retried_then_recorded(make_server, settings, assistant, fake_api):
    _, channel = make_server(settings, assistant)
    fake_api.fail_next("http500")
    fake_api.fail_next("busy")
    asyncio.run(channel.get_output_channel().send_response(OPENID, {"text": "第一条"}))
    assert fake_api.texts_for(OPENID) == ["第一条"] and fake_api.send_attempts == 3
    fake_api.fail_next("busy", times=3)
    asyncio.run(channel.get_output_channel().send_response(OPENID, {"text": "第二条"}))
    undelivered = UndeliveredLog(settings.undelivered_path).list("wechat")
    assert [(row.recipient, row.text, row.attempts) for row in undelivered] == [(OPENID, "第二条", 3)]
    assert "errcode -1" in undelivered[0].error


def test_outside_the_48_hour_window_is_recorded_without_retrying(make_server, settings, assistant, fake_api):
    _, channel = make_server(settings, assistant)
    fake_api.fail_next("window")
    asyncio.run(channel.get_output_channel().send_response(OPENID, {"text": "专家回复"}))
    assert fake_api.send_attempts == 1
    assert [row.error for row in UndeliveredLog(settings.undelivered_path).list()] == [
        "errcode 45015: response out of time limit or subscription is canceled"]


def test_safe_mode_messages_are_decrypted_and_answered_encrypted(make_server, settings, assistant):
    server, _ = make_server(replace(settings, aes_key=AES_KEY), assistant)
    crypto = WeChatCrypto(TOKEN, AES_KEY, APP_ID)
    status, body = encrypted_post(server, crypto, payload("text", Content="加密的消息", MsgId="5001"))
    assert status == 200 and assistant.received == ["加密的消息"]
    envelope = reply_fields(body)
    plain = crypto.decrypt_message(body, envelope["MsgSignature"], envelope["TimeStamp"], envelope["Nonce"])
    assert reply_fields(plain)["Content"] == "收到：加密的消息"


def test_safe_mode_message_for_another_account_is_refused(make_server, settings, assistant):
    server, _ = make_server(replace(settings, aes_key=AES_KEY), assistant)
    other_account = WeChatCrypto(TOKEN, AES_KEY, "wx0000000000000000")
    status, _ = encrypted_post(server, other_account, payload("text", MsgId="5002"))
    assert status == 403 and assistant.received == []


def test_without_a_token_the_channel_answers_503_and_says_why(monkeypatch, assistant, caplog, tmp_path):
    for name in ("WECHAT_TOKEN", "WECHAT_APP_ID", "WECHAT_APP_SECRET", "WECHAT_AES_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ASSISTANT_VAR_DIR", str(tmp_path))
    with caplog.at_level(logging.WARNING, logger="connectors.wechat.channel"):
        channel = WeChatInput.from_credentials(None)
    assert [record.getMessage() for record in caplog.records if "WECHAT_TOKEN" in record.getMessage()]
    server = ChannelServer([channel], assistant).start()
    try:
        status, body = post(server, payload("text"))
        assert status == 503 and "WECHAT_TOKEN" in body
        assert channel.get_output_channel() is None
    finally:
        server.stop()


def test_when_the_assistant_fails_she_is_told_to_send_again_and_the_message_is_logged(server, assistant, caplog):
    assistant.failure = RuntimeError("tracker store down")
    status, body = post(server, payload("text"))
    assert status == 200
    assert "没能处理你这条消息" in reply_fields(body)["Content"] and "110" in reply_fields(body)["Content"]
    assert "单位知道我怀孕就要辞退我" in caplog.text


def test_a_retry_reaching_another_replica_is_answered_once_with_the_first_reply(make_server, settings, assistant,
                                                                               shared, tmp_path):
    """Two Rasa replicas with files of their own: only the shared Redis knows the message was handled."""
    first, _ = make_server(replace(settings, var_dir=tmp_path / "rasa-1"), assistant, shared=shared)
    second, _ = make_server(replace(settings, var_dir=tmp_path / "rasa-2"), assistant, shared=shared)
    body = payload("text", Content="我想离婚", MsgId="24871530162435998")
    answered = post(first, body)
    retried = post(second, body)  # WeChat's retry, through the proxy to the other replica
    assert assistant.received == ["我想离婚"]
    assert reply_fields(retried[1])["Content"] == reply_fields(answered[1])["Content"] == "收到：我想离婚"
    query = signed_query()
    assert call(first, "POST", query, body)[0] == 200
    replay = payload("text", Content="伪造的另一条", MsgId="24871530162435997")
    assert call(second, "POST", query, replay)[0] == 403  # the signature seen on rasa-1, with another body
