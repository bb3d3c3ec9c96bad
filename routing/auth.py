"""Passwords (argon2) and bearer tokens (random, stored hashed, expiring)."""
from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import Optional

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError, VerifyMismatchError
from sqlalchemy import select
from sqlalchemy.orm import Session

from routing.models import ROLES, ApiToken, User, utcnow

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
    user = session.scalars(select(User).where(User.username == username)).first()
    if user is None:
        _hasher.hash(password)  # same work either way: no timing hint that the name exists
        return None
    try:
        _hasher.verify(user.password_hash, password)
    except (VerifyMismatchError, VerificationError):
        return None
    return user


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(session: Session, user: User, hours: int) -> str:
    token = secrets.token_urlsafe(32)
    session.add(ApiToken(token_hash=_digest(token), user_id=user.id, expires_at=utcnow() + timedelta(hours=hours)))
    return token


def user_for_token(session: Session, token: str) -> Optional[User]:
    row = session.get(ApiToken, _digest(token))
    if row is None or row.expires_at <= utcnow():
        return None
    return row.user


def is_service_token(token: str, expected: str) -> bool:
    return hmac.compare_digest(token.encode("utf-8"), expected.encode("utf-8"))
