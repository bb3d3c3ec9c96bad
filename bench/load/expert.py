"""The expert side while the women write: experts answer the handoffs they asked for, through the API.

Each round every expert lists the handoffs she may see, claims the new ones of this
level (their conversation ids start with the level's prefix), replies, and then reads
the handoff until her reply is no longer `pending`: the routing backend marks it
`delivered` when Rasa took it into her conversation (the REST channel cannot push; the
tracker check in bench/load/witness.py confirms the words are in her conversation).
A delivered reply's handoff is resolved, as an expert closes a request she answered.
"""
from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional

from bench.load.routing_api import ApiError, ExpertApi
from bench.load.stats import percentile

NEW = ("received", "assigned")
REPLIES = {
    "legal": "你好，我是妇联的志愿律师。对方不按判决付抚养费，可以拿判决书向法院申请强制执行，"
             "不用再打一次官司。你先把判决书和他没有付款的记录（转账截图、聊天记录）整理好，我们再一起看下一步。",
    "family_education": "你好，我是家庭教育指导师。孩子被孤立时最需要的是被听见，先别急着讲道理，"
                        "找个轻松的时候问问她在学校的一天，听她说完再说你的想法。我们可以约个时间细聊。",
}
DEFAULT_REPLY = "你好，我是负责你这次求助的工作人员，你说的情况我看过了，我们会一直陪着你，有新情况随时告诉我。"
RESOLVE_NOTE = "已回复她的问题，压测结束前关闭"


@dataclass
class ExpertReply:
    handoff_id: str
    conversation_id: str
    expert: str
    text: str
    posted: float
    delivered: Optional[float] = None
    state: str = "pending"
    resolved: bool = False


@dataclass(frozen=True)
class ExpertFigures:
    handoffs_seen: int
    replies_posted: int
    replies_delivered: int
    still_pending: int
    delivery_p50_ms: float
    delivery_p95_ms: float
    resolved: int
    urgent: int = 0  # urgent handoffs (a crisis reply opens one): the bench sends no danger, so 0
    api_errors: Dict[str, int] = field(default_factory=dict)


class ExpertDesk:
    def __init__(self, api: ExpertApi, logins: Dict[str, str], *, prefix: str, poll_seconds: float = 1.0,
                 clock: Callable[[], float] = time.monotonic, tokens: Optional[Dict[str, str]] = None) -> None:
        self._api, self._logins, self._prefix = api, dict(logins), prefix
        self._poll, self._clock = poll_seconds, clock
        self._tokens: Dict[str, str] = {name: token for name, token in (tokens or {}).items() if name in logins}
        self.replies: Dict[str, ExpertReply] = {}
        self.seen: set = set()
        self.urgent: set = set()
        self.errors: List[str] = []

    async def open(self) -> "ExpertDesk":
        """Logs in the experts who have no token yet; one who cannot log in sits this level out
        (the failure is counted with the API errors)."""
        for username, password in self._logins.items():
            if username in self._tokens:
                continue
            try:
                self._tokens[username] = await self._api.login(username, password)
            except ApiError as error:
                self._error(error)
        return self

    @property
    def tokens(self) -> Dict[str, str]:
        return dict(self._tokens)

    def _error(self, error: ApiError) -> None:
        self.errors.append(str(error))

    async def _take_new(self, expert: str, token: str) -> None:
        try:
            listed = await self._api.handoffs(token)
        except ApiError as error:
            self._error(error)
            return
        for handoff in listed:
            if not str(handoff.get("conversation_id", "")).startswith(self._prefix):
                continue
            self.seen.add(handoff["id"])
            if handoff.get("urgent"):
                self.urgent.add(handoff["id"])
            if handoff["id"] in self.replies or handoff.get("status") not in NEW:
                continue
            text = REPLIES.get(handoff.get("category") or "", DEFAULT_REPLY)
            try:
                await self._api.claim(token, handoff["id"])
                posted = self._clock()
                await self._api.reply(token, handoff["id"], text)
            except ApiError as error:
                self._error(error)
                continue
            self.replies[handoff["id"]] = ExpertReply(handoff["id"], handoff["conversation_id"], expert, text, posted)

    async def _follow(self, reply: ExpertReply) -> None:
        token = self._tokens[reply.expert]
        try:
            detail = await self._api.detail(token, reply.handoff_id)
        except ApiError as error:
            self._error(error)
            return
        ours = [m for m in detail.get("messages") or [] if m.get("sender") == "expert" and m.get("text") == reply.text]
        if ours and ours[-1].get("delivery") != "pending":
            reply.delivered, reply.state = self._clock(), ours[-1]["delivery"]
            try:
                await self._api.resolve(token, reply.handoff_id, RESOLVE_NOTE)
                reply.resolved = True
            except ApiError as error:
                self._error(error)

    async def round(self) -> None:
        await asyncio.gather(*(self._take_new(expert, token) for expert, token in self._tokens.items()))
        await asyncio.gather(*(self._follow(r) for r in self.replies.values() if r.delivered is None))

    async def work(self, stop: asyncio.Event) -> None:
        """Rounds until `stop` is set."""
        while not stop.is_set():
            await self.round()
            try:
                await asyncio.wait_for(stop.wait(), timeout=self._poll)
            except asyncio.TimeoutError:
                pass

    async def drain(self, seconds: float) -> None:
        """After the women stop: answer what is left and wait for the deliveries, at most `seconds`."""
        deadline = self._clock() + seconds
        while self._clock() < deadline:
            await self.round()
            if all(r.delivered is not None for r in self.replies.values()) and self.seen <= set(self.replies):
                return
            await asyncio.sleep(self._poll)

    def figures(self) -> ExpertFigures:
        delivered = [r.delivered - r.posted for r in self.replies.values() if r.delivered is not None]
        return ExpertFigures(
            handoffs_seen=len(self.seen), replies_posted=len(self.replies), replies_delivered=len(delivered),
            still_pending=sum(1 for r in self.replies.values() if r.delivered is None),
            delivery_p50_ms=round(percentile(delivered, 0.5) * 1000, 1) if delivered else float("nan"),
            delivery_p95_ms=round(percentile(delivered, 0.95) * 1000, 1) if delivered else float("nan"),
            resolved=sum(1 for r in self.replies.values() if r.resolved), urgent=len(self.urgent),
            api_errors=dict(Counter(error.split(": ", 2)[1] if error.count(": ") >= 2 else error
                                    for error in self.errors)))
