"""Sending text through WeChat's customer-service message API, with retries.

Used for everything that cannot go in the passive reply: answers that took longer
than WeChat's five seconds, the rest of a long answer, and expert replies relayed
later. A send that keeps failing is recorded in the undelivered table, never dropped.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Awaitable, Callable, Optional, Protocol

import requests
from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException

from connectors.undelivered import UndeliveredLog

logger = logging.getLogger(__name__)

RETRYABLE_ERRCODES = {-1}  # 系统繁忙，此时请开发者稍候再试
REQUEST_TIMEOUT_SECONDS = 5


class MessageApi(Protocol):
    """The one call the channel needs; raises on failure."""

    def send_text(self, openid: str, text: str) -> None:
        ...


class ConfigurableWeChatClient(WeChatClient):
    """wechatpy's client with its API base URL configurable, token endpoint included,
    so that tests can point it at a local fake WeChat server."""

    def __init__(self, appid: str, secret: str, api_base_url: str, **kwargs) -> None:
        super().__init__(appid, secret, **kwargs)
        self.API_BASE_URL = api_base_url.rstrip("/") + "/"

    def fetch_access_token(self):
        return self._fetch_access_token(
            url=f"{self.API_BASE_URL}token",
            params={"grant_type": "client_credential", "appid": self.appid, "secret": self.secret})


class WeChatMessageApi:
    """The real API through wechatpy; the access token is cached in wechatpy's session
    storage (in memory here, one token per process)."""

    def __init__(self, app_id: str, app_secret: str, api_base_url: str) -> None:
        self._client = ConfigurableWeChatClient(app_id, app_secret, api_base_url,
                                                timeout=REQUEST_TIMEOUT_SECONDS)

    def send_text(self, openid: str, text: str) -> None:
        self._client.message.send_text(openid, text)


def is_retryable(error: Exception) -> bool:
    if isinstance(error, requests.RequestException):
        return True
    if isinstance(error, WeChatClientException):
        if error.errcode is None:  # an HTTP error: retry server errors and rate limiting only
            status = getattr(error.response, "status_code", None)
            return status is None or status >= 500 or status == 429
        return error.errcode in RETRYABLE_ERRCODES
    return False


def describe(error: Exception) -> str:
    if isinstance(error, WeChatClientException):
        if error.errcode is None:
            return f"HTTP {getattr(error.response, 'status_code', '?')}"
        return f"errcode {error.errcode}: {error.errmsg}"
    return f"{type(error).__name__}: {error}"


class CustomerServiceSender:
    """Bounded retries with exponential backoff, then a record in the undelivered table."""

    def __init__(self, api: Optional[MessageApi], undelivered: UndeliveredLog, attempts: int = 3,
                 backoff_seconds: float = 0.5,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self._api = api
        self._undelivered = undelivered
        self._attempts = max(1, attempts)
        self._backoff = backoff_seconds
        self._sleep = sleep

    async def send_text(self, openid: str, text: str) -> bool:
        if self._api is None:
            return self._give_up(openid, text, "WECHAT_APP_ID / WECHAT_APP_SECRET not set", 0)
        loop = asyncio.get_running_loop()
        for attempt in range(1, self._attempts + 1):
            try:
                await loop.run_in_executor(None, self._api.send_text, openid, text)
                return True
            except Exception as error:  # noqa: BLE001 - every failure is classified below
                reason = describe(error)
                if not is_retryable(error) or attempt == self._attempts:
                    return self._give_up(openid, text, reason, attempt)
                delay = self._backoff * 2 ** (attempt - 1)
                logger.warning("WeChat send to %s failed (%s); retry %d in %.1f s", openid, reason, attempt, delay)
                await self._sleep(delay)
        return False  # not reached

    def _give_up(self, openid: str, text: str, reason: str, attempts: int) -> bool:
        logger.error("WeChat message to %s not delivered after %d attempt(s): %s; kept in the undelivered "
                     "table", openid, attempts, reason)
        self._undelivered.record(channel="wechat", recipient=openid, text=text, error=reason, attempts=attempts)
        return False
