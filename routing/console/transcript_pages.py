"""Transcript review for staff: search every conversation, read one, mark a
misunderstood message with the intent it should have had."""
from __future__ import annotations

from typing import Dict, Set

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from routing import read_audit  # every read and export in the audit log (issue #20)
from routing.authorization import may_see_personal_data
from routing import audit
from routing.console import corrections, intents
from routing.console.context import TRANSCRIPT_ROLES, Console, ConsoleError, Viewer
from routing.console.models import HandoffOutcome
from routing.console.periods import PeriodError, parse_period
from routing.console.timeline import conversation_lines
from routing.console.transcript_search import MAX_DAYS, SearchFilters, page_number, search
from assistant_contract.conversation_ids import path_segment
from routing.masking import mask
from routing.models import Handoff


def parse_filters(params) -> SearchFilters:
    """The search; a range or keyword that cannot be used raises PeriodError with the message."""
    start, end = parse_period(params, MAX_DAYS)
    keyword = (params.get("keyword") or "").strip()
    if len(keyword) > 50:
        raise PeriodError("关键词最多 50 字。")
    return SearchFilters(start=start, end=end, channel=(params.get("channel") or "")[:50],
                         category=params.get("category") or "", intent=(params.get("intent") or "")[:64],
                         outcome=params.get("outcome") or "", keyword=keyword)


def outcomes_by_conversation(db: Session) -> Dict[str, Set[str]]:
    rows = db.execute(select(Handoff.conversation_id, HandoffOutcome.outcome)
                      .join(HandoffOutcome, HandoffOutcome.handoff_id == Handoff.id)).all()
    found: Dict[str, Set[str]] = {}
    for conversation_id, outcome in rows:
        found.setdefault(conversation_id, set()).add(outcome)
    return found


def build_router(console: Console) -> APIRouter:
    router = APIRouter()
    reviewer = console.viewer(*TRANSCRIPT_ROLES)

    @router.get("/console/transcripts", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, viewer: Viewer = Depends(reviewer), db: Session = Depends(console.db)) -> Response:
        params = request.query_params
        masker = str if may_see_personal_data(viewer.user) else mask
        common = dict(intent_names=intents.correctable_intents(), masker=masker, masked=masker is mask)
        try:
            filters = parse_filters(params)
        except PeriodError as error:  # the form again, with what was typed and what is wrong
            typed = SearchFilters(start=None, end=None, channel=(params.get("channel") or "")[:50],
                                  category=params.get("category") or "", intent=(params.get("intent") or "")[:64],
                                  outcome=params.get("outcome") or "", keyword=(params.get("keyword") or "")[:50])
            return console.render(request, "transcripts.html", viewer, status_code=400, error=str(error),
                                  filters=typed, results=[], channels=[], form_start=params.get("start", ""),
                                  form_end=params.get("end", ""), **common)
        if params:  # which filters were used, not what was typed in them
            read_audit.noted(db, viewer.user, "transcript_search", "transcripts", details=sorted(params.keys()))
        found = search(console.tracker.stream_between(*filters.utc_range()), filters, outcomes_by_conversation(db),
                       masker, page=page_number(params))
        return console.render(request, "transcripts.html", viewer, filters=filters, results=found.results,
                              found=found, channels=found.channels, form_start=filters.start.isoformat(), form_end=filters.end.isoformat(),
                              searched=bool(params), **common)

    # `path`: a sender id may hold a slash (%2F in the link); Rasa takes any id from its channels.
    @router.get("/console/transcripts/{sender_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def read(sender_id: str, request: Request, viewer: Viewer = Depends(reviewer),
             db: Session = Depends(console.db)) -> Response:
        turns = console.tracker.conversation(sender_id)
        handoffs = db.scalars(select(Handoff).where(Handoff.conversation_id == sender_id)
                              .order_by(Handoff.created_at)).all()
        if not turns and not handoffs:
            raise ConsoleError(404, "找不到这段对话。", "/console/transcripts")
        read_audit.noted(db, viewer.user, "transcript", sender_id)  # who read her conversation, when
        return console.render(
            request, "transcript.html", viewer, sender_id=sender_id, handoffs=handoffs,
            pairs=list(zip(turns, conversation_lines(turns, viewer.user))), marks=corrections.marks_for(db, sender_id),
            intent_names=intents.correctable_intents(), intent_title=intents.title_of,
            sees_personal=may_see_personal_data(viewer.user))

    @router.post("/console/transcripts/{sender_id:path}/corrections", include_in_schema=False)
    def correct(sender_id: str, form: dict = Depends(console.form), viewer: Viewer = Depends(reviewer),
                db: Session = Depends(console.db)) -> Response:
        back = f"/console/transcripts/{path_segment(sender_id)}"
        intent = form.get("intent", "")
        if intent not in intents.correctable_intents():
            raise ConsoleError(400, "请选择正确的意图。", back)
        event_id = form.get("event_id", "")
        turn = next((t for t in console.tracker.conversation(sender_id)
                     if t.kind == "user" and str(t.event_id) == event_id), None)
        if turn is None:
            raise ConsoleError(404, "这条消息不存在或不是她发的。", back)
        corrections.mark(db, turn, intent, viewer.user)
        console.commit(db)
        return RedirectResponse(f"{back}#m{turn.event_id}", status_code=303)

    @router.post("/console/transcripts/{sender_id:path}/corrections/undo", include_in_schema=False)
    def undo(sender_id: str, form: dict = Depends(console.form), viewer: Viewer = Depends(reviewer),
             db: Session = Depends(console.db)) -> Response:
        """A wrong mark is taken back, not only overwritten; who took it back is recorded."""
        back = f"/console/transcripts/{path_segment(sender_id)}"
        event_id = form.get("event_id", "")
        removed = corrections.unmark(db, sender_id, int(event_id)) if event_id.isdigit() and len(event_id) < 12 else None
        if removed is None:
            raise ConsoleError(404, "这条消息没有标记，或标记已经撤销了。", back)
        audit.record(db, viewer.user, "correction.undo", f"conversation:{sender_id}#{event_id}",
                     {"intent": removed.intent, "predicted_intent": removed.predicted_intent}, None)
        console.commit(db)
        return RedirectResponse(f"{back}#m{event_id}", status_code=303)

    return router
