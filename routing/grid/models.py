"""Tables of grid reporting (migration 0006). The organisation tree of the grid system is
its own table: county → towns/streets → villages/communities → first-level grids →
second-level grids, each unit knowing its path from the county, which is how "her own
part of the tree" is decided (routing/grid/scope.py)."""
from __future__ import annotations

from datetime import datetime
from typing import List, Optional

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from routing.db import Base, UTCDateTime
from routing.models import User, utcnow

UNIT_LEVELS = ("county", "town", "village", "grid1", "grid2")
UNIT_LEVEL_TITLES = {"county": "县", "town": "镇（街道）", "village": "村（社区）", "grid1": "一级网格",
                     "grid2": "二级网格"}
CHILD_KINDS = ("left_behind", "difficulty")
CHILD_KIND_TITLES = {"left_behind": "留守儿童", "difficulty": "困境儿童"}


class GridUnit(Base):
    __tablename__ = "grid_units"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(8))
    parent_code: Mapped[Optional[str]] = mapped_column(ForeignKey("grid_units.code"))
    path: Mapped[str] = mapped_column(String(200), index=True)  # "/county/town/village/grid1/grid2/"
    sample: Mapped[bool] = mapped_column(Boolean, default=True)


class GridMember(Base):
    """Where in the tree a person of the grid system works."""

    __tablename__ = "grid_members"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    unit_code: Mapped[str] = mapped_column(ForeignKey("grid_units.code"))
    user: Mapped[User] = relationship()
    unit: Mapped[GridUnit] = relationship()


class BindingCode(Base):
    """A one-time code an admin issues so that a grid worker binds her chat to her account."""

    __tablename__ = "grid_binding_codes"
    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)


class ChatBinding(Base):
    __tablename__ = "grid_chat_bindings"
    conversation_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    channel: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    bound_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user: Mapped[User] = relationship()


class ChildRecord(Base):
    """A left-behind child or a child in difficulty, from civil affairs and the federation.
    The ID number is stored only as a keyed hash and a masked copy."""

    __tablename__ = "grid_children"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    id_hash: Mapped[str] = mapped_column(String(64), unique=True)
    id_masked: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(50))
    kind: Mapped[str] = mapped_column(String(16))
    grid_code: Mapped[str] = mapped_column(ForeignKey("grid_units.code"), index=True)
    guardian: Mapped[Optional[str]] = mapped_column(String(100))
    note: Mapped[Optional[str]] = mapped_column(Text)
    last_visit_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    grid: Mapped[GridUnit] = relationship()


class GridReport(Base):
    __tablename__ = "grid_reports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[Optional[str]] = mapped_column(String(32), unique=True)
    source: Mapped[str] = mapped_column(String(16), index=True)
    grid_code: Mapped[str] = mapped_column(ForeignKey("grid_units.code"))
    town_code: Mapped[str] = mapped_column(String(32), index=True)
    scope_path: Mapped[str] = mapped_column(String(200), index=True)
    subject: Mapped[str] = mapped_column(String(8))
    person_name: Mapped[Optional[str]] = mapped_column(String(50))
    place: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    urgency: Mapped[str] = mapped_column(String(8))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    danger: Mapped[bool] = mapped_column(Boolean, default=False)
    consent: Mapped[bool] = mapped_column(Boolean)
    no_consent_reason: Mapped[Optional[str]] = mapped_column(Text)
    area: Mapped[Optional[str]] = mapped_column(String(32), index=True)
    area_by: Mapped[str] = mapped_column(String(16), default="reporter")  # reporter | triage | pending
    triage_attempts: Mapped[int] = mapped_column(Integer, default=0)
    triage_after: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    work_order_no: Mapped[Optional[str]] = mapped_column(String(64), unique=True)
    reporter_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    reporter_name: Mapped[str] = mapped_column(String(64), default="")
    reporter_conversation_id: Mapped[Optional[str]] = mapped_column(String(200))
    child_id: Mapped[Optional[int]] = mapped_column(ForeignKey("grid_children.id"))
    handoff_id: Mapped[Optional[str]] = mapped_column(ForeignKey("handoffs.id"))
    status: Mapped[str] = mapped_column(String(16), index=True)
    stage_started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    stage_due_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    reminded_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    escalated_to: Mapped[Optional[str]] = mapped_column(ForeignKey("grid_units.code"))
    dispatch_level: Mapped[Optional[str]] = mapped_column(String(8))
    dispatch_unit: Mapped[Optional[str]] = mapped_column(ForeignKey("grid_units.code"))
    reject_reason: Mapped[Optional[str]] = mapped_column(Text)
    outcome: Mapped[Optional[str]] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    closed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    grid: Mapped[GridUnit] = relationship(foreign_keys=[grid_code])
    events: Mapped[List["GridReportEvent"]] = relationship(order_by="GridReportEvent.id",
                                                           cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}


class GridReportEvent(Base):
    __tablename__ = "grid_report_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("grid_reports.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[Optional[str]] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(100))
    note: Mapped[Optional[str]] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
