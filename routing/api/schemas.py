"""Request and response bodies.

Responses are read from the database rows (`from_attributes`) through `shown_to`, the
one place the API decides whether a viewer reads her words as written or masked
(routing/authorization.py decides who may, routing/masking.py masks). Without that
decision in the validation context, text is masked: a mistake hides her data rather
than showing it.
"""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, List, Optional, Type, TypeVar

from pydantic import AfterValidator, AliasChoices, AliasPath, BaseModel, ConfigDict, Field, ValidationInfo
from pydantic import field_validator
from pydantic import model_validator

from assistant_contract import conversation_ids, handoff_request
from assistant_contract.areas import AREAS
from assistant_contract.handoff_request import LIMITS
from routing.authorization import may_see_personal_data
from routing.handoff_operations import OUTCOMES
from routing.masking import mask
from routing.models import Handoff, User

MAX_TEXT = 4000
HER_WORDS = ("user", "expert")  # message senders whose text may carry her personal data (as in the console)
PERSONAL_DATA = "personal_data"  # validation context: may this viewer read her words as written?


def _conversation_id(value: str) -> str:
    """One plain URL path segment (assistant_contract.conversation_ids); else a 422."""
    problem = conversation_ids.problem(value)
    if problem:
        raise ValueError(f"conversation_id {problem}")
    return value


ConversationId = Annotated[str, Field(min_length=1, max_length=conversation_ids.MAX_LENGTH),
                           AfterValidator(_conversation_id)]
OUTCOME_PATTERN = "^(" + "|".join(OUTCOMES) + ")$"
Shown = TypeVar("Shown", bound=BaseModel)


def shown_to(schema: Type[Shown], row: Any, viewer: Optional[User], handoff: Optional[Handoff] = None) -> Shown:
    """`row` as `schema`, her words masked unless this viewer may read them on `handoff`
    (the row itself when it is a handoff). `viewer` None: the action server, which sent them."""
    allowed = viewer is None or may_see_personal_data(viewer, row if handoff is None else handoff)
    return schema.model_validate(row, context={PERSONAL_DATA: allowed})


def _shown(text: Optional[str], info: ValidationInfo) -> Optional[str]:
    if text is None:
        return None
    return text if (info.context or {}).get(PERSONAL_DATA) else mask(text)


HerWords = Annotated[str, AfterValidator(_shown)]
MaybeHerWords = Annotated[Optional[str], AfterValidator(_shown)]


class TokenRequest(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=200)


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"


class TranscriptLine(BaseModel):
    role: str = Field(pattern="^(" + "|".join(handoff_request.TRANSCRIPT_ROLES) + ")$")
    text: str = Field(max_length=handoff_request.TRANSCRIPT_LINE_MAX_CHARS)


class HandoffCreate(BaseModel):
    """The limits are the contract's (assistant_contract.handoff_request), which the sender cuts to."""

    conversation_id: ConversationId
    channel: Optional[str] = Field(default=None, max_length=LIMITS["channel"])
    category: Optional[str] = Field(default=None, pattern="^(" + "|".join(AREAS) + ")$")
    intent: Optional[str] = Field(default=None, max_length=LIMITS["intent"])
    urgent: bool = False
    summary: str = Field(default="", max_length=LIMITS["summary"])
    transcript: List[TranscriptLine] = Field(default_factory=list, max_length=handoff_request.TRANSCRIPT_MAX_LINES)
    region: Optional[str] = Field(default=None, max_length=LIMITS["region"])
    contact: Optional[str] = Field(default=None, max_length=LIMITS["contact"])
    contact_consented_at: Optional[datetime] = None  # when she agreed to give it; without it no contact is kept

    @model_validator(mode="after")
    def _contact_only_with_consent(self) -> "HandoffCreate":
        if self.contact_consented_at is None:
            self.contact = None  # a contact she never agreed to give is not stored (issue #20)
        return self


class TextBody(BaseModel):
    text: str = Field(min_length=1, max_length=MAX_TEXT)


class WithdrawBody(BaseModel):
    conversation_id: ConversationId  # hers: the action server may withdraw only the handoff of the conversation it speaks for


class ContinueBody(BaseModel):
    """The continuation code she typed (any spelling `assistant_contract.continuation` reads) and
    the channel of the conversation it is sent from."""
    code: str = Field(min_length=1, max_length=40)
    channel: str = Field(min_length=1, max_length=LIMITS["channel"])


class ContinuationCodeOut(BaseModel):
    code: str
    expires_at: datetime
    handoff_id: str


class NoteBody(BaseModel):
    note: str = Field(default="", max_length=MAX_TEXT)


class ResolveBody(NoteBody):
    """Without an outcome, as before; with one, as the console resolves (it counts on the dashboard)."""

    outcome: Optional[str] = Field(default=None, pattern=OUTCOME_PATTERN)


class ReassignBody(BaseModel):
    expert_id: int = Field(gt=0, lt=2**31)


class FromRow(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class MessageOut(FromRow):
    sender: str
    text: str
    delivery: str
    created_at: datetime

    @field_validator("text")
    @classmethod
    def _her_words_shown(cls, text: str, info: ValidationInfo) -> str:
        return _shown(text, info) if info.data.get("sender") in HER_WORDS else text


class EventOut(FromRow):
    from_status: Optional[str]
    to_status: str
    actor: str
    note: MaybeHerWords
    created_at: datetime


class NoteOut(FromRow):
    """An internal note: colleagues read it, she never does. The author by her title, as for holders."""

    id: int
    author: str = Field(validation_alias=AliasChoices(AliasPath("author", "title"), "author"))
    text: HerWords
    created_at: datetime


_DEPARTMENT = Field(default=None, validation_alias=AliasChoices(AliasPath("department", "name"), "department"))
# the role/title of who holds it, never personal details
_HOLDER = Field(default=None, validation_alias=AliasChoices(AliasPath("assignee", "title"), "holder"))


class HandoffOut(FromRow):
    id: str
    conversation_id: str
    channel: Optional[str]
    category: Optional[str]
    intent: Optional[str]
    urgent: bool
    summary: HerWords
    region: Optional[str]
    status: str
    department: Optional[str] = _DEPARTMENT
    holder: Optional[str] = _HOLDER
    created_at: datetime
    due_at: datetime


class ConversationStatus(FromRow):
    """What the action server needs to tell her where her request stands: no summary,
    contact, region or messages, so the service token never reads her words."""

    id: str
    conversation_id: str
    channel: Optional[str]
    category: Optional[str]
    intent: Optional[str]
    urgent: bool
    status: str
    department: Optional[str] = _DEPARTMENT
    holder: Optional[str] = _HOLDER
    created_at: datetime
    due_at: datetime


class HandoffDetail(HandoffOut):
    contact: MaybeHerWords
    messages: List[MessageOut]
    history: List[EventOut] = Field(validation_alias=AliasChoices("events", "history"))


class Health(BaseModel):
    status: str = "ok"


class HandoffState(BaseModel):
    """Her message was kept; where the handoff stands now."""

    status: str


class ConversationTranscript(BaseModel):
    conversation_id: str
    handoffs: List[HandoffDetail]


class OfficeOut(FromRow):
    id: str
    name: str
    level: str
    region: str
    address: Optional[str]
    phone: Optional[str]
    hours: Optional[str]
    latitude: Optional[float]
    longitude: Optional[float]
    sample: bool
    distance_km: Optional[float] = None

    @field_validator("sample", mode="before")
    @classmethod
    def _never_none(cls, sample: Optional[bool]) -> bool:
        return bool(sample)
