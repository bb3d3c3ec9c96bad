"""WeChat Official Account (公众号) input channel for Rasa.

In credentials.yml:

    connectors.wechat.WeChatInput:

and in the environment: WECHAT_TOKEN, WECHAT_APP_ID, WECHAT_APP_SECRET, optionally
WECHAT_AES_KEY (safe mode) and WECHAT_API_BASE_URL (tests). Without a token the
channel answers 503 and says so once in the log; Rasa still starts.
The URL to enter in 公众平台 is https://<host>/webhooks/wechat/webhook.

With ASSISTANT_REDIS_URL set (several Rasa replicas), the access token and the
deliveries seen live in Redis (connectors/wechat/access_token.py, deliveries.py).
"""
from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from connectors.delivery_reports import DeliveryReports, Reporter
from connectors.safe_exit_words import STORE_NAME, CodeWords, SafeExitWords
from connectors.shared_state import SharedRedis, shared_redis
from connectors.undelivered import UndeliveredLog
from connectors.wechat.access_token import SharedToken
from connectors.wechat.deliveries import RedisDeliveries, ShareOrKeep
from connectors.wechat.inbound import WeChatInboundReader
from connectors.wechat.api import WeChatMessageApi
from connectors.wechat.sender import CustomerServiceSender
from connectors.wechat.settings import WeChatSettings
from connectors.wechat.store import WeChatStore
from connectors.wechat.webhook import WebhookAnswer, WeChatWebhook

logger = logging.getLogger(__name__)

NOT_CONFIGURED = "WeChat channel not configured: set WECHAT_TOKEN (and WECHAT_APP_ID, WECHAT_APP_SECRET)"


def build_webhook(settings: WeChatSettings, reports: Optional[Reporter] = None,
                  shared: Optional[SharedRedis] = None) -> WeChatWebhook:
    """Wire the channel's parts from settings; nothing touches the network or disk here.
    `shared`: the replicas' Redis, for the access token and the deliveries seen."""
    account = settings.app_id or "account"
    tokens = SharedToken(shared, account) if shared is not None else None
    api = (WeChatMessageApi(settings.app_id, settings.app_secret, settings.api_base_url, tokens=tokens)
           if settings.can_push else None)
    sender = CustomerServiceSender(api, UndeliveredLog(settings.undelivered_path),
                                   attempts=settings.send_attempts, backoff_seconds=settings.retry_backoff_seconds)
    reader = WeChatInboundReader(settings.token, settings.app_id, settings.aes_key,
                                 max_clock_skew_seconds=settings.max_clock_skew_seconds)
    store = WeChatStore(settings.store_path, options_ttl_seconds=settings.options_ttl_seconds)
    safe_exit_words = SafeExitWords(CodeWords(settings.var_dir / STORE_NAME))
    deliveries = ShareOrKeep(RedisDeliveries(shared, account), store) if shared is not None else None
    return WeChatWebhook(reader, store, sender, deadline_seconds=settings.reply_deadline_seconds,
                         safe_exit_words=safe_exit_words, reports=reports, deliveries=deliveries)


class WeChatInput(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "wechat"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        try:
            settings = WeChatSettings.from_env()
        except ValueError as error:
            logger.error("WeChat channel disabled: %s", error)
            return cls(None)
        if not settings.configured:
            logger.warning("WeChat channel disabled: WECHAT_TOKEN is not set; /webhooks/wechat/webhook answers 503.")
            return cls(None)
        if not settings.can_push:
            logger.warning("WeChat: WECHAT_APP_ID / WECHAT_APP_SECRET not set; only passive replies will work")
        return cls(build_webhook(settings, DeliveryReports.from_env(), shared_redis()))

    def __init__(self, webhook: Optional[WeChatWebhook]) -> None:
        self._webhook = webhook

    def get_output_channel(self) -> Optional[OutputChannel]:
        """Later messages (expert replies via trigger_intent) go through the customer-service API."""
        return self._webhook.output_channel() if self._webhook else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        wechat_webhook = Blueprint(f"wechat_webhook_{id(self)}", __name__)

        @wechat_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self._webhook else "not configured"})

        @wechat_webhook.route("/webhook", methods=["GET"])
        async def handshake(request: Request) -> HTTPResponse:
            if self._webhook is None:
                return _unconfigured()
            return _send(self._webhook.handshake(request.args))

        @wechat_webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if self._webhook is None:
                return _unconfigured()
            return _send(await self._webhook.receive(request.args, request.body or b"", on_new_message))

        return wechat_webhook


def _unconfigured() -> HTTPResponse:
    return response.text(NOT_CONFIGURED, status=503)


def _send(answer: WebhookAnswer) -> HTTPResponse:
    return response.text(answer.body, status=answer.status, content_type=answer.content_type)
