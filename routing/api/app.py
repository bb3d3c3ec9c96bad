"""The FastAPI application: build it with `create_app(settings)`.

Only assembly happens here: settings, services, middleware, error answers, the routers
of routing/api/routes/, and the web console at /console/. Who may read or change a
handoff is decided by routing/authorization.py, exactly as for the console; her words
reach only admins and her own expert unmasked (routing/api/schemas.py `shown_to`).

The console is its own application under /console (routing/console/): its middleware
and error pages never touch an API request, so the API answers the same with or
without it. What both share is owned here, for everyone: no answer is cached, and
oversized bodies are refused (routing/api/middleware.py).
"""
from __future__ import annotations

import logging
from typing import Optional

from fastapi import FastAPI

from routing import console
from routing.api import errors
from routing.api.dependencies import Services
from routing.api.middleware import RequestLog, ResponseGuard
from routing.api.routes import activities, auth, conversations, grid, handoffs, health, offices, study
from routing.db import make_engine, make_session_factory
from routing.metrics import BackendMetrics
from routing.relay import RasaRelay
from routing.settings import Settings, refuse_placeholder_secrets

log = logging.getLogger(__name__)
ROUTES = (health, auth, handoffs, conversations, offices, grid, activities, study)


def warn_about_secrets(settings: Settings) -> None:
    """Outside demo mode a placeholder secret raises: the service does not start."""
    for problem in refuse_placeholder_secrets(settings):
        log.warning("demo mode: %s", problem)
    if not settings.service_token_usable:
        log.warning("demo mode: every call with the service token is refused until ROUTING_SERVICE_TOKEN is set")


def create_app(settings: Optional[Settings] = None, session_factory=None, relay=None, *,
               with_console: bool = True) -> FastAPI:
    settings = settings or Settings()
    warn_about_secrets(settings)
    if session_factory is None:
        session_factory = make_session_factory(make_engine(settings.database_url))
    relay = relay or RasaRelay(settings.rasa_url, settings.rasa_token or None)

    app = FastAPI(title="南粤女声+ routing backend", version="1.0",
                  openapi_tags=[module.TAG for module in ROUTES])
    app.state.services = Services(settings=settings, session_factory=session_factory, relay=relay)
    errors.install(app)
    app.add_middleware(ResponseGuard, max_body_bytes=settings.max_body_bytes,
                       own_limit_prefixes=(console.PREFIX,) if with_console else (),
                       cacheable_prefixes=(console.STATIC_PREFIX,) if with_console else ())
    app.state.metrics = BackendMetrics(session_factory)  # GET /metrics (routing/metrics.py)
    app.add_middleware(RequestLog, metrics=app.state.metrics)  # one JSON line per request, X-Request-ID
    for module in ROUTES:
        app.include_router(module.router)
    if with_console:
        console.mount_console(app, settings, session_factory, relay)
    return app
