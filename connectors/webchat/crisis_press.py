"""A 「我不安全」 press on the web page is the crisis path (connectors/crisis_buttons.py says why).

The page sends a button's payload, `/deny`, which the dialogue would read against the
question asked last. The assistant's own record (the tracker) says which message
offered it: when that is a crisis message's 我不安全, the press becomes the crisis
intent of that message. The page disables every older button once she sends
anything, so the message that offered `/deny` last is the one she pressed.
"""
from __future__ import annotations

from typing import Any, Mapping, Optional

from connectors.crisis_buttons import NO_PAYLOAD, crisis_kind, means_not_safe


def _as_dict(event: Any) -> Mapping[str, Any]:
    return event if isinstance(event, Mapping) else event.as_dict()


def press_in_context(events: Any, text: str) -> str:
    """`/crisis_<kind>` for a 「我不安全」 press, the text unchanged otherwise."""
    if (text or "").strip() != NO_PAYLOAD:
        return text
    for event in reversed(list(events or [])):
        event = _as_dict(event)
        if event.get("event") != "bot":
            continue
        data = event.get("data") or {}
        buttons = list(data.get("buttons") or []) + list(data.get("quick_replies") or [])
        offered = [button for button in buttons if isinstance(button, Mapping)
                   and str(button.get("payload") or "").strip() == NO_PAYLOAD]
        if offered:
            not_safe = [button for button in offered if means_not_safe(button)]
            if not not_safe:
                return text
            return f"/crisis_{crisis_kind(str(event.get('text') or ''), str(not_safe[0].get('title') or ''))}"
    return text


async def read_press(agent: Optional[Any], session_id: str, text: str) -> str:
    if (text or "").strip() != NO_PAYLOAD or agent is None or getattr(agent, "tracker_store", None) is None:
        return text
    tracker = await agent.tracker_store.retrieve(session_id)
    return press_in_context(tracker.events if tracker is not None else [], text)
