"""执委学堂 results: a cadre who bound her chat (the grid binding, routing/grid/bindings.py)
finishes a quiz in the chat; her score is kept with her level and her part of the tree,
so staff see completion and scores per level and region (routing/console/study_pages.py).

The binding carries her account. A cadre (role `cadre`) at any of the five levels is tied to
her federation office (routing/cadres.py, created with `python -m routing create-cadre`): her
level and region are the office's. Grid people are counted too: their level comes from
their role (村（社区）、镇（街道）、县妇联工作人员, and grid workers at the village level) and
their region from their grid unit.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import List, Optional

from assistant_contract.grid import CADRE, COUNTY_STAFF, GRID_VERIFIER, GRID_WORKER, TOWN_STAFF, VILLAGE_STAFF
from sqlalchemy import ForeignKey, Integer, String, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from routing import cadres
from routing.db import Base, UTCDateTime
from routing.grid import bindings, scope
from routing.models import User, utcnow

LEVEL_OF_ROLE = {GRID_WORKER: "village", GRID_VERIFIER: "village", VILLAGE_STAFF: "village", TOWN_STAFF: "town",
                 COUNTY_STAFF: "county"}
LEVEL_TITLES = {"province": "省", "city": "市", "county": "县（区）", "town": "镇（街道）", "village": "村（社区）"}


class StudyResult(Base):
    __tablename__ = "study_results"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    level: Mapped[str] = mapped_column(String(16))
    region: Mapped[str] = mapped_column(String(200))  # her grid unit's name
    topic: Mapped[str] = mapped_column(String(32))
    score: Mapped[int] = mapped_column(Integer)
    total: Mapped[int] = mapped_column(Integer)
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class NotBound(LookupError):
    pass


def level_and_region(db: Session, user: User) -> Optional[tuple[str, str]]:
    """Where her results are counted: a cadre's office, or a grid person's role and unit."""
    if user.role == CADRE:
        office = cadres.office_of(db, user)
        return (office.level, office.name) if office else None
    if user.role not in LEVEL_OF_ROLE:
        return None
    unit = scope.unit_of(db, user)
    return LEVEL_OF_ROLE[user.role], unit.name if unit else "未分配"


@dataclass(frozen=True)
class Summary:
    level: str
    region: str
    people: int
    quizzes: int
    average_percent: int


def record(db: Session, *, conversation_id: str, topic: str, score: int, total: int,
           now: Optional[datetime] = None) -> StudyResult:
    """Her finished quiz, under the account her chat is bound to; NotBound when it is not."""
    user = bindings.bound_user(db, conversation_id)
    counted = level_and_region(db, user) if user is not None else None
    if counted is None:
        raise NotBound(conversation_id)
    level, region = counted
    result = StudyResult(user_id=user.id, level=level, region=region, topic=topic, score=score, total=total,
                         finished_at=now or utcnow())
    db.add(result)
    db.flush()
    return result


def summary(db: Session) -> List[Summary]:
    """Per level and region: how many took part, how many quizzes, the average score (percent)."""
    rows = db.execute(select(StudyResult.level, StudyResult.region, func.count(func.distinct(StudyResult.user_id)),
                             func.count(StudyResult.id), func.sum(StudyResult.score), func.sum(StudyResult.total))
                      .group_by(StudyResult.level, StudyResult.region)).all()
    order = list(LEVEL_TITLES)
    found = [Summary(level, region, people, quizzes, round(100 * (score or 0) / total) if total else 0)
             for level, region, people, quizzes, score, total in rows]
    return sorted(found, key=lambda s: (order.index(s.level) if s.level in order else 9, s.region))
