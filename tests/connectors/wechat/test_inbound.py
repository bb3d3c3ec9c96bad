"""Checking what WeChat's servers post: signatures compared in constant time, plaintext and safe mode."""
from __future__ import annotations

import hmac

from wechatpy.crypto import WeChatCrypto

from connectors.wechat import inbound as wechat_inbound
from connectors.wechat.inbound import SignedQuery, WeChatInboundReader
from tests.connectors.wechat.fake_api import APP_ID
from tests.connectors.wechat.payloads import TOKEN, payload, signature, signed_query
from tests.connectors.wechat.test_channel import AES_KEY, reply_fields


def test_signatures_are_compared_in_constant_time(monkeypatch):
    compared = []
    real = hmac.compare_digest
    monkeypatch.setattr(wechat_inbound.hmac, "compare_digest", lambda a, b: compared.append(b) or real(a, b))
    reader = WeChatInboundReader(TOKEN, APP_ID, AES_KEY)
    query = signed_query()
    reader.verify(SignedQuery.from_args(query))
    assert compared == [query["signature"].encode()]
    encrypted = WeChatCrypto(TOKEN, AES_KEY, APP_ID).encrypt_message(payload("text").decode(), "n1", query["timestamp"])
    envelope = reply_fields(encrypted)
    query.update(nonce="n1", encrypt_type="aes", msg_signature=envelope["MsgSignature"])
    query["signature"] = signature(TOKEN, query["timestamp"], "n1")
    assert reader.read(SignedQuery.from_args(query), encrypted.encode()).message.content == "单位知道我怀孕就要辞退我"
    assert compared[-1] == envelope["MsgSignature"].encode()
