"""The date range typed into the dashboard and the transcript search.

Anything a browser can send must end in either a range or a message in Chinese that
the page shows above its form again (HTTP 400): 0001-01-01 or 9999-12-31 once crashed
the date arithmetic, and 2024-13-45 is no date at all.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Tuple

from assistant_contract.china_time import CHINA_TIME
from routing.models import utcnow

EARLIEST = date(2000, 1, 1)
LATEST = date(2099, 12, 31)
DEFAULT_DAYS = 30
FORMAT_MESSAGE = "日期格式应为 年-月-日，例如 2026-11-01。"


class PeriodError(ValueError):
    """A range that cannot be used; the message is for the person who typed it."""


def _day(text: str) -> date:
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise PeriodError(FORMAT_MESSAGE) from None
    if not EARLIEST <= day <= LATEST:
        raise PeriodError(f"日期需要在 {EARLIEST.isoformat()} 到 {LATEST.isoformat()} 之间，例如 2026-11-01。")
    return day


def parse_period(params, max_days: int) -> Tuple[date, date]:
    """(start, end), both inclusive, in China time; by default the last 30 days."""
    end = _day(params.get("end")) if params.get("end") else utcnow().astimezone(CHINA_TIME).date()
    start = _day(params.get("start")) if params.get("start") else max(EARLIEST, end - timedelta(days=DEFAULT_DAYS - 1))
    if start > end:
        raise PeriodError("开始日期不能晚于结束日期。")
    if (end - start).days >= max_days:
        raise PeriodError(f"一次最多查 {max_days} 天，请缩小日期范围。")
    return start, end
