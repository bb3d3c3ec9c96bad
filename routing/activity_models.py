"""Tables of activities and their sign-ups (migration 0008).

`places_left` is kept on the activity and changed only by one conditional UPDATE
(routing/activities.py), so two women signing up for the last place at once cannot both
get it, on SQLite and PostgreSQL alike. A woman signs up once per activity (one row per
activity and conversation); a cancelled sign-up keeps its row with `cancelled_at` set.
"""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from routing.db import Base, UTCDateTime
from routing.models import utcnow


class Activity(Base):
    __tablename__ = "activities"
    __table_args__ = (CheckConstraint("places_left >= 0 AND places_left <= capacity", name="ck_activities_places_left"),)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    organiser: Mapped[str] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(20))  # a Guangdong city, or 全省 online
    place: Mapped[Optional[str]] = mapped_column(String(300))  # None when online
    online: Mapped[bool] = mapped_column(Boolean, default=False)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    capacity: Mapped[int] = mapped_column(Integer)
    places_left: Mapped[int] = mapped_column(Integer)
    audience: Mapped[str] = mapped_column(String(200))
    area: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(Text)
    keywords: Mapped[str] = mapped_column(String(500), default="")  # separated by spaces
    sample: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ActivitySignup(Base):
    __tablename__ = "activity_signups"
    __table_args__ = (UniqueConstraint("activity_id", "conversation_id", name="uq_activity_signup_conversation"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    activity_id: Mapped[str] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), index=True)
    conversation_id: Mapped[str] = mapped_column(String(200), index=True)
    channel: Mapped[Optional[str]] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(50))
    phone: Mapped[str] = mapped_column(String(20))
    consented_at: Mapped[datetime] = mapped_column(UTCDateTime)  # she agreed before giving name and phone
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cancelled_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    activity: Mapped[Activity] = relationship()
