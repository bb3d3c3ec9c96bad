"""The handoff page's forms: claim, reply, attach, note, reassign, escalate, resolve, return,
and a supervisor's close of a handoff nobody claimed (with a reason).

Every form carries the version of the handoff it was rendered from; if the
handoff changed since (a colleague claimed it, a supervisor moved it), the action
stops with a conflict page instead of overwriting what happened meanwhile. Who may
do what is decided by routing/authorization.py, through routing/lifecycle.py and
routing/handoff_operations.py, exactly as for the API: no form checks a role of its own.
"""
from __future__ import annotations

from typing import Callable, Optional

from fastapi import APIRouter, BackgroundTasks, Depends
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session, object_session

from routing import audit, handoff_operations, lifecycle
from routing.authorization import MANAGERS
from routing.console import forms, history, knowledge, labels
from routing.console.context import ALL_ROLES, CONFLICT_MESSAGE, Console, ConsoleError, Viewer
from routing.console.handoff_pages import people_named, state_of, visible_handoff
from routing.console.models import CannedReply
from assistant_contract.conversation_ids import path_segment
from routing.models import Handoff, User


def page_of(handoff_id: str) -> str:
    return f"/console/handoffs/{path_segment(handoff_id)}"  # the id comes from the URL, as typed


def locked_current(db: Session, handoff_id: str, viewer: Viewer, form: dict) -> Handoff:
    """The handoff, row-locked where the database can, and only if the page was current:
    the same version, or at least the same status and holder (a reminder changed it)."""
    handoff = visible_handoff(db, handoff_id, viewer.user)
    db.refresh(handoff, with_for_update=True)
    if form.get("version") != str(handoff.version) and form.get("state") != state_of(handoff):
        last = history.last_change(list(handoff.events), people_named(db, handoff))
        detail = f"{last.who}于{labels.local_time(last.at)}{last.what}，" if last else ""
        raise ConsoleError(409, f"{CONFLICT_MESSAGE}（{detail}现在是「{labels.STATUS[handoff.status]}」）",
                           page_of(handoff_id))
    return handoff


NEXT_STEP = {
    "received": "还没有专家认领：请先认领；不需要处理的，主管可以填写原因后关闭。",
    "assigned": "已分派给专家但还没有认领：请专家先认领；不需要处理的，主管可以填写原因后关闭。",
    "resolved": "它已经办结，不需要再操作。",
    "returned": "它已经交还机器人，不需要再操作。",
    "escalated": "它已经升级，请按升级后的安排处理。",
}


def refusal_text(handoff: Handoff, refused: str, changed_meanwhile: bool, db: Session) -> str:
    """Honest: say whether someone changed the handoff since the page was opened, or whether
    this step simply does not fit its state (and what fits instead)."""
    state = labels.STATUS[handoff.status]
    holder = f"（现在由{handoff.assignee.title} {handoff.assignee.username}处理）" if handoff.assignee else ""
    if changed_meanwhile and handoff.events:
        last = history.last_change(list(handoff.events), people_named(db, handoff))
        return (f"{refused}：在你打开页面之后，{last.who}于{labels.local_time(last.at)}{last.what}，"
                f"这个求助现在是「{state}」{holder}。请刷新页面看最新情况再决定。")
    return f"{refused}：这个求助现在是「{state}」{holder}，这一步在这个状态下不能做。" + NEXT_STEP.get(handoff.status, "")


def run(handoff: Handoff, action: Callable[[], object], refused: str, form: Optional[dict] = None) -> None:
    """Lifecycle refusals become a page in Chinese that says what happened and what to do instead."""
    rendered_version = (form or {}).get("version")
    try:
        action()
    except lifecycle.Forbidden as error:
        raise ConsoleError(403, f"{refused}：你没有权限做这一步。", page_of(handoff.id)) from error
    except lifecycle.Conflict as error:
        db = object_session(handoff)
        changed = rendered_version is not None and rendered_version != str(handoff.version)
        raise ConsoleError(409, refusal_text(handoff, refused, changed, db), page_of(handoff.id)) from error


