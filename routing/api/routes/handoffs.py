"""Handoffs: the assistant opens them and adds her messages (service token); experts,
supervisors, staff and admins list, read and act on them (bearer token).

The actions are the console's: claim, reply, note, return, resolve, reassign, escalate.
Each calls the same core function as the console's form (routing/lifecycle.py,
routing/handoff_operations.py), which asks routing/authorization.py; refusals rise as
`Conflict` (409) or `Forbidden` (403) and routing/api/errors.py answers them. Nothing
here commits: the session dependency does, once (routing/api/dependencies.py).
"""
from __future__ import annotations

from typing import Annotated, List, Optional, TypeVar
from typing import Literal

from fastapi import APIRouter, BackgroundTasks, HTTPException, Query, Request, Response, status
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from routing import read_audit  # every read and export in the audit log (issue #20)
from routing import authorization, handoff_operations, handoff_queries, lifecycle, sla_policy
from routing.api.dependencies import Backend, CurrentUser, DatabaseSession, Pagination, ServiceCaller
from routing.api.pagination import next_link
from routing.api.pagination import IdPageRequest, id_page_request, next_id_link
from fastapi import Depends
from routing.api.schemas import (
    HandoffCreate, HandoffDetail, HandoffOut, HandoffState, NoteBody, NoteOut, ReassignBody, ResolveBody, TextBody,
    WithdrawBody,
    shown_to,
)
from routing.models import Handoff, User
from routing.relay import deliver_soon
from routing.relay import record_delivery

TAG = {"name": "handoffs", "description": "Open, list, read and act on handoffs: the console's actions, by API."}
router = APIRouter(prefix="/api/v1/handoffs", tags=[TAG["name"]])
Row = TypeVar("Row")


def found(db: Session, handoff_id: str, *, lock: bool = False) -> Handoff:
    handoff = handoff_queries.find(db, handoff_id=handoff_id, lock=lock)
    if handoff is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no handoff {handoff_id}")
    return handoff


def as_stored(db: Session, row: Row) -> Row:
    """The row as the commit will store it, relationships included: what the response shows."""
    db.flush()
    db.refresh(row)
    return row


def deliver_after_response(background: BackgroundTasks, backend: Backend) -> None:
    """Her answer, or the news that the bot takes over, leaves at once; the loop retries."""
    background.add_task(deliver_soon, backend.relay, backend.session_factory)


@router.post("", response_model=HandoffOut, status_code=status.HTTP_201_CREATED, dependencies=[ServiceCaller])
def open_handoff(body: HandoffCreate, db: DatabaseSession, backend: Backend) -> HandoffOut:
    """Her conversation's open handoff if it has one; otherwise a new one, due by the SLA policy."""
    request = lifecycle.NewHandoff(**body.model_dump(exclude={"transcript"}),
                                   transcript=tuple(line.model_dump() for line in body.transcript))
    policy = sla_policy.current(db, backend.settings)  # admins may change it in the console
    handoff = lifecycle.open_handoff(db, request, policy.normal_hours, policy.urgent_hours)
    return shown_to(HandoffOut, as_stored(db, handoff), None)


NEXT_PAGE = {200: {"headers": {"Link": {"description": 'the next page: `<url>; rel="next"`; absent on the last',
                                         "schema": {"type": "string"}}}}}


@router.get("", response_model=List[HandoffOut], responses=NEXT_PAGE)
def list_handoffs(user: CurrentUser, db: DatabaseSession, page: Pagination, request: Request, response: Response,
                  status_filter: Annotated[Optional[str], Query(alias="status")] = None,
                  category: Optional[str] = None, urgency: Optional[str] = None) -> List[HandoffOut]:
    """Soonest due first. More than `limit`: the `Link` header's `rel="next"` URL gives the next page."""
    filters = handoff_queries.Filters(status=status_filter, category=category, urgency=urgency)
    listed = handoff_queries.visible_page(db, viewer=user, filters=filters, limit=page.limit, after=page.after)
    if listed.next_position is not None:
        response.headers["Link"] = next_link(request, listed.next_position)
    read_audit.noted(db, user, "handoff_list", "handoffs", details=[h.id for h in listed.handoffs], commit=False)
    return [shown_to(HandoffOut, handoff, user) for handoff in listed.handoffs]


@router.get("/{handoff_id}", response_model=HandoffDetail)
def get_handoff(handoff_id: str, user: CurrentUser, db: DatabaseSession) -> HandoffDetail:
    handoff = found(db, handoff_id)
    authorization.require(user, "read", handoff)
    read_audit.noted(db, user, "handoff", handoff.id, commit=False)  # committed with the answer
    return shown_to(HandoffDetail, handoff, user)


@router.post("/{handoff_id}/messages", response_model=HandoffState, status_code=status.HTTP_201_CREATED,
             dependencies=[ServiceCaller])
def her_message(handoff_id: str, body: TextBody, db: DatabaseSession) -> HandoffState:
    handoff = found(db, handoff_id, lock=True)
    lifecycle.add_user_message(db, handoff, body.text)
    return HandoffState(status=handoff.status)


@router.post("/{handoff_id}/withdraw", response_model=HandoffState, dependencies=[ServiceCaller])
def withdraw(handoff_id: str, body: WithdrawBody, db: DatabaseSession) -> HandoffState:
    """She took her request back in the chat: closed as returned, unless it is urgent (409)."""
    handoff = found(db, handoff_id, lock=True)
    if handoff.conversation_id != body.conversation_id:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such handoff in this conversation")
    lifecycle.withdraw(db, handoff)
    return HandoffState(status=handoff.status)


