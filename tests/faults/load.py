"""Closed-loop simulated women: each sends her next message when the previous reply came.

Each woman plays scripted conversations (conversations.py) one after the other, each under
a new conversation id, through the proxy's REST webhook. A retryable error is sent again
after a pause that doubles, within a number of attempts and a time limit; what neither got
a reply nor could be retried any more is lost. Everything is recorded for the checks.
"""
from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Sequence

from tests.faults.conversations import Script
from tests.faults.web_client import Answer, Transport

WEBHOOK = "/webhooks/rest/webhook"
HANDOFF_NUMBER = re.compile(r"编号\s*([A-Za-z0-9-]+)")
REPLIED, EMPTY, LOST, UNFINISHED = "replied", "empty", "lost", "unfinished"


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 6
    first_pause: float = 0.5
    longest_pause: float = 4.0
    give_up_after: float = 120.0  # seconds from the first attempt: room for a retry after a timeout
    timeout: float = 45.0  # one attempt; a 2-core machine under load is slow (Rasa drops the turn then)

    def pause(self, attempt: int) -> float:
        """The pause after failed attempt `attempt` (1-based)."""
        return min(self.first_pause * 2 ** (attempt - 1), self.longest_pause)


@dataclass
class MessageRecord:
    woman: int
    conversation_id: str
    script: str
    turn: int
    text: str
    started: float
    seconds: float = 0.0
    attempts: int = 0
    retried_because: List[str] = field(default_factory=list)  # one entry per retryable error
    outcome: str = UNFINISHED  # until send() returns
    final_error: str = ""
    replies: List[dict] = field(default_factory=list)

    @property
    def retried(self) -> bool:
        return bool(self.retried_because)

    def reply_text(self) -> str:
        return "\n".join(str(r.get("text") or "") for r in self.replies)


@dataclass
class ConversationRecord:
    conversation_id: str
    script: Script
    messages: List[MessageRecord] = field(default_factory=list)

    @property
    def sent_request(self) -> bool:
        """She sent the turn that asks for a person (answered or not): at most one handoff may follow."""
        return self.script.asks_for_person is not None and any(m.turn == self.script.asks_for_person
                                                               for m in self.messages)

    @property
    def asked_for_person(self) -> bool:
        """She sent the turn that asks for a person and it was answered: a handoff is owed."""
        asking = self.script.asks_for_person
        return asking is not None and any(m.turn == asking and m.outcome == REPLIED for m in self.messages)

    @property
    def handoff_number(self) -> Optional[str]:
        """The number the assistant gave her when it opened (or found) her handoff."""
        for message in self.messages:
            found = HANDOFF_NUMBER.search(message.reply_text())
            if found:
                return found.group(1)
        return None


def send(transport: Transport, url: str, record: MessageRecord, policy: RetryPolicy,
         sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic) -> MessageRecord:
    """Her message until it is answered, or retried as far as the policy allows."""
    started = clock()
    body = {"sender": record.conversation_id, "message": record.text}
    for attempt in range(1, policy.attempts + 1):
        record.attempts = attempt
        answer: Answer = transport("POST", url, body, timeout=policy.timeout)
        if answer.ok:
            replies = answer.body if isinstance(answer.body, list) else []
            record.replies = [r for r in replies if isinstance(r, dict)]
            record.outcome = REPLIED if record.replies else EMPTY
            record.final_error = "" if record.replies else "HTTP 200 with no message for her"
            break
        record.final_error = answer.error
        if not answer.retryable:
            break
        pause = policy.pause(attempt)
        if attempt == policy.attempts or clock() - started + pause > policy.give_up_after:
            record.final_error = f"gave up after {attempt} attempts: {answer.error}"
            break
        record.retried_because.append(answer.error)
        sleep(pause)
    if record.outcome == UNFINISHED:  # no answer to give her, and no more retries
        record.outcome = LOST
    record.seconds = clock() - started
    return record


class SimulatedWoman:
    """One closed-loop user; `run()` returns when her conversations are done or `stop` is set
    (at a turn's end: a message already sent is always seen through)."""

    def __init__(self, index: int, scripts: Sequence[Script], front_url: str, run_tag: str,
                 transport: Transport, stop: threading.Event, policy: RetryPolicy = RetryPolicy(),
                 max_conversations: int = 8, think_seconds: float = 0.3,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic) -> None:
        self.index, self.scripts, self.run_tag = index, list(scripts), run_tag
        self.url = front_url.rstrip("/") + WEBHOOK
        self.transport, self.stop, self.policy = transport, stop, policy
        self.max_conversations, self.think_seconds = max_conversations, think_seconds
        self.sleep, self.clock = sleep, clock
        self.conversations: List[ConversationRecord] = []

    def script_for(self, number: int) -> Script:
        """Women start on different scripts and go through all of them."""
        return self.scripts[(self.index + number) % len(self.scripts)]

    def run(self) -> List[ConversationRecord]:
        for number in range(self.max_conversations):
            if self.stop.is_set():
                break
            script = self.script_for(number)
            conversation = ConversationRecord(f"{self.run_tag}-w{self.index:02d}-c{number}", script)
            self.conversations.append(conversation)
            for turn, text in enumerate(script.turns):
                if self.stop.is_set():
                    break
                record = MessageRecord(self.index, conversation.conversation_id, script.id, turn, text, self.clock())
                conversation.messages.append(record)  # seen as unfinished if the run ends before its answer
                send(self.transport, self.url, record, self.policy, self.sleep, self.clock)
                self.stop.wait(self.think_seconds)
        return self.conversations


WARM_UP = ("想问下产假有几天", "离婚后孩子抚养费怎么算")


def warm_up(transport: Transport, front_url: str, run_tag: str, rounds: int = 2,
            policy: RetryPolicy = RetryPolicy(attempts=4, give_up_after=150.0, timeout=120.0)) -> List[MessageRecord]:
    """A few messages one after the other before the load, so that each Rasa server and action
    server behind the round-robin proxy has read its models and indexes once (the first message
    of a process costs seconds): the load then meets servers as they run, and the restarted
    Rasa server is the only cold one, as in a real restart."""
    url = front_url.rstrip("/") + WEBHOOK
    records = []
    for number in range(rounds * len(WARM_UP)):
        record = MessageRecord(-1, f"{run_tag}-warmup{number}", "warm-up", 0, WARM_UP[number % len(WARM_UP)],
                               time.monotonic())
        records.append(send(transport, url, record, policy))
    return records


class Load:
    """The women, each in her own thread: `start()`, then `finish()` once `stop` is set."""

    def __init__(self, women: Sequence[SimulatedWoman]) -> None:
        self.women = list(women)
        self._threads = [threading.Thread(target=w.run, name=f"woman-{w.index}", daemon=True) for w in self.women]

    def start(self) -> "Load":
        for thread in self._threads:
            thread.start()
        return self

    def finish(self, join_seconds: float) -> Dict[str, ConversationRecord]:
        """Waits at most `join_seconds` in all for the messages in flight; a message still
        unanswered then stays `unfinished`."""
        deadline = time.monotonic() + join_seconds
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        return {c.conversation_id: c for woman in self.women for c in woman.conversations}

    @property
    def running(self) -> int:
        """Women still talking: 0 before `stop` means the load ran out of conversations early."""
        return sum(thread.is_alive() for thread in self._threads)
