"""Staff search over conversations: turns from the conversation archive grouped per conversation,
then filtered by channel, category, intent, handoff outcome and keyword."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Callable, Dict, Iterable, List, Optional, Set

from routing.console.intents import category_of
from assistant_contract.china_time import CHINA_TIME
from routing.console.tracker_reader import Turn

MAX_DAYS = 366
MAX_RESULTS = 200


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
    texts: List[str] = field(default_factory=list)
    outcomes: Set[str] = field(default_factory=set)


def summarise(turns: Iterable[Turn]) -> Dict[str, ConversationSummary]:
    summaries: Dict[str, ConversationSummary] = {}
    for turn in turns:
        if turn.kind not in ("user", "bot", "expert"):
            continue
        summary = summaries.setdefault(turn.sender_id, ConversationSummary(turn.sender_id, turn.at, turn.at))
        summary.last = max(summary.last, turn.at)
        summary.texts.append(turn.text)
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
           masker: Callable[[str], str] = str) -> List[ConversationSummary]:
    """Conversations with activity in the period that match every filter given, newest first.
    The keyword is matched against the text as the viewer sees it, so searching for a masked
    phone number cannot confirm whose it is."""
    outcomes = outcomes or {}
    keyword = filters.keyword.lower()
    found = []
    for summary in summarise(turns).values():
        summary.outcomes = outcomes.get(summary.sender_id, set())
        if filters.channel and filters.channel not in summary.channels:
            continue
        if filters.category and filters.category not in summary.categories:
            continue
        if filters.intent and filters.intent not in summary.intents:
            continue
        if filters.outcome and filters.outcome not in summary.outcomes:
            continue
        if keyword and not any(keyword in masker(text).lower() for text in summary.texts):
            continue
        found.append(summary)
    return sorted(found, key=lambda s: s.last, reverse=True)[:MAX_RESULTS]
