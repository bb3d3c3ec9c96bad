"""Is the service up, and are the things it depends on: for the process supervisor, the
load balancer, Prometheus and the tests.

- `GET /healthz`: liveness, with a round trip to the database (what `make run` waits for).
- `GET /healthz/ready`: every dependency, one check each: the database; Rasa's HTTP API (expert
  replies go through it); the delivery backlog (replies waiting for Rasa, and how long the
  oldest has waited). 503 when the database is down; `degraded` (200) when Rasa cannot be
  reached or replies wait longer than `BACKLOG_MINUTES`: the backend still takes requests.
- `GET /metrics`: Prometheus text format (routing/metrics.py). Counts only, no personal data.
"""
from __future__ import annotations

from datetime import timedelta

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse
from sqlalchemy import func, select

from assistant_contract.metrics_text import CONTENT_TYPE
from routing.api.dependencies import DatabaseSession
from routing.api.schemas import Health
from routing.metrics import BackendMetrics
from routing.models import HandoffMessage, utcnow

TAG = {"name": "health", "description": "Liveness with a database round trip, readiness of every dependency, "
                                        "and Prometheus metrics."}
router = APIRouter(tags=[TAG["name"]])
RASA_TIMEOUT_SECONDS = 2.0
BACKLOG_MINUTES = 5


def rasa_reachable(url: str) -> bool:
    """Rasa answers its root path ("Hello from Rasa") without a token."""
    try:
        return httpx.get(url.rstrip("/") + "/", timeout=RASA_TIMEOUT_SECONDS).status_code == 200
    except httpx.HTTPError:
        return False


def metrics_of(request: Request) -> BackendMetrics:
    state = request.app.state
    if getattr(state, "metrics", None) is None:
        state.metrics = BackendMetrics(state.services.session_factory)
    return state.metrics


@router.get("/healthz", response_model=Health)
def healthz(db: DatabaseSession) -> Health:
    db.execute(select(1))
    return Health()


@router.get("/healthz/ready")
def ready(request: Request) -> JSONResponse:
    services = request.app.state.services
    checks = {}
    try:
        with services.session_factory() as db:
            db.execute(select(1))
            pending = db.scalar(select(func.count()).where(HandoffMessage.delivery == "pending")) or 0
            oldest = db.scalar(select(func.min(HandoffMessage.created_at)).where(HandoffMessage.delivery == "pending"))
        checks["database"] = {"ok": True}
    except Exception as error:  # noqa: BLE001 - any failure to reach it is the answer
        checks["database"] = {"ok": False, "error": type(error).__name__}
        return JSONResponse({"status": "down", "checks": checks}, status_code=503)
    waited = (utcnow() - oldest) if oldest is not None else timedelta(0)
    checks["delivery_backlog"] = {"ok": waited < timedelta(minutes=BACKLOG_MINUTES), "pending": pending,
                                  "oldest_seconds": int(waited.total_seconds())}
    checks["rasa"] = {"ok": rasa_reachable(services.settings.rasa_url)}
    healthy = all(check["ok"] for check in checks.values())
    return JSONResponse({"status": "ok" if healthy else "degraded", "checks": checks})


@router.get("/metrics", include_in_schema=False)
def metrics(request: Request) -> PlainTextResponse:
    return PlainTextResponse(metrics_of(request).registry.expose(), media_type=CONTENT_TYPE)
