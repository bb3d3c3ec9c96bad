"""The routing backend's metrics, served at GET /metrics (Prometheus text format).

Counted as they happen: requests by method, route template and status, with their latency
(routing/api/middleware.py); background job rounds by job and outcome (routing/scheduler.py).
Read from the database at each scrape: handoffs by state (and how many open ones are
urgent), expert replies by delivery state (the backlog is `pending`; `refused` and `waiting`
are what the platforms did not take), her messages and the experts' in handoffs.
"""
from __future__ import annotations

from typing import Callable, Dict, Iterable, Tuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant_contract.handoffs import OPEN_STATUSES, STATUSES
from assistant_contract.metrics_text import Counter, Histogram, Registry
from routing.models import Handoff, HandoffMessage

Reading = Iterable[Tuple[Dict[str, str], float]]
DELIVERY_STATES = ("pending", "delivered", "accepted", "refused", "waiting", "failed")


class BackendMetrics:
    """One per application (tests build their own): counters in memory, gauges from the database."""

    def __init__(self, session_factory: Callable[[], Session]) -> None:
        self._sessions = session_factory
        self.registry = Registry()
        self.requests: Counter = self.registry.counter(
            "routing_http_requests_total", "HTTP requests answered, by method, route template and status",
            ("method", "route", "status"))
        self.latency: Histogram = self.registry.histogram(
            "routing_http_request_seconds", "Time to answer, by method and route template", ("method", "route"))
        self.jobs: Counter = self.registry.counter(
            "routing_job_runs_total", "Background job rounds, by job and outcome (done, skipped: another replica "
            "held the lock, failed)", ("job", "outcome"))
        self.job_seconds: Histogram = self.registry.histogram(
            "routing_job_seconds", "Duration of background job rounds", ("job",))
        self.registry.gauge("routing_handoffs", "Handoffs by state", ("state",), read=self._handoffs_by_state)
        self.registry.gauge("routing_open_urgent_handoffs", "Open handoffs marked urgent (after danger)",
                            read=self._open_urgent)
        self.registry.gauge("routing_replies", "Expert replies and system messages by delivery state "
                            "(pending = the delivery backlog; refused, waiting = not taken by her platform)",
                            ("delivery",), read=self._replies_by_delivery)
        self.registry.gauge("routing_handoff_messages", "Messages in handoffs, by who wrote them", ("sender",),
                            read=self._messages_by_sender)

    def _grouped(self, column, where=None) -> Dict[str, int]:
        with self._sessions() as db:
            query = select(column, func.count()).group_by(column)
            if where is not None:
                query = query.where(where)
            return {str(key): int(count) for key, count in db.execute(query)}

    def _handoffs_by_state(self) -> Reading:
        counts = self._grouped(Handoff.status)
        return [({"state": state}, counts.get(state, 0)) for state in STATUSES]

    def _open_urgent(self) -> Reading:
        with self._sessions() as db:
            count = db.scalar(select(func.count()).where(Handoff.urgent.is_(True), Handoff.status.in_(OPEN_STATUSES)))
        return [({}, count or 0)]

    def _replies_by_delivery(self) -> Reading:
        counts = self._grouped(HandoffMessage.delivery, HandoffMessage.delivery != "none")
        return [({"delivery": state}, counts.get(state, 0)) for state in sorted(set(DELIVERY_STATES) | set(counts))]

    def _messages_by_sender(self) -> Reading:
        return [({"sender": sender}, count) for sender, count in sorted(self._grouped(HandoffMessage.sender).items())]

    def delivery_backlog(self) -> int:
        with self._sessions() as db:
            return db.scalar(select(func.count()).where(HandoffMessage.delivery == "pending")) or 0
