"""Her request follows her to another app with a continuation code (接续码).

The code's shape and the API are in `assistant_contract.continuation`. Here:
- `issue`: a code for her conversation's latest request, working once for
  `CODE_HOURS`; only the newest code of a request works, and only its hash is stored;
- `take`: the code sent from another conversation moves the request there. Replies
  she has not seen (refused by the platform, or waiting for her to come back) go out
  again to the new conversation, as every later reply will; the handoff's history
  says from which channel to which, so the expert knows where her answers now go.

Guessing is bounded for everyone at once, not per conversation (a web chat can make
new conversations at will): after `max_wrong` wrong codes within `window_minutes`
every attempt is refused until the window has passed. A right code is never
counted. With 32^10 codes, a guesser gets a few thousand tries a day at most.

A copy the old app holds (WeChat and Telegram keep refused or held replies for her
next message there) is still shown if she writes there again: she may read a reply
twice, never zero times.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Optional

from assistant_contract.channels import channel_title
from assistant_contract.continuation import CODE_HOURS, canonical, new_code
from sqlalchemy import ForeignKey, Integer, String, delete, func, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from routing import handoff_queries
from routing.db import Base, UTCDateTime
from routing.models import Handoff, HandoffEvent, HandoffMessage, utcnow
from routing.relay import PENDING, REFUSED, WAITING

ACTOR = "user"  # the console shows 「她」


class ContinuationCode(Base):
    __tablename__ = "continuation_codes"
    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    handoff_id: Mapped[str] = mapped_column(ForeignKey("handoffs.id", ondelete="CASCADE"), index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)


class WrongCode(Base):
    """One wrong code, counted for the guessing bound; only the time is kept."""
    __tablename__ = "continuation_wrong_codes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class NoRequest(LookupError):
    """The conversation has no request to continue elsewhere."""


class CodeRefused(LookupError):
    """Unknown, used or expired: refused alike, so a guess learns nothing."""


class TooManyWrongCodes(RuntimeError):
    """The guessing bound is reached; try again after the window."""


@dataclass(frozen=True)
class Issued:
    code: str  # canonical, shown once to her and never stored
    expires_at: datetime
    handoff_id: str


@dataclass(frozen=True)
class Moved:
    handoff: Handoff
    resent: int  # replies she had not seen, now on their way to the new conversation


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode("ascii")).hexdigest()


def issue(db: Session, conversation_id: str, now: Optional[datetime] = None) -> Issued:
    now = now or utcnow()
    handoff = handoff_queries.latest_of_conversation(db, conversation_id=conversation_id)
    if handoff is None:
        raise NoRequest(conversation_id)
    db.execute(delete(ContinuationCode).where(
        (ContinuationCode.expires_at <= now)
        | ((ContinuationCode.handoff_id == handoff.id) & ContinuationCode.used_at.is_(None))))
    code = new_code()
    row = ContinuationCode(digest=_digest(code), handoff_id=handoff.id, expires_at=now + timedelta(hours=CODE_HOURS))
    db.add(row)
    db.flush()
    return Issued(code=code, expires_at=row.expires_at, handoff_id=handoff.id)


def wrong_codes_lately(db: Session, window_minutes: int, now: datetime) -> int:
    return db.scalar(select(func.count()).select_from(WrongCode)
                     .where(WrongCode.at > now - timedelta(minutes=window_minutes))) or 0


def take(db: Session, typed: str, channel: str, conversation_id: str, *, max_wrong: int, window_minutes: int,
         now: Optional[datetime] = None) -> Moved:
    """Move the request the code names to `conversation_id`. A wrong code is recorded in this
    session: the caller commits it even though the answer is a refusal."""
    now = now or utcnow()
    if wrong_codes_lately(db, window_minutes, now) >= max_wrong:
        raise TooManyWrongCodes()
    code = canonical(typed)
    taken = None
    if code is not None:  # one statement: two conversations racing for one code cannot both win
        taken = db.execute(update(ContinuationCode)
                           .where(ContinuationCode.digest == _digest(code), ContinuationCode.used_at.is_(None),
                                  ContinuationCode.expires_at > now)
                           .values(used_at=now).returning(ContinuationCode.handoff_id)).scalar_one_or_none()
    if taken is None:
        db.execute(delete(WrongCode).where(WrongCode.at <= now - timedelta(minutes=window_minutes)))
        db.add(WrongCode(at=now))
        db.flush()
        raise CodeRefused()
    handoff = handoff_queries.find(db, handoff_id=taken, lock=True)
    if handoff.conversation_id == conversation_id:
        return Moved(handoff, 0)
    before = channel_title(handoff.channel) if handoff.channel else "原来的对话"
    handoff.conversation_id, handoff.channel = conversation_id, channel
    resent = db.execute(update(HandoffMessage)
                        .where(HandoffMessage.handoff_id == handoff.id, HandoffMessage.delivery.in_((REFUSED, WAITING)))
                        .values(delivery=PENDING, delivery_owner=None, delivery_until=None)).rowcount
    note = f"她用接续码把对话从{before}转到了{channel_title(channel)}，之后的回复发到那里"
    note += f"；还没送达的{resent}条回复已改发到那里。" if resent else "。"
    db.add(HandoffEvent(handoff_id=handoff.id, from_status=None, to_status=handoff.status, actor=ACTOR, note=note))
    db.flush()
    return Moved(handoff, resent)
