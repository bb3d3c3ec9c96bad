"""Every call to the Bot API goes through here: bounded retries, then a record.

Network errors, 5xx and 429 (after Telegram's retry_after) are retried with backoff.
A 403 (she blocked the bot) or a 400 will not succeed on retry, so they are recorded
at once. Whatever could not be sent ends in the store's `undelivered` table and the
log: nothing is dropped silently.
"""
from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any, Awaitable, Callable, Dict, Optional

from telegram import Bot, InlineKeyboardMarkup, Message, ReplyKeyboardMarkup
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter, TelegramError

from connectors.telegram.render import Markup
from connectors.telegram.store import TelegramStore

logger = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]  # an edit is read as a new message


def keep_token_out_of_logs() -> None:
    """httpx logs every request URL at INFO, and each Bot API URL contains the bot token."""
    httpx_logger = logging.getLogger("httpx")
    if httpx_logger.getEffectiveLevel() < logging.WARNING:
        httpx_logger.setLevel(logging.WARNING)


def _retry_after_seconds(error: RetryAfter) -> float:
    value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class TelegramSender:
    def __init__(self, bot: Bot, store: TelegramStore, attempts: int = 4, base_delay: float = 0.5,
                 max_delay: float = 30.0, sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep) -> None:
        keep_token_out_of_logs()
        self.bot, self.store = bot, store
        self._attempts, self._base_delay, self._max_delay, self._sleep = attempts, base_delay, max_delay, sleep
        self._failures: Dict[str, str] = {}

    async def send_message(self, chat_id: str, text: str, reply_markup: Optional[Markup] = None,
                           expert_message_id: Optional[int] = None) -> Optional[Message]:
        """Send plain text (no parse_mode) and remember the id for safe exit. An expert reply's id
        is kept with a message that could not be sent, so it can follow when she writes again."""
        body: Dict[str, Any] = {"chat_id": chat_id, "text": text}
        if reply_markup is not None:
            body["reply_markup"] = reply_markup.to_dict()
        if expert_message_id is not None:
            body["expert_message_id"] = expert_message_id
        message = await self._call("sendMessage", chat_id, body,
                                   lambda: self.bot.send_message(chat_id=chat_id, text=text,
                                                                 reply_markup=reply_markup))
        if message is not None:
            self.store.remember_message(chat_id, message.message_id, "out")
        return message

    async def resend(self, chat_id: str, body: Dict[str, Any]) -> Optional[Message]:
        """Send a recorded sendMessage body again (held messages after her return)."""
        markup = body.get("reply_markup") or {}
        parsed: Optional[Markup] = None
        if "inline_keyboard" in markup:
            parsed = InlineKeyboardMarkup.de_json(markup, self.bot)
        elif "keyboard" in markup:
            parsed = ReplyKeyboardMarkup.de_json(markup, self.bot)
        return await self.send_message(chat_id, body["text"], parsed, body.get("expert_message_id"))

    async def remove_keyboard(self, chat_id: str, message_id: int) -> bool:
        """Her answer is in: the buttons under that message go (editMessageReplyMarkup without markup)."""
        result = await self._call("editMessageReplyMarkup", chat_id, {"chat_id": chat_id, "message_id": message_id},
                                  lambda: self.bot.edit_message_reply_markup(chat_id=chat_id, message_id=message_id),
                                  record_rejection=False)
        return bool(result)

    def last_failure(self, chat_id: str) -> str:
        """Why the last call for this chat was not delivered (the platform's words), for the delivery report."""
        return self._failures.get(str(chat_id), "")

    async def delete_message(self, chat_id: str, message_id: int) -> bool:
        """True when gone; a 400 (already deleted, too old) is expected and only logged."""
        result = await self._call("deleteMessage", chat_id, {"chat_id": chat_id, "message_id": message_id},
                                  lambda: self.bot.delete_message(chat_id=chat_id, message_id=message_id),
                                  record_rejection=False)
        return bool(result)

    async def answer_callback(self, query_id: str, chat_id: str) -> bool:
        """Stops the spinner on her button; a late answer (query too old) is only logged."""
        result = await self._call("answerCallbackQuery", chat_id, {"callback_query_id": query_id},
                                  lambda: self.bot.answer_callback_query(callback_query_id=query_id),
                                  record_rejection=False)
        return bool(result)

    async def set_webhook(self, url: str, secret: str) -> bool:
        result = await self._call("setWebhook", "", {"url": url},
                                  lambda: self.bot.set_webhook(url=url, secret_token=secret,
                                                               allowed_updates=ALLOWED_UPDATES))
        return bool(result)

    async def _call(self, method: str, chat_id: str, body: Dict[str, Any],
                    call: Callable[[], Awaitable[Any]], record_rejection: bool = True) -> Any:
        last_error: Optional[BaseException] = None
        for attempt in range(1, self._attempts + 1):
            try:
                return await call()
            except RetryAfter as error:
                last_error, delay = error, min(_retry_after_seconds(error), self._max_delay)
            except Forbidden as error:
                self._record(method, chat_id, body, "forbidden", error)
                return None
            except BadRequest as error:
                if record_rejection:
                    self._record(method, chat_id, body, "rejected", error)
                else:
                    logger.info("Telegram %s for chat %s refused: %s", method, chat_id, error)
                return None
            except InvalidToken as error:
                self._record(method, chat_id, body, "invalid_token", error)
                return None
            except NetworkError as error:  # network trouble, timeouts and 5xx
                last_error, delay = error, min(self._base_delay * 2 ** (attempt - 1), self._max_delay)
            except TelegramError as error:
                self._record(method, chat_id, body, "rejected", error)
                return None
            if attempt < self._attempts:
                logger.warning("Telegram %s failed (attempt %d of %d), retrying in %.1fs: %s",
                               method, attempt, self._attempts, delay, last_error)
                await self._sleep(delay)
        self._record(method, chat_id, body, "failed_after_retries", last_error)
        return None

    def _record(self, method: str, chat_id: str, body: Dict[str, Any], reason: str,
                error: Optional[BaseException]) -> None:
        self._failures[str(chat_id)] = f"{reason}: {error}" if error else reason
        row = self.store.record_undelivered(chat_id, method, body, reason, str(error or ""))
        logger.error("Telegram %s for chat %s not delivered (%s: %s); recorded as undelivered #%d",
                     method, chat_id or "-", reason, error, row)
