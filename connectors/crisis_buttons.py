"""A press meaning 「我不安全」 is always the crisis path, whenever she presses it.

The crisis reply asks 「你现在安全吗」 with the buttons 我现在安全 (`/affirm`) and 我不安全
(`/deny`). A yes/no payload is read against the question asked last, so pressing
我不安全 under an older crisis message, after the conversation moved on, used to get
「好的。还有什么想问的」. The channels that show buttons themselves (Telegram's inline
keyboard, WeChat's numbered options) therefore give that button the crisis intent of
the message it stands under (`/crisis_violence`, …): the crisis action answers a
repeated danger with its "still not safe" reply and raises the urgent request, and a
press long after gets the crisis reply again, never a shrug. Pure functions, no I/O.
"""
from __future__ import annotations

from typing import Any, Dict, List

NOT_SAFE_TITLES = ("我不安全", "还不安全", "找不到孩子", "不安全")
NO_PAYLOAD = "/deny"
KIND_CUES = (  # the first kind whose cue the message has; violence otherwise
    ("child_danger", ("孩子正在受到伤害", "你和孩子现在安全吗")),
    ("self_harm", ("伤害了自己", "伤害自己", "吃了药", "你并不孤单", "找不到孩子", "陪在孩子身边")),
    ("sexual_assault", ("保留好证据", "这不是你的错", "72小时")),
)


def crisis_kind(message_text: str, title: str = "") -> str:
    text = f"{message_text or ''} {title or ''}"
    for kind, cues in KIND_CUES:
        if any(cue in text for cue in cues):
            return kind
    return "violence"


def means_not_safe(button: Dict[str, Any]) -> bool:
    return str(button.get("payload") or "").strip() == NO_PAYLOAD and \
        str(button.get("title") or "").strip() in NOT_SAFE_TITLES


def with_crisis_payloads(message_text: str, buttons: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The buttons as shown: a 「我不安全」 button carries the crisis intent of its message."""
    return [dict(button, payload=f"/crisis_{crisis_kind(message_text, str(button.get('title') or ''))}")
            if means_not_safe(button) else button for button in buttons or []]
