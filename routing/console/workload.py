"""Who carries what right now: open, urgent and overdue handoffs per expert and per
department, and the alerts a supervisor on duty must see (an expert holding too many,
an urgent case about to breach its time limit). Pure, over the open handoffs."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Dict, Iterable, List, Optional

from routing.models import Handoff, User

OVERLOADED_OPEN = 12  # open handoffs one expert can follow with care
OVERLOADED_URGENT = 3  # urgent ones at once
BREACH_WARNING = timedelta(minutes=20)
UNASSIGNED = "（待认领）"


@dataclass
class Load:
    name: str
    open: int = 0
    urgent: int = 0
    overdue: int = 0
    due_within_hour: int = 0
    available: Optional[bool] = None

    @property
    def overloaded(self) -> bool:
        return self.open >= OVERLOADED_OPEN or self.urgent >= OVERLOADED_URGENT

    def add(self, handoff: Handoff, now: datetime) -> None:
        self.open += 1
        self.urgent += int(handoff.urgent)
        self.overdue += int(handoff.due_at <= now)
        self.due_within_hour += int(now < handoff.due_at <= now + timedelta(hours=1))


@dataclass(frozen=True)
class Alert:
    level: str  # danger | warning
    text: str
    handoff_id: str = ""


@dataclass
class Workload:
    experts: List[Load] = field(default_factory=list)
    departments: List[Load] = field(default_factory=list)
    alerts: List[Alert] = field(default_factory=list)


def _minutes(value: timedelta) -> int:
    return max(0, int(value.total_seconds() // 60))


def compute(handoffs: Iterable[Handoff], experts: Iterable[User], department_names: Dict[str, str],
            now: datetime) -> Workload:
    """`handoffs`: the open ones; `experts`: every active expert, so an idle one shows with zeros."""
    by_expert: Dict[int, Load] = {}
    for expert in experts:
        by_expert[expert.id] = Load(f"{expert.title} {expert.username}", available=expert.available)
    unassigned = Load(UNASSIGNED)
    by_department: Dict[str, Load] = {}
    breaching: List[Alert] = []
    for handoff in sorted(handoffs, key=lambda h: h.due_at):
        holder = by_expert.get(handoff.assignee_id) if handoff.assignee_id else None
        if holder is None and handoff.assignee_id is not None and handoff.assignee is not None:
            holder = by_expert.setdefault(handoff.assignee_id, Load(f"{handoff.assignee.title} {handoff.assignee.username}"))
        (holder or unassigned).add(handoff, now)
        department = department_names.get(handoff.department_id or "", "未分派部门")
        by_department.setdefault(department, Load(department)).add(handoff, now)
        if handoff.urgent and handoff.due_at - now <= BREACH_WARNING:
            who = holder.name if holder else "还没有人认领"
            left = handoff.due_at - now
            when = f"已超时 {_minutes(-left)} 分钟" if left.total_seconds() < 0 else f"{_minutes(left)} 分钟后到期"
            breaching.append(Alert("danger", f"紧急求助 {handoff.id} {when}（{who}）", handoff.id))
    experts_load = sorted(by_expert.values(), key=lambda load: (-load.urgent, -load.open, load.name))
    if unassigned.open:
        experts_load.append(unassigned)
    alerts = [Alert("warning", f"{load.name} 手上有 {load.open} 个未办结求助，其中紧急 {load.urgent} 个、"
                               f"1 小时内到期 {load.due_within_hour} 个、已超时 {load.overdue} 个，请考虑转交一部分")
              for load in experts_load if load.name != UNASSIGNED and load.overloaded]
    return Workload(experts=experts_load,
                    departments=sorted(by_department.values(), key=lambda load: (-load.open, load.name)),
                    alerts=breaching + alerts)
