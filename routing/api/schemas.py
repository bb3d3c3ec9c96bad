"""Request and response bodies."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, List, Optional

from pydantic import AfterValidator, BaseModel, Field

from routing import conversation_ids

MAX_TEXT = 4000
# One plain URL path segment: see routing/conversation_ids.py.
ConversationId = Annotated[str, Field(min_length=1, max_length=conversation_ids.MAX_LENGTH),
                           AfterValidator(conversation_ids.checked)]


class TokenRequest(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=200)


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"


class TranscriptLine(BaseModel):
    role: str = Field(pattern="^(user|bot)$")
    text: str = Field(max_length=MAX_TEXT * 5)


class HandoffCreate(BaseModel):
    conversation_id: ConversationId
    channel: Optional[str] = Field(default=None, max_length=50)
    category: Optional[str] = Field(default=None, pattern="^(entrepreneurship|legal|family_education|care)$")
    intent: Optional[str] = Field(default=None, max_length=64)
    urgent: bool = False
    summary: str = Field(default="", max_length=2000)
    transcript: List[TranscriptLine] = Field(default_factory=list, max_length=100)
    region: Optional[str] = Field(default=None, max_length=100)
    contact: Optional[str] = Field(default=None, max_length=200)


class TextBody(BaseModel):
    text: str = Field(min_length=1, max_length=MAX_TEXT)


class NoteBody(BaseModel):
    note: str = Field(default="", max_length=MAX_TEXT)


class MessageOut(BaseModel):
    sender: str
    text: str
    delivery: str
    created_at: datetime


class EventOut(BaseModel):
    from_status: Optional[str]
    to_status: str
    actor: str
    note: Optional[str]
    created_at: datetime


class HandoffOut(BaseModel):
    id: str
    conversation_id: str
    channel: Optional[str]
    category: Optional[str]
    intent: Optional[str]
    urgent: bool
    summary: str
    region: Optional[str]
    status: str
    department: Optional[str]
    holder: Optional[str]  # the role/title of who holds it, never personal details
    created_at: datetime
    due_at: datetime


class ConversationStatus(BaseModel):
    """What the action server needs to tell her where her request stands: no summary,
    contact, region or messages, so the service token never reads her words."""

    id: str
    conversation_id: str
    channel: Optional[str]
    category: Optional[str]
    intent: Optional[str]
    urgent: bool
    status: str
    department: Optional[str]
    holder: Optional[str]
    created_at: datetime
    due_at: datetime


class HandoffDetail(HandoffOut):
    contact: Optional[str]
    messages: List[MessageOut]
    history: List[EventOut]
