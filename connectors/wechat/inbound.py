"""Checking and reading what WeChat's servers post: signature, safe-mode decryption, XML.

Every request is signed with the token set in 公众平台 (sha1 over token, timestamp
and nonce). In plaintext mode that signature does not cover the body, so a stale
timestamp is refused too, and the webhook refuses a signature it has seen with another
body (`SignedQuery.replay_key`). Safe mode (EncodingAESKey) also signs the encrypted
body; with a key configured, a plaintext message is refused: it could only be a forgery.
"""
from __future__ import annotations

import hashlib
import hmac
import struct
import time
from dataclasses import dataclass
from typing import Callable, Mapping
from xml.parsers.expat import ExpatError

import xmltodict
from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException
from wechatpy.messages import BaseMessage

TEXT_FIELDS = ("ToUserName", "FromUserName", "MsgType", "Event", "Content", "Recognition")


def _signature(*parts: str) -> bytes:
    """WeChat's signature: sha1 over the sorted, concatenated strings."""
    return hashlib.sha1("".join(sorted(parts)).encode("utf-8")).hexdigest().encode("ascii")


def _same(expected: bytes, given: str) -> bool:
    """Constant-time (wechatpy compares with !=, which tells a forger how much was right)."""
    return hmac.compare_digest(expected, given.encode("utf-8"))


class ForgedRequest(Exception):
    """The request is not from WeChat's servers (bad or stale signature): 403."""


class MalformedRequest(Exception):
    """Signed, but unreadable (broken XML, missing fields): 400."""


@dataclass(frozen=True)
class SignedQuery:
    signature: str
    timestamp: str
    nonce: str
    encrypt_type: str = ""
    msg_signature: str = ""

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> "SignedQuery":
        return cls(signature=args.get("signature", ""), timestamp=args.get("timestamp", ""),
                   nonce=args.get("nonce", ""), encrypt_type=args.get("encrypt_type", "").lower(),
                   msg_signature=args.get("msg_signature", ""))

    @property
    def encrypted(self) -> bool:
        return self.encrypt_type == "aes"

    @property
    def replay_key(self) -> str:
        """What identifies one signed request; WeChat never signs two messages with the same."""
        return f"{self.timestamp}:{self.nonce}:{self.signature}"


@dataclass(frozen=True)
class Inbound:
    message: BaseMessage
    encrypted: bool

    @property
    def delivery_key(self) -> str:
        """MsgId for messages; events have none, so sender and time identify them."""
        if self.message.id:
            return f"msg:{self.message.id}"
        return f"event:{self.message.source}:{self.message.time}:{getattr(self.message, 'event', '')}"


class WeChatInboundReader:
    def __init__(self, token: str, app_id: str = "", aes_key: str = "", max_clock_skew_seconds: float = 300.0,
                 clock: Callable[[], float] = time.time) -> None:
        self._token = token
        self._crypto = WeChatCrypto(token, aes_key, app_id) if aes_key else None
        self._max_skew = max_clock_skew_seconds
        self._clock = clock

    def verify(self, query: SignedQuery) -> None:
        if not (query.signature and query.timestamp and query.nonce):
            raise ForgedRequest("signature, timestamp or nonce missing")
        if not _same(_signature(self._token, query.timestamp, query.nonce), query.signature):
            raise ForgedRequest("bad signature")
        try:
            skew = abs(self._clock() - int(query.timestamp))
        except ValueError as error:
            raise ForgedRequest("timestamp is not a number") from error
        if skew > self._max_skew:
            raise ForgedRequest(f"timestamp {skew:.0f} s away from our clock (replayed?)")

    def valid_until(self, query: SignedQuery) -> float:
        """When a verified request's timestamp goes stale: after that `verify` refuses it alone."""
        return int(query.timestamp) + self._max_skew

    def read(self, query: SignedQuery, body: bytes) -> Inbound:
        """Verify, decrypt if needed, and parse one POSTed message."""
        self.verify(query)
        if self._crypto is not None and not query.encrypted:
            raise ForgedRequest("plaintext message while safe mode (WECHAT_AES_KEY) is on")
        xml = self._decrypt(query, body) if query.encrypted else body
        try:
            message = parse_message(xml)
            if message is None:
                raise MalformedRequest("empty body")
            fields = xmltodict.parse(xml).get("xml") or {}  # the elements as sent (not wechatpy's private copy)
            if not isinstance(fields, dict) or any(not isinstance(fields.get(name) or "", str)
                                                   for name in TEXT_FIELDS):
                raise MalformedRequest("nested or repeated elements where text belongs")
            if not message.source or message.time is None:
                raise MalformedRequest("FromUserName or CreateTime missing")
            message.id  # noqa: B018 - MsgId must be a number when present
        except MalformedRequest:
            raise
        except (ExpatError, KeyError, TypeError, ValueError, UnicodeDecodeError, AttributeError) as error:
            raise MalformedRequest(f"unreadable message XML: {type(error).__name__}: {error}") from error
        return Inbound(message=message, encrypted=query.encrypted)

    def _decrypt(self, query: SignedQuery, body: bytes) -> bytes:
        if self._crypto is None:
            raise MalformedRequest("encrypted message but WECHAT_AES_KEY is not set (safe mode)")
        try:
            envelope = xmltodict.parse(body)["xml"]
            signed = _signature(self._token, query.timestamp, query.nonce, envelope["Encrypt"])
        except (ExpatError, KeyError, TypeError, ValueError) as error:
            raise MalformedRequest(f"no readable Encrypt element: {type(error).__name__}: {error}") from error
        if not _same(signed, query.msg_signature):
            raise ForgedRequest("bad msg_signature")
        try:
            return self._crypto.decrypt_message(envelope, query.msg_signature, query.timestamp, query.nonce)
        except InvalidSignatureException as error:
            raise ForgedRequest("bad msg_signature") from error
        except InvalidAppIdException as error:
            raise ForgedRequest("encrypted for another AppID") from error
        except (ExpatError, KeyError, TypeError, ValueError, IndexError, struct.error) as error:
            raise MalformedRequest(f"cannot decrypt: {type(error).__name__}: {error}") from error

    def seal(self, reply_xml: str, query: SignedQuery) -> str:
        """Encrypt a passive reply when the request came encrypted (safe mode)."""
        if not (query.encrypted and self._crypto and reply_xml):
            return reply_xml
        return self._crypto.encrypt_message(reply_xml, query.nonce, str(int(self._clock())))
