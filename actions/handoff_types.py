"""What a request for a person is, in one place that imports nothing else of actions:
the actions, the local outbox and the routing client all speak about these two,
so none of them has to import another to learn the shape."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Dict, List, Optional

RECEIVED = "received"


@dataclass(frozen=True)
class HandoffRequest:
    conversation_id: str
    channel: Optional[str]
    category: Optional[str]
    intent: Optional[str]
    urgent: bool
    summary: str
    transcript: List[Dict[str, str]] = field(default_factory=list)
    region: Optional[str] = None  # 广东省佛山市顺德区: escalation reaches her local federation
    contact: Optional[str] = None  # only with contact_consented_at (actions/contact_consent.py)
    contact_consented_at: Optional[str] = None  # when she said yes to the consent question, ISO 8601 UTC


@dataclass(frozen=True)
class HandoffRecord:
    id: str
    conversation_id: str
    channel: Optional[str]
    category: Optional[str]
    intent: Optional[str]
    urgent: bool
    summary: str
    status: str
    created_at: datetime
    due_at: datetime
    holder: Optional[str] = None  # role of the person holding it, e.g. 律师
    delivered: bool = True  # False while it waits in the outbox for the routing backend


@dataclass(frozen=True)
class IssuedCode:
    """A continuation code for her request (assistant_contract.continuation), canonical form."""
    code: str
    expires_at: datetime
    handoff_id: str


def new_record(request: HandoffRequest, normal_hours: int, urgent_hours: int) -> HandoffRecord:
    """A just-received record with its promised reply time, for stores that keep
    requests themselves (the local outbox, the test fake) rather than the backend."""
    created = datetime.now(timezone.utc)
    hours = urgent_hours if request.urgent else normal_hours
    return HandoffRecord(
        id=uuid.uuid4().hex[:12],
        conversation_id=request.conversation_id,
        channel=request.channel,
        category=request.category,
        intent=request.intent,
        urgent=request.urgent,
        summary=request.summary,
        status=RECEIVED,
        created_at=created,
        due_at=created + timedelta(hours=hours),
    )
