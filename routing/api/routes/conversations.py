"""A conversation's handoffs: the whole transcript for colleagues, where it stands for the assistant."""
from __future__ import annotations

from fastapi import APIRouter, HTTPException, status

from routing import read_audit  # every read and export in the audit log (issue #20)
from routing import authorization, handoff_queries
from routing.api.dependencies import CurrentUser, DatabaseSession, ServiceCaller
from routing.api.schemas import ConversationStatus, ConversationTranscript, HandoffDetail, shown_to

TAG = {"name": "conversations", "description": "Her conversation's handoffs: transcript (people), status (service token)."}
router = APIRouter(prefix="/api/v1/conversations", tags=[TAG["name"]])


@router.get("/{conversation_id}/transcript", response_model=ConversationTranscript)
def transcript(conversation_id: str, user: CurrentUser, db: DatabaseSession) -> ConversationTranscript:
    handoffs = [handoff for handoff in handoff_queries.of_conversation(db, conversation_id=conversation_id)
                if authorization.permits(user, "transcript", handoff)]
    if not handoffs:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no visible handoff for conversation {conversation_id}")
    read_audit.noted(db, user, "transcript", conversation_id, commit=False)  # committed with the answer
    return ConversationTranscript(conversation_id=conversation_id,
                                  handoffs=[shown_to(HandoffDetail, handoff, user) for handoff in handoffs])


@router.get("/{conversation_id}/status", response_model=ConversationStatus, dependencies=[ServiceCaller])
def latest_status(conversation_id: str, db: DatabaseSession) -> ConversationStatus:
    handoff = handoff_queries.latest_of_conversation(db, conversation_id=conversation_id)
    if handoff is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no handoff for this conversation")
    return shown_to(ConversationStatus, handoff, None)
