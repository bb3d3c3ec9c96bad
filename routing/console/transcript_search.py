"""Staff search over conversations: turns from the conversation archive grouped per conversation,
then filtered by channel, category, intent, handoff outcome and keyword, shown a page at a time.

The turns arrive as a stream (a year of them is too many to hold): each conversation keeps a
small summary, never its texts, and the keyword is matched as each turn goes by. Every match
is counted, so the page says how many there are and links to the next; nothing is cut off.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Callable, Dict, Iterable, List, Mapping, Optional, Set

from routing.console.intents import category_of
from assistant_contract.china_time import CHINA_TIME
from routing.console.tracker_reader import Turn

MAX_DAYS = 366
PAGE_SIZE = 50


@dataclass(frozen=True)
class SearchFilters:
    start: date
    end: date  # inclusive
    channel: str = ""
    category: str = ""
    intent: str = ""
    outcome: str = ""
    keyword: str = ""

    def utc_range(self) -> tuple:
        start = datetime.combine(self.start, datetime.min.time(), CHINA_TIME)
        return start, datetime.combine(self.end, datetime.min.time(), CHINA_TIME) + timedelta(days=1)


@dataclass
class ConversationSummary:
    sender_id: str
    started: datetime
    last: datetime
    first_message: str = ""
    messages: int = 0
    channels: Set[str] = field(default_factory=set)
    intents: Set[str] = field(default_factory=set)
    categories: Set[str] = field(default_factory=set)
    keyword_found: bool = False
    outcomes: Set[str] = field(default_factory=set)


@dataclass(frozen=True)
class SearchPage:
    """One page of the matching conversations, newest first, and where it stands among all of them."""

    results: List[ConversationSummary]
    total: int  # every conversation that matched, on all pages
    page: int
    page_size: int
    channels: List[str]  # every channel seen in the period, for the form

    @property
    def first(self) -> int:
        return (self.page - 1) * self.page_size + 1 if self.results else 0

    @property
    def last(self) -> int:
        return self.first + len(self.results) - 1 if self.results else 0

    @property
    def more(self) -> int:
        """How many matching conversations come after this page."""
        return max(self.total - self.page * self.page_size, 0)

    @property
    def next_page(self) -> Optional[int]:
        return self.page + 1 if self.more else None

    @property
    def previous_page(self) -> Optional[int]:
        return self.page - 1 if self.page > 1 else None


def page_number(params: Mapping[str, str]) -> int:
    """The `page` asked for; anything that is not a positive whole number is the first page."""
    raw = (params.get("page") or "").strip()
    return int(raw) if raw.isdigit() and 0 < int(raw) < 100_000 else 1


def summarise(turns: Iterable[Turn], keyword: str = "",
              masker: Callable[[str], str] = str) -> Dict[str, ConversationSummary]:
    """One pass over the turns; the keyword is looked for in each text as the viewer sees it."""
    summaries: Dict[str, ConversationSummary] = {}
    for turn in turns:
        if turn.kind not in ("user", "bot", "expert"):
            continue
        summary = summaries.setdefault(turn.sender_id, ConversationSummary(turn.sender_id, turn.at, turn.at))
        summary.last = max(summary.last, turn.at)
        if keyword and not summary.keyword_found and keyword in masker(turn.text).lower():
            summary.keyword_found = True
        if turn.kind == "user":
            summary.messages += 1
            summary.first_message = summary.first_message or turn.text
            if turn.channel:
                summary.channels.add(turn.channel)
            if turn.intent:
                summary.intents.add(turn.intent)
                category = category_of(turn.intent)
                if category:
                    summary.categories.add(category)
    return summaries


def search(turns: Iterable[Turn], filters: SearchFilters, outcomes: Optional[Dict[str, Set[str]]] = None,
           masker: Callable[[str], str] = str, page: int = 1, page_size: int = PAGE_SIZE) -> SearchPage:
    """The page of conversations with activity in the period that match every filter given,
    newest first. The keyword is matched against the text as the viewer sees it, so searching
    for a masked phone number cannot confirm whose it is."""
    outcomes = outcomes or {}
    keyword = filters.keyword.lower()
    summaries = summarise(turns, keyword, masker)
    channels = sorted({channel for summary in summaries.values() for channel in summary.channels})
    found = []
    for summary in summaries.values():
        summary.outcomes = outcomes.get(summary.sender_id, set())
        if filters.channel and filters.channel not in summary.channels:
            continue
        if filters.category and filters.category not in summary.categories:
            continue
        if filters.intent and filters.intent not in summary.intents:
            continue
        if filters.outcome and filters.outcome not in summary.outcomes:
            continue
        if keyword and not summary.keyword_found:
            continue
        found.append(summary)
    found.sort(key=lambda s: (s.last, s.sender_id), reverse=True)
    start = (page - 1) * page_size
    return SearchPage(results=found[start:start + page_size], total=len(found), page=page, page_size=page_size,
                      channels=channels)
