"""How long her data is kept, and the job that removes what is older, in every store.

One setting per kind of data (environment, prefix ROUTING_RETENTION_):
- `CONVERSATION_DAYS` (180): a conversation goes when nothing happened in it for that long
  anywhere (the archive, Rasa's tracker store) and none of her handoffs is still kept; it
  goes from every store at once (routing/her_data_stores.py), so no copy outlives another.
- `HANDOFF_DAYS` (180): a handoff goes that long after it was closed (resolved or returned),
  with its messages, history, notes and views; an open one is never removed. Outbox rows the
  backend took (or refused) go by the same count from when they were kept.
- `LOG_DAYS` (30): log files and lines, the channels' undelivered tables, login attempts.
- `AUDIT_DAYS` (365): the audit log (who read or changed what).

`run(..., dry_run=True)` counts without removing: `python -m routing retention --dry-run`.
The scheduler (routing/scheduler.py) runs it every `EVERY_HOURS`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Set

from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import delete, func, inspect, select, update
from sqlalchemy.orm import Session

from assistant_contract.handoffs import CLOSED_STATUSES
from routing import her_data_stores, log_files
from routing.audit import AuditEntry
from routing.her_data_stores import HANDOFF, LOG, OpenStore
from routing.models import ArchivedEvent, Handoff, HandoffEvent, HandoffMessage, LoginAttempt
from routing.settings import PROJECT_ROOT, Settings

ROUTING_DB = "routing-db"
LOG_FILES = "log-files"


class RetentionSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ROUTING_RETENTION_")

    conversation_days: int = 180
    handoff_days: int = 180
    log_days: int = 30
    audit_days: int = 365
    every_hours: float = 24.0
    var_dir: Path = PROJECT_ROOT / "var"
    log_dir: Optional[Path] = None  # default: <var_dir>/logs
    tracker_store_url: str = ""  # default: <var_dir>/tracker.db, as endpoints.yml
    event_broker_url: str = ""  # default: ROUTING_EVENT_BROKER_URL's file, <var_dir>/events.db

    @property
    def logs(self) -> Path:
        return self.log_dir or self.var_dir / "logs"

    @classmethod
    def beside(cls, backend: Settings) -> "RetentionSettings":
        """From the environment; the event broker is the one the archive reads unless set here."""
        settings = cls()
        return settings if settings.event_broker_url else settings.model_copy(
            update={"event_broker_url": backend.event_broker_url})

    def stores(self) -> List[her_data_stores.StoreSpec]:
        return her_data_stores.catalogue(self.var_dir, self.tracker_store_url, self.event_broker_url)


@dataclass
class Report:
    """What went (or would go), per store and table."""

    dry_run: bool
    stores: Dict[str, Dict[str, int]] = field(default_factory=dict)
    notes: List[str] = field(default_factory=list)

    def add(self, store: str, counts: Dict[str, int]) -> None:
        merged = self.stores.setdefault(store, {})
        for table, count in counts.items():
            merged[table] = merged.get(table, 0) + count

    @property
    def total(self) -> int:
        return sum(sum(counts.values()) for counts in self.stores.values())

    def lines(self) -> List[str]:
        verb = "would remove" if self.dry_run else "removed"
        out = [f"{store}: {verb} " + (", ".join(f"{table} {count}" for table, count in sorted(counts.items()))
                                      or "nothing")
               for store, counts in self.stores.items()]
        return out + [f"note: {note}" for note in self.notes]


def _cutoff(now: datetime, days: int) -> datetime:
    return now - timedelta(days=days)


def expired_handoffs(db: Session, cutoff: datetime) -> List[str]:
    """Closed handoffs whose last history entry (the closing, or a later note) is before the cutoff."""
    last_event = func.max(HandoffEvent.created_at)
    query = (select(Handoff.id).join(HandoffEvent, HandoffEvent.handoff_id == Handoff.id)
             .where(Handoff.status.in_(CLOSED_STATUSES)).group_by(Handoff.id).having(last_event < cutoff))
    return list(db.scalars(query))


def _tables(db: Session) -> Set[str]:
    return set(inspect(db.connection()).get_table_names())


def remove_handoffs(db: Session, handoff_ids: List[str], *, delete_rows: bool) -> Dict[str, int]:
    """Handoffs with their messages and history (notes, outcomes and views follow by cascade);
    a grid report that led to one keeps its own record and loses only the link."""
    if not handoff_ids:
        return {}
    counts = {"handoffs": len(handoff_ids),
              "handoff_messages": db.scalar(select(func.count()).where(HandoffMessage.handoff_id.in_(handoff_ids))),
              "handoff_events": db.scalar(select(func.count()).where(HandoffEvent.handoff_id.in_(handoff_ids)))}
    if delete_rows:
        if "grid_reports" in _tables(db):
            from routing.grid.models import GridReport  # noqa: PLC0415 - only where grid reporting is installed

            db.execute(update(GridReport).where(GridReport.handoff_id.in_(handoff_ids)).values(handoff_id=None)
                       .execution_options(synchronize_session=False))
        db.execute(delete(HandoffMessage).where(HandoffMessage.handoff_id.in_(handoff_ids)))
        db.execute(delete(HandoffEvent).where(HandoffEvent.handoff_id.in_(handoff_ids)))
        db.execute(delete(Handoff).where(Handoff.id.in_(handoff_ids)).execution_options(synchronize_session=False))
    return {name: count for name, count in counts.items() if count}


def remove_archive(db: Session, conversation_ids: List[str], *, delete_rows: bool) -> Dict[str, int]:
    """Her conversation in the archive, and staff's NLU corrections of her messages."""
    if not conversation_ids:
        return {}
    counts = {"archived_events": db.scalar(select(func.count()).where(
        ArchivedEvent.conversation_id.in_(conversation_ids)))}
    corrections = "nlu_corrections" in _tables(db)
    if corrections:
        from routing.console.models import NluCorrection  # noqa: PLC0415

        counts["nlu_corrections"] = db.scalar(select(func.count()).where(
            NluCorrection.sender_id.in_(conversation_ids)))
    if delete_rows:
        db.execute(delete(ArchivedEvent).where(ArchivedEvent.conversation_id.in_(conversation_ids)))
        if corrections:
            db.execute(delete(NluCorrection).where(NluCorrection.sender_id.in_(conversation_ids)))
    return {name: count for name, count in counts.items() if count}


