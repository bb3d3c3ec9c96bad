"""Turn the assistant's replies into Telegram messages: split, keyboards, callback data.

Everything is sent as plain text (no parse_mode), so `<script>` or `*_[` in an answer
or an expert's reply reaches her exactly as written and can never break a message;
nothing needs escaping. Telegram counts its 4,096-character limit in UTF-16 code
units (an emoji can count twice), and so do we.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Sequence, Union

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from connectors.telegram.store import LONG_PAYLOAD_PREFIX
from connectors.telegram.texts import LOCATION_PROMPT

MESSAGE_LIMIT = 4096
CALLBACK_DATA_LIMIT = 64
LOCATION_PAYLOAD = "/share_location"
BUTTONS_WITHOUT_TEXT = "请选择："

Markup = Union[InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove]


@dataclass(frozen=True)
class OutgoingMessage:
    text: str
    reply_markup: Optional[Markup] = None


def telegram_length(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def _hard_cut(text: str, limit: int) -> List[str]:
    parts, current, size = [], [], 0
    for character in text:
        width = telegram_length(character)
        if size + width > limit:
            parts.append("".join(current))
            current, size = [], 0
        current.append(character)
        size += width
    if current:
        parts.append("".join(current))
    return parts


def _pack(text: str, limit: int, separators: Sequence[str]) -> List[str]:
    """Greedy packing at the first separator; pieces still too long use the next one."""
    if telegram_length(text) <= limit:
        return [text]
    if not separators:
        return _hard_cut(text, limit)
    separator, rest = separators[0], separators[1:]
    parts: List[str] = []
    current = ""
    for piece in text.split(separator):
        candidate = f"{current}{separator}{piece}" if current else piece
        if telegram_length(candidate) <= limit:
            current = candidate
            continue
        if current:
            parts.append(current)
        if telegram_length(piece) <= limit:
            current = piece
        else:
            *full, current = _pack(piece, limit, rest)
            parts.extend(full)
    if current:
        parts.append(current)
    return parts


def split_text(text: str, limit: int = MESSAGE_LIMIT) -> List[str]:
    """Parts under the limit, cut at paragraphs, then lines, then anywhere; no empty part."""
    parts = _pack(text.strip(), limit, ["\n\n", "\n"])
    return [part.strip() for part in parts if part.strip()]


def callback_data(payload: str, store_long: Callable[[str], str]) -> str:
    """The payload itself when it fits in 64 bytes, else a short key kept server-side."""
    if len(payload.encode("utf-8")) <= CALLBACK_DATA_LIMIT and not payload.startswith(LONG_PAYLOAD_PREFIX):
        return payload
    return store_long(payload)


def _is_location(button: Dict[str, Any]) -> bool:
    return str(button.get("payload", "")).strip() == LOCATION_PAYLOAD


def inline_keyboard(buttons: Sequence[Dict[str, Any]], store_long: Callable[[str], str]) -> InlineKeyboardMarkup:
    """One button per row: Chinese titles are long and phones are narrow."""
    rows = []
    for button in buttons:
        title = str(button.get("title") or button.get("payload") or "").strip() or "选择"
        url = button.get("url")
        if url:
            rows.append([InlineKeyboardButton(title, url=str(url))])
        else:
            rows.append([InlineKeyboardButton(title, callback_data=callback_data(str(button.get("payload", "")),
                                                                                 store_long))])
    return InlineKeyboardMarkup(rows)


def location_keyboard(button: Dict[str, Any]) -> ReplyKeyboardMarkup:
    title = str(button.get("title") or "").strip() or "发送我的位置"
    return ReplyKeyboardMarkup([[KeyboardButton(title, request_location=True)]],
                               one_time_keyboard=True, resize_keyboard=True)


def render(text: Optional[str], buttons: Sequence[Dict[str, Any]],
           store_long: Callable[[str], str]) -> List[OutgoingMessage]:
    """The messages for one reply; buttons ride on the last part.

    A `/share_location` button becomes a one-time reply keyboard asking for her
    location. A message carries one keyboard only, so when other buttons come with
    it they stay inline on the text and the location button follows in a short
    message of its own.
    """
    location = [b for b in buttons if _is_location(b)]
    others = [b for b in buttons if not _is_location(b)]
    parts = split_text(text or "")
    if not parts and buttons:
        parts = [BUTTONS_WITHOUT_TEXT]
    messages = [OutgoingMessage(part) for part in parts]
    if not messages:
        return []
    if others:
        messages[-1] = OutgoingMessage(messages[-1].text, inline_keyboard(others, store_long))
    if location:
        if others:
            messages.append(OutgoingMessage(LOCATION_PROMPT, location_keyboard(location[0])))
        else:
            messages[-1] = OutgoingMessage(messages[-1].text, location_keyboard(location[0]))
    return messages
