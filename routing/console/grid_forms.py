"""Filing in the console: the plain mobile report form (grid workers on patrol, town
staff for their own findings), the CSV upload of 12345 / department work orders, and the
children's base records (upload, and who has not been visited for too long)."""
from __future__ import annotations

from assistant_contract.areas import AREA_TITLES
from assistant_contract.grid import GRID_VERIFIER, GRID_WORKER, PATROL, SUBJECTS, TOWN, URGENCIES
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from routing.authorization import Forbidden
from routing.console import grid_labels, sessions
from routing.console.context import Console, ConsoleError, LoginRequired, Viewer
from routing.console.grid_pages import grid_of
from routing.grid import children, filing, scope, work_orders
from routing.grid.models import GridUnit
from routing.models import utcnow

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


def grids_for(db: Session, viewer: Viewer) -> list:
    """The grids she may file about: those of her part of the tree."""
    path = scope.scope_path(db, viewer.user) or "/nowhere/"
    return list(db.scalars(select(GridUnit).where(GridUnit.level.in_(("grid1", "grid2")),
                                                  GridUnit.path.startswith(path)).order_by(GridUnit.code)))


async def uploaded_text(request: Request, back: str) -> str:
    """The uploaded CSV file's text, after the CSRF check; a readable page for any problem."""
    form = await request.form()
    token = request.cookies.get(sessions.SESSION_COOKIE)
    if not token:
        raise LoginRequired()
    if not sessions.csrf_matches(sessions.csrf_for(token), form.get("csrf_token")):
        raise ConsoleError(403, "页面已过期，请刷新页面后重新上传。", back)
    upload = form.get("file")
    if upload is None or isinstance(upload, str) or not upload.filename:
        raise ConsoleError(422, "请选择一个 CSV 文件。", back)
    raw = await upload.read(MAX_UPLOAD_BYTES + 1)
    if len(raw) > MAX_UPLOAD_BYTES:
        raise ConsoleError(413, "文件太大了（最多 2 MB），请分成几个文件上传。", back)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ConsoleError(422, "无法识别文件编码，请另存为 UTF-8 编码的 CSV。", back)


