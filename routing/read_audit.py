"""Every read of her transcript or handoff, and every export, in the audit log (routing/audit.py):
who, what, when; never her words. Called by the pages and endpoints that show them.

Actions: `read.transcript` (target `conversation:<id>`), `read.handoff` (`handoff:<id>`),
`read.transcript_search` (the filters, not the results), `export.<what>` (the range or file).
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from routing import audit
from routing.models import User

TARGETS = {"transcript": "conversation", "handoff": "handoff"}


def noted(db: Session, user: User | str, what: str, target: str, *, details: Any = None,
          commit: bool = True) -> None:
    """Record one read (`transcript`, `handoff`, `transcript_search`) or export (`export.<what>`).
    The console's session does not commit by itself, so by default the entry is committed
    here; an API endpoint passes commit=False and its session commits once, with the answer.

    With commit=False the entry joins the session only as it commits: written earlier, it would
    take SQLite's write lock for the rest of the request, while the answer is still being
    prepared in a worker thread. Under load (a console reading a handoff every second) the waiting
    readers took every worker thread and the holder could not finish: the backend stood still
    until SQLite's busy timeout. An answer that fails is not recorded, as before."""
    action = what if what.startswith("export.") else f"read.{what}"
    prefix = TARGETS.get(what)
    entry = audit.entry(user, action, f"{prefix}:{target}" if prefix else target, after=details)
    if not commit:
        _add_as_it_commits(db, entry)
        return
    db.add(entry)
    db.commit()


def _add_as_it_commits(db: Session, entry: Any) -> None:
    """`entry` joins `db` at its next commit, unless its transaction is rolled back first."""
    pending = [entry]

    def add(session: Session) -> None:
        while pending:
            session.add(pending.pop())

    event.listen(db, "before_commit", add)
    event.listen(db, "after_soft_rollback", lambda _session, _transaction: pending.clear())
