"""执委学堂 in the console: completion and scores per level and region (routing/study.py)."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from routing import study
from routing.console.context import Console, Viewer

PAGE = "/console/study"
STUDY_ROLES = ("staff", "supervisor", "admin")


def build_router(console: Console) -> APIRouter:
    router = APIRouter()

    @router.get(PAGE, response_class=HTMLResponse, include_in_schema=False)
    def overview(request: Request, viewer: Viewer = Depends(console.viewer(*STUDY_ROLES)),
                 db: Session = Depends(console.db)) -> Response:
        return console.render(request, "study.html", viewer, rows=study.summary(db), level_titles=study.LEVEL_TITLES)

    return router
