"""One login limiter for the console and the API token endpoint.

Failures are counted per account and client address (five within fifteen minutes, by
default, lock that pair for the rest of the window) and per account across all
addresses (three times as many lock the account itself, so guessing from many
addresses cannot go on; the real user waits out the window like everyone else).

An attempt is recorded as a failure and committed before the password is checked,
so attempts sent all at once cannot slip past the limit together; a good login
clears the failures of its own account and address.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Optional

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from routing import auth
from routing.models import LoginAttempt, User, utcnow
from routing.settings import Settings

UNKNOWN_ADDRESS = "unknown"


@dataclass(frozen=True)
class LoginResult:
    user: Optional[User] = None
    locked: bool = False


def recent_failures(db: Session, username: str, address: Optional[str], now: datetime, window_minutes: int) -> int:
    """Failures for the account within the window: from `address`, or from anywhere when it is None."""
    query = select(func.count()).select_from(LoginAttempt).where(
        LoginAttempt.username == username[:64], LoginAttempt.succeeded.is_(False),
        LoginAttempt.created_at > now - timedelta(minutes=window_minutes))
    if address is not None:
        query = query.where(LoginAttempt.ip == address[:64])
    return db.scalar(query) or 0


def locked(db: Session, username: str, address: str, now: datetime, settings: Settings) -> bool:
    window, limit = settings.login_window_minutes, settings.login_max_failures
    return (recent_failures(db, username, address, now, window) > limit
            or recent_failures(db, username, None, now, window) > limit * settings.login_account_factor)


def record_attempt(db: Session, username: str, address: str, succeeded: bool, now: datetime) -> None:
    db.add(LoginAttempt(username=username[:64], ip=address[:64], succeeded=succeeded, created_at=now))
    db.execute(delete(LoginAttempt).where(LoginAttempt.created_at < now - timedelta(days=1)))  # keep the table small
    if succeeded:
        db.execute(delete(LoginAttempt).where(LoginAttempt.username == username[:64], LoginAttempt.ip == address[:64],
                                              LoginAttempt.succeeded.is_(False)))


def attempt_login(db: Session, username: str, password: str, address: Optional[str], settings: Settings) -> LoginResult:
    """The user when the password is right and the account is neither locked nor disabled.
    Commits: the failure must be visible to parallel attempts before the check."""
    address = address or UNKNOWN_ADDRESS
    now = utcnow()
    record_attempt(db, username, address, False, now)
    db.commit()
    if locked(db, username, address, now, settings):
        return LoginResult(locked=True)
    user = auth.authenticate(db, username, password)
    if user is None:
        return LoginResult()
    record_attempt(db, username, address, True, now)  # clears her failures from here, this one included
    return LoginResult(user=user)
