"""The dashboard's figures for a period, computed from the conversation archive (requests,
FAQ ratings) and the routing database (handoffs, replies). Pure: easy to test, and the
page and the CSV export show the same numbers."""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Dict, Iterable, List, Optional, Tuple

from routing.console.intents import category_of
from assistant_contract.china_time import china_day
from assistant_contract.handoffs import OPEN_STATUSES
from routing.console.labels import CATEGORY, STATUS, duration
from routing.console.tracker_reader import Turn
from routing.models import Handoff

CITY = re.compile(r"^(?:广东省)?(.+?市)")


@dataclass
class Figures:
    start: date
    end: date
    requests_by_day: Dict[date, Dict[str, int]] = field(default_factory=dict)
    handoffs_by_status: Dict[str, int] = field(default_factory=dict)
    answered_in_time: int = 0
    answer_due: int = 0
    median_first_reply: Optional[timedelta] = None
    rated_helpful: int = 0
    rated: int = 0
    requests_by_region: List[Tuple[str, int]] = field(default_factory=list)

    @property
    def days(self) -> List[date]:
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)]

    @property
    def share_in_time(self) -> Optional[float]:
        return self.answered_in_time / self.answer_due if self.answer_due else None

    @property
    def share_helpful(self) -> Optional[float]:
        return self.rated_helpful / self.rated if self.rated else None

    @property
    def total_requests(self) -> int:
        return sum(sum(day.values()) for day in self.requests_by_day.values())


def city_of(region: Optional[str]) -> str:
    if not region:
        return "未知"
    match = CITY.match(region)
    return match.group(1) if match else region


def first_reply(handoff: Handoff) -> Optional[datetime]:
    return min((m.created_at for m in handoff.messages if m.sender == "expert"), default=None)


def compute(turns: Iterable[Turn], handoffs: Iterable[Handoff], start: date, end: date, now: datetime) -> Figures:
    figures = Figures(start=start, end=end)
    counted = set()
    for turn in turns:
        day = china_day(turn.at)
        if not start <= day <= end:
            continue
        if turn.kind == "feedback":
            figures.rated += 1
            figures.rated_helpful += int(bool(turn.helpful))
            continue
        category = category_of(turn.intent) if turn.kind == "user" else None
        if category and (turn.sender_id, day, category) not in counted:  # a conversation counts once a day
            counted.add((turn.sender_id, day, category))
            figures.requests_by_day.setdefault(day, {}).setdefault(category, 0)
            figures.requests_by_day[day][category] += 1
    waits, regions = [], {}
    for handoff in handoffs:
        if not start <= china_day(handoff.created_at) <= end:
            continue
        figures.handoffs_by_status[handoff.status] = figures.handoffs_by_status.get(handoff.status, 0) + 1
        regions[city_of(handoff.region)] = regions.get(city_of(handoff.region), 0) + 1
        replied = first_reply(handoff)
        if replied is not None:
            waits.append(replied - handoff.created_at)
        # Against the handoff's own time limit (1 hour when urgent, whatever the SLA was when it opened).
        if replied is not None or now >= handoff.due_at:
            figures.answer_due += 1
            figures.answered_in_time += int(replied is not None and replied <= handoff.due_at)
    figures.median_first_reply = statistics.median(waits) if waits else None
    figures.requests_by_region = sorted(regions.items(), key=lambda item: (-item[1], item[0]))
    return figures


def duration_text(value: Optional[timedelta]) -> str:
    return "暂无" if value is None else duration(value)


def percent_text(value: Optional[float]) -> str:
    return "暂无" if value is None else f"{value * 100:.0f}%"


def csv_rows(figures: Figures) -> List[List[str]]:
    rows = [["指标", "项目", "数值"],
            ["时间范围", "", f"{figures.start.isoformat()} 至 {figures.end.isoformat()}"]]
    for day in figures.days:
        for code, title in CATEGORY.items():
            rows.append(["每日求助数", f"{day.isoformat()} {title}", str(figures.requests_by_day.get(day, {}).get(code, 0))])
    for code, title in STATUS.items():
        rows.append(["转人工求助（按状态）", title, str(figures.handoffs_by_status.get(code, 0))])
    rows.append(["按时回复率（按各求助自己的时限）", f"{figures.answered_in_time}/{figures.answer_due}",
                 percent_text(figures.share_in_time)])
    first = figures.median_first_reply
    rows.append(["首次人工回复用时（中位数）", "分钟", "" if first is None else str(int(first.total_seconds() // 60))])
    rows.append(["问答被评为有帮助", f"{figures.rated_helpful}/{figures.rated}", percent_text(figures.share_helpful)])
    for region, count in figures.requests_by_region:
        rows.append(["转人工求助（按地区）", region, str(count)])
    return rows


def open_count(figures: Figures) -> int:
    return sum(count for status, count in figures.handoffs_by_status.items() if status in OPEN_STATUSES)
