"""The action server's metrics (GET /metrics) and readiness (GET /healthz), and the request id
of the message being handled.

Counted as they happen (actions/server.py middleware): action calls by action and outcome
with their latency; her messages (each distinct message Rasa asks actions about); crisis
replies. Read at each scrape: what waits in the local outboxes for the routing backend
(requests, her messages, grid reports), straight from their SQLite files, read only.

The request id: the caller's `X-Request-ID` when it sends one, else the one her channel put
in the message's metadata (`request_id`), else Rasa's id of her message. It is set for every
log line of the call and sent on to the routing backend (actions/routing_client.py).
"""
from __future__ import annotations

import sqlite3
from collections import OrderedDict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Tuple

from assistant_contract.json_logs import request_id_from
from assistant_contract.metrics_text import Counter, Histogram, Registry

CRISIS_ACTION = "action_crisis_response"
SEEN_MESSAGES = 2048  # message ids remembered, so that each of her messages counts once
OUTBOX_QUERIES = {  # (file name, kind) → rows still waiting
    ("handoff_requests.db", "requests"): "SELECT COUNT(*), MIN(created_at) FROM handoff_requests "
                                         "WHERE delivered_as IS NULL AND refused_status IS NULL",
    ("handoff_requests.db", "messages"): "SELECT COUNT(*), NULL FROM forwarded_messages "
                                         "WHERE delivered = 0 AND refused_status IS NULL",
    ("grid_reports.db", "grid_reports"): "SELECT COUNT(*), MIN(kept_at) FROM grid_reports_waiting "
                                         "WHERE number IS NULL AND refused_status IS NULL",
}


def outbox_backlog(outbox_path: Path) -> Dict[str, Tuple[int, Optional[str]]]:
    """Per kind, how many wait and since when (ISO time of the oldest, if known). A file not made
    yet holds nothing; the files are opened read only, never created."""
    found: Dict[str, Tuple[int, Optional[str]]] = {}
    for (name, kind), sql in OUTBOX_QUERIES.items():
        path = Path(outbox_path).with_name(name)
        if not path.exists():
            found[kind] = (0, None)
            continue
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        try:
            count, oldest = connection.execute(sql).fetchone()
        except sqlite3.OperationalError:  # the table is made on first use
            count, oldest = 0, None
        finally:
            connection.close()
        found[kind] = (int(count or 0), oldest)
    return found


def oldest_seconds(backlog: Dict[str, Tuple[int, Optional[str]]], now: Optional[datetime] = None) -> int:
    now = now or datetime.now(timezone.utc)
    ages = []
    for _, oldest in backlog.values():
        if oldest:
            moment = datetime.fromisoformat(oldest.replace("Z", "+00:00"))
            ages.append((now - (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc))).total_seconds())
    return int(max(ages)) if ages else 0


def call_details(body: Any) -> Tuple[str, Optional[str], Optional[str]]:
    """(action name, her message's id, the request id her channel gave it) from Rasa's call."""
    if not isinstance(body, Mapping):
        return "unknown", None, None
    latest = (body.get("tracker") or {}).get("latest_message") or {}
    metadata = latest.get("metadata") if isinstance(latest.get("metadata"), Mapping) else {}
    message_id = latest.get("message_id") if isinstance(latest.get("message_id"), str) else None
    given = metadata.get("request_id") if isinstance(metadata.get("request_id"), str) else None
    action = body.get("next_action") if isinstance(body.get("next_action"), str) else "unknown"
    return action, message_id, given


def request_id_for(header: Optional[str], body: Any) -> str:
    if header:
        return request_id_from(header)
    _, message_id, given = call_details(body)
    return request_id_from(given or message_id)


class ActionMetrics:
    def __init__(self, outbox_path: Path) -> None:
        self._outbox_path = Path(outbox_path)
        self._seen: "OrderedDict[str, None]" = OrderedDict()
        self.registry = Registry()
        self.calls: Counter = self.registry.counter(
            "assistant_action_calls_total", "Action calls from Rasa, by action and outcome", ("action", "outcome"))
        self.latency: Histogram = self.registry.histogram(
            "assistant_action_seconds", "Time to run an action, by action", ("action",))
        self.messages: Counter = self.registry.counter(
            "assistant_messages_total", "Her messages the actions answered (each counted once)")
        self.crisis_replies: Counter = self.registry.counter(
            "assistant_crisis_replies_total", "Crisis replies sent (action_crisis_response runs)")
        self.routing_failures: Counter = self.registry.counter(
            "assistant_routing_failures_total", "Calls to the routing backend that failed, by kind "
            "(unavailable: kept in the outbox and retried; refused)", ("kind",))
        self.registry.gauge("assistant_outbox_waiting", "Kept in the local outbox for the routing backend, by kind",
                            ("kind",), read=self._backlog)

    def _backlog(self) -> List[Tuple[Dict[str, str], float]]:
        return [({"kind": kind}, count) for kind, (count, _) in outbox_backlog(self._outbox_path).items()]

    def action_called(self, body: Any, status: int, seconds: float) -> None:
        action, message_id, _ = call_details(body)
        self.calls.inc(action=action, outcome="ok" if status < 400 else "error")
        self.latency.observe(seconds, action=action)
        if action == CRISIS_ACTION and status < 400:
            self.crisis_replies.inc()
        if message_id and message_id not in self._seen:
            self._seen[message_id] = None
            if len(self._seen) > SEEN_MESSAGES:
                self._seen.popitem(last=False)
            self.messages.inc()


_current: Optional[ActionMetrics] = None


def install(metrics: ActionMetrics) -> ActionMetrics:
    """The process's metrics, for code that counts without being handed them (the routing client)."""
    global _current
    _current = metrics
    return metrics


def routing_failed(kind: str) -> None:
    if _current is not None:
        _current.routing_failures.inc(kind=kind)
