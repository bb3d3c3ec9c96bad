"""Rasa's output channel for Telegram: the assistant's replies and pushed messages.

One instance answers one incoming message (`replying_since` = when it arrived);
`get_output_channel()` gives one with `replying_since=None` for messages Rasa pushes
later (an expert's reply through trigger_intent). After a safe exit nothing new may
appear in her chat, so both kinds are held back (recorded, not sent) until she
writes again.

An expert's reply carries its id (`expert_message_id`); what Telegram did with it is
reported to the routing backend (connectors/delivery_reports.py): accepted, refused
with Telegram's reason (403 when she blocked the bot), or waiting (held after safe
exit). Held and refused replies are sent when she writes again.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa.core.channels.channel import OutputChannel

from connectors.crisis_buttons import with_crisis_payloads
from connectors.delivery_reports import ACCEPTED, REFUSED, WAITING, NoReports, Reporter, expert_message_id
from connectors.telegram.render import render
from connectors.telegram.sender import TelegramSender
from connectors.telegram.texts import HELD_WHILE_AWAY

logger = logging.getLogger(__name__)

HELD_REASON = "held_after_safe_exit"
RESENT_WHEN_SHE_WRITES = (HELD_REASON, "forbidden", "failed_after_retries")  # a 400 would fail again
WAITING_AFTER_SAFE_EXIT = "她用了安全退出，等她再发消息"


class TelegramOutput(OutputChannel):
    @classmethod
    def name(cls) -> Text:
        return "telegram"

    def __init__(self, sender: TelegramSender, replying_since: Optional[float] = None,
                 reports: Optional[Reporter] = None) -> None:
        self.sender, self.store = sender, sender.store
        self.replying_since = replying_since
        self.reports = reports or NoReports()

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self._deliver(recipient_id, text, [], expert_message_id(kwargs))

    async def send_text_with_buttons(self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]],
                                     **kwargs: Any) -> None:
        await self._deliver(recipient_id, text, buttons, expert_message_id(kwargs))

    async def send_quick_replies(self, recipient_id: Text, text: Text, quick_replies: List[Dict[Text, Any]],
                                 **kwargs: Any) -> None:
        await self._deliver(recipient_id, text, quick_replies, expert_message_id(kwargs))

    async def send_image_url(self, recipient_id: Text, image: Text, **kwargs: Any) -> None:
        await self._deliver(recipient_id, image, [])

    async def send_attachment(self, recipient_id: Text, attachment: Text, **kwargs: Any) -> None:
        await self._deliver(recipient_id, str(attachment), [])

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any) -> None:
        """Custom payloads with text are sent as text; anything else is recorded, not shown as JSON."""
        if isinstance(json_message, dict) and json_message.get("text"):
            await self._deliver(recipient_id, str(json_message["text"]), json_message.get("buttons") or [],
                                expert_message_id({**kwargs, **json_message}))
            return
        row = self.store.record_undelivered(recipient_id, "custom", {"custom": json_message}, "unsupported")
        logger.warning("Telegram cannot show a custom message without text; recorded as undelivered #%d", row)

    async def _deliver(self, chat_id: Text, text: Optional[Text], buttons: List[Dict[Text, Any]],
                       expert_id: Optional[int] = None) -> None:
        messages = render(text, with_crisis_payloads(text or "", buttons or []), self.store.payload_key)
        outcome: Tuple[str, str] = (ACCEPTED, "")
        for message in messages:
            held = self._held(chat_id)  # asked again for each part: she may leave between two
            if not held:
                sent = await self.sender.send_message(chat_id, message.text, message.reply_markup, expert_id)
                if sent is None:
                    outcome = (REFUSED, self.sender.last_failure(chat_id))
                    continue
                held = self._held(chat_id)
                if held:  # she left while it was on its way, after safe exit collected what to delete
                    await self.sender.delete_message(chat_id, sent.message_id)
                    self.store.forget_messages(chat_id, [sent.message_id])
            if held:
                body: Dict[str, Any] = {"chat_id": chat_id, "text": message.text}
                if message.reply_markup is not None:
                    body["reply_markup"] = message.reply_markup.to_dict()
                if expert_id is not None:
                    body["expert_message_id"] = expert_id
                self.store.record_undelivered(chat_id, "sendMessage", body, HELD_REASON)
                logger.info("Chat %s left with safe exit; a message is held until she writes again", chat_id)
                if outcome[0] == ACCEPTED:
                    outcome = (WAITING, WAITING_AFTER_SAFE_EXIT)
        if expert_id is not None and messages:
            self.reports.report(expert_id, *outcome)

    def _held(self, chat_id: Text) -> bool:
        since = self.store.quiet_since(chat_id)
        if since is None:
            return False
        return self.replying_since is None or self.replying_since < since


async def send_held_messages(sender: TelegramSender, chat_id: str, reports: Optional[Reporter] = None) -> int:
    """She is back: what was held after a safe exit, and experts' replies Telegram refused
    (she had blocked the bot) or that failed, are sent now, after a short lead."""
    reports = reports or NoReports()
    held = [row for row in sender.store.undelivered(chat_id=chat_id)
            if row.method == "sendMessage" and (row.reason == HELD_REASON or (
                row.reason in RESENT_WHEN_SHE_WRITES and row.body.get("expert_message_id") is not None))]
    if not held:
        return 0
    await sender.send_message(chat_id, HELD_WHILE_AWAY)
    for row in held:
        sent = await sender.resend(chat_id, row.body)
        sender.store.mark_resent(row.id)  # a failed resend is recorded again as a row of its own
        expert_id = row.body.get("expert_message_id")
        if expert_id is not None:
            reports.report(expert_id, *((ACCEPTED, "") if sent is not None else (REFUSED, sender.last_failure(chat_id))))
    return len(held)
