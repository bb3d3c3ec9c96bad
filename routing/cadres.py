"""Federation cadres (执委) at any of the five levels: each cadre's account is tied to her
office in the directory (`organisations`), where the grid's people are tied to a grid unit.
Her binding says which office she belongs to (routing/grid/bindings.py) and her 执委学堂
results are counted under its level and name (routing/study.py)."""
from __future__ import annotations

from typing import Optional

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, Session, mapped_column

from routing.db import Base
from routing.models import Organisation, User


class CadreOffice(Base):
    """The federation office a cadre belongs to."""
    __tablename__ = "cadre_offices"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    organisation_id: Mapped[str] = mapped_column(String(64), ForeignKey("organisations.id"), index=True)


class UnknownOffice(ValueError):
    pass


def place_cadre(db: Session, user: User, organisation_id: str) -> Organisation:
    """Tie a cadre's account to her office; UnknownOffice when the directory has none by that id."""
    office = db.get(Organisation, organisation_id)
    if office is None:
        raise UnknownOffice(f"no office {organisation_id} in the directory (python -m routing load-org-data)")
    db.merge(CadreOffice(user_id=user.id, organisation_id=office.id))
    db.flush()
    return office


def office_of(db: Session, user: User) -> Optional[Organisation]:
    placed = db.get(CadreOffice, user.id)
    return db.get(Organisation, placed.organisation_id) if placed else None
