"""Erase one woman's conversation everywhere, on her request: `python -m routing erase --conversation ID`.

Removed, store by store (routing/her_data_stores.py lists the stores outside the routing
database): her handoffs with their messages, history, notes and views; her conversation
in the archive and staff's corrections of her messages; Rasa's tracker store and event
broker rows; the action server's outboxes; the channels' stores (Telegram, WeChat, her
safe-exit code word); and the log lines that name her conversation id.

Rasa's tracker store is reached through its database, not Rasa's HTTP API: Rasa 3.6 has no
endpoint that deletes a conversation (`PUT /conversations/{id}/tracker/events` appends to a
SQL tracker store rather than replacing it), and its tracker store is a plain table keyed by
`sender_id`, which Rasa reads anew on her next message. The channel stores are SQLite files
the Rasa process opens per operation; removing rows under it is what their own pruning does.

The erasure itself is recorded in the audit log (who, which conversation, how many rows
per store), without any of her words. A grid report that led to one of her handoffs keeps
its own record and loses only the link.
"""
from __future__ import annotations

from typing import Callable, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from routing import audit, log_files
from routing.her_data_stores import OpenStore
from routing.models import Handoff
from routing.retention import LOG_FILES, ROUTING_DB, Report, RetentionSettings, remove_archive, remove_handoffs

MIN_ID_FOR_LOG_SCRUB = 6  # a shorter id would match unrelated log lines
ERASE_ACTION = "conversation.erase"


def erase_conversation(session_factory: Callable[[], Session], conversation_id: str, *, actor: str,
                       settings: Optional[RetentionSettings] = None, dry_run: bool = False) -> Report:
    """Everything of this conversation, per store; only counted when `dry_run`."""
    settings = settings or RetentionSettings()
    report = Report(dry_run=dry_run)
    with session_factory() as db, db.begin():
        handoff_ids = list(db.scalars(select(Handoff.id).where(Handoff.conversation_id == conversation_id)))
        report.add(ROUTING_DB, remove_handoffs(db, handoff_ids, delete_rows=not dry_run))
        report.add(ROUTING_DB, remove_archive(db, [conversation_id], delete_rows=not dry_run))
    for spec in settings.stores():
        store = OpenStore(spec)
        try:
            report.add(spec.name, store.for_conversations([conversation_id], delete=not dry_run)
                       if store.exists else {})
        finally:
            store.close()
    if len(conversation_id) >= MIN_ID_FOR_LOG_SCRUB:
        report.add(LOG_FILES, log_files.scrub(settings.logs, conversation_id, delete=not dry_run))
    else:
        report.add(LOG_FILES, {})
        report.notes.append(f"log lines were not searched: an id shorter than {MIN_ID_FOR_LOG_SCRUB} characters "
                            "would match other conversations' lines")
    if not dry_run:
        with session_factory() as db, db.begin():
            audit.record(db, actor, ERASE_ACTION, f"conversation:{conversation_id}",
                         after={store: counts for store, counts in report.stores.items() if counts})
    return report
