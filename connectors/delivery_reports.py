"""Telling the routing backend what became of an expert's reply, from the channel that holds her chat.

The path, one owner per step:
1. routing/relay.py hands the reply to Rasa (`trigger_intent`, with `expert_message_id`)
   and marks it `delivered` (handed to her channel) once Rasa took it;
2. actions/relay.py puts the id on the bot message; Rasa passes it to the output
   channel's send methods as the keyword `expert_message_id`;
3. the channel knows what the platform answered and reports it here:
   `accepted`, `refused` with the platform's reason (WeChat's errcode 45015 outside the
   48 hours, a Telegram 403 when she blocked the bot), or `waiting` for her to come back
   (held after safe exit, web page closed); a held or refused reply sent later is
   reported `accepted` then;
4. `POST /api/v1/handoffs/messages/{id}/delivery` (service token) stores the state the
   console shows and notes refusals in the handoff's history.

Reports leave in the background with a few retries: her chat never waits on the
routing backend, and a report lost after the retries is logged (the reply keeps the
state it had).
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable, Dict, Mapping, Optional, Protocol, Set

import httpx

from bot.environment import environment, text

logger = logging.getLogger(__name__)

ACCEPTED, REFUSED, WAITING = "accepted", "refused", "waiting"
EXPERT_MESSAGE_ID = "expert_message_id"


def expert_message_id(values: Dict[str, Any]) -> Optional[int]:
    """The routing backend's id of the expert reply a bot message carries, if it is one."""
    value = (values or {}).get(EXPERT_MESSAGE_ID)
    return int(value) if isinstance(value, int) or (isinstance(value, str) and value.isdigit()) else None


class Reporter(Protocol):
    def report(self, message_id: Optional[int], state: str, detail: str = "") -> None:
        ...


class NoReports:
    """For channels running without the routing backend (tests, a laptop without ROUTING_SERVICE_TOKEN)."""

    def report(self, message_id: Optional[int], state: str, detail: str = "") -> None:
        if message_id is not None:
            logger.info("Expert reply #%s: %s %s (no routing backend to tell)", message_id, state, detail)


class DeliveryReports:
    def __init__(self, routing_url: str, token: str, attempts: int = 4, backoff_seconds: float = 1.0,
                 timeout: float = 5.0, sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep) -> None:
        self._url = routing_url.rstrip("/")
        self._token = token
        self._attempts, self._backoff, self._timeout, self._sleep = attempts, backoff_seconds, timeout, sleep
        self._tasks: Set[asyncio.Task] = set()

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None) -> "Reporter":
        """ROUTING_URL and ROUTING_SERVICE_TOKEN, the action server's (`make run` exports both)."""
        values = environment(environ)
        token = text(values, "ROUTING_SERVICE_TOKEN")
        if not token:
            logger.warning("ROUTING_SERVICE_TOKEN not set: channels cannot report what became of expert replies")
            return NoReports()
        return cls(text(values, "ROUTING_URL", "http://localhost:8000"), token)

    def report(self, message_id: Optional[int], state: str, detail: str = "") -> None:
        """Schedules the report on the running loop; returns at once."""
        if message_id is None:
            return
        task = asyncio.get_running_loop().create_task(self.send(message_id, state, detail))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def send(self, message_id: int, state: str, detail: str = "") -> bool:
        url = f"{self._url}/api/v1/handoffs/messages/{int(message_id)}/delivery"
        body = {"state": state, "detail": detail[:300]}
        headers = {"Authorization": f"Bearer {self._token}"}
        for attempt in range(1, self._attempts + 1):
            try:
                async with httpx.AsyncClient(timeout=self._timeout) as client:
                    response = await client.post(url, json=body, headers=headers)
                if response.status_code < 300:
                    return True
                if response.status_code < 500 and response.status_code not in (408, 429):
                    logger.error("Delivery report for expert reply #%s refused: HTTP %d", message_id,
                                 response.status_code)
                    return False
            except httpx.HTTPError as error:
                logger.warning("Delivery report for expert reply #%s failed (%s)", message_id, type(error).__name__)
            if attempt < self._attempts:
                await self._sleep(self._backoff * 2 ** (attempt - 1))
        logger.error("Delivery report for expert reply #%s (%s) not made after %d attempts", message_id, state,
                     self._attempts)
        return False

    async def wait(self) -> None:
        """Until every scheduled report is done (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
