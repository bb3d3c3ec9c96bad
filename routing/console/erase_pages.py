"""Admins erase one woman's conversation everywhere, at her request (routing/erase.py):
first a preview of what each store holds of her, then the erasure with its report.

The conversation id is typed or arrives from a transcript's link (`?conversation=`); the
erasure needs the preview's confirmation box ticked, and is recorded in the audit log.
"""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from routing import erase
from routing.console.context import Console, ConsoleError, Viewer
from routing.retention import RetentionSettings

PAGE = "/console/admin/erase"
STORE_TITLES = {
    "routing-db": "转介系统数据库（求助、回复、历史、对话存档）",
    "rasa-tracker": "对话引擎的对话记录（Rasa tracker store）",
    "rasa-event-broker": "对话引擎的事件表（Rasa event broker）",
    "action-outbox": "动作服务器的待发队列",
    "grid-outbox": "网格上报的待发队列",
    "telegram": "Telegram 渠道的本地记录",
    "wechat": "微信渠道的本地记录",
    "safe-exit": "安全退出暗号",
    "log-files": "日志文件中含对话编号的行",
}
MAX_ID = 255


def conversation_of(value: str) -> str:
    conversation_id = (value or "").strip()
    if not conversation_id or len(conversation_id) > MAX_ID:
        raise ConsoleError(400, "请填写要删除的对话编号（在对话审阅页的地址里）。", PAGE)
    return conversation_id


def build_router(console: Console) -> APIRouter:
    router = APIRouter()
    admin = console.viewer("admin")

    def settings() -> RetentionSettings:
        return RetentionSettings.beside(console.settings)

    def show(request: Request, viewer: Viewer, conversation_id: str, dry_run: bool) -> Response:
        report = erase.erase_conversation(console.session_factory, conversation_id, actor=viewer.user.username,
                                          settings=settings(), dry_run=dry_run)
        rows = [(STORE_TITLES.get(store, store), counts) for store, counts in report.stores.items()]
        return console.render(request, "erase.html", viewer, conversation_id=conversation_id, rows=rows,
                              dry_run=dry_run, total=report.total, notes=report.notes)

    @router.get(PAGE, response_class=HTMLResponse, include_in_schema=False)
    def form(request: Request, viewer: Viewer = Depends(admin)) -> Response:
        conversation_id = (request.query_params.get("conversation") or "").strip()
        if conversation_id:
            return show(request, viewer, conversation_of(conversation_id), dry_run=True)
        return console.render(request, "erase.html", viewer, conversation_id="", rows=None, dry_run=True)

    @router.post(PAGE, response_class=HTMLResponse, include_in_schema=False)
    def erase_now(request: Request, posted: dict = Depends(console.form), viewer: Viewer = Depends(admin)) -> Response:
        conversation_id = conversation_of(posted.get("conversation", ""))
        if posted.get("confirm") != "1":
            return show(request, viewer, conversation_id, dry_run=True)
        return show(request, viewer, conversation_id, dry_run=False)

    return router