def expired_conversations(db: Session, stores: List[OpenStore], cutoff: datetime,
                          going: Sequence[str] = ()) -> List[str]:
    """Conversations idle since before the cutoff in the archive and in every store that knows
    when (Rasa's tracker store), with no handoff left in the routing database but those `going`."""
    newest: Dict[str, datetime] = {}
    for conversation_id, at in db.execute(select(ArchivedEvent.conversation_id, func.max(ArchivedEvent.at))
                                          .group_by(ArchivedEvent.conversation_id)):
        newest[conversation_id] = at if at.tzinfo else at.replace(tzinfo=timezone.utc)
    for store in stores:
        for conversation_id, seconds in store.last_activity().items():
            moment = datetime.fromtimestamp(seconds, tz=timezone.utc)
            newest[conversation_id] = max(newest.get(conversation_id, moment), moment)
    kept = select(Handoff.conversation_id).distinct()
    if going:
        kept = kept.where(Handoff.id.not_in(list(going)))
    with_handoffs = set(db.scalars(kept))
    return sorted(conversation_id for conversation_id, at in newest.items()
                  if at < cutoff and conversation_id not in with_handoffs)


def _older(db: Session, model, column, cutoff: datetime, *, delete_rows: bool) -> int:
    count = db.scalar(select(func.count()).where(column < cutoff)) or 0
    if count and delete_rows:
        db.execute(delete(model).where(column < cutoff))
    return count


def run(session_factory: Callable[[], Session], settings: Optional[RetentionSettings] = None, *,
        dry_run: bool = False, now: Optional[datetime] = None) -> Report:
    """One pass over every store. Handoffs go first, so that a conversation whose last handoff
    expired today also goes today. Each store is its own transaction."""
    settings = settings or RetentionSettings()
    now = now or datetime.now(timezone.utc)
    report = Report(dry_run=dry_run)
    stores = [OpenStore(spec) for spec in settings.stores()]
    try:
        with session_factory() as db, db.begin():
            handoff_ids = expired_handoffs(db, _cutoff(now, settings.handoff_days))
            conversations = expired_conversations(db, stores, _cutoff(now, settings.conversation_days), handoff_ids)
            report.add(ROUTING_DB, remove_handoffs(db, handoff_ids, delete_rows=not dry_run))
        with session_factory() as db, db.begin():
            report.add(ROUTING_DB, remove_archive(db, conversations, delete_rows=not dry_run))
            counts = {"login_attempts": _older(db, LoginAttempt, LoginAttempt.created_at,
                                               _cutoff(now, settings.log_days), delete_rows=not dry_run),
                      "audit_entries": _older(db, AuditEntry, AuditEntry.at, _cutoff(now, settings.audit_days),
                                              delete_rows=not dry_run)}
            report.add(ROUTING_DB, {name: count for name, count in counts.items() if count})
        cutoffs = {HANDOFF: _cutoff(now, settings.handoff_days), LOG: _cutoff(now, settings.log_days)}
        for store in stores:
            if not store.exists:
                report.add(store.spec.name, {})
                continue
            report.add(store.spec.name, store.for_conversations(conversations, delete=not dry_run))
            report.add(store.spec.name, store.older_than(cutoffs, delete=not dry_run))
    finally:
        for store in stores:
            store.close()
    report.add(LOG_FILES, log_files.prune(settings.logs, _cutoff(now, settings.log_days), delete=not dry_run))
    return report
