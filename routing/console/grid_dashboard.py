"""The grid dashboard: reports by source, area, stage and town, overdue per stage, the
median time from report to close, and a CSV export — over her part of the tree."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, StreamingResponse
from sqlalchemy.orm import Session

from routing.console import grid_labels
from routing.console.context import Console, Viewer
from routing.grid import figures, queries, scope, tree
from routing.grid.models import GridReport
from routing.models import utcnow


def build_router(console: Console) -> APIRouter:
    router = APIRouter()
    viewer_of = console.viewer(*grid_labels.DASHBOARD_VIEWERS)

    @router.get("/console/grid/dashboard", response_class=HTMLResponse)
    def dashboard(request: Request, viewer: Viewer = Depends(viewer_of), db: Session = Depends(console.db)):
        towns = {unit.code: unit.name for unit in tree.units_at(db, "town")}
        return console.render(request, "grid_dashboard.html", viewer, grid_labels=grid_labels,
                              grid_nav=grid_labels.navigation(viewer.user), unit=scope.unit_of(db, viewer.user),
                              figures=figures.figures(db, viewer.user, utcnow()), towns=towns,
                              duration=figures.as_duration)

    @router.get("/console/grid/dashboard.csv")
    def export(viewer: Viewer = Depends(viewer_of), db: Session = Depends(console.db)) -> StreamingResponse:
        towns = {unit.code: unit.name for unit in tree.units_at(db, "town")}
        reports = list(db.scalars(queries.visible(db, viewer.user).order_by(GridReport.id)))
        return StreamingResponse(figures.csv_rows(reports, towns), media_type="text/csv; charset=utf-8",
                                 headers={"Content-Disposition": 'attachment; filename="grid-reports.csv"'})

    return router
