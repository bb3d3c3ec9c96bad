"""A request for a person, as the action server sends it and the routing backend accepts it.

The backend refuses what exceeds these limits (422, or 413 past MAX_BODY_BYTES), and a
refused request never reaches an expert; so the sender cuts to the same limits
(`request_body`) instead of learning them from a refusal. A 20,000-character message
stays whole in Rasa's tracker and in the backend's conversation archive; the handoff
carries the newest lines that fit, each at most TRANSCRIPT_LINE_MAX_CHARS.

Her contact details (`contact`) travel only with `contact_consented_at`, the time she answered
yes to the question that asked her (actions/contact_consent.py); without it they are left out,
and the backend drops a contact that comes without one.
"""
from __future__ import annotations

import json
from typing import Any, Dict, Iterable, List, Mapping, Optional

from assistant_contract.areas import is_area

LIMITS = {"channel": 50, "intent": 64, "summary": 2000, "region": 100, "contact": 200}
TRANSCRIPT_ROLES = ("user", "bot")
TRANSCRIPT_MAX_LINES = 100
TRANSCRIPT_LINE_MAX_CHARS = 2_000
MAX_BODY_BYTES = 64_000  # the routing backend refuses larger request bodies (413)
TRANSCRIPT_BUDGET_BYTES = 40_000  # what the transcript may take of it, as UTF-8 JSON
CUT = "…"


def _cut(text: Optional[str], limit: int) -> Optional[str]:
    if text is None or len(text) <= limit:
        return text
    return text[: limit - len(CUT)] + CUT


def _newest_that_fit(lines: List[Dict[str, str]]) -> List[Dict[str, str]]:
    kept: List[Dict[str, str]] = []
    used = 0
    for line in reversed(lines[-TRANSCRIPT_MAX_LINES:]):
        size = len(json.dumps(line, ensure_ascii=False).encode("utf-8")) + 1
        if used + size > TRANSCRIPT_BUDGET_BYTES:
            break
        kept.append(line)
        used += size
    return kept[::-1]


def request_body(*, conversation_id: str, channel: Optional[str], category: Optional[str],
                 intent: Optional[str], urgent: bool, summary: str,
                 transcript: Iterable[Mapping[str, Any]] = (), region: Optional[str] = None,
                 contact: Optional[str] = None,
                 contact_consented_at: Optional[str] = None) -> Dict[str, Any]:
    """The JSON body of `POST /api/v1/handoffs`, within the limits above: the newest
    transcript lines are kept, an unknown area is sent as none (the backend routes
    such a request to its general queue rather than refusing it)."""
    lines = [{"role": line["role"], "text": _cut(str(line.get("text") or ""), TRANSCRIPT_LINE_MAX_CHARS)}
             for line in transcript if line.get("role") in TRANSCRIPT_ROLES and line.get("text")]
    body = {"conversation_id": conversation_id, "channel": channel, "category": category if is_area(category) else None,
            "intent": intent, "urgent": bool(urgent), "summary": summary or "",
            "transcript": _newest_that_fit(lines), "region": region}
    if contact is not None:
        body["contact"] = contact
    if contact is not None and not contact_consented_at:
        del body["contact"]  # no consent she answered: her contact details stay with her
    elif contact is not None:
        body["contact_consented_at"] = contact_consented_at  # when she agreed (ISO 8601, UTC)
    return {name: _cut(value, LIMITS[name]) if name in LIMITS else value for name, value in body.items()}
