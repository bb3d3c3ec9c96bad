"""Tables of the routing backend. The schema itself is owned by Alembic (migrations/)."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import List, Optional

from sqlalchemy import BigInteger, Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from routing.db import Base, UTCDateTime

ORG_LEVELS = ("province", "city", "county", "town", "village")
ROLES = ("expert", "supervisor", "staff", "admin")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Organisation(Base):
    __tablename__ = "organisations"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[Optional[str]] = mapped_column(ForeignKey("organisations.id"))
    region: Mapped[str] = mapped_column(String(100))
    address: Mapped[Optional[str]] = mapped_column(String(300))
    phone: Mapped[Optional[str]] = mapped_column(String(50))
    hours: Mapped[Optional[str]] = mapped_column(String(200))
    latitude: Mapped[Optional[float]] = mapped_column(Float)
    longitude: Mapped[Optional[float]] = mapped_column(Float)
    sample: Mapped[bool] = mapped_column(Boolean, default=True)


class Department(Base):
    __tablename__ = "departments"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(32), unique=True)
    specialty: Mapped[str] = mapped_column(String(32))


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(50), default="工作人员")
    department_id: Mapped[Optional[str]] = mapped_column(ForeignKey("departments.id"))
    specialty: Mapped[Optional[str]] = mapped_column(String(32))
    available: Mapped[bool] = mapped_column(Boolean, default=True)
    last_assigned_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    # A disabled account cannot log in; its tokens and sessions are ended (routing/auth.py).
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)


class ApiToken(Base):
    __tablename__ = "api_tokens"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    user: Mapped[User] = relationship()


class ConsoleSession(Base):
    """A browser login of the web console. Only the token's hash is stored, like API tokens."""

    __tablename__ = "console_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    user: Mapped[User] = relationship()


class LoginAttempt(Base):
    """Logins through the console and the API, for the limiter (routing/login_limits.py)."""

    __tablename__ = "login_attempts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    ip: Mapped[str] = mapped_column(String(64))
    succeeded: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Handoff(Base):
    __tablename__ = "handoffs"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(200), index=True)
    channel: Mapped[Optional[str]] = mapped_column(String(50))
    category: Mapped[Optional[str]] = mapped_column(String(32))
    intent: Mapped[Optional[str]] = mapped_column(String(64))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    summary: Mapped[str] = mapped_column(Text, default="")
    region: Mapped[Optional[str]] = mapped_column(String(100))
    contact: Mapped[Optional[str]] = mapped_column(String(200))
    contact_consented_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)  # migration 0007
    department_id: Mapped[Optional[str]] = mapped_column(ForeignKey("departments.id"))
    assignee_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    escalated_to: Mapped[Optional[str]] = mapped_column(ForeignKey("organisations.id"))
    status: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reminded_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    assignee: Mapped[Optional[User]] = relationship()
    department: Mapped[Optional[Department]] = relationship()
    messages: Mapped[List["HandoffMessage"]] = relationship(order_by="HandoffMessage.id", cascade="all, delete-orphan")
    events: Mapped[List["HandoffEvent"]] = relationship(order_by="HandoffEvent.id", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}


UNSENT = sql_text("delivery = 'pending'")


class HandoffMessage(Base):
    __tablename__ = "handoff_messages"
    # The relay reads only the replies still to send (migration 0009).
    __table_args__ = (Index("ix_handoff_messages_unsettled", "handoff_id", "id",
                            postgresql_where=UNSENT, sqlite_where=UNSENT),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    handoff_id: Mapped[str] = mapped_column(ForeignKey("handoffs.id", ondelete="CASCADE"), index=True)
    sender: Mapped[str] = mapped_column(String(16))  # user | bot | expert
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    delivery: Mapped[str] = mapped_column(String(16), default="none")  # none | pending | delivered | failed
    # an expert reply: pending → delivered (Rasa took it) → accepted | refused | waiting, as her channel reports
    # (routing/relay.py record_delivery, connectors/delivery_reports.py)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # While pending: the delivery round that claimed it and until when (routing/relay.py; migration 0009)
    delivery_owner: Mapped[Optional[str]] = mapped_column(String(64))
    delivery_until: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    delivery_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class HandoffEvent(Base):
    __tablename__ = "handoff_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    handoff_id: Mapped[str] = mapped_column(ForeignKey("handoffs.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[Optional[str]] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(100))
    note: Mapped[Optional[str]] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SlaNotice(Base):
    """A reminder or an escalation the SLA sweep made (routing/sla.py): once per handoff, kind and
    due time, whichever replica sweeps (migration 0009)."""

    __tablename__ = "sla_notices"
    __table_args__ = (UniqueConstraint("handoff_id", "kind", "due_at", name="uq_sla_notices_once"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    handoff_id: Mapped[str] = mapped_column(ForeignKey("handoffs.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # reminder | escalation
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ArchivedEvent(Base):
    """One event of a conversation as Rasa's event broker published it (routing/archive/).
    Only what staff read is kept: her messages, the bot's, and the FAQ slots; the console
    reads conversations here, never from Rasa's tracker store. `id` is the archive's order."""

    __tablename__ = "archived_events"
    # A broker row taken twice is stored once; the fingerprint tells a replaced broker's rows apart.
    __table_args__ = (UniqueConstraint("source", "broker_id", "fingerprint"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(32))
    broker_id: Mapped[int] = mapped_column(BigInteger)
    fingerprint: Mapped[str] = mapped_column(String(64))
    conversation_id: Mapped[str] = mapped_column(String(255), index=True)
    event_type: Mapped[str] = mapped_column(String(16))  # user | bot | slot
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    text: Mapped[Optional[str]] = mapped_column(Text)
    intent: Mapped[Optional[str]] = mapped_column(String(255))
    confidence: Mapped[Optional[float]] = mapped_column(Float)
    channel: Mapped[Optional[str]] = mapped_column(String(64))
    external: Mapped[bool] = mapped_column(Boolean, default=False)  # trigger_intent's "EXTERNAL: …", not her words
    buttons: Mapped[Optional[str]] = mapped_column(Text)  # a bot message's button titles, as a JSON list
    slot: Mapped[Optional[str]] = mapped_column(String(64))
    value: Mapped[Optional[str]] = mapped_column(Text)  # the slot's value, as JSON


class ArchiveCursor(Base):
    """The last broker row the archive took from each event source: it resumes there."""

    __tablename__ = "archive_cursors"
    source: Mapped[str] = mapped_column(String(32), primary_key=True)
    position: Mapped[int] = mapped_column(BigInteger, default=0)
    fingerprint: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

# Tables owned by other modules, registered with the same Base so that create_all and
# Alembic's autogenerate see them: the audit log (0005), grid reporting (0006),
# activities and 执委学堂 results (0008), cadres' offices (0010), continuation codes (0011). Grid reporting adds its roles to ROLES.
from assistant_contract.grid import CADRE, GRID_ROLES  # noqa: E402

ROLES = ROLES + GRID_ROLES + (CADRE,)
import routing.activity_models  # noqa: E402,F401
import routing.cadres  # noqa: E402,F401
import routing.continuation  # noqa: E402,F401
import routing.grid.models  # noqa: E402,F401
import routing.study  # noqa: E402,F401
from routing import audit  # noqa: E402,F401
