"""Is the service up and its database reachable: for the process supervisor and the tests."""
from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import select

from routing.api.dependencies import DatabaseSession
from routing.api.schemas import Health

TAG = {"name": "health", "description": "Liveness, with a round trip to the database."}
router = APIRouter(tags=[TAG["name"]])


@router.get("/healthz", response_model=Health)
def healthz(db: DatabaseSession) -> Health:
    db.execute(select(1))
    return Health()
