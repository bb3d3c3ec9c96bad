"""Every store outside the routing database that keeps something of her, as one catalogue.

Retention (routing/retention.py) and erasure (routing/erase.py) read this catalogue
instead of each knowing the files: a new store is added here once, and both see it.

Where each lives (defaults of `make run`, all on the host that runs the services):

| store | file | written by | what of her |
|---|---|---|---|
| rasa-tracker | var/tracker.db (endpoints.yml `tracker_store`) | Rasa | every event of her conversation |
| rasa-event-broker | var/events.db (endpoints.yml `event_broker`) | Rasa | the same events, for the archive |
| action-outbox | var/handoff_requests.db | action server | requests and messages waiting for the backend |
| grid-outbox | var/grid_reports.db | action server | grid reports waiting for the backend |
| telegram | var/telegram.db | Rasa (Telegram channel) | message ids, quiet chats, undelivered messages |
| wechat | var/wechat.db | Rasa (WeChat channel) | numbered options, replies to retries, undelivered messages |
| safe-exit | var/safe_exit.db | Rasa (channels) | her safe-exit code word |
| webchat | var/webchat.db | Rasa (web chat) | experts' replies waiting for her to come back, quiet sessions after safe exit |

The web chat's session is a signed cookie and her words are in Rasa's tracker store; its
own file keeps only replies waiting for her and the quiet mark after a safe exit. The stores are reached through their database URL (SQLite file or
PostgreSQL for the tracker store), with the routing backend's own SQLAlchemy: when Rasa
runs on another host, run `python -m routing erase|retention` there with
`ROUTING_RETENTION_VAR_DIR` / `ROUTING_RETENTION_TRACKER_STORE_URL` pointing at its files.
A missing file is a store that was never used: nothing to count, nothing created.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence

from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.pool import NullPool

CONVERSATION, HANDOFF, LOG = "conversation", "handoff", "log"
EPOCH, ISO = "epoch", "iso"
CHUNK = 500  # ids per IN (…) list


@dataclass(frozen=True)
class TableRule:
    """How one table holds her: `person` names her conversation id, `time` when the row was
    made; `kind` says which retention setting prunes rows by `time`; `settled` limits
    time-based pruning to rows whose work is done (an outbox row still waiting is kept)."""

    table: str
    person: Optional[str]
    time: Optional[str] = None
    clock: str = EPOCH
    kind: str = CONVERSATION
    settled: str = ""


@dataclass(frozen=True)
class StoreSpec:
    name: str
    url: str
    tables: Sequence[TableRule]
    conversation_wide: bool = False  # rows of a conversation go together, only when the whole conversation expires


def _sqlite(path: Path) -> str:
    return f"sqlite:///{path}"


def catalogue(var_dir: Path, tracker_store_url: str = "", event_broker_url: str = "") -> List[StoreSpec]:
    var_dir = Path(var_dir)
    return [
        StoreSpec("rasa-tracker", tracker_store_url or _sqlite(var_dir / "tracker.db"),
                  (TableRule("events", "sender_id", "timestamp"),), conversation_wide=True),
        StoreSpec("rasa-event-broker", event_broker_url or _sqlite(var_dir / "events.db"),
                  (TableRule("events", "sender_id"),), conversation_wide=True),
        StoreSpec("action-outbox", _sqlite(var_dir / "handoff_requests.db"), (
            TableRule("handoff_requests", "conversation_id", "created_at", ISO, HANDOFF,
                      settled="delivered_as IS NOT NULL OR refused_status IS NOT NULL"),
            TableRule("forwarded_messages", "conversation_id"),
        )),
        StoreSpec("grid-outbox", _sqlite(var_dir / "grid_reports.db"), (
            TableRule("grid_reports_waiting", "conversation_id", "kept_at", ISO, HANDOFF,
                      settled="number IS NOT NULL OR refused_status IS NOT NULL"),
        )),
        StoreSpec("telegram", _sqlite(var_dir / "telegram.db"), (
            TableRule("chat_messages", "chat_id"),
            TableRule("quiet_chats", "chat_id"),
            TableRule("undelivered", "chat_id", "created_at", EPOCH, LOG),
            TableRule("processed", None, "seen_at", EPOCH, LOG),
            TableRule("callback_payloads", None, "created_at", EPOCH, LOG),
        )),
        StoreSpec("wechat", _sqlite(var_dir / "wechat.db"), (
            TableRule("wechat_options", "openid"),
            TableRule("undelivered", "recipient", "created_at", EPOCH, LOG),
            TableRule("wechat_seen", None, "seen_at", EPOCH, LOG),
        )),
        StoreSpec("safe-exit", _sqlite(var_dir / "safe_exit.db"), (TableRule("code_words", "conversation_id"),)),
        StoreSpec("webchat", _sqlite(var_dir / "webchat.db"), (
            TableRule("webchat_waiting", "session_id", "created_at", EPOCH, HANDOFF),
            TableRule("webchat_quiet", "session_id"),
        )),
    ]


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]


def _cutoff_value(rule: TableRule, cutoff: datetime):
    return cutoff.timestamp() if rule.clock == EPOCH else cutoff.isoformat()


class OpenStore:
    """One store, opened for one job. SQLite files are opened without creating them."""

    def __init__(self, spec: StoreSpec) -> None:
        self.spec = spec
        self._engine: Optional[Engine] = None
        self._tables: Optional[set] = None

    @property
    def exists(self) -> bool:
        url = self.spec.url
        return not url.startswith("sqlite:///") or Path(url.removeprefix("sqlite:///")).exists()

    def _connect(self) -> Engine:
        if self._engine is None:
            self._engine = create_engine(self.spec.url, poolclass=NullPool)
        return self._engine

    def rules(self) -> List[TableRule]:
        """The catalogue's tables that this store really has (a channel never used has none)."""
        if not self.exists:
            return []
        if self._tables is None:
            self._tables = set(inspect(self._connect()).get_table_names())
        return [rule for rule in self.spec.tables if rule.table in self._tables]

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()

    # -- whole conversations --------------------------------------------------
    def last_activity(self) -> Dict[str, float]:
        """Per conversation, the time of its newest row (epoch seconds), for stores whose rows
        carry one (Rasa's tracker store): a conversation may be idle here and nowhere else."""
        found: Dict[str, float] = {}
        for rule in self.rules():
            if rule.person and rule.time and rule.kind == CONVERSATION and rule.clock == EPOCH:
                with self._connect().connect() as connection:
                    rows = connection.execute(text(
                        f"SELECT {rule.person}, MAX({rule.time}) FROM {rule.table} GROUP BY {rule.person}"))
                    for person, newest in rows:
                        if person is not None and newest is not None:
                            found[str(person)] = max(found.get(str(person), 0.0), float(newest))
        return found

    def for_conversations(self, conversation_ids: Sequence[str], *, delete: bool) -> Dict[str, int]:
        """Rows of these conversations, per table: counted, and deleted unless a dry run."""
        counts: Dict[str, int] = {}
        ids = list(dict.fromkeys(str(item) for item in conversation_ids))
        if not ids:
            return counts
        with self._connect().begin() as connection:
            for rule in self.rules():
                if not rule.person:
                    continue
                total = 0
                for chunk in _chunks(ids):
                    names = {f"c{number}": value for number, value in enumerate(chunk)}
                    where = f"{rule.person} IN ({', '.join(':' + name for name in names)})"
                    if delete:
                        total += connection.execute(text(f"DELETE FROM {rule.table} WHERE {where}"), names).rowcount
                    else:
                        total += connection.execute(
                            text(f"SELECT COUNT(*) FROM {rule.table} WHERE {where}"), names).scalar_one()
                if total:
                    counts[rule.table] = total
        return counts

    # -- rows with their own time --------------------------------------------
    def older_than(self, cutoffs: Dict[str, datetime], *, delete: bool) -> Dict[str, int]:
        """Rows whose own time is before their kind's cutoff (handoff and log kinds; a
        conversation's rows go only with the whole conversation)."""
        counts: Dict[str, int] = {}
        with self._connect().begin() as connection:
            for rule in self.rules():
                if not rule.time or rule.kind == CONVERSATION or rule.kind not in cutoffs:
                    continue
                where = f"{rule.time} < :cutoff" + (f" AND ({rule.settled})" if rule.settled else "")
                values = {"cutoff": _cutoff_value(rule, cutoffs[rule.kind])}
                if delete:
                    total = connection.execute(text(f"DELETE FROM {rule.table} WHERE {where}"), values).rowcount
                else:
                    total = connection.execute(text(f"SELECT COUNT(*) FROM {rule.table} WHERE {where}"),
                                               values).scalar_one()
                if total:
                    counts[rule.table] = total
        return counts
