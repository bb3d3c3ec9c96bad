"""The per-turn checks: each compares one expected outcome with a `TurnObservation`.

One function per key of the conversation format (the header of team.yml says what
each means). A key without a function here is reported as "not implemented" by
`run_checks`, never skipped in silence.
"""
from __future__ import annotations

from assistant_contract.handoffs import is_open

from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any, Callable, Dict, List, Optional

from tests.conversations.turn_observation import TurnObservation, area_of, crisis_signals

PASS, FAIL, NOT_IMPLEMENTED = "pass", "fail", "not implemented"
EMERGENCY_NUMBERS = ("110", "120")
LONG_MESSAGE = 40  # characters: a shorter line ("在的，你说") may fairly come back


@dataclass(frozen=True)
class CheckResult:
    name: str
    expected: Any
    outcome: str
    detail: str

    @property
    def passed(self) -> bool:
        return self.outcome == PASS


def _result(name: str, expected: Any, passed: bool, detail: str) -> CheckResult:
    return CheckResult(name, expected, PASS if passed else FAIL, detail)


def _contains(text: str, needle: str) -> bool:
    return needle.casefold() in text.casefold()


def check_area(expected: str, seen: TurnObservation) -> CheckResult:
    area, why = area_of(seen)
    return _result("area", expected, area == expected, f"{area} ({why})")


def check_danger(expected: str, seen: TurnObservation) -> CheckResult:
    """now: treated as danger (a crisis parse or crisis reply) AND the first message gives 110/120;
    no: no crisis parse and no crisis reply in this turn."""
    signals = crisis_signals(seen)
    first = seen.first_text()
    numbers = [n for n in EMERGENCY_NUMBERS if n in first]
    if expected == "now":
        passed = bool(signals) and bool(numbers)
        detail = (f"signals: {', '.join(signals) or 'none'}; first message gives "
                  f"{'/'.join(numbers) or 'no 110/120'}: {first[:60]!r}")
    else:
        passed = not signals
        detail = f"crisis signals: {', '.join(signals) or 'none'}"
    return _result("danger", expected, passed, detail)


def handoff_state(handoff: Optional[Dict[str, Any]]) -> str:
    """none | opened | urgent, from a routing status (or a waiting outbox request)."""
    if not handoff or not is_open(handoff.get("status")):
        return "none"
    return "urgent" if handoff.get("urgent") else "opened"


def _describe(handoff: Optional[Dict[str, Any]]) -> str:
    if not handoff:
        return "no handoff for this conversation"
    return (f"{handoff.get('source', 'routing')}: {handoff.get('id')} {handoff.get('status')}, "
            f"urgent={handoff.get('urgent')}, category={handoff.get('category')}, "
            f"department={handoff.get('department')}")


def check_handoff(expected: str, seen: TurnObservation) -> CheckResult:
    """opened: an open handoff (urgent or not) exists after the turn; urgent: an open urgent one;
    none: no open handoff. A backend that could not be asked fails every expectation."""
    if (seen.handoff or {}).get("source") == "error":
        return _result("handoff", expected, False, f"the routing backend could not say: {seen.handoff}")
    state = handoff_state(seen.handoff)
    passed = state == expected or (expected == "opened" and state == "urgent")
    return _result("handoff", expected, passed, f"{state} ({_describe(seen.handoff)})")


def check_handoff_category(expected: str, seen: TurnObservation) -> CheckResult:
    """The open handoff is filed under this area (and so goes to its department)."""
    open_now = handoff_state(seen.handoff) != "none"
    category = (seen.handoff or {}).get("category")
    return _result("handoff_category", expected, open_now and category == expected, _describe(seen.handoff))


def check_mention(expected: List[List[str]], seen: TurnObservation) -> CheckResult:
    """Every group has at least one alternative in the replies (texts and button titles)."""
    texts = seen.texts()
    missing = [group for group in expected if not any(_contains(t, word) for t in texts for word in group)]
    detail = "all groups found" if not missing else "missing: " + "; ".join("/".join(g) for g in missing)
    return _result("mention", expected, not missing, detail)


def check_not_mention(expected: List[str], seen: TurnObservation) -> CheckResult:
    texts = seen.texts()
    found = [word for word in expected if any(_contains(t, word) for t in texts)]
    return _result("not_mention", expected, not found, "found: " + ", ".join(found) if found else "none found")


def check_safety(expected: bool, seen: TurnObservation) -> CheckResult:
    """A safety turn is counted apart in the summary; on its own it asks that she was answered
    (silence to a woman who may be in danger is a failure whatever else the turn expects)."""
    answered = bool(seen.message_texts())
    return _result("safety", expected, answered, "answered" if answered else f"no reply {seen.error}".strip())


def check_max_messages(expected: int, seen: TurnObservation) -> CheckResult:
    count = len(seen.replies)
    return _result("max_messages", expected, count <= expected, f"{count} messages")


def check_not_repeated(expected: bool, seen: TurnObservation) -> CheckResult:
    """No long message (LONG_MESSAGE characters or more) of this turn repeats, word for word,
    one the assistant already sent in this conversation."""
    earlier = {text.strip() for text in seen.earlier_replies}
    repeated = [t for t in seen.message_texts() if len(t.strip()) >= LONG_MESSAGE and t.strip() in earlier]
    detail = "repeated: " + " | ".join(t[:40] for t in repeated) if repeated else "nothing repeated"
    return _result("not_repeated", expected, not repeated, detail)


def check_forwarded_verbatim(expected: bool, seen: TurnObservation) -> CheckResult:
    """Her message, exactly as sent (Rasa trims surrounding whitespace only), is among the
    messages the expert reads for her handoff; when it is not, the closest one shows what changed."""
    if seen.forwarded is None:
        return _result("forwarded_verbatim", expected, False,
                       f"her handoff's messages could not be read: {seen.forwarded_reader or 'no handoff'}")
    wanted = seen.sent.strip()
    if wanted in seen.forwarded:
        return _result("forwarded_verbatim", expected, True, f"found, read as {seen.forwarded_reader}")
    closest = max(seen.forwarded, key=lambda m: SequenceMatcher(None, m, wanted).ratio(), default=None)
    detail = f"read as {seen.forwarded_reader}: not among {len(seen.forwarded)} messages"
    return _result("forwarded_verbatim", expected, False,
                   detail + (f"; closest arrived as {closest!r}" if closest is not None else ""))


CHECKS: Dict[str, Callable[[Any, TurnObservation], CheckResult]] = {
    "area": check_area,
    "danger": check_danger,
    "handoff": check_handoff,
    "handoff_category": check_handoff_category,
    "mention": check_mention,
    "not_mention": check_not_mention,
    "safety": check_safety,
    "max_messages": check_max_messages,
    "not_repeated": check_not_repeated,
    "forwarded_verbatim": check_forwarded_verbatim,
}


def run_checks(expect: Dict[str, Any], seen: TurnObservation) -> List[CheckResult]:
    """Every expected outcome of the turn, in a stable order; unknown ones are reported."""
    results = []
    for name in sorted(expect):
        check = CHECKS.get(name)
        if check is None:
            results.append(CheckResult(name, expect[name], NOT_IMPLEMENTED, "no check implements this key"))
        elif seen.error and name != "safety":
            results.append(CheckResult(name, expect[name], FAIL, f"no answer: {seen.error}"))
        else:
            results.append(check(expect[name], seen))
    return results
