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
        """Deliver waiting requests, then waiting messages, in order; stop at the
        first failure. Returns how many went."""
        delivered = 0
        remote_ids = {}
        for local_id, request in self._outbox.pending():
            try:
                record = self._client.open_handoff(request)
            except RoutingUnavailable:
                return delivered
            self._outbox.mark_delivered(local_id, record.id)
            remote_ids[local_id] = record.id
            delivered += 1
        for message_id, conversation_id, handoff_id, text in self._outbox.pending_messages():
            target = remote_ids.get(handoff_id) or self._remote_id(conversation_id, handoff_id)
            try:
                self._client.forward_message(target, text)
            except RoutingUnavailable:
                return delivered
            self._outbox.mark_message_delivered(message_id)
            delivered += 1
        return delivered

    def _remote_id(self, conversation_id: str, handoff_id: str) -> str:
        """A message queued against a request that itself waited in the outbox."""
        latest = self._client.latest_for(conversation_id)
        return latest.id if latest is not None else handoff_id

    def forward_message(self, conversation_id: str, handoff_id: str, text: str) -> bool:
        """Her message for the expert; False when it had to wait in the outbox."""
        self.flush()
        try:
            self._client.forward_message(handoff_id, text)
            return True
        except RoutingUnavailable:
            self._outbox.queue_message(conversation_id, handoff_id, text)
            return False

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
