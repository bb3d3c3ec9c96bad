"""Every read of her transcript or handoff, and every export, in the audit log (routing/audit.py):
who, what, when; never her words. Called by the pages and endpoints that show them.

Actions: `read.transcript` (target `conversation:<id>`), `read.handoff` (`handoff:<id>`),
`read.transcript_search` (the filters, not the results), `export.<what>` (the range or file).
"""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from routing import audit
from routing.models import User

TARGETS = {"transcript": "conversation", "handoff": "handoff"}


def noted(db: Session, user: User | str, what: str, target: str, *, details: Any = None,
          commit: bool = True) -> None:
    """Record one read (`transcript`, `handoff`, `transcript_search`) or export (`export.<what>`).
    The console's session does not commit by itself, so by default the entry is committed
    here; an API endpoint passes commit=False and its session commits once, with the answer."""
    action = what if what.startswith("export.") else f"read.{what}"
    prefix = TARGETS.get(what)
    audit.record(db, user, action, f"{prefix}:{target}" if prefix else target, after=details)
    if commit:
        db.commit()
