"""Passwords (argon2), bearer tokens (random, stored hashed, expiring), and their end.

A changed password or role, or a disabled account, ends every API token and console
session of that user at once (`revoke_credentials`): a token taken before the change
must not keep working for the rest of its 12 hours.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import Optional

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError, VerifyMismatchError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from routing.models import ROLES, ApiToken, ConsoleSession, User, utcnow
from routing.settings import usable_secret

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 10


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"passwords need at least {MIN_PASSWORD_LENGTH} characters")
    return _hasher.hash(password)


def create_user(session: Session, *, username: str, password: str, role: str,
                department_id: Optional[str] = None, specialty: Optional[str] = None,
                title: str = "工作人员") -> User:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if session.scalars(select(User).where(User.username == username)).first():
        raise ValueError(f"user {username} exists")
    user = User(username=username, password_hash=hash_password(password), role=role,
                department_id=department_id, specialty=specialty, title=title, available=True)
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, username: str, password: str) -> Optional[User]:
    """The user, when the password is right and the account is not disabled."""
    user = session.scalars(select(User).where(User.username == username)).first()
    if user is None:
        _hasher.hash(password)  # same work either way: no timing hint that the name exists
        return None
    try:
        _hasher.verify(user.password_hash, password)
    except (VerifyMismatchError, VerificationError):
        return None
    return None if user.disabled else user


def revoke_credentials(session: Session, user_id: int) -> None:
    """Every API token and console session of the user ends now."""
    session.execute(delete(ApiToken).where(ApiToken.user_id == user_id))
    session.execute(delete(ConsoleSession).where(ConsoleSession.user_id == user_id))


def set_password(session: Session, user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    revoke_credentials(session, user.id)


def set_role(session: Session, user: User, role: str) -> None:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if role != user.role:
        user.role = role
        revoke_credentials(session, user.id)


def set_disabled(session: Session, user: User, disabled: bool) -> None:
    user.disabled = disabled
    if disabled:
        revoke_credentials(session, user.id)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(session: Session, user: User, hours: int) -> str:
    token = secrets.token_urlsafe(32)
    session.add(ApiToken(token_hash=_digest(token), user_id=user.id, expires_at=utcnow() + timedelta(hours=hours)))
    return token


def user_for_token(session: Session, token: str) -> Optional[User]:
    row = session.get(ApiToken, _digest(token))
    if row is None or row.expires_at <= utcnow() or row.user.disabled:
        return None
    return row.user


def is_service_token(token: str, expected: str) -> bool:
    """Only a usable configured token matches: an empty or placeholder one matches nothing."""
    if not usable_secret(expected):
        return False
    return hmac.compare_digest(token.encode("utf-8"), expected.encode("utf-8"))
