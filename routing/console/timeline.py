"""One handoff's whole conversation: what the bot saw before she asked for a person
(from the conversation archive, with the classification and the FAQ given), then the
messages relayed since (from the handoff itself, with delivery state).
"""
from __future__ import annotations

from assistant_contract.handoffs import HANDOFF_CLOSED

from dataclasses import dataclass
from datetime import datetime
from typing import List, Optional, Tuple

from sqlalchemy.orm import object_session

from routing.console import knowledge
from routing.masking import for_viewer
from routing.console.tracker_reader import Turn
from routing.models import Handoff, User



@dataclass(frozen=True)
class Line:
    kind: str  # user | bot | expert | system | divider | feedback
    text: str
    at: Optional[datetime]
    intent: Optional[str] = None
    confidence: Optional[float] = None
    faq: str = ""
    delivery: str = "none"
    author: str = ""
    options: Tuple[str, ...] = ()


def _from_turn(turn: Turn, text: str) -> Line:
    if turn.kind == "feedback":
        verdict = "有帮助" if turn.helpful else "没帮助"
        return Line("feedback", f"她评价回答「{knowledge.title_of(turn.faq_id)}」：{verdict}", turn.at)
    return Line(turn.kind, text, turn.at, turn.intent, turn.confidence, knowledge.title_of(turn.faq_id),
                options=turn.options)


def conversation_lines(turns: List[Turn], viewer: User, handoff: Optional[Handoff] = None) -> List[Line]:
    """Archived turns as lines; her words, and the experts' replies that may repeat them,
    masked unless the viewer may see them."""
    return [_from_turn(t, for_viewer(t.text, viewer, handoff) if t.kind in ("user", "expert") else t.text)
            for t in turns]


def handoff_lines(handoff: Handoff, turns: List[Turn], viewer: User) -> List[Line]:
    before = [t for t in turns if t.at < handoff.created_at]
    lines = conversation_lines(before, viewer, handoff)
    for message in handoff.messages:
        copied_at_opening = message.sender in ("user", "bot") and message.created_at <= handoff.created_at
        if copied_at_opening and before:
            continue  # the archive already showed these, with more detail
        if message.sender == "system":
            text = "已通知她：人工服务结束，机器人重新接手" if message.text == HANDOFF_CLOSED else message.text
            lines.append(Line("system", text, message.created_at, delivery=message.delivery))
            continue
        text = for_viewer(message.text, viewer, handoff) if message.sender in ("user", "expert") else message.text
        author = object_session(handoff).get(User, message.author_id) if message.author_id else None
        lines.append(Line(message.sender, text, message.created_at, delivery=message.delivery,
                          author=f"{author.title} {author.username}" if author else ""))
        if copied_at_opening and message is _last_copied(handoff):
            lines.append(Line("divider", "以上为转人工前与机器人的对话", handoff.created_at))
    if before:
        lines.insert(len(before), Line("divider", "她在这里请求转人工", handoff.created_at))
    return lines


def _last_copied(handoff: Handoff):
    copied = [m for m in handoff.messages if m.sender in ("user", "bot") and m.created_at <= handoff.created_at]
    return copied[-1] if copied else None
