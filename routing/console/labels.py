"""What the console shows for each internal code, in simplified Chinese."""
from __future__ import annotations

from datetime import datetime, timedelta

from assistant_contract.areas import AREA_TITLES
from assistant_contract.channels import CHANNEL_TITLES
from assistant_contract.grid import ROLE_TITLES as GRID_ROLE_TITLES
from assistant_contract.handoffs import OPEN_STATUSES  # noqa: F401  (the queue's status filter)
from assistant_contract.china_time import in_china, month_day_time

STATUS = {"received": "新收到", "assigned": "已分派", "in_progress": "处理中", "replied": "已回复",
          "escalated": "已升级", "resolved": "已办结", "returned": "已交还机器人"}
CATEGORY = AREA_TITLES  # the contract owns the areas and their titles
ROLE = {"expert": "专家", "supervisor": "主管", "staff": "工作人员", "admin": "管理员"}
ROLE.update(GRID_ROLE_TITLES)  # grid reporting's people (assistant_contract.grid)
SENDER = {"user": "她", "bot": "机器人", "expert": "专家", "system": "系统"}
DELIVERY = {"pending": "待送达", "delivered": "已发出（渠道尚未回执）", "failed": "送达失败", "none": ""}
DELIVERY.update({"accepted": "平台已接收", "refused": "平台拒收，等她回来补发", "waiting": "等她回来再送达"})
OUTCOME = {"answered": "已解答", "referred": "已转介其他机构", "grassroots": "已转基层妇联跟进",
           "unreachable": "联系不上她", "not_needed": "她表示不再需要"}
CHANNEL = CHANNEL_TITLES  # the contract owns the channels and their titles
ACTOR = {"bot": "机器人", "router": "自动分派", "sla": "时限提醒", "user": "她"}
ACTOR.update({"channel": "聊天渠道"})


local_time = month_day_time


def minutes_text(minutes: int) -> str:
    return duration(timedelta(minutes=minutes))


def delivery(state: str) -> str:
    """A message's delivery state in words; a state added later still reads as something."""
    if state in DELIVERY:
        return DELIVERY[state]
    return f"送达状态：{state}" if state else ""


def duration(value: timedelta) -> str:
    """A time limit or a wait in hours and minutes: 48小时, 1小时30分, 45分钟."""
    minutes = max(0, int(value.total_seconds() // 60))
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return f"{hours}小时{minutes}分"
    return f"{hours}小时" if hours else f"{minutes}分钟"


def local_date(value: datetime) -> str:
    return in_china(value).strftime("%Y-%m-%d")


def time_left(due: datetime, now: datetime) -> str:
    """The same wording the page's script keeps updating (static/time_left.js)."""
    seconds = int((due - now).total_seconds())
    late = seconds < 0
    minutes = abs(seconds) // 60
    hours, minutes = divmod(minutes, 60)
    text = f"{hours}小时{minutes}分" if hours else f"{minutes}分钟"
    return f"已超时 {text}" if late else f"剩余 {text}"


def urgency_class(urgent: bool, due: datetime, now: datetime, soon_hours: int = 6) -> str:
    if due <= now:
        return "overdue"
    if urgent:
        return "urgent"
    if due - now <= timedelta(hours=soon_hours):
        return "due-soon"
    return "normal"
