"""Browser sessions and CSRF tokens for the console (logins are limited in
routing/login_limits.py, for the console and the API alike).

The session token lives only in an HttpOnly cookie; the database keeps its hash.
The CSRF token is derived from the session token, so a page from another site,
which cannot read the cookie, cannot forge it, and no second secret is stored.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import Optional

from sqlalchemy import delete
from sqlalchemy.orm import Session

from routing.models import ConsoleSession, User, utcnow

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
    if row is None or row.expires_at <= utcnow() or row.user.disabled:
        return None
    return row.user


def end_session(db: Session, token: Optional[str]) -> None:
    if token:
        db.execute(delete(ConsoleSession).where(ConsoleSession.token_hash == _digest(token)))
