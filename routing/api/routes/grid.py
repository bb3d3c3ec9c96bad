"""Grid reporting: binding a grid worker's chat, filing reports (one or a batch), reading
them and moving them through the loop (routing/grid/loop.py).

Who calls: the action server with the service token (binding; reports for a bound chat
via `reporter_conversation_id`; 12345 and department work orders), and people with their
bearer tokens. Each person sees and acts only within her part of the tree
(routing/grid/scope.py). A batch is stored all or none: one bad item refuses the whole
batch (422 naming the item) and nothing is stored. Nothing here commits but filing
(`filed_reports`, in its own session inside SQLite's writer queue); everywhere else the
session dependency does, once.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, List, Optional

from assistant_contract.grid import MAX_BATCH, SOURCE_TITLES, WORK_ORDER_SOURCES
from fastapi import APIRouter, BackgroundTasks, Body, HTTPException, Query, Request, Response, status
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError
from starlette.concurrency import run_in_threadpool

from routing import auth
from routing.api.dependencies import Backend, Credentials, CurrentUser, DatabaseSession, ServiceCaller, token_of
from routing.authorization import Forbidden
from routing.grid import bindings, children, filing, loop, queries, scope, services
from routing.grid.api_schemas import (
    BatchFiled, BatchIn, BindingCodeIn, ChildOut, BindingCodeOut, BindingIn, BindingOut, CloseIn, DispatchIn, NoteIn,
    ReportDetail, ReportFiled, ReportIn, ReportOut, ReportsBody, RejectIn, Source,
)
from routing.grid.models import GridReport, GridUnit
from routing.masking import mask
from routing.models import User

TAG = {"name": "grid", "description": "Grid reporting: bind a grid worker's chat, file reports (one or a batch of "
                                      f"up to {MAX_BATCH}, all or none), and verify, reject, dispatch, take up "
                                      "and close them."}
router = APIRouter(prefix="/api/v1/grid", tags=[TAG["name"]])
STALE = "这份上报刚被其他人处理过，请刷新后再看 / the report changed meanwhile; reload it"
UNBOUND = "这个对话还没有绑定网格员账号 / this conversation is not bound to a grid account"
NOT_YOURS = "你不能以这个来源、在这个网格上报 / you cannot file this source for this grid"
SERVICE_NEEDS = ("服务令牌上报需要绑定的对话或12345/部门工单来源 / the service token files reports for a bound "
                 "conversation or as a 12345 / department work order")
MASKED_ROLES = ("supervisor", "staff")


@dataclass(frozen=True)
class Caller:
    user: Optional[User]

    @property
    def service(self) -> bool:
        return self.user is None


def caller(credentials: Credentials, db: DatabaseSession, backend: Backend) -> Caller:
    """The service token or a person's bearer token."""
    token = token_of(credentials)
    if backend.settings.service_token_usable and auth.is_service_token(token, backend.settings.service_token):
        return Caller(user=None)
    user = auth.user_for_token(db, token)
    if user is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "invalid or expired token",
                            headers={"WWW-Authenticate": "Bearer"})
    return Caller(user=user)


def grid_services(request: Request, backend: Backend) -> services.GridServices:
    return services.of_app(request.app.state, backend.settings, backend.session_factory)


def reporter_for(db: Session, who: Caller):
    def decide(item: filing.NewReport, grid: GridUnit) -> filing.Reporter:
        if who.service and item.reporter_conversation_id:
            user = bindings.bound_user(db, item.reporter_conversation_id)
            if user is None:
                raise Forbidden(UNBOUND)
        elif who.service:
            if item.source not in WORK_ORDER_SOURCES:
                raise Forbidden(SERVICE_NEEDS)
            return filing.Reporter(user_id=None, name=SOURCE_TITLES[item.source])
        else:
            user = who.user
        if not scope.may_file(db, user, item.source, grid):
            raise Forbidden(NOT_YOURS)
        return filing.Reporter(user_id=user.id, name=user.username)

    return decide


def parsed_reports(body) -> tuple[List[ReportIn], bool]:
    """(reports, is_batch); a batch over the limit is 413."""
    if isinstance(body, BatchIn):
        if len(body.reports) > MAX_BATCH:
            raise HTTPException(status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
                                f"一次最多上报 {MAX_BATCH} 条 / at most {MAX_BATCH} reports per batch")
        return body.reports, True
    return [body], False


