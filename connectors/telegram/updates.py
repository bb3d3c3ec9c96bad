"""Read a Telegram update: who wrote, what it means for the dialogue, how to dedupe it.

Pure (no I/O) so every kind of update can be tested without a server.

Commands become the intent messages Rasa understands (`/start` → `/greet`). Any
other text starting with "/" loses its slashes (connectors.typed_text, the rule every
channel shares): Rasa reads `/anything` as an intent, and what she types must never
inject one (a location only counts when Telegram says it is one). Button presses
arrive as callbacks and count only with data on the very message she pressed.

Stickers, photos, voice notes, documents and other media get a polite request to
write in words instead of going to the dialogue: the NLU only reads text, and
downloading photos or recordings (possibly evidence, possibly of her) would mean
keeping sensitive files we have no safe place for yet. A caption is her words (and
then no request is needed); the photos of one album share a `media_group_id`, and
the channel answers the album once.

An edited message is read as a new message: she may turn 「我想问点事」 into
「他现在拿着刀在门外」, and the edit must reach the danger check like anything she sends.
Exit wording in any form (nlu/safe_exit.py: 「他来了快删」, 「安全 退出！」) is a safe exit.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import List, Optional, Tuple

from telegram import Message, Update

from connectors.typed_text import her_words, location_payload
from nlu.safe_exit import asks_to_exit

TEXT, SAFE_EXIT, MEDIA, CALLBACK, GROUP_COMMAND, IGNORED = (
    "text", "safe_exit", "media", "callback", "group_command", "ignored")

COMMANDS = {
    "start": "/greet",
    "help": "/ask_capabilities",
    "human": "/request_human",
    "status": "/ticket_status",
}
SAFE_EXIT_COMMAND = "exit"
SAFE_EXIT_INTENT = "/safe_exit"
COMMAND_PATTERN = re.compile(r"^/([A-Za-z0-9_]+)(?:@[A-Za-z0-9_]+)?(?:\s|$)")
MEDIA_ATTRIBUTES = ("sticker", "photo", "voice", "audio", "video", "video_note", "document", "animation",
                    "contact", "poll", "dice", "game", "story")


@dataclass(frozen=True)
class Inbound:
    kind: str
    chat_id: str = ""
    text: str = ""
    message_id: Optional[int] = None
    sent_at: float = 0.0
    callback_query_id: Optional[str] = None
    dedupe_keys: List[str] = field(default_factory=list)
    offered: Tuple[str, ...] = ()  # callback_data of the buttons on the pressed message
    album: Optional[str] = None  # media_group_id: the photos of one album arrive as separate updates
    pressed_message_id: Optional[int] = None  # the message whose button she pressed


def location_text(latitude: float, longitude: float) -> str:
    """The shared convention with the 找组织 feature: intent share_location with two entities."""
    return location_payload(latitude, longitude)


def text_for_rasa(text: str) -> tuple:
    """(kind, text) for what she typed."""
    stripped = (text or "").strip()
    if asks_to_exit(stripped):
        return SAFE_EXIT, SAFE_EXIT_INTENT
    command = COMMAND_PATTERN.match(stripped)
    if command:
        name = command.group(1).lower()
        if name == SAFE_EXIT_COMMAND:
            return SAFE_EXIT, SAFE_EXIT_INTENT
        if name in COMMANDS:
            return TEXT, COMMANDS[name]
    return TEXT, her_words(text or "")  # her buttons come back as callbacks, never as text


def _sent_at(message: Message) -> float:
    return message.date.timestamp() if message.date else time.time()


def _read_message(update: Update, message: Message) -> Inbound:
    chat_id = str(message.chat.id)
    keys = [f"update:{update.update_id}"]
    base = dict(chat_id=chat_id, message_id=message.message_id, sent_at=_sent_at(message), dedupe_keys=keys)
    if message.chat.type != "private":
        is_command = bool(message.text and COMMAND_PATTERN.match(message.text.strip()))
        return Inbound(GROUP_COMMAND, **base) if is_command else Inbound(IGNORED, dedupe_keys=keys)
    if message.text is not None:
        kind, text = text_for_rasa(message.text)
        return Inbound(kind, text=text, **base)
    location = message.location or (message.venue.location if message.venue else None)
    if location is not None:
        return Inbound(TEXT, text=location_text(location.latitude, location.longitude), **base)
    if any(getattr(message, name, None) for name in MEDIA_ATTRIBUTES):
        caption = (message.caption or "").strip()
        if caption:
            kind, text = text_for_rasa(caption)
            return Inbound(kind, text=text, **base)  # the caption is her words
        return Inbound(MEDIA, album=message.media_group_id, **base)
    return Inbound(IGNORED, **base)  # its id is kept: safe exit deletes it too (a pin shows her words)


def read_update(update: Update) -> Inbound:
    """What to do with one update; an edit is a new message; channel posts and service messages are ignored."""
    if update.callback_query is not None:
        query = update.callback_query
        message = query.message
        chat_id = str(message.chat.id if message is not None else query.from_user.id)
        markup = getattr(message, "reply_markup", None)  # Telegram's copy: a client cannot forge it
        offered = tuple(button.callback_data for row in (markup.inline_keyboard if markup else ())
                        for button in row if isinstance(button.callback_data, str))
        return Inbound(CALLBACK, chat_id=chat_id, text=query.data or "", callback_query_id=str(query.id),
                       sent_at=time.time(), offered=offered,
                       pressed_message_id=getattr(message, "message_id", None),
                       dedupe_keys=[f"update:{update.update_id}", f"callback:{query.id}"])
    if update.message is not None:
        return _read_message(update, update.message)
    if update.edited_message is not None:
        return _read_message(update, update.edited_message)
    return Inbound(IGNORED, dedupe_keys=[f"update:{update.update_id}"])
