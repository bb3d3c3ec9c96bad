"""Sending text through WeChat's customer-service message API, with retries.

Used for everything that cannot go in the passive reply: answers that took longer
than WeChat's five seconds, the rest of a long answer, and expert replies relayed
later. A send that keeps failing is recorded in the undelivered table, never dropped.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Awaitable, Callable, Dict, Optional, Protocol

import httpx
import redis

from connectors.undelivered import UndeliveredLog
from connectors.wechat.access_token import TokenUnavailable
from connectors.wechat.api import WeChatApiError

logger = logging.getLogger(__name__)

RETRYABLE_ERRCODES = {-1}  # 系统繁忙，此时请开发者稍候再试


class MessageApi(Protocol):
    """The one call the channel needs; raises on failure."""

    def send_text(self, openid: str, text: str) -> None:
        ...


def is_retryable(error: Exception) -> bool:
    if isinstance(error, (httpx.HTTPError, redis.RedisError, TokenUnavailable)):  # network trouble, timeouts,
        return True                                                              # a token refresh elsewhere
    if isinstance(error, WeChatApiError):
        if error.errcode is None:  # an HTTP error: retry server errors and rate limiting only
            return error.status is None or error.status >= 500 or error.status == 429
        return error.errcode in RETRYABLE_ERRCODES
    return False


def describe(error: Exception) -> str:
    if isinstance(error, WeChatApiError):
        if error.errcode is None:
            return f"HTTP {error.status if error.status is not None else '?'}"
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
        self._failures: Dict[str, str] = {}

    def last_failure(self, openid: str) -> str:
        """Why the last message to her was not delivered, in WeChat's words (for the delivery report)."""
        return self._failures.get(openid, "")

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
        self._failures[openid] = reason
        logger.error("WeChat message to %s not delivered after %d attempt(s): %s; kept in the undelivered "
                     "table", openid, attempts, reason)
        self._undelivered.record(channel="wechat", recipient=openid, text=text, error=reason, attempts=attempts)
        return False