def filed_out(filed: filing.Filed) -> ReportFiled:
    report = filed.report
    return ReportFiled(id=report.id, number=report.number, status=report.status, area=report.area,
                       urgent=report.urgent, handoff_id=report.handoff_id, duplicate=not filed.created)


@router.post("/reports", status_code=status.HTTP_201_CREATED,
             responses={201: {"model": ReportFiled, "description": "filed (a batch: BatchFiled)"},
                        200: {"model": ReportFiled, "description": "this work order was filed before"},
                        413: {"description": f"more than {MAX_BATCH} reports"},
                        422: {"description": "unknown grid, no text, no reason without consent …; nothing stored"}})
async def file_reports(request: Request, response: Response, background: BackgroundTasks, backend: Backend,
                       credentials: Credentials, body: Annotated[ReportsBody, Body()]):
    """One report, or {"reports": [...]} (up to 500, all stored or none). Without `area` the
    assistant triages it a moment later; an urgent one opens an urgent handoff at once.

    The busiest write of the drill, so it takes one worker thread, not four: who is calling,
    filing and the commit run in `filed_reports` (a plain `def` dependency or endpoint would
    each be a thread hop of its own: three fewer hops took the drill from about 4.5 to 3.5 ms of CPU a report)."""
    items, batch = parsed_reports(body)
    outcome = await run_in_threadpool(filed_reports, request, backend, credentials, items)
    if outcome.triage_needed:
        background.add_task(outcome.grid.worker.wake)  # after the commit: its own session reads them
    if not any(not out.duplicate for out in outcome.reports):
        response.status_code = status.HTTP_200_OK
    if batch:
        return BatchFiled(reports=outcome.reports)
    return outcome.reports[0]


@dataclass(frozen=True)
class Outcome:
    reports: List[ReportFiled]
    triage_needed: bool
    grid: services.GridServices


def filed_reports(request: Request, backend, credentials, items: List[ReportIn]) -> Outcome:
    """Filing commits here, in its own session, inside the SQLite writer queue
    (routing/grid/filing.py `writer`): the one exception to "the session dependency commits"."""
    grid = grid_services(request, backend)
    with backend.session_factory() as db:
        who = caller(credentials, db, backend)
        try:
            with filing.writer(db):
                filed = filing.file_batch(db, [item.as_new_report() for item in items], reporter_for(db, who),
                                          grid.settings, grid.handoff_hours)
                db.commit()
        except filing.InvalidReport as error:
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, str(error)) from None
        return Outcome(reports=[filed_out(f) for f in filed],
                       triage_needed=any(f.created and f.report.area is None for f in filed), grid=grid)


@router.get("/reports", response_model=List[ReportOut])
def list_reports(user: CurrentUser, db: DatabaseSession, request: Request, response: Response,
                 status_filter: Annotated[Optional[str], Query(alias="status", description="a stage, or open")] = None,
                 town: Optional[str] = None, source: Optional[Source] = None, area: Optional[str] = None,
                 limit: Annotated[int, Query(ge=1, le=500)] = 50,
                 before: Annotated[Optional[int], Query(description="the id where the previous page ended")] = None):
    """Newest first, within her part of the tree. More: the `Link` header's rel="next" URL."""
    filters = queries.Filters(status=status_filter, town=town, source=source.value if source else None, area=area)
    rows, more = queries.page(db, user, filters, limit, before)
    if more:
        url = request.url.include_query_params(before=rows[-1].id)
        response.headers["Link"] = f'<{url.path}?{url.query}>; rel="next"'
    return [shown(ReportOut, row, user) for row in rows]


def shown(model, report: GridReport, user: User):
    out = model.model_validate(report)
    if user.role in MASKED_ROLES:
        out.text, out.place = mask(out.text), mask(out.place)
    return out


def found(db: Session, report_id: int, user: User, *, lock: bool = False) -> GridReport:
    report = queries.find(db, report_id, lock=lock, with_events=True)
    if report is None or not scope.permits(db, user, "read", report):
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"没有编号为 {report_id} 的上报 / no report {report_id}")
    return report


@router.get("/reports/{report_id}", response_model=ReportDetail)
def get_report(report_id: int, user: CurrentUser, db: DatabaseSession):
    return shown(ReportDetail, found(db, report_id, user), user)