def audit_manager(db: Session, viewer: Viewer, action: str, handoff: Handoff, before: dict, **after) -> None:
    """Supervisors' and admins' moves of a handoff go to the audit log (experts' own work is in its history)."""
    if viewer.user.role in MANAGERS:
        audit.record(db, viewer.user, f"handoff.{action}", f"handoff:{handoff.id}", before,
                     dict(after, status=handoff.status, assignee_id=handoff.assignee_id))


def snapshot(handoff: Handoff) -> dict:
    return {"status": handoff.status, "assignee_id": handoff.assignee_id}


def build_router(console: Console) -> APIRouter:
    router = APIRouter()
    actor = console.viewer(*ALL_ROLES)

    def done(handoff_id: str) -> Response:
        return RedirectResponse(page_of(handoff_id), status_code=303)

    @router.post("/console/handoffs/{handoff_id}/claim", include_in_schema=False)
    def claim(handoff_id: str, form: dict = Depends(console.form), viewer: Viewer = Depends(actor),
              db: Session = Depends(console.db)) -> Response:
        handoff = locked_current(db, handoff_id, viewer, form)
        run(handoff, lambda: lifecycle.claim(db, handoff, viewer.user), "无法认领", form)
        console.commit(db, page_of(handoff_id))
        return done(handoff_id)

    def send(db: Session, handoff: Handoff, viewer: Viewer, text: str, background: BackgroundTasks) -> Response:
        run(handoff, lambda: lifecycle.reply(db, handoff, viewer.user, text), "无法发送")
        console.commit(db, page_of(handoff.id))
        background.add_task(console.deliver_pending)
        return done(handoff.id)

    @router.post("/console/handoffs/{handoff_id}/reply", include_in_schema=False)
    def reply(handoff_id: str, background: BackgroundTasks, form: dict = Depends(console.form),
              viewer: Viewer = Depends(actor), db: Session = Depends(console.db)) -> Response:
        back = page_of(handoff_id)
        text = forms.text_field(form, "text", "回复", forms.REPLY_MAX, required=False, back=back)
        if not text and form.get("canned_id"):
            canned = forms.find(db, CannedReply, form["canned_id"])
            text = canned.text if canned else ""
        if not text:
            raise ConsoleError(400, "请填写回复内容，或选择一条常用回复。", back)
        return send(db, locked_current(db, handoff_id, viewer, form), viewer, text, background)

    @router.post("/console/handoffs/{handoff_id}/attach", include_in_schema=False)
    def attach(handoff_id: str, background: BackgroundTasks, form: dict = Depends(console.form),
               viewer: Viewer = Depends(actor), db: Session = Depends(console.db)) -> Response:
        entry = knowledge.catalogue().get(form.get("entry_id", ""))
        if entry is None:
            raise ConsoleError(400, "请选择要发给她的问答或案例。", page_of(handoff_id))
        return send(db, locked_current(db, handoff_id, viewer, form), viewer, knowledge.attachment_text(entry),
                    background)

    @router.post("/console/handoffs/{handoff_id}/note", include_in_schema=False)
    def note(handoff_id: str, form: dict = Depends(console.form), viewer: Viewer = Depends(actor),
             db: Session = Depends(console.db)) -> Response:
        """Notes never conflict with other changes, so they need no current version."""
        text = forms.text_field(form, "text", "内部备注", forms.NOTE_MAX, back=page_of(handoff_id))
        handoff = visible_handoff(db, handoff_id, viewer.user)
        run(handoff, lambda: handoff_operations.add_note(db, handoff=handoff, author=viewer.user, text=text),
            "无法保存备注")
        console.commit(db)
        return done(handoff_id)

    @router.post("/console/handoffs/{handoff_id}/reassign", include_in_schema=False)
    def reassign(handoff_id: str, form: dict = Depends(console.form), viewer: Viewer = Depends(actor),
                 db: Session = Depends(console.db)) -> Response:
        expert = forms.find(db, User, form.get("expert_id"))
        if expert is None:
            raise ConsoleError(400, "请选择要转交的专家。", page_of(handoff_id))
        handoff = locked_current(db, handoff_id, viewer, form)
        before = snapshot(handoff)
        run(handoff, lambda: handoff_operations.reassign(
            db, handoff=handoff, actor=viewer.user, expert=expert), "无法转交", form)
        audit_manager(db, viewer, "reassign", handoff, before, to=expert.username)
        console.commit(db, page_of(handoff_id))
        return done(handoff_id)

    @router.post("/console/handoffs/{handoff_id}/escalate", include_in_schema=False)
    def escalate(handoff_id: str, form: dict = Depends(console.form), viewer: Viewer = Depends(actor),
                 db: Session = Depends(console.db)) -> Response:
        text = forms.text_field(form, "note", "升级说明", forms.NOTE_MAX, required=False, back=page_of(handoff_id))
        handoff = locked_current(db, handoff_id, viewer, form)
        before = snapshot(handoff)
        run(handoff, lambda: handoff_operations.escalate_to_grassroots(
            db, handoff=handoff, actor=viewer.user, note=text), "无法升级", form)
        audit_manager(db, viewer, "escalate", handoff, before, note=text)
        console.commit(db, page_of(handoff_id))
        return done(handoff_id)

    @router.post("/console/handoffs/{handoff_id}/resolve", include_in_schema=False)
    def resolve(handoff_id: str, background: BackgroundTasks, form: dict = Depends(console.form),
                viewer: Viewer = Depends(actor), db: Session = Depends(console.db)) -> Response:
        back = page_of(handoff_id)
        outcome = forms.choice_field(form, "outcome", "处理结果", labels.OUTCOME, back)
        text = forms.text_field(form, "note", "办结说明", forms.NOTE_MAX, required=False, back=back)
        handoff = locked_current(db, handoff_id, viewer, form)
        before = snapshot(handoff)
        run(handoff, lambda: handoff_operations.resolve_with_outcome(
            db, handoff=handoff, actor=viewer.user, outcome=outcome, note=text), "无法办结", form)
        audit_manager(db, viewer, "resolve", handoff, before, outcome=outcome, note=text)
        console.commit(db, back)
        background.add_task(console.deliver_pending)
        return done(handoff_id)

    @router.post("/console/handoffs/{handoff_id}/return", include_in_schema=False)
    def return_to_bot(handoff_id: str, background: BackgroundTasks, form: dict = Depends(console.form),
                      viewer: Viewer = Depends(actor), db: Session = Depends(console.db)) -> Response:
        """Nothing for a person to do: the bot takes the conversation back and tells her so."""
        back = page_of(handoff_id)
        text = forms.text_field(form, "note", "交还说明", forms.NOTE_MAX, required=False, back=back)
        handoff = locked_current(db, handoff_id, viewer, form)
        before = snapshot(handoff)
        run(handoff, lambda: lifecycle.return_to_bot(db, handoff, viewer.user, text), "无法交还机器人", form)
        audit_manager(db, viewer, "return", handoff, before, note=text)
        console.commit(db, back)
        background.add_task(console.deliver_pending)
        return done(handoff_id)

    @router.post("/console/handoffs/{handoff_id}/close", include_in_schema=False)
    def close_unclaimed(handoff_id: str, background: BackgroundTasks, form: dict = Depends(console.form),
                        viewer: Viewer = Depends(actor), db: Session = Depends(console.db)) -> Response:
        """A supervisor closes a handoff nobody claimed, with a reason; she is told the bot takes over."""
        back = page_of(handoff_id)
        reason = forms.text_field(form, "reason", "关闭原因", forms.NOTE_MAX, back=back)
        handoff = locked_current(db, handoff_id, viewer, form)
        before = snapshot(handoff)
        run(handoff, lambda: lifecycle.close_unclaimed(db, handoff, viewer.user, reason), "无法关闭", form)
        audit.record(db, viewer.user, "handoff.close_unclaimed", f"handoff:{handoff.id}", before,
                     {"status": handoff.status, "reason": reason})
        console.commit(db, back)
        background.add_task(console.deliver_pending)
        return done(handoff_id)

    return router