@router.post("/{handoff_id}/claim", response_model=HandoffOut)
def claim(handoff_id: str, user: CurrentUser, db: DatabaseSession) -> HandoffOut:
    handoff = found(db, handoff_id, lock=True)
    lifecycle.claim(db, handoff, user)
    return shown_to(HandoffOut, as_stored(db, handoff), user)


@router.post("/{handoff_id}/reply", response_model=HandoffDetail)
def reply(handoff_id: str, body: TextBody, background: BackgroundTasks, user: CurrentUser, db: DatabaseSession,
          backend: Backend) -> HandoffDetail:
    handoff = found(db, handoff_id, lock=True)
    lifecycle.reply(db, handoff, user, body.text)
    deliver_after_response(background, backend)
    return shown_to(HandoffDetail, as_stored(db, handoff), user)


@router.post("/{handoff_id}/note", response_model=NoteOut, status_code=status.HTTP_201_CREATED)
def note(handoff_id: str, body: TextBody, user: CurrentUser, db: DatabaseSession) -> NoteOut:
    """An internal note for colleagues; she never reads it. Notes change no state, so no lock."""
    handoff = found(db, handoff_id)
    written = handoff_operations.add_note(db, handoff=handoff, author=user, text=body.text)
    return shown_to(NoteOut, as_stored(db, written), user, handoff)


@router.get("/{handoff_id}/notes", response_model=List[NoteOut], responses=NEXT_PAGE)
def notes(handoff_id: str, user: CurrentUser, db: DatabaseSession, request: Request, response: Response,
          page: Annotated[IdPageRequest, Depends(id_page_request)]) -> List[NoteOut]:
    """Whoever may read the handoff reads its notes, her words masked as everywhere else.
    Oldest first, `limit` at a time; the `Link` header's `rel="next"` URL gives the next page."""
    handoff = found(db, handoff_id)
    authorization.require(user, "read", handoff)
    after = [written for written in handoff_operations.notes_of(db, handoff=handoff)
             if page.after is None or written.id > page.after]
    if len(after) > page.limit:
        response.headers["Link"] = next_id_link(request, after[page.limit - 1].id)
    return [shown_to(NoteOut, written, user, handoff) for written in after[:page.limit]]


@router.post("/{handoff_id}/return", response_model=HandoffOut)
def return_to_bot(handoff_id: str, body: NoteBody, background: BackgroundTasks, user: CurrentUser,
                  db: DatabaseSession, backend: Backend) -> HandoffOut:
    handoff = found(db, handoff_id, lock=True)
    lifecycle.return_to_bot(db, handoff, user, body.note)
    deliver_after_response(background, backend)
    return shown_to(HandoffOut, as_stored(db, handoff), user)


@router.post("/{handoff_id}/resolve", response_model=HandoffOut)
def resolve(handoff_id: str, body: ResolveBody, background: BackgroundTasks, user: CurrentUser,
            db: DatabaseSession, backend: Backend) -> HandoffOut:
    """With an `outcome`, as the console resolves; without one, as the API always has."""
    handoff = found(db, handoff_id, lock=True)
    if body.outcome is None:
        lifecycle.resolve(db, handoff, user, body.note)
    else:
        handoff_operations.resolve_with_outcome(db, handoff=handoff, actor=user, outcome=body.outcome,
                                                note=body.note)
    deliver_after_response(background, backend)
    return shown_to(HandoffOut, as_stored(db, handoff), user)


@router.post("/{handoff_id}/reassign", response_model=HandoffOut)
def reassign(handoff_id: str, body: ReassignBody, user: CurrentUser, db: DatabaseSession) -> HandoffOut:
    """To another expert, who then claims it; experts hand over within their department."""
    handoff = found(db, handoff_id, lock=True)
    expert = db.get(User, body.expert_id)
    if expert is None:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, f"no user {body.expert_id}")
    handoff_operations.reassign(db, handoff=handoff, actor=user, expert=expert)
    return shown_to(HandoffOut, as_stored(db, handoff), user)


@router.post("/{handoff_id}/escalate", response_model=HandoffOut)
def escalate(handoff_id: str, body: NoteBody, user: CurrentUser, db: DatabaseSession) -> HandoffOut:
    """To the supervisors and her region's grassroots federation; the history names the office."""
    handoff = found(db, handoff_id, lock=True)
    handoff_operations.escalate_to_grassroots(db, handoff=handoff, actor=user, note=body.note)
    return shown_to(HandoffOut, as_stored(db, handoff), user)


class DeliveryReport(BaseModel):
    """What her channel says became of an expert's reply (connectors/delivery_reports.py)."""

    state: Literal["accepted", "refused", "waiting"]
    detail: str = Field(default="", max_length=300)


@router.post("/messages/{message_id}/delivery", status_code=status.HTTP_204_NO_CONTENT,
             dependencies=[ServiceCaller])
def delivery_report(message_id: int, body: DeliveryReport, db: DatabaseSession) -> Response:
    """Her channel's report: accepted by the platform, refused with its reason, or waiting for her."""
    if not record_delivery(db, message_id, body.state, body.detail):
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no expert reply {message_id}")
    return Response(status_code=status.HTTP_204_NO_CONTENT)
