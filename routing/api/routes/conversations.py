"""A conversation's handoffs: the whole transcript for colleagues, where it stands for the assistant."""
from __future__ import annotations

from typing import Annotated

from assistant_contract import conversation_ids
from fastapi import APIRouter, BackgroundTasks, HTTPException, Path, status
from fastapi.responses import JSONResponse

from routing import read_audit  # every read and export in the audit log (issue #20)
from routing import authorization, continuation, handoff_queries
from routing.api.dependencies import Backend, CurrentUser, DatabaseSession, ServiceCaller
from routing.api.schemas import (
    ContinuationCodeOut, ContinueBody, ConversationStatus, ConversationTranscript, HandoffDetail, shown_to,
)
from routing.relay import deliver_soon

# Her conversation as the assistant names it (assistant_contract.conversation_ids): a code is
# made for, and moves a request to, only a well-formed id.
HerConversation = Annotated[str, Path(min_length=1, max_length=conversation_ids.MAX_LENGTH)]

TAG = {"name": "conversations", "description": "Her conversation's handoffs: transcript (people); status and continuation codes (service token)."}
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


@router.post("/{conversation_id}/continuation-code", response_model=ContinuationCodeOut,
             status_code=status.HTTP_201_CREATED, dependencies=[ServiceCaller])
def continuation_code(conversation_id: HerConversation, db: DatabaseSession) -> ContinuationCodeOut:
    """A code that moves her latest request to the conversation it is sent from (routing/continuation.py)."""
    try:
        issued = continuation.issue(db, conversation_id)
    except continuation.NoRequest:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no handoff for this conversation") from None
    return ContinuationCodeOut(code=issued.code, expires_at=issued.expires_at, handoff_id=issued.handoff_id)


@router.post("/{conversation_id}/continue", response_model=ConversationStatus, dependencies=[ServiceCaller],
             responses={404: {"description": "unknown, used or expired code"},
                        429: {"description": "too many wrong codes lately"}})
def continue_here(conversation_id: HerConversation, body: ContinueBody, db: DatabaseSession, backend: Backend,
                  background: BackgroundTasks):
    """Her request moves to this conversation; replies she has not seen leave for it at once.
    A wrong code is answered, not raised, so that the session commits its count."""
    settings = backend.settings
    try:
        moved = continuation.take(db, body.code, body.channel, conversation_id,
                                  max_wrong=settings.continuation_max_wrong_codes,
                                  window_minutes=settings.continuation_window_minutes)
    except continuation.TooManyWrongCodes:
        return JSONResponse({"detail": "too many wrong continuation codes lately; try again later"},
                            status_code=status.HTTP_429_TOO_MANY_REQUESTS)
    except continuation.CodeRefused:
        return JSONResponse({"detail": "unknown, used or expired continuation code"},
                            status_code=status.HTTP_404_NOT_FOUND)
    if moved.resent:
        background.add_task(deliver_soon, backend.relay, backend.session_factory)
    return shown_to(ConversationStatus, moved.handoff, None)
