"""The polling runner: getUpdates from the fake Bot API, each update posted to a real
channel server (stub dialogue) with the secret, confirmed only once taken."""
import asyncio
import logging
import subprocess
import sys
import time

import pytest

from connectors.telegram.polling import PollingConfigurationError, PollingRunner, run_polling
from connectors.telegram.store import TelegramStore
from tests.connectors.telegram.channel_server import StubDialogue, channel_for, serve, settings_for
from tests.conftest import PROJECT_ROOT
from tests.connectors.telegram.fake_api import FakeTelegramApi, callback_update, text_update

CHAT = 77


@pytest.fixture
def api():
    with FakeTelegramApi() as fake:
        yield fake


async def until(condition, seconds=30.0):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        await asyncio.sleep(0.05)


def poll_with(api, tmp_path, dialogue, scenario, expect_error=False, **settings):
    """Serve the channel, start the runner against it, run the scenario, stop the runner."""
    async def main():
        async with serve(channel_for(api, tmp_path), dialogue) as base:
            runner = PollingRunner(settings_for(api, tmp_path, rasa_url=base, **settings),
                                   poll_timeout=1, base_delay=0.05, max_delay=0.2)
            stop = asyncio.Event()
            task = asyncio.create_task(runner.run(stop))
            try:
                await scenario(task)
            finally:
                stop.set()
                done, _ = await asyncio.wait({task}, timeout=10)
                assert done, "the runner did not stop"
                if not expect_error:
                    task.result()  # a crash of the runner fails the test
            return runner
    return asyncio.run(main())


def test_updates_reach_the_dialogue_in_order_and_are_confirmed(api, tmp_path):
    dialogue = StubDialogue()
    api.queue_update(text_update(1, CHAT, "你好"))
    api.queue_update(callback_update(2, CHAT, "/request_human", query_id="q-1"))

    async def scenario(_task):
        await until(lambda: len(dialogue.messages) == 2)
        api.queue_update(text_update(3, CHAT, "谢谢"))
        await until(lambda: len(dialogue.messages) == 3)

    runner = poll_with(api, tmp_path, dialogue, scenario)
    assert dialogue.texts == ["你好", "/request_human", "谢谢"]
    assert api.calls_to("deleteWebhook") and runner.offset == 4
    assert {c.get("offset") for c in api.calls_to("getUpdates")} >= {3}
    assert api.sent_texts(CHAT) == ["收到：你好", "收到：/request_human", "收到：谢谢"]


def test_an_update_rasa_could_not_take_is_retried_not_lost_nor_doubled(api, tmp_path):
    dialogue = StubDialogue()
    dialogue.fail_next = 2  # the channel answers 500 twice
    api.queue_update(text_update(1, CHAT, "你好"))

    async def scenario(_task):
        await until(lambda: dialogue.messages)
        await until(lambda: len(api.calls_to("getUpdates")) >= 3)  # polled on after confirming

    poll_with(api, tmp_path, dialogue, scenario)
    assert dialogue.texts == ["你好"] and api.sent_texts(CHAT) == ["收到：你好"]


def test_an_update_rasa_always_fails_on_is_recorded_and_does_not_hold_up_the_next(api, tmp_path):
    dialogue = StubDialogue()
    dialogue.fail_next = 1000  # a poison update: the channel answers 500 every time
    api.queue_update(text_update(1, CHAT, "你好"))

    async def scenario(_task):
        await until(lambda: runner_offsets(api) >= 2)
        dialogue.fail_next = 0
        api.queue_update(text_update(2, CHAT, "在吗"))
        await until(lambda: dialogue.messages)

    poll_with(api, tmp_path, dialogue, scenario)
    assert dialogue.texts == ["在吗"]
    (skipped,) = TelegramStore(tmp_path / "telegram.db").undelivered(reason="not_processed")
    assert (skipped.chat_id, skipped.body["message"]["text"]) == (str(CHAT), "你好")


def runner_offsets(api):
    return max([int(c.get("offset") or 0) for c in api.calls_to("getUpdates")] or [0])


def test_a_redelivered_update_after_a_runner_restart_is_processed_once(api, tmp_path):
    dialogue = StubDialogue()
    api.queue_update(text_update(1, CHAT, "你好"))

    async def scenario(_task):
        await until(lambda: dialogue.messages)

    poll_with(api, tmp_path, dialogue, scenario)
    api.queue_update(text_update(1, CHAT, "你好"))  # Telegram had not seen the confirmation
    api.queue_update(text_update(2, CHAT, "在吗"))
    poll_with(api, tmp_path, dialogue, lambda _task: until(lambda: len(dialogue.messages) == 2))
    assert dialogue.texts == ["你好", "在吗"]


def test_a_secret_rasa_refuses_stops_the_runner_with_a_clear_error(api, tmp_path):
    api.queue_update(text_update(1, CHAT, "你好"))
    dialogue = StubDialogue()

    async def scenario(task):
        with pytest.raises(PollingConfigurationError, match="TELEGRAM_WEBHOOK_SECRET"):
            await asyncio.wait_for(task, timeout=20)

    poll_with(api, tmp_path, dialogue, scenario, expect_error=True, webhook_secret="not-the-same-secret")
    assert dialogue.messages == []


def test_the_command_refuses_to_start_without_a_token(monkeypatch, capsys):
    for name in ("TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET"):
        monkeypatch.delenv(name, raising=False)
    assert run_polling() == 2
    assert "TELEGRAM_BOT_TOKEN is not set" in capsys.readouterr().out


