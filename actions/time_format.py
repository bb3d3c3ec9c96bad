"""Times as she reads them: China Standard Time, month-day hour:minute."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

CHINA_TIME = timezone(timedelta(hours=8), "CST")


def local_time(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(CHINA_TIME).strftime("%m月%d日 %H:%M")
