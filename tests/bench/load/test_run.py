"""The bench against a fake assistant over real HTTP (aiohttp on a free loopback port)."""
import asyncio
import json
import threading

from aiohttp import web

from bench.load.conversations import parse
from bench.load.run import measure
from bench.load.settings import LoadSettings
from bench.load.systems import Running

CONVERSATIONS = parse({"version": 1, "conversations": [
    {"id": "faq", "turns": [{"kind": "faq", "text": "产假多少天"}, {"kind": "thanks", "text": "谢谢"}]}]})


class FakeAssistant:
    def __init__(self):
        self.senders = set()
        self.ready = threading.Event()

    async def webhook(self, request):
        body = await request.json()
        self.senders.add(body["sender"])
        return web.json_response([{"text": "产假一般是98天"}])

    def serve(self):
        loop = asyncio.new_event_loop()
        app = web.Application()
        app.router.add_post("/webhooks/rest/webhook", self.webhook)
        runner = web.AppRunner(app)
        loop.run_until_complete(runner.setup())
        site = web.TCPSite(runner, "127.0.0.1", 0)
        loop.run_until_complete(site.start())
        self.port = site._server.sockets[0].getsockname()[1]
        self.loop = loop
        self.ready.set()
        loop.run_forever()
        loop.run_until_complete(runner.cleanup())

    def __enter__(self):
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()
        self.ready.wait(10)
        return self

    def __exit__(self, *exc):
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


SETTINGS = LoadSettings(users=(1, 3), seconds=0.3, warmup_seconds=0.2, drain_seconds=0.1, pause_seconds=0.0)


def test_a_system_is_warmed_up_then_measured_at_each_level():
    with FakeAssistant() as assistant:
        running = Running(webhook_url=f"http://127.0.0.1:{assistant.port}/webhooks/rest/webhook")
        warmup, levels, problems = measure(running, CONVERSATIONS, SETTINGS, run="r1", log=lambda line: None)
    assert problems == []
    assert warmup.turns == 2 and not warmup.errors and warmup.urgent_handoffs == 0
    assert [level.figures.users for level in levels] == [1, 3]
    assert all(level.figures.turns > 0 and level.figures.errors == 0 for level in levels)
    assert all(level.expert is None for level in levels)  # no routing backend, no experts
    assert any(sender.startswith("load-r1-u3-") for sender in assistant.senders)
    assert len(levels[1].load_before) == 3


def test_what_she_was_told_and_every_turn_are_kept_in_the_systems_folder(tmp_path):
    with FakeAssistant() as assistant:
        running = Running(webhook_url=f"http://127.0.0.1:{assistant.port}/webhooks/rest/webhook", workdir=tmp_path)
        measure(running, CONVERSATIONS, LoadSettings(users=(2,), seconds=0.1, warmup_seconds=0.1, drain_seconds=0.1,
                                                     pause_seconds=0.0), run="r2", log=lambda line: None)
    told = json.loads((tmp_path / "warmup.json").read_text(encoding="utf-8"))
    assert told[0] == {"conversation": "faq", "she": "产假多少天", "assistant": ["产假一般是98天"], "error": ""}
    turns = [json.loads(line) for line in (tmp_path / "turns-2.jsonl").read_text(encoding="utf-8").splitlines()]
    assert turns and {turn["user"] for turn in turns} == {0, 1} and all(turn["status"] == 200 for turn in turns)


def test_a_level_that_fails_is_written_down_and_the_next_level_still_runs(monkeypatch):
    from bench.load import run as run_module

    real = run_module.run_level

    async def failing_for_one(chat, conversations, *, users, **options):
        if users == 1:
            raise RuntimeError("the fake broke")
        return await real(chat, conversations, users=users, **options)

    monkeypatch.setattr(run_module, "run_level", failing_for_one)
    with FakeAssistant() as assistant:
        running = Running(webhook_url=f"http://127.0.0.1:{assistant.port}/webhooks/rest/webhook")
        _, levels, problems = measure(running, CONVERSATIONS, LoadSettings(users=(1, 2), seconds=0.1,
                                                                           warmup_seconds=0.1, drain_seconds=0.1,
                                                                           pause_seconds=0.0),
                                      run="r3", log=lambda line: None)
    assert problems == ["1 users: not measured: RuntimeError: the fake broke"]
    assert [level.figures.users for level in levels] == [2]
