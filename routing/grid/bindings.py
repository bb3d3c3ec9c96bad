"""A grid worker binds her chat to her account once, with a six-digit code an admin issued.

The code works once and for a short time (ROUTING_GRID_BINDING_CODE_MINUTES); an unknown,
expired or used code is refused the same way, so a guess learns nothing. Binding a
conversation again (a new code) replaces its earlier binding.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Optional

from assistant_contract.grid import CADRE
from sqlalchemy import delete, update
from sqlalchemy.orm import Session, joinedload

from routing import cadres
from routing.grid import scope
from routing.grid.models import BindingCode, ChatBinding
from routing.models import User, utcnow

REFUSED = "绑定码无效、已过期或已使用，请向管理员重新申请 / unknown, expired or used binding code"


class BindingRefused(LookupError):
    pass


@dataclass(frozen=True)
class Bound:
    user_id: int
    name: str
    role: str
    grid_code: Optional[str]
    grid_name: Optional[str]
    conversation_id: str
    channel: str
    office: Optional[str] = None  # a cadre's federation office


def issue_code(db: Session, user: User, minutes: int, now: Optional[datetime] = None) -> BindingCode:
    now = now or utcnow()
    db.execute(delete(BindingCode).where(BindingCode.expires_at <= now))
    while True:
        code = f"{secrets.randbelow(10 ** 6):06d}"
        if db.get(BindingCode, code) is None:
            break
    row = BindingCode(code=code, user_id=user.id, expires_at=now + timedelta(minutes=minutes))
    db.add(row)
    db.flush()
    return row


def describe(db: Session, binding: ChatBinding) -> Bound:
    user = binding.user
    unit = scope.unit_of(db, user)
    office = cadres.office_of(db, user) if user.role == CADRE else None
    return Bound(user_id=user.id, name=user.username, role=user.role, grid_code=unit.code if unit else None,
                 grid_name=unit.name if unit else None, conversation_id=binding.conversation_id,
                 channel=binding.channel, office=office.name if office else None)


def bind(db: Session, code: str, channel: str, conversation_id: str, now: Optional[datetime] = None) -> Bound:
    now = now or utcnow()
    code = (code or "").strip()
    taken = db.execute(update(BindingCode).where(BindingCode.code == code, BindingCode.used_at.is_(None),
                                                 BindingCode.expires_at > now).values(used_at=now))
    if taken.rowcount != 1:  # one statement: two chats racing for one code cannot both win
        raise BindingRefused(REFUSED)
    user = db.get(User, db.get(BindingCode, code).user_id)
    if user is None or user.disabled:
        raise BindingRefused(REFUSED)
    binding = db.get(ChatBinding, conversation_id)
    if binding is None:
        binding = ChatBinding(conversation_id=conversation_id, channel=channel, user_id=user.id, bound_at=now)
        db.add(binding)
    else:
        binding.channel, binding.user_id, binding.bound_at = channel, user.id, now
    db.flush()
    db.refresh(binding)
    return describe(db, binding)


def bound_user(db: Session, conversation_id: Optional[str]) -> Optional[User]:
    binding = db.get(ChatBinding, conversation_id, options=[joinedload(ChatBinding.user)]) if conversation_id else None
    if binding is None or binding.user.disabled:
        return None
    return binding.user


def find(db: Session, conversation_id: str) -> Optional[Bound]:
    binding = db.get(ChatBinding, conversation_id)
    if binding is None or binding.user.disabled:
        return None
    return describe(db, binding)
