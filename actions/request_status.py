"""How her request stands, in words: its number, status, who holds it and the time promised.

Read by the status action (actions/status.py) and by the answers while she waits
("律师什么时候联系我", actions/answers.py)."""
from __future__ import annotations

from actions.handoff_types import HandoffRecord
from assistant_contract.china_time import month_day_time

STATUS_TEXT = {
    "received": "已收到，正在安排专人",
    "assigned": "已分配给专人",
    "in_progress": "专人正在处理",
    "replied": "专人已经回复",
    "resolved": "已经处理完毕",
    "escalated": "已转给你所在地的妇联跟进",
    "returned": "已经结束，由我继续为你服务",
}


def describe(record: HandoffRecord) -> str:
    """Where her request stands: its number, status, who holds it (role only) and when
    she will be answered at the latest."""
    status = STATUS_TEXT.get(record.status, record.status)
    if record.holder and record.status not in ("received", "resolved", "returned"):
        status += f"（由{record.holder}负责）"
    if not record.delivered:
        status = "已记录，正在转交工作人员"
    promise = "紧急求助1小时内" if record.urgent else "一般48小时内"
    return (f"你的求助（编号{record.id}）于{month_day_time(record.created_at)}提交，"
            f"目前状态：{status}。我们承诺在{month_day_time(record.due_at)}前回复你（{promise}），"
            "回复会发到这个对话里。")
