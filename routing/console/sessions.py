"""Browser sessions, CSRF tokens and login rate limiting for the console.

The session token lives only in an HttpOnly cookie; the database keeps its hash.
The CSRF token is derived from the session token, so a page from another site,
which cannot read the cookie, cannot forge it, and no second secret is stored.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from typing import Optional

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from routing.console.models import ConsoleSession, LoginAttempt
from routing.models import User, utcnow

SESSION_COOKIE = "console_session"
LOGIN_CSRF_COOKIE = "console_login_csrf"


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def csrf_for(session_token: str) -> str:
    return _digest(f"csrf:{session_token}")


def csrf_matches(expected: Optional[str], given: Optional[str]) -> bool:
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8"))


def new_login_csrf() -> str:
    return secrets.token_urlsafe(24)


def start_session(db: Session, user: User, hours: int) -> str:
    token = secrets.token_urlsafe(32)
    db.add(ConsoleSession(token_hash=_digest(token), user_id=user.id, expires_at=utcnow() + timedelta(hours=hours)))
    return token


def user_for_session(db: Session, token: Optional[str]) -> Optional[User]:
    if not token:
        return None
    row = db.get(ConsoleSession, _digest(token))
    if row is None or row.expires_at <= utcnow():
        return None
    return row.user


def end_session(db: Session, token: Optional[str]) -> None:
    if token:
        db.execute(delete(ConsoleSession).where(ConsoleSession.token_hash == _digest(token)))


def end_sessions_of(db: Session, user_id: int) -> None:
    """After a password reset: every browser of that user must log in again."""
    db.execute(delete(ConsoleSession).where(ConsoleSession.user_id == user_id))


def recent_failures(db: Session, username: str, ip: str, now: datetime, window_minutes: int) -> int:
    since = now - timedelta(minutes=window_minutes)
    return db.scalar(select(func.count()).select_from(LoginAttempt).where(
        LoginAttempt.username == username, LoginAttempt.ip == ip,
        LoginAttempt.succeeded.is_(False), LoginAttempt.created_at > since)) or 0


def record_attempt(db: Session, username: str, ip: str, succeeded: bool, now: datetime) -> None:
    db.add(LoginAttempt(username=username[:64], ip=ip[:64], succeeded=succeeded, created_at=now))
    db.execute(delete(LoginAttempt).where(LoginAttempt.created_at < now - timedelta(days=1)))  # keep the table small
    if succeeded:  # a good login clears the count for that account and address
        db.execute(delete(LoginAttempt).where(LoginAttempt.username == username[:64], LoginAttempt.ip == ip[:64],
                                              LoginAttempt.succeeded.is_(False)))
