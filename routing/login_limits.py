"""One login limiter for the console and the API token endpoint.

Failures are counted per account and client address (five within fifteen minutes, by
default, lock that pair for the rest of the window) and per account across all
addresses (three times as many lock the account itself, so guessing from many
addresses cannot go on; the real user waits out the window like everyone else).

An attempt is recorded as a failure and committed before the password is checked,
so attempts sent all at once cannot slip past the limit together; a good login
clears the failures of its own account and address. Where they are counted is
routing/login_limits_store.py: the routing database, or Redis when several routing
backends share the work (ROUTING_REDIS_URL), so each does not grant its own guesses.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from sqlalchemy.orm import Session

from routing import auth
from routing.login_limits_store import FailureCounts, LoginFailureStore, failure_store, recent_failures
from routing.models import User, utcnow
from routing.settings import Settings

__all__ = ["LoginResult", "attempt_login", "locked", "recent_failures", "utcnow"]

UNKNOWN_ADDRESS = "unknown"


@dataclass(frozen=True)
class LoginResult:
    user: Optional[User] = None
    locked: bool = False


def locked(counts: FailureCounts, settings: Settings) -> bool:
    limit = settings.login_max_failures
    return counts.pair > limit or counts.account > limit * settings.login_account_factor


def attempt_login(db: Session, username: str, password: str, address: Optional[str], settings: Settings,
                  store: Optional[LoginFailureStore] = None) -> LoginResult:
    """The user when the password is right and the account is neither locked nor disabled.
    The failure is recorded (and, in the database, committed) before the password is checked."""
    address = address or UNKNOWN_ADDRESS
    now = utcnow()
    store = store or failure_store(db, settings)
    if locked(store.count_failure(username, address, now), settings):
        return LoginResult(locked=True)
    user = auth.authenticate(db, username, password)
    if user is None:
        return LoginResult()
    store.succeeded(username, address, now)  # clears her failures from here, this one included
    return LoginResult(user=user)
