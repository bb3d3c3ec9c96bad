"""The queue's views (tabs) and pages: the same open handoffs, grouped the ways a busy
expert or supervisor looks for work, each view with its count, a page at a time.

Pure functions over rows already permitted to the viewer, so the page, its live
refresh and the tests agree on what each view holds.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable, Dict, List, Sequence, Set, Tuple

from routing.models import Handoff, User

PAGE_SIZE = 25
DUE_SOON = timedelta(hours=6)


@dataclass(frozen=True)
class RowFacts:
    """What the viewer has not seen yet, per handoff id."""

    unread: Dict[str, int]
    unopened: Set[str]
    her_turn: Set[str]  # her latest message waits for an answer


def views_for(user: User) -> List[Tuple[str, str]]:
    """(code, title) of the tabs this person sees, in order."""
    tabs = [("all", "全部")]
    if user.role == "expert":
        tabs += [("mine", "我的"), ("department", "本部门")]
    else:
        tabs += [("unclaimed", "待认领")]
    return tabs + [("urgent", "紧急"), ("due_soon", "即将到期"), ("her_turn", "她回复了"), ("unread", "未读")]


def _test(view: str, user: User, now: datetime, facts: RowFacts) -> Callable[[Handoff], bool]:
    tests: Dict[str, Callable[[Handoff], bool]] = {
        "all": lambda h: True,
        "mine": lambda h: h.assignee_id == user.id,
        "department": lambda h: h.department_id is not None and h.department_id == user.department_id,
        "unclaimed": lambda h: h.status in ("received", "assigned", "escalated"),
        "urgent": lambda h: h.urgent,
        "due_soon": lambda h: h.due_at - now <= DUE_SOON,
        "her_turn": lambda h: h.id in facts.her_turn,
        "unread": lambda h: h.id in facts.unread or h.id in facts.unopened,
    }
    return tests.get(view, tests["all"])


def known_view(view: str, user: User) -> str:
    return view if view in dict(views_for(user)) else "all"


def counts(handoffs: Sequence[Handoff], user: User, now: datetime, facts: RowFacts) -> Dict[str, int]:
    return {code: sum(1 for h in handoffs if _test(code, user, now, facts)(h)) for code, _ in views_for(user)}


def select_view(handoffs: Sequence[Handoff], view: str, user: User, now: datetime, facts: RowFacts) -> List[Handoff]:
    test = _test(known_view(view, user), user, now, facts)
    return [h for h in handoffs if test(h)]


@dataclass(frozen=True)
class Page:
    rows: List[Handoff]
    number: int
    pages: int
    total: int

    @property
    def first_index(self) -> int:
        return (self.number - 1) * PAGE_SIZE + 1 if self.total else 0

    @property
    def last_index(self) -> int:
        return self.first_index + len(self.rows) - 1 if self.total else 0


def page_of(rows: Sequence[Handoff], number: int, size: int = PAGE_SIZE) -> Page:
    pages = max(1, -(-len(rows) // size))
    number = min(max(1, number), pages)
    return Page(list(rows[(number - 1) * size: number * size]), number, pages, len(rows))