def build_router(console: Console) -> APIRouter:
    router = APIRouter()
    filer = console.viewer(*grid_labels.FILERS)
    uploader = console.viewer(*grid_labels.WORK_ORDER_UPLOADERS)
    child_viewer = console.viewer(*grid_labels.CHILDREN_VIEWERS)

    def page(request: Request, name: str, viewer: Viewer, db: Session, status_code: int = 200, **context):
        return console.render(request, name, viewer, status_code=status_code, grid_labels=grid_labels,
                              grid_nav=grid_labels.navigation(viewer.user), unit=scope.unit_of(db, viewer.user),
                              **context)

    def form_page(request: Request, viewer: Viewer, db: Session, values: dict, error: str = "", status_code=200):
        return page(request, "grid_new.html", viewer, db, status_code, grids=grids_for(db, viewer), values=values,
                    error=error, subjects=SUBJECTS, urgencies=URGENCIES, areas=AREA_TITLES,
                    filed=request.query_params.get("filed", ""))

    @router.get("/console/grid/new", response_class=HTMLResponse)
    def new_report(request: Request, viewer: Viewer = Depends(filer), db: Session = Depends(console.db)):
        unit = scope.unit_of(db, viewer.user)
        default = unit.code if unit is not None and unit.level in ("grid1", "grid2") else ""
        return form_page(request, viewer, db, {"grid_code": default, "urgency": "normal", "consent": "yes"})

    @router.post("/console/grid/new", response_class=HTMLResponse)
    async def file_new_report(request: Request, viewer: Viewer = Depends(filer), db: Session = Depends(console.db)):
        form = await console.form(request)
        source = PATROL if viewer.user.role in (GRID_WORKER, GRID_VERIFIER) else TOWN
        problems = [title for name, title in (("subject", "对象"), ("place", "地点"), ("text", "发生了什么"))
                    if not form.get(name, "").strip()]
        if form.get("subject") not in SUBJECTS and "对象" not in problems:
            problems.append("对象")
        if problems:
            return form_page(request, viewer, db, form, f"请填写：{'、'.join(problems)}。", 422)
        item = filing.NewReport(
            source=source, grid_code=form.get("grid_code", ""), subject=form["subject"],
            place=form["place"][:200], text=form["text"][:4000],
            urgency=form.get("urgency") if form.get("urgency") in URGENCIES else "normal",
            consent=form.get("consent") != "no", person_name=form.get("person_name", "")[:50] or None,
            no_consent_reason=form.get("no_consent_reason", "")[:500] or None,
            area=form.get("area") if form.get("area") in AREA_TITLES else None)
        grid = grid_of(console, request)

        def reporter(entry, unit):
            if not scope.may_file(db, viewer.user, entry.source, unit):
                raise Forbidden("不能在这个网格上报")
            return filing.Reporter(viewer.user.id, viewer.user.username)

        try:
            filed = filing.file_batch(db, [item], reporter, grid.settings, grid.handoff_hours(db))
        except filing.InvalidReport as error:
            return form_page(request, viewer, db, form, str(error).split(" / ")[0] + "。", 422)
        except Forbidden:
            return form_page(request, viewer, db, form, "这个网格不在你负责的范围内，请重新选择网格。", 403)
        console.commit(db, "/console/grid/new")
        if filed[0].report.area is None:
            grid.worker.wake()
        return RedirectResponse(f"/console/grid/reports/{filed[0].report.id}?done=filed", status_code=303)

    @router.get("/console/grid/work-orders", response_class=HTMLResponse)
    def work_order_page(request: Request, viewer: Viewer = Depends(uploader), db: Session = Depends(console.db)):
        return page(request, "grid_work_orders.html", viewer, db, result=None, error="", columns=work_orders.COLUMNS)

    @router.post("/console/grid/work-orders", response_class=HTMLResponse)
    async def upload_work_orders(request: Request, viewer: Viewer = Depends(uploader),
                                 db: Session = Depends(console.db)):
        text = await uploaded_text(request, "/console/grid/work-orders")
        grid = grid_of(console, request)
        try:
            result = work_orders.import_csv(db, text, grid.settings, grid.handoff_hours(db))
        except work_orders.ImportRefused as error:
            db.rollback()
            return page(request, "grid_work_orders.html", viewer, db, 422, result=None, error=str(error),
                        columns=work_orders.COLUMNS)
        console.commit(db, "/console/grid/work-orders")
        grid.worker.wake()
        return page(request, "grid_work_orders.html", viewer, db, result=result, error="",
                    columns=work_orders.COLUMNS)

    @router.get("/console/grid/children", response_class=HTMLResponse)
    def children_page(request: Request, viewer: Viewer = Depends(child_viewer), db: Session = Depends(console.db)):
        days = grid_of(console, request).settings.unvisited_days
        return page(request, "grid_children.html", viewer, db, days=days, now=utcnow(),
                    rows=children.not_visited(db, viewer.user, days), result=None, error="",
                    may_upload=viewer.user.role in grid_labels.WORK_ORDER_UPLOADERS, columns=children.COLUMNS)

    @router.post("/console/grid/children", response_class=HTMLResponse)
    async def upload_children(request: Request, viewer: Viewer = Depends(uploader), db: Session = Depends(console.db)):
        text = await uploaded_text(request, "/console/grid/children")
        settings = grid_of(console, request).settings
        result, error = None, ""
        try:
            result = children.import_csv(db, text, settings.id_hash_key)
            console.commit(db, "/console/grid/children")
        except children.ImportRefused as refused:
            db.rollback()
            error = str(refused)
        return page(request, "grid_children.html", viewer, db, 422 if error else 200, days=settings.unvisited_days,
                    now=utcnow(), rows=children.not_visited(db, viewer.user, settings.unvisited_days), result=result,
                    error=error, may_upload=True, columns=children.COLUMNS)

    return router
