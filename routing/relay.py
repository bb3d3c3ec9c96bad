"""Expert replies reach her on her own channel, through Rasa.

A reply is stored as `pending`; delivery posts it to Rasa's
`/conversations/{id}/trigger_intent?output_channel=latest`, which runs the
assistant's relay action on the conversation's latest channel. Failed
deliveries stay pending (the expert sees that) and are retried by the loop.
The id is escaped as one path segment, so a reply never reaches another conversation.
"""
from __future__ import annotations

import threading
from typing import Optional

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant_contract.conversation_ids import path_segment
from assistant_contract.handoffs import EXPERT_REPLY, HANDOFF_CLOSED
from routing.models import Handoff, HandoffMessage, User

_ROUND_LOCK = threading.Lock()  # delivery rounds of this process never overlap


class RasaRelay:
    def __init__(self, rasa_url: str, token: Optional[str] = None, timeout: float = 10.0) -> None:
        self._url = rasa_url.rstrip("/")
        self._params = {"output_channel": "latest", **({"token": token} if token else {})}
        self._timeout = timeout

    def _trigger(self, conversation_id: str, intent: str, entities: dict) -> bool:
        try:
            response = httpx.post(f"{self._url}/conversations/{path_segment(conversation_id)}/trigger_intent",
                                  params=self._params, json={"name": intent, "entities": entities},
                                  timeout=self._timeout)
        except httpx.HTTPError:
            return False
        return response.status_code == 200

    def deliver(self, message: HandoffMessage, handoff: Handoff, author: Optional[User]) -> bool:
        if message.sender == "system" and message.text == HANDOFF_CLOSED:
            return self._trigger(handoff.conversation_id, HANDOFF_CLOSED, {})
        role = author.title if author else "工作人员"
        return self._trigger(handoff.conversation_id, EXPERT_REPLY,
                             {"expert_text": message.text, "expert_role": role})

    def deliver_pending(self, session: Session) -> int:
        """Try every pending message in order, per conversation; returns how many went."""
        delivered = 0
        pending = session.scalars(
            select(HandoffMessage).where(HandoffMessage.delivery == "pending").order_by(HandoffMessage.id)
        ).all()
        blocked = set()
        for message in pending:
            handoff = session.get(Handoff, message.handoff_id)
            if handoff.conversation_id in blocked:
                continue  # keep her messages in order: a later one never overtakes
            author = session.get(User, message.author_id) if message.author_id else None
            if self.deliver(message, handoff, author):
                message.delivery = "delivered"
                delivered += 1
            else:
                blocked.add(handoff.conversation_id)
        return delivered


def deliver_round(relay, session_factory) -> int:
    """One delivery round in its own transaction. The reply endpoint, the console and
    the background loop all call this; without the lock, two rounds could read the
    same pending reply before either committed, and she would get it twice."""
    with _ROUND_LOCK, session_factory() as db, db.begin():
        return relay.deliver_pending(db)
