"""Times as people here read them: China Standard Time (UTC+8, no daylight saving)."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Optional

CHINA_TIME = timezone(timedelta(hours=8), "北京时间")


def _aware(moment: datetime) -> datetime:
    """Naive times in our databases are UTC."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment


def in_china(moment: datetime) -> datetime:
    return _aware(moment).astimezone(CHINA_TIME)


def month_day_time(moment: Optional[datetime]) -> str:
    """「11月30日 14:05」: due times and reminders, for her and for staff."""
    return in_china(moment).strftime("%m月%d日 %H:%M") if moment is not None else ""


def china_day(moment: datetime) -> date:
    """The calendar day in China: a handoff at 23:30 UTC belongs to the next day."""
    return in_china(moment).date()
