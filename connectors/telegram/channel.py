"""Telegram input channel for Rasa 3.6 (python-telegram-bot 22, webhook inside Rasa's server).

credentials.yml: `connectors.telegram.TelegramInput:` with no values; the settings come
from TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET, TELEGRAM_WEBHOOK_URL and
TELEGRAM_API_BASE_URL. Without a token or secret the channel is disabled: its routes
answer 503 and Rasa starts as usual.

Routes (under /webhooks/telegram/): `GET /` health, `POST /webhook` updates. Telegram
sends the secret given to setWebhook in X-Telegram-Bot-Api-Secret-Token; anything
without it is refused before it is read. The polling runner
(`python -m connectors.telegram.polling`) posts to the same route with the same secret, so both
modes share one path, one dedupe and one store. No network call is made while the
blueprint is built or per request beyond the replies themselves; setWebhook runs once
at start-up, only when TELEGRAM_WEBHOOK_URL is set.

With ASSISTANT_REDIS_URL set (several Rasa replicas behind a proxy), which updates were
seen lives in Redis (connectors/shared_state/), so a redelivery that reaches another
replica is still dropped; the rest of the store stays in the SQLite file the replicas
on one host share.
"""
from __future__ import annotations

import hmac
import json
import logging
from typing import Any, Awaitable, Callable, Dict, Mapping, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from telegram import Bot, Update
from telegram.request import HTTPXRequest

import connectors.telegram.updates as kinds
from connectors.delivery_reports import DeliveryReports, NoReports, Reporter
from connectors.safe_exit_words import EXIT, STORE_NAME, CodeWords, SafeExitWords
from connectors.shared_state import FirstSeen, RedisFirstSeen, SharedRedis, shared_redis
from connectors.telegram.output import TelegramOutput, send_held_messages
from connectors.telegram.safe_exit import safe_exit
from connectors.telegram.sender import TelegramSender
from connectors.telegram.settings import TelegramSettings
from connectors.telegram.store import LONG_PAYLOAD_PREFIX, TelegramStore
from connectors.telegram.texts import BUTTON_EXPIRED, MEDIA_NOT_READ, PRIVATE_CHAT_ONLY
from connectors.telegram.updates import Inbound, read_update

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


