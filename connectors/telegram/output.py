"""Rasa's output channel for Telegram: the assistant's replies and pushed messages.

One instance answers one incoming message (`replying_since` = when it arrived);
`get_output_channel()` gives one with `replying_since=None` for messages Rasa pushes
later (an expert's reply through trigger_intent). After a safe exit nothing new may
appear in her chat, so both kinds are held back (recorded, not sent) until she
writes again.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa.core.channels.channel import OutputChannel

from connectors.telegram.render import render
from connectors.telegram.sender import TelegramSender
from connectors.telegram.texts import HELD_WHILE_AWAY

logger = logging.getLogger(__name__)

HELD_REASON = "held_after_safe_exit"


class TelegramOutput(OutputChannel):
    @classmethod
    def name(cls) -> Text:
        return "telegram"

    def __init__(self, sender: TelegramSender, replying_since: Optional[float] = None) -> None:
        self.sender, self.store = sender, sender.store
        self.replying_since = replying_since

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self._deliver(recipient_id, text, [])

    async def send_text_with_buttons(self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]],
                                     **kwargs: Any) -> None:
        await self._deliver(recipient_id, text, buttons)

    async def send_quick_replies(self, recipient_id: Text, text: Text, quick_replies: List[Dict[Text, Any]],
                                 **kwargs: Any) -> None:
        await self._deliver(recipient_id, text, quick_replies)

    async def send_image_url(self, recipient_id: Text, image: Text, **kwargs: Any) -> None:
        await self._deliver(recipient_id, image, [])

    async def send_attachment(self, recipient_id: Text, attachment: Text, **kwargs: Any) -> None:
        await self._deliver(recipient_id, str(attachment), [])

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any) -> None:
        """Custom payloads with text are sent as text; anything else is recorded, not shown as JSON."""
        if isinstance(json_message, dict) and json_message.get("text"):
            await self._deliver(recipient_id, str(json_message["text"]), json_message.get("buttons") or [])
            return
        row = self.store.record_undelivered(recipient_id, "custom", {"custom": json_message}, "unsupported")
        logger.warning("Telegram cannot show a custom message without text; recorded as undelivered #%d", row)

    async def _deliver(self, chat_id: Text, text: Optional[Text], buttons: List[Dict[Text, Any]]) -> None:
        messages = render(text, buttons or [], self.store.payload_key)
        for message in messages:
            held = self._held(chat_id)  # asked again for each part: she may leave between two
            if not held:
                sent = await self.sender.send_message(chat_id, message.text, message.reply_markup)
                held = sent is not None and self._held(chat_id)
                if held:  # she left while it was on its way, after safe exit collected what to delete
                    await self.sender.delete_message(chat_id, sent.message_id)
                    self.store.forget_messages(chat_id, [sent.message_id])
            if held:
                body = {"chat_id": chat_id, "text": message.text}
                if message.reply_markup is not None:
                    body["reply_markup"] = message.reply_markup.to_dict()
                self.store.record_undelivered(chat_id, "sendMessage", body, HELD_REASON)
                logger.info("Chat %s left with safe exit; a message is held until she writes again", chat_id)

    def _held(self, chat_id: Text) -> bool:
        since = self.store.quiet_since(chat_id)
        if since is None:
            return False
        return self.replying_since is None or self.replying_since < since


async def send_held_messages(sender: TelegramSender, chat_id: str) -> int:
    """She is back after a safe exit: what arrived meanwhile is sent now, after a short lead."""
    held = sender.store.undelivered(chat_id=chat_id, reason=HELD_REASON)
    if not held:
        return 0
    await sender.send_message(chat_id, HELD_WHILE_AWAY)
    for row in held:
        await sender.resend(chat_id, row.body)
        sender.store.mark_resent(row.id)
    return len(held)
