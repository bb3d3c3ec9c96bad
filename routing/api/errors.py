"""How the routing core's refusals reach an API caller: registered by `create_app` for
the API only (the console, its own app, turns them into pages in Chinese).

Endpoints let these exceptions rise instead of catching them one by one; the session
dependency rolls the request's writes back on the way (routing/api/dependencies.py).
"""
from __future__ import annotations

from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse
from sqlalchemy.orm.exc import StaleDataError

from routing import lifecycle

STALE_MESSAGE = "the handoff changed meanwhile; reload it"


async def conflict(_request: Request, error: Exception) -> JSONResponse:
    """The request does not fit the handoff's current state."""
    return JSONResponse({"detail": str(error)}, status_code=status.HTTP_409_CONFLICT)


async def forbidden(_request: Request, error: Exception) -> JSONResponse:
    """The policy (routing/authorization.py) refuses this caller this action."""
    return JSONResponse({"detail": str(error)}, status_code=status.HTTP_403_FORBIDDEN)


async def stale(_request: Request, _error: Exception) -> JSONResponse:
    """Someone else changed the handoff between our read and our commit (its version moved)."""
    return JSONResponse({"detail": STALE_MESSAGE}, status_code=status.HTTP_409_CONFLICT)


def install(app: FastAPI) -> None:
    app.add_exception_handler(lifecycle.Conflict, conflict)
    app.add_exception_handler(lifecycle.Forbidden, forbidden)
    app.add_exception_handler(StaleDataError, stale)
