"""Nothing lost: requests go to the routing backend, or wait in a local outbox.

When the backend is down, the request is written to the local SQLite store and
she is told it is recorded; every later call first tries to deliver what waits.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Optional

from actions.handoff_store import HandoffRecord, HandoffRequest, SQLiteHandoffStore
from actions.routing_client import RoutingClient, RoutingUnavailable


class OutboxHandoffStore:
    def __init__(self, client: RoutingClient, outbox: SQLiteHandoffStore) -> None:
        self._client = client
        self._outbox = outbox

    def flush(self) -> int:
        """Deliver waiting requests in order; stop at the first failure. Returns how many went."""
        delivered = 0
        for local_id, request in self._outbox.pending():
            try:
                record = self._client.open_handoff(request)
            except RoutingUnavailable:
                break
            self._outbox.mark_delivered(local_id, record.id)
            delivered += 1
        return delivered

    def open_request(self, request: HandoffRequest) -> HandoffRecord:
        self.flush()
        try:
            return self._client.open_handoff(request)
        except RoutingUnavailable:
            return replace(self._outbox.open_request(request), delivered=False)

    def latest_for(self, conversation_id: str) -> Optional[HandoffRecord]:
        self.flush()
        local = self._outbox.latest_for(conversation_id)
        if local is not None and not local.delivered:
            return local
        try:
            return self._client.latest_for(conversation_id)
        except RoutingUnavailable:
            return local