def act(db: Session, report: GridReport, change) -> ReportDetail:
    try:
        change()
        db.flush()
    except StaleDataError:
        db.rollback()
        raise HTTPException(status.HTTP_409_CONFLICT, STALE) from None
    except ValueError as error:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, str(error)) from None
    db.refresh(report)
    return report


@router.post("/reports/{report_id}/verify", response_model=ReportDetail)
def verify(report_id: int, body: NoteIn, user: CurrentUser, db: DatabaseSession, request: Request, backend: Backend):
    report, grid = found(db, report_id, user, lock=True), grid_services(request, backend)
    return shown(ReportDetail, act(db, report, lambda: loop.verify(db, report, user, body.note, grid.settings)), user)


@router.post("/reports/{report_id}/reject", response_model=ReportDetail)
def reject(report_id: int, body: RejectIn, user: CurrentUser, db: DatabaseSession, request: Request,
           backend: Backend):
    report, grid = found(db, report_id, user, lock=True), grid_services(request, backend)
    return shown(ReportDetail, act(db, report, lambda: loop.reject(db, report, user, body.reason, grid.settings)),
                 user)


@router.post("/reports/{report_id}/dispatch", response_model=ReportDetail)
def dispatch(report_id: int, body: DispatchIn, user: CurrentUser, db: DatabaseSession, request: Request,
             backend: Backend):
    report, grid = found(db, report_id, user, lock=True), grid_services(request, backend)
    return shown(ReportDetail, act(db, report, lambda: loop.dispatch(
        db, report, user, body.level.value, body.unit_code, body.note, grid.settings)), user)


@router.post("/reports/{report_id}/start", response_model=ReportDetail)
def start(report_id: int, body: NoteIn, user: CurrentUser, db: DatabaseSession, request: Request, backend: Backend):
    """The federation it was dispatched to takes it up (dispatched → in_progress)."""
    report, grid = found(db, report_id, user, lock=True), grid_services(request, backend)
    return shown(ReportDetail, act(db, report, lambda: loop.start(db, report, user, body.note, grid.settings)), user)


@router.post("/reports/{report_id}/close", response_model=ReportDetail)
def close(report_id: int, body: CloseIn, user: CurrentUser, db: DatabaseSession, request: Request, backend: Backend):
    report, grid = found(db, report_id, user, lock=True), grid_services(request, backend)
    return shown(ReportDetail, act(db, report, lambda: loop.close(db, report, user, body.outcome, grid.settings)),
                 user)


@router.get("/children/not-visited", response_model=List[ChildOut])
def children_not_visited(user: CurrentUser, db: DatabaseSession, request: Request, backend: Backend,
                         days: Annotated[Optional[int], Query(ge=1, le=3650)] = None):
    """Children of her part of the tree not visited for more than `days` (default: the
    setting ROUTING_GRID_UNVISITED_DAYS), never visited first; ID numbers masked."""
    days = days or grid_services(request, backend).settings.unvisited_days
    return [ChildOut.model_validate(child) for child in children.not_visited(db, user, days)]


@router.post("/binding-codes", response_model=BindingCodeOut, status_code=status.HTTP_201_CREATED)
def issue_binding_code(body: BindingCodeIn, user: CurrentUser, db: DatabaseSession, request: Request,
                       backend: Backend):
    """Admins issue a one-time code; the grid worker sends it in her chat to bind it."""
    if user.role != "admin":
        raise HTTPException(status.HTTP_403_FORBIDDEN, "只有管理员可以发放绑定码 / only admins issue binding codes")
    person = db.get(User, body.user_id)
    if person is None or person.disabled:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"没有这个账号 / no user {body.user_id}")
    code = bindings.issue_code(db, person, grid_services(request, backend).settings.binding_code_minutes)
    return BindingCodeOut(code=code.code, expires_at=code.expires_at)


@router.post("/bindings", response_model=BindingOut, dependencies=[ServiceCaller],
             responses={404: {"description": "unknown, expired or used code"}})
def bind_chat(body: BindingIn, db: DatabaseSession):
    try:
        bound = bindings.bind(db, body.code, body.channel, body.conversation_id)
    except bindings.BindingRefused as error:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(error)) from None
    return BindingOut(**bound.__dict__)


@router.get("/bindings/{conversation_id}", response_model=BindingOut, dependencies=[ServiceCaller])
def get_binding(conversation_id: str, db: DatabaseSession):
    bound = bindings.find(db, conversation_id)
    if bound is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, UNBOUND)
    return BindingOut(**bound.__dict__)
