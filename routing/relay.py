"""Expert replies reach her on her own channel, through Rasa.

A reply is stored as `pending`; delivery posts it to Rasa's
`/conversations/{id}/trigger_intent?output_channel=latest`, which runs the
assistant's relay action on the conversation's latest channel. Failed
deliveries stay pending (the expert sees that) and are retried by the loop.
The id is escaped as one path segment, so a reply never reaches another conversation.

What happened next is the channel's to say (one owner per rule): Rasa taking the
reply only makes it `delivered` (handed to her channel); the channel that holds her chat reports the platform's
answer (`POST /api/v1/handoffs/messages/{id}/delivery`, `record_delivery`):
`accepted`, `refused` with the platform's reason, or `waiting` for her to come back
(page closed, safe exit, refused and kept for her next message). A report may come
before the relay's own update, so the relay only moves a reply that is still pending.
"""
from __future__ import annotations

import threading
from typing import Optional

import httpx
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from assistant_contract.conversation_ids import path_segment
from assistant_contract.handoffs import EXPERT_REPLY, HANDOFF_CLOSED
from routing.models import Handoff, HandoffEvent, HandoffMessage, User

SENT, ACCEPTED, REFUSED, WAITING = "delivered", "accepted", "refused", "waiting"  # delivered: Rasa took it
REPORTED_STATES = (ACCEPTED, REFUSED, WAITING)
CHANNEL_ACTOR = "channel"

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
                             {"expert_text": message.text, "expert_role": role, "expert_message_id": message.id})

    def deliver_pending(self, session: Session) -> int:
        """Try every pending message in order, per conversation, urgent handoffs' first;
        returns how many went."""
        delivered = 0
        pending = session.scalars(
            select(HandoffMessage).join(Handoff, Handoff.id == HandoffMessage.handoff_id)
            .where(HandoffMessage.delivery == "pending")
            .order_by(Handoff.urgent.desc(), HandoffMessage.id)
        ).all()
        blocked = set()
        for message in pending:
            handoff = session.get(Handoff, message.handoff_id)
            if handoff.conversation_id in blocked:
                continue  # keep her messages in order: a later one never overtakes
            author = session.get(User, message.author_id) if message.author_id else None
            if self.deliver(message, handoff, author):
                session.execute(update(HandoffMessage).where(HandoffMessage.id == message.id,
                                                             HandoffMessage.delivery == "pending")
                                .values(delivery=SENT)
                                .execution_options(synchronize_session=False))
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


def record_delivery(session: Session, message_id: int, state: str, detail: str = "") -> bool:
    """The channel's report on an expert reply; a refusal or a wait is also noted in the handoff's
    history with the platform's reason, so the expert knows the reply has not reached her yet."""
    message = session.get(HandoffMessage, message_id)
    if message is None or message.sender != "expert" or state not in REPORTED_STATES:
        return False
    before, message.delivery = message.delivery, state
    notes = {REFUSED: f"回复 #{message_id} 被平台拒收（{detail or '原因未知'}），她下次发消息时会补发。",
             WAITING: f"回复 #{message_id} 暂未送达（{detail or '她暂时不在'}），她回来时会送达。",
             ACCEPTED: f"回复 #{message_id} 已补发送达。" if before in (REFUSED, WAITING) else ""}
    if notes[state]:
        handoff = session.get(Handoff, message.handoff_id)
        session.add(HandoffEvent(handoff_id=handoff.id, from_status=None, to_status=handoff.status,
                                 actor=CHANNEL_ACTOR, note=notes[state]))
    return True
