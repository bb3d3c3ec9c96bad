"""Closed-loop simulated women: each sends her next message when the previous reply arrives.

A level starts `users` women at once; each holds the scripted conversations one after
another (a new conversation id each time) until the level's time is up or she has sent
`max_turns` messages; a turn already sent when the time is up is waited for. The chat
client sits behind `Chat`, so a test can put a fake assistant in its place.
"""
from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass
from typing import Any, Dict, List, Protocol, Sequence, Tuple

from bench.load.conversations import Conversation, rotation
from bench.load.stats import TurnResult

REPLY_TIMEOUT = 30.0  # seconds: a longer wait counts as an error
SLACK = 15.0  # seconds past the last possible reply before a level is cut short


@dataclass(frozen=True)
class Reply:
    status: int
    messages: Tuple[Dict[str, Any], ...]
    error: str = ""


class Chat(Protocol):
    async def send(self, sender: str, text: str) -> Reply: ...


class RestChat:
    """POST /webhooks/rest/webhook, as a phone client sends her message, on a shared aiohttp session."""

    def __init__(self, session: Any, webhook_url: str, timeout: float = REPLY_TIMEOUT) -> None:
        self._session, self._url, self._timeout = session, webhook_url, timeout

    async def send(self, sender: str, text: str) -> Reply:
        import aiohttp

        try:
            async with self._session.post(self._url, json={"sender": sender, "message": text},
                                          timeout=aiohttp.ClientTimeout(total=self._timeout)) as response:
                body = await response.read()
                if response.status != 200:
                    return Reply(response.status, (), f"HTTP {response.status}: "
                                                      f"{body[:200].decode('utf-8', 'replace')}")
                messages = json.loads(body.decode("utf-8"))
                return Reply(200, tuple(messages if isinstance(messages, list) else ()))
        except asyncio.TimeoutError:
            return Reply(0, (), f"timeout: no reply within {self._timeout:.0f} s")
        except (aiohttp.ClientError, OSError) as error:
            return Reply(0, (), f"connection: {type(error).__name__}: {error}")
        except ValueError as error:  # a 200 whose body is not JSON
            return Reply(200, (), f"bad reply: {error}")


@dataclass(frozen=True)
class LevelRun:
    users: int
    results: Tuple[TurnResult, ...]
    window_seconds: float  # from the start to the last reply
    cut_short: bool  # the level's hard limit ended it with turns still waiting


def sender_id(run: str, users: int, user: int, number: int) -> str:
    return f"load-{run}-u{users}-w{user}-c{number}"


async def one_user(chat: Chat, conversations: Sequence[Conversation], *, run: str, users: int, user: int,
                   started: float, seconds: float, max_turns: int, results: List[TurnResult]) -> None:
    """Her conversations until the time is up or she has sent `max_turns` messages."""
    sent = 0
    for number, conversation in enumerate(rotation(tuple(conversations), user)):
        sender = sender_id(run, users, user, number)
        for turn in conversation.turns:
            if sent >= max_turns or time.monotonic() - started >= seconds:
                return
            sent_at = time.monotonic()
            reply = await chat.send(sender, turn.text)
            sent += 1
            took = time.monotonic() - sent_at
            error = reply.error or ("" if any(m.get("text") or m.get("buttons") or m.get("image")
                                              for m in reply.messages) else "empty reply: no message came back")
            results.append(TurnResult(user=user, sender=sender, conversation=conversation.id, kind=turn.kind,
                                      started=round(sent_at - started, 4), seconds=took, status=reply.status,
                                      messages=len(reply.messages), error=error))


async def run_level(chat: Chat, conversations: Sequence[Conversation], *, users: int, seconds: float,
                    max_turns: int, run: str, reply_timeout: float = REPLY_TIMEOUT,
                    slack: float = SLACK) -> LevelRun:
    """`users` women at once for `seconds`; bounded by seconds + reply timeout + slack in all."""
    if users < 1 or seconds <= 0 or max_turns < 1:
        raise ValueError("a level needs at least one user, some time and at least one turn")
    results: List[TurnResult] = []
    started = time.monotonic()
    tasks = [asyncio.ensure_future(one_user(chat, conversations, run=run, users=users, user=user,
                                            started=started, seconds=seconds, max_turns=max_turns,
                                            results=results)) for user in range(users)]
    done, pending = await asyncio.wait(tasks, timeout=seconds + reply_timeout + slack)
    for task in pending:
        task.cancel()
    if pending:
        await asyncio.gather(*pending, return_exceptions=True)
    for task in done:
        task.result()  # a bug in the bench is raised, not counted as her error
    window = max((turn.finished for turn in results), default=time.monotonic() - started)
    return LevelRun(users=users, results=tuple(sorted(results, key=lambda t: t.started)),
                    window_seconds=round(window, 3), cut_short=bool(pending))
