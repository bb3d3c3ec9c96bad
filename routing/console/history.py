"""A handoff's status history in plain Chinese: who did what, when.

Events keep the words their writers used (some older ones in English, such as
"round-robin to lawyer1" or "she answered"); the page never shows those as they are,
nor an entry without a verb (a second reply once read "lawyer：" and nothing else).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Dict, Iterable, List, Optional

from routing.console.labels import ACTOR, STATUS
from routing.models import HandoffEvent, User

ROUND_ROBIN = re.compile(r"^round-robin to (\S+)$")
NOT_CHINESE = re.compile(r"^[\x00-\x7f]*$")
ACTION = {"received": "收到求助", "assigned": "分派给专家", "in_progress": "开始处理", "replied": "回复了她",
          "escalated": "升级", "resolved": "办结", "returned": "交还机器人"}


@dataclass(frozen=True)
class Entry:
    at: datetime
    who: str
    what: str
    change: str = ""  # 已分派 → 处理中, when the status changed


def person(name: str, people: Dict[str, User]) -> str:
    if name in ACTOR:
        return ACTOR[name]
    user = people.get(name)
    return f"{user.title} {user.username}" if user else name


def _what(event: HandoffEvent, people: Dict[str, User]) -> str:
    note = (event.note or "").strip()
    robin = ROUND_ROBIN.match(note)
    if robin:
        return f"分派给{person(robin.group(1), people)}"
    if note == "claimed":
        return "认领了这个求助"
    if note == "she answered":
        return "她回复了，等专家答复"
    if event.from_status is None:
        return "收到紧急求助" if note == "urgent" else "收到求助"
    if event.from_status == event.to_status:
        if event.to_status == "replied" and not note:
            return "再次回复了她"
        if event.to_status == "in_progress" and not note:
            return "继续处理"
        return note if note and not NOT_CHINESE.match(note) else "更新了求助"
    action = ACTION.get(event.to_status, STATUS.get(event.to_status, event.to_status))
    if note and not NOT_CHINESE.match(note):
        return note if note.startswith(("转交给", "转基层妇联", "超过承诺时限", "她在")) else f"{action}（{note}）"
    return action


def entries(events: Iterable[HandoffEvent], people: Dict[str, User], masker=None) -> List[Entry]:
    """`masker` hides personal data a note may repeat, for viewers who may not see it."""
    found = []
    for event in events:
        what = _what(event, people)
        who = person(event.actor, people)
        change = ""
        if event.from_status and event.from_status != event.to_status:
            change = f"{STATUS.get(event.from_status, event.from_status)} → {STATUS.get(event.to_status, event.to_status)}"
        found.append(Entry(event.created_at, who, masker(what) if masker else what, change))
    return found


def names_in(events: Iterable[HandoffEvent]) -> set:
    """Usernames an event names (its actor, or the expert a round-robin chose)."""
    names = set()
    for event in events:
        names.add(event.actor)
        robin = ROUND_ROBIN.match((event.note or "").strip())
        if robin:
            names.add(robin.group(1))
    return names


def last_change(events: List[HandoffEvent], people: Dict[str, User]) -> Optional[Entry]:
    found = entries(events[-1:], people)
    return found[0] if found else None
