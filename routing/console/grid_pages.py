"""Grid reporting in the console: the queue of open reports of her part of the tree (live),
a report's page with its timeline and the actions her role allows.

The same core functions as the API decide (routing/grid/loop.py, routing/grid/scope.py):
a refusal there is a refusal here. The queue listens for changes (live.py) and reloads
only its rows, so a new report appears within a second.
"""
from __future__ import annotations

from assistant_contract.grid import GRID_ROLES, LEVEL_TITLES, STAGE_TITLES
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from routing.authorization import Forbidden
from routing.console import grid_labels
from routing.console.context import Console, ConsoleError, Viewer
from routing.console.live import event_stream
from routing.grid import loop, queries, scope, services, tree
from routing.grid.models import GridUnit
from routing.lifecycle import Conflict
from routing.models import utcnow

GRID_CONSOLE_ROLES = GRID_ROLES + ("admin", "supervisor", "staff")
STALE = "这份上报刚被其他人处理过，请刷新后再看。"


def grid_of(console: Console, request: Request) -> services.GridServices:
    return services.of_app(request.app.state, console.settings, console.session_factory)


def queue_state(reports) -> dict:
    return {"reports": {str(report.id): report.version for report in reports},
            "urgent": sorted(str(report.id) for report in reports if report.urgent)}


def dispatch_choices(db: Session, report) -> list:
    """The village, town and county federations above the report's grid."""
    grid = db.get(GridUnit, report.grid_code)
    return [(level, unit) for level, unit_level in loop.UNIT_LEVEL_OF.items()
            for unit in [tree.ancestor_at(db, grid, unit_level)] if unit is not None]


def level_of(db: Session, unit_code: str) -> str:
    """The dispatch level of the chosen federation (the form names only the unit)."""
    unit = db.get(GridUnit, unit_code) if unit_code else None
    levels = {unit_level: level for level, unit_level in loop.UNIT_LEVEL_OF.items()}
    return levels.get(unit.level, "") if unit is not None else ""


def build_router(console: Console) -> APIRouter:
    router = APIRouter()
    viewer_of = console.viewer(*GRID_CONSOLE_ROLES)

    def rows_context(db: Session, viewer: Viewer) -> dict:
        reports = queries.open_queue(db, viewer.user)
        return dict(reports=reports, now=utcnow(), units={unit.code: unit.name for unit in tree.units_at(db, "town")})

    @router.get("/console/grid", response_class=HTMLResponse)
    def grid_queue(request: Request, viewer: Viewer = Depends(viewer_of), db: Session = Depends(console.db)):
        context = rows_context(db, viewer)
        unit = scope.unit_of(db, viewer.user)
        return console.render(request, "grid_queue.html", viewer, unit=unit, state=queue_state(context["reports"]),
                              grid_nav=grid_labels.navigation(viewer.user), grid_labels=grid_labels,
                              **context)

    @router.get("/console/grid/rows", response_class=HTMLResponse)
    def grid_rows(request: Request, viewer: Viewer = Depends(viewer_of), db: Session = Depends(console.db)):
        return console.templates.TemplateResponse(request, "_grid_rows.html", dict(
            rows_context(db, viewer), viewer=viewer, csrf=viewer.csrf, grid_labels=grid_labels))

    @router.get("/console/grid/events")
    def grid_events(request: Request, viewer: Viewer = Depends(viewer_of)) -> Response:
        user_id = viewer.user.id

        def poll():
            with console.session_factory() as db:
                from routing.models import User

                user = db.get(User, user_id)
                if user is None or user.disabled:
                    return None
                return queue_state(queries.open_queue(db, user))

        return event_stream(request, poll)

    @router.get("/console/grid/reports/{report_id}", response_class=HTMLResponse)
    def report_page(report_id: int, request: Request, viewer: Viewer = Depends(viewer_of),
                    db: Session = Depends(console.db)):
        report = queries.find(db, report_id, with_events=True)
        if report is None or not scope.permits(db, viewer.user, "read", report):
            raise ConsoleError(404, "没有找到这份上报，或它不在你负责的网格范围内。", "/console/grid")
        allowed = {action: scope.permits(db, viewer.user, action, report) and
                   any(target in loop.ALLOWED[report.status] for target in grid_labels.TARGETS[action])
                   for action in grid_labels.TARGETS}
        return console.render(request, "grid_report.html", viewer, report=report, allowed=allowed,
                              choices=dispatch_choices(db, report), now=utcnow(),
                              grid=db.get(GridUnit, report.grid_code), grid_labels=grid_labels,
                              unit=scope.unit_of(db, viewer.user),
                              dispatched_to=db.get(GridUnit, report.dispatch_unit) if report.dispatch_unit else None,
                              grid_nav=grid_labels.navigation(viewer.user),
                              done=request.query_params.get("done", ""))

    @router.post("/console/grid/reports/{report_id}/{action}")
    async def report_action(report_id: int, action: str, request: Request, viewer: Viewer = Depends(viewer_of),
                            db: Session = Depends(console.db)):
        form = await console.form(request)
        back = f"/console/grid/reports/{report_id}"
        if action not in grid_labels.TARGETS:
            raise ConsoleError(404, "没有这个操作。", back)
        report = queries.find(db, report_id, lock=True)
        if report is None or not scope.permits(db, viewer.user, "read", report):
            raise ConsoleError(404, "没有找到这份上报。", "/console/grid")
        if str(report.version) != form.get("version", ""):
            raise ConsoleError(409, STALE, back)
        settings, user = grid_of(console, request).settings, viewer.user
        changes = {
            "verify": lambda: loop.verify(db, report, user, form.get("note"), settings),
            "reject": lambda: loop.reject(db, report, user, form.get("reason"), settings),
            "dispatch": lambda: loop.dispatch(db, report, user, level_of(db, form.get("unit_code", "")),
                                              form.get("unit_code", ""), form.get("note"), settings),
            "start": lambda: loop.start(db, report, user, form.get("note"), settings),
            "close": lambda: loop.close(db, report, user, form.get("outcome"), settings),
        }
        try:
            changes[action]()
        except Forbidden as error:
            raise ConsoleError(403, str(error).split(" / ")[0] + "。", back) from None
        except Conflict as error:
            raise ConsoleError(409, str(error).split(" / ")[0], back) from None
        except ValueError as error:
            raise ConsoleError(422, str(error).split(" / ")[0] + "。", back) from None
        console.commit(db, back)
        return RedirectResponse(f"{back}?done={action}", status_code=303)

    return router


__all__ = ["build_router", "GRID_CONSOLE_ROLES", "LEVEL_TITLES", "STAGE_TITLES"]
