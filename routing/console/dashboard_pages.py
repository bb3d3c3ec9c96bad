"""The dashboard: the live workload and alerts (refreshing themselves), the period's figures
with charts drawn in the page, and the same figures as CSV."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta, timezone
from typing import Tuple

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from assistant_contract.handoffs import OPEN_STATUSES
from routing import read_audit  # every read and export in the audit log (issue #20)
from routing.console import charts, labels, workload
from routing.console.context import DASHBOARD_ROLES, Console, ConsoleError, Viewer
from routing.console.dashboard_figures import Figures, compute, csv_rows, duration_text, percent_text
from assistant_contract.china_time import CHINA_TIME
from routing.console.periods import PeriodError, parse_period
from routing.masking import mask
from routing.models import Department, Handoff, User, utcnow

MAX_DAYS = 366
REFRESH_SECONDS = 15


def period(params) -> Tuple[date, date]:
    """For the CSV, which cannot show a form: a bad range is an error page."""
    try:
        return parse_period(params, MAX_DAYS)
    except PeriodError as error:
        raise ConsoleError(400, str(error), "/console/dashboard") from None


def safe_cell(value: str) -> str:
    """Masked like every export; a region typed as =HYPERLINK(…) stays text in a spreadsheet."""
    value = mask(value)
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value


def build_router(console: Console) -> APIRouter:
    router = APIRouter()
    viewer_dependency = console.viewer(*DASHBOARD_ROLES)

    def figures_for(db: Session, start: date, end: date) -> Figures:
        # In UTC: SQLite keeps the digits of a bound datetime and drops its offset.
        utc_start = datetime.combine(start, datetime.min.time(), CHINA_TIME).astimezone(timezone.utc)
        utc_end = (datetime.combine(end, datetime.min.time(), CHINA_TIME) + timedelta(days=1)).astimezone(timezone.utc)
        handoffs = db.scalars(select(Handoff).options(selectinload(Handoff.messages))
                              .where(Handoff.created_at >= utc_start, Handoff.created_at < utc_end)).all()
        return compute(console.tracker.turns_between(utc_start, utc_end), handoffs, start, end, utcnow())

    def live_context(db: Session) -> dict:
        now = utcnow()
        names = {d.id: d.name for d in db.scalars(select(Department))}
        handoffs = db.scalars(select(Handoff).options(selectinload(Handoff.assignee))
                              .where(Handoff.status.in_(OPEN_STATUSES))).all()
        experts = db.scalars(select(User).where(User.role == "expert", User.disabled.is_(False))).all()
        return dict(workload=workload.compute(handoffs, experts, names, now), now=now,
                    refresh_seconds=REFRESH_SECONDS)

    @router.get("/console/dashboard/live", response_class=HTMLResponse, include_in_schema=False)
    def live(request: Request, viewer: Viewer = Depends(viewer_dependency),
             db: Session = Depends(console.db)) -> Response:
        return console.render(request, "_live_board.html", viewer, **live_context(db))

    @router.get("/console/dashboard", response_class=HTMLResponse, include_in_schema=False)
    def dashboard(request: Request, viewer: Viewer = Depends(viewer_dependency),
                  db: Session = Depends(console.db)) -> Response:
        params = request.query_params
        try:
            start, end = parse_period(params, MAX_DAYS)
        except PeriodError as error:  # the form again, with what she typed and what is wrong
            return console.render(request, "dashboard.html", viewer, status_code=400, error=str(error),
                                  form_start=params.get("start", ""), form_end=params.get("end", ""),
                                  **live_context(db))
        figures = figures_for(db, start, end)
        order = list(labels.CATEGORY)
        return console.render(
            request, "dashboard.html", viewer, figures=figures, query=str(request.url.query),
            form_start=start.isoformat(), form_end=end.isoformat(),
            per_day=charts.stacked_columns(figures.days, figures.requests_by_day, order, labels.CATEGORY),
            by_status=charts.horizontal_bars([(labels.STATUS[s], figures.handoffs_by_status.get(s, 0))
                                              for s in labels.STATUS]),
            by_region=charts.horizontal_bars(figures.requests_by_region[:15]),
            in_time=percent_text(figures.share_in_time), helpful=percent_text(figures.share_helpful),
            first_reply=duration_text(figures.median_first_reply), **live_context(db))

    @router.get("/console/dashboard.csv", include_in_schema=False)
    def export(request: Request, viewer: Viewer = Depends(viewer_dependency),
               db: Session = Depends(console.db)) -> Response:
        start, end = period(request.query_params)
        buffer = io.StringIO()
        csv.writer(buffer).writerows([[safe_cell(cell) for cell in row] for row in csv_rows(figures_for(db, start, end))])
        filename = f"dashboard-{start.isoformat()}-{end.isoformat()}.csv"
        read_audit.noted(db, viewer.user, "export.dashboard_csv", filename)
        return Response("\ufeff" + buffer.getvalue(), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{filename}"'})

    return router
