"""The live workload: per expert and department, and the alerts a supervisor must see."""
from datetime import datetime, timedelta, timezone

from routing.console import workload
from routing.models import Handoff, User

NOW = datetime(2026, 11, 30, 4, 0, tzinfo=timezone.utc)


def handoff(index, assignee=None, urgent=False, due_in=timedelta(hours=30), department="rights"):
    return Handoff(id=f"h{index:02d}", assignee_id=assignee.id if assignee else None, assignee=assignee, urgent=urgent,
                   due_at=NOW + due_in, department_id=department, status="assigned")


def test_an_overloaded_expert_and_an_urgent_case_about_to_breach_are_flagged():
    busy = User(id=1, username="lawyer1", title="律师", role="expert", available=True)
    calm = User(id=2, username="lawyer2", title="律师", role="expert", available=False)
    handoffs = [handoff(i, busy, urgent=i < 4, due_in=timedelta(minutes=10 + 20 * i)) for i in range(13)]
    handoffs += [handoff(20, calm), handoff(21, None, urgent=True, due_in=-timedelta(minutes=5), department="care")]
    board = workload.compute(handoffs, [busy, calm], {"rights": "权益部", "care": "关爱部"}, NOW)
    rows = {load.name: load for load in board.experts}
    assert (rows["律师 lawyer1"].open, rows["律师 lawyer1"].urgent, rows["律师 lawyer1"].due_within_hour) == (13, 4, 3)
    assert rows["律师 lawyer1"].overloaded and not rows["律师 lawyer2"].overloaded
    assert rows[workload.UNASSIGNED].overdue == 1 and rows["律师 lawyer2"].available is False
    assert [(d.name, d.open) for d in board.departments] == [("权益部", 14), ("关爱部", 1)]
    texts = [alert.text for alert in board.alerts]
    assert texts[0] == "紧急求助 h21 已超时 5 分钟（还没有人认领）"
    assert "紧急求助 h00 10 分钟后到期（律师 lawyer1）" in texts
    assert not any("h01" in text for text in texts)  # 30 minutes left: not yet
    assert texts[-1].startswith("律师 lawyer1 手上有 13 个未办结求助，其中紧急 4 个")


def test_a_quiet_day_has_no_alerts_and_idle_experts_show_with_zeros():
    idle = User(id=3, username="counsellor", title="心理咨询师", role="expert", available=True)
    board = workload.compute([], [idle], {}, NOW)
    assert board.alerts == [] and [(load.name, load.open) for load in board.experts] == [("心理咨询师 counsellor", 0)]
