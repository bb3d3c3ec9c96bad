"""One system through the bench: warm it up, then each level of users with the experts at work.

The warm-up plays every conversation once, one turn after another, then a short untimed
level, so the model, the action server and every connection pool are warm before the
first timed level. What the women were told in the warm-up is kept in the system's
folder (warmup.json), and every timed turn in turns-<users>.jsonl, for whoever wants to
see why a level looks the way it does; the report says how many handoffs the warm-up
opened and whether any was urgent (the crisis reply opens an urgent one).
"""
from __future__ import annotations

import asyncio
import json
import os
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Callable, Dict, List, Optional, Sequence

from bench.load.conversations import Conversation
from bench.load.expert import ExpertDesk, ExpertFigures
from bench.load.routing_api import RoutingApi
from bench.load.settings import LoadSettings
from bench.load.stats import LevelFigures, summarise
from bench.load.systems import Running
from bench.load.user import Chat, LevelRun, RestChat, run_level
from bench.load.witness import reached_her

Log = Callable[[str], None]


@dataclass
class LevelResult:
    figures: LevelFigures
    load_before: Sequence[float]
    load_after: Sequence[float]
    started_utc: str = ""  # to find the level in the services' logs
    cut_short: bool = False
    handoffs_asked: int = 0
    expert: Optional[ExpertFigures] = None
    reached_her: Optional[int] = None  # expert replies found in her tracker, once each


@dataclass
class Warmup:
    turns: int = 0
    errors: List[str] = field(default_factory=list)
    urgent_handoffs: int = 0  # the crisis reply opens an urgent handoff: none is expected
    replies: List[dict] = field(default_factory=list)  # what she wrote and what she was told
    handoffs_asked: int = 0
    handoffs_seen: int = 0
    experts: bool = False  # an expert side ran (a routing backend is there)


def load_average() -> List[float]:
    return [round(value, 2) for value in os.getloadavg()]


async def _serial_pass(chat: Chat, conversations: Sequence[Conversation], run: str, warmup: Warmup) -> None:
    for conversation in conversations:
        sender = f"load-{run}-warm-{conversation.id}"
        for turn in conversation.turns:
            reply = await chat.send(sender, turn.text)
            warmup.turns += 1
            warmup.handoffs_asked += turn.kind == "handoff"
            if reply.error or not reply.messages:
                warmup.errors.append(f"{conversation.id}: {reply.error or 'empty reply'}")
            warmup.replies.append({"conversation": conversation.id, "she": turn.text,
                                   "assistant": [m.get("text") or m.get("buttons") for m in reply.messages],
                                   "error": reply.error})


class Bench:
    def __init__(self, running: Running, conversations: Sequence[Conversation], settings: LoadSettings,
                 run: str, log: Log = print) -> None:
        self._running, self._conversations, self._settings = running, conversations, settings
        self._run, self._log = run, log
        self._tokens: Dict[str, str] = {}  # the experts log in once per system, as a console session lasts
        self.problems: List[str] = []  # a level that failed; the others are still measured

    def _keep(self, name: str, text: str) -> None:
        if self._running.workdir is not None:
            (self._running.workdir / name).write_text(text, encoding="utf-8")

    def _desk(self, api: RoutingApi, prefix: str) -> Optional[ExpertDesk]:
        if not self._running.routing_url or not self._running.expert_logins:
            return None
        return ExpertDesk(api, self._running.expert_logins, prefix=prefix, tokens=self._tokens)

    async def _with_experts(self, desk: Optional[ExpertDesk], women) -> LevelRun:
        """The women's level with the experts working beside it, then the experts' drain."""
        if desk is None:
            return await women
        try:
            await desk.open()
        except BaseException:
            women.close()  # never started: no "never awaited" warning
            raise
        self._tokens.update(desk.tokens)
        stop = asyncio.Event()
        experts = asyncio.ensure_future(desk.work(stop))
        try:
            level = await women
        finally:
            stop.set()
            await experts
        await desk.drain(self._settings.drain_seconds)
        return level

    async def measure(self) -> tuple:
        import aiohttp

        settings = self._settings
        connector = aiohttp.TCPConnector(limit=0, force_close=False)
        async with aiohttp.ClientSession(connector=connector) as session:
            chat = RestChat(session, self._running.webhook_url, settings.reply_timeout)
            api = RoutingApi(session, self._running.routing_url or "http://127.0.0.1:9")
            warmup = Warmup()
            desk = self._desk(api, f"load-{self._run}-w")
            self._log("  warm-up: every conversation once, then a short level")

            async def warm() -> LevelRun:
                await _serial_pass(chat, self._conversations, self._run, warmup)
                return await run_level(chat, self._conversations, users=min(5, max(settings.users)),
                                       seconds=settings.warmup_seconds, max_turns=settings.max_turns,
                                       run=f"{self._run}w", reply_timeout=settings.reply_timeout)

            await self._with_experts(desk, warm())
            warmup.experts = desk is not None
            warmup.handoffs_seen = len(desk.seen) if desk else 0
            warmup.urgent_handoffs = len(desk.urgent) if desk else 0
            self._keep("warmup.json", json.dumps(warmup.replies, ensure_ascii=False, indent=1))
            levels: List[LevelResult] = []
            for users in settings.users:
                await asyncio.sleep(settings.pause_seconds)
                try:
                    levels.append(await self._level(chat, api, users))
                except Exception as error:  # noqa: BLE001 - written down; the next level still runs
                    self.problems.append(f"{users} users: not measured: {type(error).__name__}: {error}")
                    self._log(f"  {self.problems[-1]}")
            return warmup, levels

    async def _level(self, chat: Chat, api: RoutingApi, users: int) -> LevelResult:
        settings = self._settings
        before = load_average()
        started_utc = datetime.now(timezone.utc).isoformat(timespec="seconds")
        desk = self._desk(api, f"load-{self._run}-u{users}-")
        started = time.monotonic()
        level = await self._with_experts(desk, run_level(
            chat, self._conversations, users=users, seconds=settings.seconds, max_turns=settings.max_turns,
            run=self._run, reply_timeout=settings.reply_timeout))
        figures = summarise(users, level.results, level.window_seconds)
        self._keep(f"turns-{users}.jsonl", "".join(json.dumps(asdict(turn), ensure_ascii=False) + "\n"
                                                   for turn in level.results))
        result = LevelResult(figures=figures, load_before=before, load_after=load_average(), started_utc=started_utc,
                             cut_short=level.cut_short,
                             handoffs_asked=sum(1 for turn in level.results if turn.kind == "handoff"))
        if desk is not None:
            result.expert = desk.figures()
            if self._running.tracker_database_url:
                result.reached_her = await asyncio.to_thread(reached_her, self._running.tracker_database_url,
                                                             list(desk.replies.values()))
        self._log(f"  {users:>3} users: {figures.turns} turns, {figures.throughput} turns/s, "
                  f"p50 {figures.p50_ms} ms, p95 {figures.p95_ms} ms, p99 {figures.p99_ms} ms, "
                  f"{figures.errors} errors ({time.monotonic() - started:.0f} s with the experts' drain)")
        return result


def measure(running: Running, conversations: Sequence[Conversation], settings: LoadSettings, run: str,
            log: Log = print) -> tuple:
    """(Warmup, [LevelResult], [problems]) for one started system."""
    bench = Bench(running, conversations, settings, run, log)
    warmup, levels = asyncio.run(bench.measure())
    return warmup, levels, bench.problems


def by_users(levels: Sequence[LevelResult]) -> Dict[int, LevelFigures]:
    return {level.figures.users: level.figures for level in levels}
