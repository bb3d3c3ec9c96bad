"""Tables the web console adds (migration 0002): sessions, login attempts, notes,
outcomes, canned replies, NLU corrections and the editable SLA policy."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from routing.db import Base, UTCDateTime
from routing.models import User, utcnow


class ConsoleSession(Base):
    """A browser login. Only the token's hash is stored, like API tokens."""

    __tablename__ = "console_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    user: Mapped[User] = relationship()


class LoginAttempt(Base):
    __tablename__ = "login_attempts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    ip: Mapped[str] = mapped_column(String(64))
    succeeded: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


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
