"""What one WeChat message means for the assistant.

Text goes to Rasa as written, except a bare number answering the numbered options
shown last ("回复 1：…"), which becomes that option's payload (the channel's own
store says what was offered), and a leading "/", which is dropped so that nothing
she types can inject an intent (connectors.typed_text, the rule every channel
shares). A shared location follows the project's convention
(`/share_location{"latitude": …, "longitude": …}`), following the account is a
greeting, and media the assistant cannot read gets a polite request to type instead.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

from wechatpy.messages import BaseMessage

from connectors.typed_text import her_words, location_payload
from connectors.wechat.inbound import MalformedRequest
from connectors.wechat.text import chosen_number

GREETING_PAYLOAD = "/greet"
MEDIA_TYPES = {"image", "voice", "video", "shortvideo", "link", "file"}
MEDIA_REPLY = ("谢谢你发来的内容。我现在还看不了图片、语音和视频，麻烦你用文字把情况告诉我，我会认真看的。"
               "如果你现在有危险，请立即拨打110。")


@dataclass(frozen=True)
class Turn:
    """Either text for Rasa, or a direct reply, or nothing at all (ignored)."""

    text: Optional[str] = None
    reply: Optional[str] = None


def share_location_text(latitude: str, longitude: str) -> str:
    try:
        point = {"latitude": float(latitude), "longitude": float(longitude)}
    except (TypeError, ValueError) as error:
        raise MalformedRequest(f"location without numeric coordinates: {latitude!r}, {longitude!r}") from error
    return location_payload(point["latitude"], point["longitude"])


def interpret(message: BaseMessage, option: Callable[[str, int], Optional[str]]) -> Turn:
    """`option(openid, number)` looks up the payload of her numbered option, if any."""
    kind = message.type
    if kind == "text":
        text = message.content or ""
        number = chosen_number(text)
        payload = option(message.source, number) if number is not None else None
        return Turn(text=payload or her_words(text))  # only the channel writes payloads
    if kind == "location":
        return Turn(text=share_location_text(message.location_x, message.location_y))
    if kind == "voice" and (message.recognition or "").strip():
        return Turn(text=her_words(message.recognition.strip()))  # WeChat's speech recognition
    if kind in MEDIA_TYPES:
        return Turn(reply=MEDIA_REPLY)
    if kind == "event" and message.event in ("subscribe", "subscribe_scan"):
        return Turn(text=GREETING_PAYLOAD)
    return Turn()  # unsubscribe, menu views, periodic location reports: nothing to say
