"""Playing one conversation turn by turn and recording what each turn did.

Each conversation gets its own conversation id, so nothing of one leaks into
another. Slow effects (a handoff opened after the reply, her message forwarded on
the next outbox flush) are waited for a few seconds before they count as missing.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Protocol, Tuple

from tests.conversations.conversation_spec import Conversation, Turn
from tests.conversations.turn_checks import FAIL, PASS, CheckResult, run_checks
from tests.conversations.turn_observation import TurnObservation, area_of, crisis_signals, turn_events

SETTLE_SECONDS = 4.0
POLL_SECONDS = 0.25


class Services(Protocol):
    def say(self, conversation_id: str, text: str) -> Tuple[List[Dict[str, Any]], float, str]: ...
    def events(self, conversation_id: str) -> List[Dict[str, Any]]: ...
    def handoff(self, conversation_id: str) -> Optional[Dict[str, Any]]: ...
    def her_messages(self, conversation_id: str) -> Tuple[str, Optional[List[str]]]: ...


@dataclass
class TurnResult:
    conversation: str
    index: int
    shown: str
    sent: str
    safety: bool
    seconds: float
    replies: List[Dict[str, Any]]
    understood: Dict[str, Any]  # intent, ranking, crisis verdict, area, slots and actions of the turn
    handoff: Optional[Dict[str, Any]]
    checks: List[CheckResult] = field(default_factory=list)
    error: str = ""

    @property
    def checked(self) -> bool:
        return bool(self.checks)

    @property
    def passed(self) -> bool:
        return all(check.passed for check in self.checks)


@dataclass
class ConversationResult:
    conversation: Conversation
    conversation_id: str
    turns: List[TurnResult] = field(default_factory=list)


def _waited(read: Callable[[], Any], good: Callable[[Any], bool], seconds: float = SETTLE_SECONDS) -> Any:
    """`read()` until `good` says yes or the time is up; the last value either way."""
    deadline = time.monotonic() + seconds
    value = read()
    while not good(value) and time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        value = read()
    return value


def _button(replies: List[Dict[str, Any]], title: str) -> Optional[str]:
    for reply in replies:
        for button in reply.get("buttons") or []:
            if button.get("title") == title and button.get("payload"):
                return str(button["payload"])
    return None


def _understood(seen: TurnObservation) -> Dict[str, Any]:
    area, why = area_of(seen)
    verdict = seen.parse.get("crisis") or {}
    return {
        "intent": seen.parse.get("intent"),
        "ranking": [{"name": r.get("name"), "confidence": round(float(r.get("confidence") or 0), 3)}
                    for r in (seen.parse.get("intent_ranking") or [])[:3]],
        "crisis": {k: verdict.get(k) for k in ("detected", "type", "probability", "source")} if verdict else None,
        "entities": [{"entity": e.get("entity"), "value": e.get("value")} for e in seen.parse.get("entities") or []],
        "area": area, "area_reason": why, "crisis_signals": crisis_signals(seen),
        "actions": [a for a in seen.actions() if a != "action_listen"], "slots_set": seen.slots_set(),
    }


def play_turn(services: Services, conversation_id: str, turn: Turn, previous: List[Dict[str, Any]],
              earlier_replies: List[str]) -> TurnResult:
    extra: List[CheckResult] = []
    sent = turn.user or ""
    if turn.press is not None:
        payload = _button(previous, turn.press)
        extra.append(CheckResult("press", turn.press, PASS if payload else FAIL,
                                 f"payload {payload}" if payload else "no such button in the previous reply; "
                                                                      "sent as typed text"))
        sent = payload or turn.press
    replies, seconds, error = services.say(conversation_id, sent)
    parse: Dict[str, Any] = {}
    events: List[Dict[str, Any]] = []
    if not error:
        try:
            parse, events = turn_events(services.events(conversation_id))
        except Exception as problem:  # noqa: BLE001 - without the parse no check may pass
            error = f"the tracker could not be read: {type(problem).__name__}: {problem}"
    seen = TurnObservation(sent=sent, replies=replies, parse=parse, events=events, error=error,
                           earlier_replies=list(earlier_replies))
    expected_handoff = {k: v for k, v in turn.expect.items() if k in ("handoff", "handoff_category")}
    if expected_handoff and expected_handoff.get("handoff") != "none":
        def settled(handoff: Optional[Dict[str, Any]]) -> bool:
            seen.handoff = handoff
            return all(result.passed for result in run_checks(expected_handoff, seen))
        seen.handoff = _waited(lambda: services.handoff(conversation_id), settled)
    else:
        seen.handoff = services.handoff(conversation_id)
    if turn.expect.get("forwarded_verbatim"):
        reader, messages = _waited(lambda: services.her_messages(conversation_id),
                                   lambda r: r[1] is not None and sent.strip() in r[1])
        seen.forwarded, seen.forwarded_reader = messages, reader
    return TurnResult(conversation=conversation_id, index=turn.index, shown=turn.shown, sent=sent,
                      safety=turn.safety, seconds=seconds, replies=replies, understood=_understood(seen),
                      handoff=seen.handoff, checks=extra + run_checks(turn.expect, seen), error=error)


def play(services: Services, conversation: Conversation, run_tag: str) -> ConversationResult:
    result = ConversationResult(conversation, f"{conversation.id}-{run_tag}")
    previous: List[Dict[str, Any]] = []
    earlier: List[str] = []
    for turn in conversation.turns:
        turn_result = play_turn(services, result.conversation_id, turn, previous, earlier)
        result.turns.append(turn_result)
        previous = turn_result.replies
        earlier.extend(str(r["text"]) for r in previous if r.get("text"))
    return result
