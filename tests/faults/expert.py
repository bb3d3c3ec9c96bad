"""Simulated experts: each works her department's queue through the routing API, as the
console would: log in, list the handoffs she may see, claim the new ones of this run, and
answer each with two or three numbered replies a few seconds apart.

A reply whose call failed in a retryable way is looked up before it is sent again (the
handoff's messages), so a reply the backend stored before the connection broke is not
stored twice by the expert: what the checks then count is the delivery, not the typing.
"""
from __future__ import annotations

import threading
import time
import zlib
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Sequence
from urllib.parse import quote

from tests.faults.load import RetryPolicy
from tests.faults.web_client import Answer, Transport

STORED, NOT_STORED = "stored", "not stored"
CLAIMABLE = ("received", "assigned")
OPEN = ("received", "assigned", "in_progress", "replied", "escalated")


def replies_for(handoff_id: str) -> int:
    """Two or three replies, fixed per handoff so a rerun of the checks agrees."""
    return 2 + zlib.crc32(handoff_id.encode("utf-8")) % 2


def reply_text(texts: Sequence[str], number: int, of: int) -> str:
    return f"（{number}/{of}）{texts[(number - 1) % len(texts)]}"


@dataclass
class SentReply:
    expert: str
    handoff_id: str
    conversation_id: str
    number: int
    of: int
    text: str
    sent_at: float
    attempts: int = 0
    retried_because: List[str] = field(default_factory=list)
    outcome: str = NOT_STORED
    error: str = ""


@dataclass
class Handling:
    """One handoff in the expert's hands."""

    handoff_id: str
    conversation_id: str
    replies_due: int
    claimed: bool = False
    sent: int = 0
    last_reply_at: float = 0.0

    @property
    def done(self) -> bool:
        return self.claimed and self.sent >= self.replies_due


class SimulatedExpert:
    def __init__(self, username: str, password: str, texts: Sequence[str], front_url: str, run_tag: str,
                 transport: Transport, stop: threading.Event, gap_seconds: float = 6.0, poll_seconds: float = 2.0,
                 policy: RetryPolicy = RetryPolicy(attempts=8, give_up_after=40.0, timeout=30.0),
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic) -> None:
        self.username, self.password, self.texts = username, password, list(texts)
        self.api = front_url.rstrip("/") + "/api/v1"
        self.run_tag, self.transport, self.stop = run_tag, transport, stop
        self.gap_seconds, self.poll_seconds, self.policy = gap_seconds, poll_seconds, policy
        self.sleep, self.clock = sleep, clock
        self.token: Optional[str] = None
        self.handling: Dict[str, Handling] = {}
        self.sent: List[SentReply] = []
        self.problems: List[str] = []  # calls that failed for good: for the report

    # --- calls, each retried while the error is retryable -------------------------------
    def _call(self, method: str, path: str, body: object = None, auth: bool = True) -> Answer:
        started, answer = self.clock(), Answer(None, None, "not called")
        for attempt in range(1, self.policy.attempts + 1):
            answer = self.transport(method, self.api + path, body, token=self.token if auth else None,
                                    timeout=self.policy.timeout)
            if answer.ok or not answer.retryable:
                return answer
            pause = self.policy.pause(attempt)
            if self.clock() - started + pause > self.policy.give_up_after:
                break
            self.sleep(pause)
        return answer

    def log_in(self) -> bool:
        answer = self._call("POST", "/auth/token", {"username": self.username, "password": self.password},
                            auth=False)
        if answer.ok and isinstance(answer.body, dict) and answer.body.get("access_token"):
            self.token = answer.body["access_token"]
            return True
        self.problems.append(f"{self.username} could not log in: {answer.error}")
        return False

    def ours(self) -> List[dict]:
        """The open handoffs of this run she may see (one page of 200: a run opens far fewer)."""
        answer = self._call("GET", "/handoffs?limit=200")
        if not answer.ok or not isinstance(answer.body, list):
            self.problems.append(f"{self.username} could not list handoffs: {answer.error}")
            return []
        return [h for h in answer.body if isinstance(h, dict)
                and str(h.get("conversation_id", "")).startswith(self.run_tag + "-") and h.get("status") in OPEN]

    def claim(self, handling: Handling, status: str) -> None:
        if status not in CLAIMABLE:  # already hers (claimed before a lost answer) or moved on
            handling.claimed = True
            return
        answer = self._call("POST", f"/handoffs/{quote(handling.handoff_id, safe='')}/claim")
        if answer.ok or answer.status == 409:  # 409: claimed by her call whose answer was lost, or another's
            handling.claimed = answer.ok or self._holds(handling)
        else:
            self.problems.append(f"{self.username} could not claim {handling.handoff_id}: {answer.error}")

    def _holds(self, handling: Handling) -> bool:
        detail = self._call("GET", f"/handoffs/{quote(handling.handoff_id, safe='')}")
        return detail.ok and isinstance(detail.body, dict) and detail.body.get("status") not in CLAIMABLE

    def _stored(self, handoff_id: str, text: str) -> Optional[bool]:
        """Whether the reply is among the handoff's messages; None when that cannot be read now."""
        detail = self._call("GET", f"/handoffs/{quote(handoff_id, safe='')}")
        if not detail.ok or not isinstance(detail.body, dict):
            return None
        return any(m.get("sender") == "expert" and m.get("text") == text for m in detail.body.get("messages") or [])

    def reply(self, handling: Handling) -> SentReply:
        number = handling.sent + 1
        sent = SentReply(self.username, handling.handoff_id, handling.conversation_id, number,
                         handling.replies_due, reply_text(self.texts, number, handling.replies_due), self.clock())
        path = f"/handoffs/{quote(handling.handoff_id, safe='')}/reply"
        started = self.clock()
        for attempt in range(1, self.policy.attempts + 1):
            sent.attempts = attempt
            answer = self.transport("POST", self.api + path, {"text": sent.text}, token=self.token,
                                    timeout=self.policy.timeout)
            if answer.ok:
                sent.outcome = STORED
                break
            sent.error = answer.error
            if not answer.retryable:
                break
            sent.retried_because.append(answer.error)
            pause = self.policy.pause(attempt)
            if self.clock() - started + pause > self.policy.give_up_after:
                break
            self.sleep(pause)
            if self._stored(handling.handoff_id, sent.text):  # it went through before the line broke
                sent.outcome = STORED
                break
        self.sent.append(sent)
        handling.sent, handling.last_reply_at = number, self.clock()
        return sent

    # --- the working loop ------------------------------------------------------------------
    def work_once(self) -> None:
        for handoff in self.ours():
            hid = str(handoff["id"])
            handling = self.handling.setdefault(hid, Handling(hid, str(handoff["conversation_id"]),
                                                              replies_for(hid)))
            if not handling.claimed:
                self.claim(handling, str(handoff.get("status")))
        now = self.clock()
        for handling in self.handling.values():
            if handling.claimed and not handling.done and now - handling.last_reply_at >= self.gap_seconds:
                self.reply(handling)

    def all_answered(self) -> bool:
        return all(h.done for h in self.handling.values())

    def run(self, max_rounds: int = 1000) -> List[SentReply]:
        if not self.log_in():
            return self.sent
        for _ in range(max_rounds):
            if self.stop.is_set():
                break
            self.work_once()
            self.stop.wait(self.poll_seconds)
        return self.sent