def test_python_dash_m_runs_the_runner(monkeypatch):
    """`python -m connectors.telegram.polling` is the command (bot/ does not import connectors/)."""
    for name in ("TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET"):
        monkeypatch.delenv(name, raising=False)
    result = subprocess.run([sys.executable, "-W", "error::RuntimeWarning", "-m", "connectors.telegram.polling"],
                            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stderr[-2000:]
    assert "TELEGRAM_BOT_TOKEN is not set" in result.stdout


def test_the_bot_token_never_reaches_the_log(api, tmp_path, caplog):
    """httpx logs each request URL at INFO (getUpdates every few seconds), and the URL holds the token."""
    logging.getLogger("httpx").setLevel(logging.NOTSET)  # as in a fresh `python -m connectors.telegram.polling`
    dialogue = StubDialogue()
    api.queue_update(text_update(1, CHAT, "你好"))
    with caplog.at_level(logging.INFO):
        poll_with(api, tmp_path, dialogue, lambda _task: until(lambda: dialogue.messages))
    assert dialogue.texts == ["你好"]
    assert not [r for r in caplog.records if api.token in r.getMessage()]


class DiesWithoutReleasing:
    """A runner's lease as a kill -9 leaves it: never given back, it only lapses."""

    def __init__(self, lease):
        self.lease = lease

    def hold(self):
        return self.lease.hold()

    def release(self):
        return None


def test_of_two_runners_one_polls_and_the_other_takes_over_when_it_stops(api, tmp_path, shared):
    """Telegram answers 409 to a second getUpdates caller: with a shared lease only one calls it."""
    from connectors.shared_state import RedisLease
    from tests.connectors.conftest import new_shared_redis

    dialogue = StubDialogue()
    api.queue_update(text_update(1, CHAT, "你好"))

    async def main():
        async with serve(channel_for(api, tmp_path), dialogue) as base:
            def runner(lease):
                return PollingRunner(settings_for(api, tmp_path, rasa_url=base), poll_timeout=1, base_delay=0.05,
                                     max_delay=0.2, lease=lease, lease_seconds=1.5)

            first = runner(RedisLease(shared, "telegram:123456:polling", 1.5))
            second = runner(RedisLease(new_shared_redis(shared.prefix), "telegram:123456:polling", 1.5))
            stop_first, stop_second = asyncio.Event(), asyncio.Event()
            first_task = asyncio.create_task(first.run(stop_first))
            await until(lambda: dialogue.messages)
            second_task = asyncio.create_task(second.run(stop_second))
            await asyncio.sleep(2.5)  # more than a lease: the first keeps renewing it
            assert (first.turns, second.turns) == (1, 0)
            stop_first.set()  # a graceful stop gives the lease back
            await asyncio.wait_for(first_task, 10)
            api.queue_update(text_update(2, CHAT, "在吗"))
            await until(lambda: len(dialogue.messages) == 2, seconds=10)
            assert second.turns == 1
            stop_second.set()
            await asyncio.wait_for(second_task, 10)

    asyncio.run(main())
    assert dialogue.texts == ["你好", "在吗"]


def test_a_runner_that_dies_holding_the_lease_is_replaced_once_it_lapses(api, tmp_path, shared):
    from connectors.shared_state import RedisLease
    from tests.connectors.conftest import new_shared_redis

    dialogue = StubDialogue()
    api.queue_update(text_update(1, CHAT, "你好"))

    async def main():
        async with serve(channel_for(api, tmp_path), dialogue) as base:
            def runner(lease):
                return PollingRunner(settings_for(api, tmp_path, rasa_url=base), poll_timeout=1, base_delay=0.05,
                                     max_delay=0.2, lease=lease, lease_seconds=1.5)

            dying = runner(DiesWithoutReleasing(RedisLease(shared, "telegram:123456:polling", 1.5)))
            survivor = runner(RedisLease(new_shared_redis(shared.prefix), "telegram:123456:polling", 1.5))
            stop_dying, stop_survivor = asyncio.Event(), asyncio.Event()
            dying_task = asyncio.create_task(dying.run(stop_dying))
            await until(lambda: dialogue.messages)
            survivor_task = asyncio.create_task(survivor.run(stop_survivor))
            stop_dying.set()
            await asyncio.wait_for(dying_task, 10)
            died = time.monotonic()
            await until(lambda: survivor.turns == 1, seconds=10)
            waited = time.monotonic() - died
            api.queue_update(text_update(2, CHAT, "在吗"))
            await until(lambda: len(dialogue.messages) == 2, seconds=10)
            stop_survivor.set()
            await asyncio.wait_for(survivor_task, 10)
            return waited

    waited = asyncio.run(main())
    assert 0.5 < waited < 5  # not before the lease lapsed, and soon after
    assert dialogue.texts == ["你好", "在吗"]


def test_without_redis_the_runner_always_polls_and_with_it_shares_a_lease_per_bot(api, tmp_path, shared):
    from connectors.shared_state import RedisLease, SoleLease
    from connectors.telegram.polling import polling_lease

    settings = settings_for(api, tmp_path)
    assert isinstance(polling_lease(settings, {}), SoleLease)
    lease = polling_lease(settings, {"ASSISTANT_REDIS_URL": shared.url, "ASSISTANT_REDIS_KEY_PREFIX": shared.prefix})
    assert isinstance(lease, RedisLease) and lease.key == shared.key("lease", "telegram:123456:polling")