class TelegramInput(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: Optional[Mapping[Text, Any]]) -> "TelegramInput":
        settings = TelegramSettings.from_credentials(credentials)
        return cls(settings, reports=DeliveryReports.from_env(), first_seen=shared_first_seen(settings, shared_redis()))

    def __init__(self, settings: TelegramSettings, store: Optional[TelegramStore] = None,
                 sender_options: Optional[Dict[str, Any]] = None, reports: Optional[Reporter] = None,
                 first_seen: Optional[FirstSeen] = None) -> None:
        self.settings = settings
        self.disabled_because = settings.problem()
        if self.disabled_because:
            logger.warning("Telegram channel disabled: %s; /webhooks/telegram/ answers 503.",
                           self.disabled_because)
        self.store = store or TelegramStore(settings.store_path)
        self.first_seen: FirstSeen = first_seen or self.store  # shared by the replicas, or this process's file
        self.safe_exit_words = SafeExitWords(CodeWords(settings.store_path.parent / STORE_NAME))
        self.reports = reports or NoReports()
        self._sender_options = sender_options or {}
        self._sender: Optional[TelegramSender] = None
        self._request: Optional[HTTPXRequest] = None
        self._webhook_task: Optional[Any] = None

    @property
    def sender(self) -> TelegramSender:
        """Built on first use, inside the server's event loop."""
        if self._sender is None:
            self._request = HTTPXRequest(connection_pool_size=16, read_timeout=20.0)
            bot = Bot(self.settings.bot_token, base_url=self.settings.api_base_url, request=self._request)
            self._sender = TelegramSender(bot, self.store, **self._sender_options)
        return self._sender

    def get_output_channel(self) -> Optional[TelegramOutput]:
        """For messages Rasa pushes later (trigger_intent with output_channel=latest)."""
        if self.disabled_because:
            return None
        return TelegramOutput(self.sender, replying_since=None, reports=self.reports)

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        telegram_webhook = Blueprint("project_telegram_webhook", __name__)

        @telegram_webhook.listener("after_server_start")
        async def set_webhook(_app: Any, loop: Any) -> None:
            if self.disabled_because or not self.settings.webhook_url:
                return
            self._webhook_task = loop.create_task(self._set_webhook())  # start-up does not wait for it

        @telegram_webhook.listener("before_server_stop")
        async def close_client(_app: Any, _loop: Any) -> None:
            if self._request is not None:
                await self._request.shutdown()

        @telegram_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            if self.disabled_because:
                return response.json({"status": "disabled", "reason": self.disabled_because}, status=503)
            return response.json({"status": "ok"})

        @telegram_webhook.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            return await self.handle_webhook(request, on_new_message)

        return telegram_webhook

    async def _set_webhook(self) -> None:
        if await self.sender.set_webhook(self.settings.webhook_url, self.settings.webhook_secret):
            logger.info("Telegram webhook set to %s", self.settings.webhook_url)

    async def handle_webhook(self, request: Request, on_new_message: OnNewMessage) -> HTTPResponse:
        """403 forged, 400 malformed, 200 handled or repeated, 500 failed (Telegram redelivers)."""
        if self.disabled_because:
            return response.json({"error": f"Telegram channel disabled: {self.disabled_because}"}, status=503)
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode("utf-8"), self.settings.webhook_secret.encode("utf-8")):
            logger.warning("Telegram webhook: request without the right secret from %s refused", request.ip)
            return response.json({"error": "forbidden"}, status=403)
        try:
            body = json.loads(request.body or b"")
            if not isinstance(body, dict) or not isinstance(body.get("update_id"), int):
                raise ValueError("not an update object")
            update = Update.de_json(body, self.sender.bot)
        except Exception as error:  # anything unreadable is refused whole, before it is acted on
            logger.warning("Telegram webhook: malformed update refused (%s)", error)
            return response.json({"error": "malformed update"}, status=400)

        inbound = read_update(update)
        claimed = []
        for key in inbound.dedupe_keys:
            if not self.first_seen.claim(key):
                for earlier in claimed:
                    self.first_seen.release(earlier)
                logger.info("Telegram update %s delivered again (%s); ignored", update.update_id, key)
                return response.json({"status": "duplicate"})
            claimed.append(key)
        try:
            await self.process(inbound, on_new_message)
        except Exception:
            for key in claimed:
                self.first_seen.release(key)
            logger.exception("Telegram update %s failed; Telegram will deliver it again", update.update_id)
            return response.json({"error": "processing failed"}, status=500)
        return response.json({"status": "ok"})

    async def process(self, inbound: Inbound, on_new_message: OnNewMessage) -> None:
        """Act on one new update."""
        chat_id, sender = inbound.chat_id, self.sender
        received_at = self.store.now()
        if inbound.message_id is not None:
            self.store.remember_message(chat_id, inbound.message_id, "in", inbound.sent_at)
        if inbound.kind == kinds.IGNORED:
            return
        if inbound.kind == kinds.GROUP_COMMAND:
            await sender.send_message(chat_id, PRIVATE_CHAT_ONLY)
            return
        text: Optional[str] = inbound.text
        if inbound.kind == kinds.CALLBACK:
            text = await self._pressed(inbound)
            if text is None:
                return
        reading = self.safe_exit_words.read(chat_id, text) if inbound.kind != kinds.MEDIA else None
        if inbound.kind == kinds.SAFE_EXIT or (reading is not None and reading.kind == EXIT):
            await safe_exit(chat_id, sender, lambda: on_new_message(
                self._user_message(kinds.SAFE_EXIT_INTENT, chat_id, CollectingOutputChannel(), inbound)))
            return
        if self.store.clear_quiet(chat_id) or inbound.kind != kinds.CALLBACK:
            await send_held_messages(sender, chat_id, self.reports)
        if reading is not None and reading.reply:  # her code word: kept by the channel, never in the dialogue
            await sender.send_message(chat_id, reading.reply)
            return
        if inbound.kind == kinds.MEDIA:
            if inbound.album is None or self.first_seen.claim(f"album:{chat_id}:{inbound.album}"):
                await sender.send_message(chat_id, MEDIA_NOT_READ)  # one notice for an album
            return
        output = TelegramOutput(sender, replying_since=received_at, reports=self.reports)
        await on_new_message(self._user_message(text, chat_id, output, inbound))

    async def _pressed(self, inbound: Inbound) -> Optional[str]:
        """The payload of a button she pressed; None when there is nothing to hand on.
        Her answer is in, so the buttons under that message go."""
        chat_id, sender = inbound.chat_id, self.sender
        await sender.answer_callback(inbound.callback_query_id or "", chat_id)
        text: Optional[str] = inbound.text
        if text not in inbound.offered:  # a modified client can send any callback_data
            logger.warning("Telegram callback in chat %s with data not on its message refused", chat_id)
            text = None
        elif text.startswith(LONG_PAYLOAD_PREFIX):
            text = self.store.payload_for(text)
        if text is None:
            await sender.send_message(chat_id, BUTTON_EXPIRED)
            return None
        if inbound.pressed_message_id is not None:
            await sender.remove_keyboard(chat_id, inbound.pressed_message_id)
        return text

    def _user_message(self, text: str, chat_id: str, output: Any, inbound: Inbound) -> UserMessage:
        """Only ids go into the tracker's metadata, never her name or username."""
        metadata = {"telegram": {"message_id": inbound.message_id, "kind": inbound.kind}}
        return UserMessage(text, output, chat_id, input_channel=self.name(), metadata=metadata)


def shared_first_seen(settings: TelegramSettings, shared: Optional[SharedRedis]) -> Optional[FirstSeen]:
    """Update ids in Redis when the replicas share it, per bot (ids are numbered per bot); else None."""
    if shared is None:
        return None
    return RedisFirstSeen(shared, f"telegram:{bot_id(settings.bot_token)}:seen")


def bot_id(token: str) -> str:
    """The bot's number, the part of the token before the colon (the rest is the secret)."""
    return token.split(":", 1)[0] if ":" in token else "bot"
