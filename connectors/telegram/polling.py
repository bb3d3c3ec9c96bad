"""`python -m connectors.telegram.polling`: Telegram without a public address.

Long-polls getUpdates and posts each update, unchanged, to the local Rasa server's
Telegram webhook with the webhook secret, in order, one at a time. So polling and
webhook mode share every line of handling: the same secret check, the same dedupe
table, the same replies. An update is confirmed to Telegram (the next offset) only
after Rasa accepted it; while Rasa is down the runner waits and retries with
backoff, so nothing is lost, and a repeated delivery after a restart is dropped by
the channel's dedupe. A wrong secret (403) or a disabled channel (503) is a
configuration error worth a clear log line, not a silent skip.

Telegram allows one getUpdates caller per bot (another gets 409 Conflict). With
ASSISTANT_REDIS_URL set, a runner may start beside each Rasa replica: they share a lease
(connectors/shared_state/lease.py), one polls, and when it stops or dies another takes
over once the lease lapses. Updates the first forwarded but had not confirmed come
again and are dropped by the channel's shared dedupe. Without Redis there is one runner
and it always polls.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable, Dict, Mapping, Optional

import httpx
from telegram import Bot
from telegram.error import Conflict, InvalidToken, TelegramError
from telegram.request import HTTPXRequest

from connectors.shared_state import Lease, RedisLease, SoleLease, shared_redis
from connectors.telegram.channel import SECRET_HEADER, bot_id
from connectors.telegram.sender import ALLOWED_UPDATES, keep_token_out_of_logs
from connectors.telegram.settings import TelegramSettings
from connectors.telegram.store import TelegramStore

logger = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhooks/telegram/webhook"
LEASE_SECONDS = 45.0  # longer than a long poll (30 s), so a live poller keeps it between renewals


class PollingConfigurationError(RuntimeError):
    """The runner cannot work until the configuration is fixed."""


class PollingRunner:
    def __init__(self, settings: TelegramSettings, poll_timeout: int = 30, base_delay: float = 1.0,
                 max_delay: float = 60.0, max_failures: int = 5, lease: Optional[Lease] = None,
                 lease_seconds: float = LEASE_SECONDS) -> None:
        problem = settings.problem()
        if problem:
            raise PollingConfigurationError(f"{problem}: the polling runner needs the bot token and the "
                                            f"webhook secret the Rasa server was started with")
        self.settings, self.poll_timeout = settings, poll_timeout
        self._base_delay, self._max_delay, self._max_failures = base_delay, max_delay, max_failures
        self.webhook = settings.rasa_url + WEBHOOK_PATH
        self.offset: Optional[int] = None
        self.lease: Lease = lease or SoleLease()
        self._lease_seconds = lease_seconds
        self.turns = 0  # how many times this runner took the lease and polled

    async def run(self, stop: asyncio.Event) -> None:
        """Poll until `stop` is set, while this runner holds the lease."""
        keep_token_out_of_logs()
        request = HTTPXRequest(connection_pool_size=2, read_timeout=10.0)
        bot = Bot(self.settings.bot_token, base_url=self.settings.api_base_url, get_updates_request=request)
        try:
            async with httpx.AsyncClient(timeout=httpx.Timeout(120.0, connect=10.0)) as client:
                while await self._take_lease(stop):
                    turn = asyncio.Event()  # set when stopped or when the lease is lost
                    keeper = asyncio.ensure_future(self._keep_lease(stop, turn))
                    try:
                        await self._poll(bot, client, turn)
                    finally:
                        keeper.cancel()
                        await self._lease_call(self.lease.release)  # another runner takes over at once
        finally:
            await request.shutdown()

    async def _poll(self, bot: Bot, client: httpx.AsyncClient, turn: asyncio.Event) -> None:
        self.turns += 1
        await self._retry(turn, "deleteWebhook", lambda: bot.delete_webhook(drop_pending_updates=False))
        logger.info("Polling Telegram; updates go to %s", self.webhook)
        while not turn.is_set():
            updates = await self._retry(turn, "getUpdates", lambda: bot.get_updates(
                offset=self.offset, timeout=self.poll_timeout, allowed_updates=ALLOWED_UPDATES))
            for update in updates or []:
                if not await self.forward(client, update.to_dict(), turn):
                    return
                self.offset = update.update_id + 1

    async def _take_lease(self, stop: asyncio.Event) -> bool:
        """Wait until this runner holds the lease; False when stopped first."""
        waiting = False
        while not stop.is_set():
            if await self._lease_call(self.lease.hold):
                return True
            if not waiting:
                logger.info("Another runner polls Telegram; this one takes over if it stops")
                waiting = True
            if await self._wait(stop, self._lease_seconds / 3):
                return False
        return False

    async def _keep_lease(self, stop: asyncio.Event, turn: asyncio.Event) -> None:
        """Renew the lease while polling; end the turn when stopped or when it is lost."""
        while not await self._wait(stop, self._lease_seconds / 3):
            if not await self._lease_call(self.lease.hold):
                logger.warning("Telegram polling lease lost; this runner stops polling")
                break
        turn.set()

    async def _lease_call(self, call: Callable[[], Any]) -> Any:
        """A lease call in a thread; Redis unreachable counts as not holding it (no two pollers)."""
        try:
            return await asyncio.get_running_loop().run_in_executor(None, call)
        except Exception as error:  # noqa: BLE001 - redis errors of any kind
            logger.warning("Telegram polling lease: %s: %s", type(error).__name__, error)
            return False

    async def forward(self, client: httpx.AsyncClient, body: Dict[str, Any], stop: asyncio.Event) -> bool:
        """True once Rasa took the update (or refused it, or failed on it every time); False when stopped first.

        While Rasa is down the runner waits as long as it takes; an update Rasa keeps failing on
        (500) is recorded and skipped, or it would hold up every later update of every chat.
        """
        delay, failures = self._base_delay, 0
        headers = {SECRET_HEADER: self.settings.webhook_secret}
        while True:
            try:
                answer = await client.post(self.webhook, json=body, headers=headers)
                if answer.status_code < 300:
                    return True
                if answer.status_code == 400:
                    logger.error("Rasa refused Telegram update %s as malformed; skipped", body.get("update_id"))
                    return True
                if answer.status_code == 403:
                    raise PollingConfigurationError(
                        "Rasa refused the webhook secret: start Rasa and the runner with the same "
                        "TELEGRAM_WEBHOOK_SECRET")
                problem = f"HTTP {answer.status_code}"
                failures += answer.status_code == 500
                if failures >= self._max_failures:
                    self._record_skipped(body, f"{problem} {failures} times")
                    return True
                if answer.status_code == 503:
                    problem += " (the Telegram channel is disabled in Rasa: token or secret not set there)"
            except httpx.HTTPError as error:
                problem = f"{type(error).__name__}: {error}"
            logger.warning("Update %s not taken by Rasa (%s); retrying in %.0fs",
                           body.get("update_id"), problem, delay)
            if await self._wait(stop, delay):
                return False
            delay = min(delay * 2, self._max_delay)

    def _record_skipped(self, body: Dict[str, Any], error: str) -> None:
        query = body.get("callback_query") or {}
        message = body.get("message") or query.get("message") or {}
        chat_id = str((message.get("chat") or {}).get("id") or (query.get("from") or {}).get("id") or "")
        row = TelegramStore(self.settings.store_path).record_undelivered(chat_id, "update", body, "not_processed",
                                                                         error)
        logger.error("Rasa failed on Telegram update %s (%s); skipped, recorded as undelivered #%d",
                     body.get("update_id"), error, row)

    async def _retry(self, stop: asyncio.Event, what: str, call: Callable[[], Awaitable[Any]]) -> Any:
        delay = self._base_delay
        while not stop.is_set():
            try:
                return await self._unless_stopped(stop, call())
            except InvalidToken as error:
                raise PollingConfigurationError(f"Telegram refused TELEGRAM_BOT_TOKEN: {error}") from error
            except Conflict as error:
                problem = f"{error} (another runner is polling, or a webhook is set)"
            except TelegramError as error:
                problem = str(error)
            logger.warning("Telegram %s failed (%s); retrying in %.0fs", what, problem, delay)
            if await self._wait(stop, delay):
                return None
            delay = min(delay * 2, self._max_delay)
        return None

    @staticmethod
    async def _unless_stopped(stop: asyncio.Event, call: Awaitable[Any]) -> Any:
        """A long poll ends at once when the runner is stopped."""
        work, stopped = asyncio.ensure_future(call), asyncio.ensure_future(stop.wait())
        try:
            await asyncio.wait({work, stopped}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopped.cancel()
        if not work.done():
            work.cancel()
            return None
        return work.result()

    async def _wait(self, stop: asyncio.Event, seconds: float) -> bool:
        """Sleep unless stopped first; True when stopped."""
        try:
            await asyncio.wait_for(stop.wait(), timeout=seconds)
        except asyncio.TimeoutError:
            return False
        return True


def polling_lease(settings: TelegramSettings, environ: Optional[Mapping[str, str]] = None) -> Lease:
    """Shared with the other runners of this bot when ASSISTANT_REDIS_URL is set; else always held."""
    shared = shared_redis(environ)
    if shared is None:
        return SoleLease()
    return RedisLease(shared, f"telegram:{bot_id(settings.bot_token)}:polling", LEASE_SECONDS)


def run_polling(settings: Optional[TelegramSettings] = None) -> int:
    """The command's body: runs until Ctrl-C or SIGTERM; 2 when the configuration stops it."""
    import signal

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = settings or TelegramSettings.from_env()

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signal_number in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signal_number, stop.set)
        await PollingRunner(settings, lease=polling_lease(settings)).run(stop)

    try:
        asyncio.run(main())
    except PollingConfigurationError as error:
        logger.error("%s", error)
        print(f"telegram-poll: {error}")
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(run_polling())
