"""Tables the web console adds (migration 0002): notes, outcomes, canned replies, NLU
corrections and the editable SLA policy. Its sessions and login attempts (also 0002)
live in routing/models.py, because logins and revocation serve the API as well."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from routing.db import Base, UTCDateTime
from routing.models import ConsoleSession, LoginAttempt, User, utcnow  # noqa: F401  (ConsoleSession, LoginAttempt)


class HandoffNote(Base):
    """An internal note: colleagues read it, she never does."""

    __tablename__ = "handoff_notes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    handoff_id: Mapped[str] = mapped_column(ForeignKey("handoffs.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    author: Mapped[User] = relationship()


class HandoffOutcome(Base):
    __tablename__ = "handoff_outcomes"
    handoff_id: Mapped[str] = mapped_column(ForeignKey("handoffs.id", ondelete="CASCADE"), primary_key=True)
    outcome: Mapped[str] = mapped_column(String(32), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CannedReply(Base):
    __tablename__ = "canned_replies"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    department_id: Mapped[str] = mapped_column(ForeignKey("departments.id"), index=True)
    title: Mapped[str] = mapped_column(String(50))
    text: Mapped[str] = mapped_column(Text)


class NluCorrection(Base):
    """Staff's mark on a misunderstood message; the text is stored already masked."""

    __tablename__ = "nlu_corrections"
    __table_args__ = (UniqueConstraint("sender_id", "event_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sender_id: Mapped[str] = mapped_column(String(255))
    event_id: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    predicted_intent: Mapped[Optional[str]] = mapped_column(String(64))
    intent: Mapped[str] = mapped_column(String(64))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PolicySetting(Base):
    """Admin-edited numbers (SLA hours) that override the environment defaults."""

    __tablename__ = "policy_settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)


class HandoffView(Base):
    """The last of her messages a person has seen on a handoff's page (migration 0005):
    later ones are unread for that person, and a handoff never opened is new to them."""

    __tablename__ = "handoff_views"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    handoff_id: Mapped[str] = mapped_column(ForeignKey("handoffs.id", ondelete="CASCADE"), primary_key=True)
    seen_message_id: Mapped[int] = mapped_column(Integer, default=0)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
