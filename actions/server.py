"""The action server, reachable only by Rasa: `python -m actions.server`.

rasa-sdk 3.6 has no authentication, binds every interface and answers errors
with the request body (her whole conversation) in the response. This runner
keeps rasa-sdk's app but binds 127.0.0.1 by default, accepts only calls that
carry the token Rasa sends (`action_endpoint.token` in endpoints.yml, which
Rasa adds as `?token=`), and answers errors without echoing anything.

Operations (actions/metrics.py): `GET /healthz` checks what the actions depend on (the
local outbox's backlog, the routing backend), `GET /metrics` gives Prometheus counts, and
every call logs one JSON line with the request id of her message, which the routing client
sends on as `X-Request-ID`.
"""
from __future__ import annotations

import argparse
import hmac
import logging
from dataclasses import dataclass
from typing import Mapping, Optional

from bot.environment import DEVELOPMENT, deployment, environment, text, whole_number

logger = logging.getLogger(__name__)

OPEN_PATHS = ("/health", "/healthz", "/metrics")  # no personal data in any of them
BACKLOG_SECONDS = 300  # an outbox row older than this makes /healthz "degraded"
ROUTING_TIMEOUT_SECONDS = 2.0
MIN_TOKEN_LENGTH = 24


class InsecureSettings(ValueError):
    """Raised at start-up, outside development, when a secret is missing or weak."""


@dataclass(frozen=True)
class ActionServerSettings:
    host: str
    port: int
    token: str
    development: bool
    outbox_retry_seconds: float = 15.0  # how often what waits in the outbox is tried again

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None) -> "ActionServerSettings":
        environ = environment(environ)
        settings = cls(
            host=text(environ, "ACTION_SERVER_HOST", "127.0.0.1"),
            port=whole_number(environ, "ACTION_SERVER_PORT", 5055),
            token=text(environ, "ACTION_SERVER_TOKEN"),
            development=deployment(environ) == DEVELOPMENT,
            outbox_retry_seconds=float(whole_number(environ, "ACTION_SERVER_OUTBOX_RETRY_SECONDS", 15)),
        )
        if len(settings.token) < MIN_TOKEN_LENGTH and not settings.development:
            raise InsecureSettings(
                f"ACTION_SERVER_TOKEN must be set (at least {MIN_TOKEN_LENGTH} characters) outside development; "
                "`make run` generates one in var/secrets/")
        return settings


def token_matches(expected: str, given: Optional[str]) -> bool:
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8"))


KEEP_ALIVE_SECONDS = 75


def build_app(settings: ActionServerSettings, package: str = "actions"):
    """rasa-sdk's app with the token check in front of every route but the health check."""
    from rasa_sdk.endpoint import create_app
    from sanic import response

    app = create_app(package, cors_origins=None)
    # Rasa's aiohttp client keeps connections to us in its pool for 15 s; Sanic closed idle ones
    # after 5 s, so under load a call sent on a connection just being closed was lost and she got
    # no reply (make bench-load, reports/load/findings.md). The server must outwait the client.
    app.config.KEEP_ALIVE_TIMEOUT = KEEP_ALIVE_SECONDS
    if not settings.token:
        logger.warning("ACTION_SERVER_TOKEN is not set: any local process can call the action server")

    @app.on_request
    async def require_token(request):
        if not settings.token or request.path in OPEN_PATHS:
            return None
        given = request.args.get("token") or request.headers.get("authorization", "").removeprefix("Bearer ")
        if not token_matches(settings.token, given):
            return response.json({"error": "unauthorized"}, status=401)
        return None

    install_operations(app)

    @app.listener("after_server_start")
    async def deliver_what_waits(app, loop):  # noqa: ARG001 - Sanic's listener signature
        from actions.factories import default_handoff_store  # noqa: PLC0415 - settings are read at start, not import

        app.add_task(default_handoff_store().keep_delivering(settings.outbox_retry_seconds))
        from actions.grid_outbox import default_grid_sender  # noqa: PLC0415 - as above: grid reports kept while down

        app.add_task(default_grid_sender().keep_delivering(settings.outbox_retry_seconds))

    @app.exception(Exception)
    async def without_her_words(request, exception: Exception):
        logger.error("action call failed: %s", type(exception).__name__, exc_info=exception)
        return response.json({"error": "the action failed"}, status=500)

    return app


async def routing_reachable(routing_url: str) -> bool:
    import httpx  # noqa: PLC0415

    try:
        async with httpx.AsyncClient(timeout=ROUTING_TIMEOUT_SECONDS) as http:
            return (await http.get(routing_url.rstrip("/") + "/healthz")).status_code == 200
    except httpx.HTTPError:
        return False


def install_operations(app, environ: Optional[Mapping[str, str]] = None) -> None:
    """Request ids and one JSON line per call, metrics, and /healthz, on rasa-sdk's app."""
    import time  # noqa: PLC0415

    from assistant_contract.json_logs import HEADER, REQUEST_ID
    from sanic import response

    from actions import metrics as action_metrics
    from bot.settings import Settings

    settings = Settings.from_env(environ)
    counted = action_metrics.install(action_metrics.ActionMetrics(settings.handoff_store_path))
    calls = logging.getLogger("actions.calls")

    @app.on_request
    async def start_call(request):
        body = request.json if request.method == "POST" and request.path == "/webhook" else None
        request.ctx.body = body
        request.ctx.request_id = action_metrics.request_id_for(request.headers.get(HEADER), body)
        request.ctx.token = REQUEST_ID.set(request.ctx.request_id)
        request.ctx.started = time.perf_counter()

    @app.on_response
    async def end_call(request, answer):
        seconds = time.perf_counter() - getattr(request.ctx, "started", time.perf_counter())
        request_id = getattr(request.ctx, "request_id", "")
        if request_id:
            answer.headers[HEADER] = request_id
        if request.path == "/webhook":
            counted.action_called(getattr(request.ctx, "body", None), answer.status, seconds)
            action, _, _ = action_metrics.call_details(getattr(request.ctx, "body", None))
            calls.info("action", extra={"fields": {"request_id": request_id, "action": action,
                                                   "status": answer.status, "duration_ms": round(seconds * 1000, 1)}})

    @app.get("/healthz")
    async def healthz(request):
        backlog = action_metrics.outbox_backlog(settings.handoff_store_path)
        waited = action_metrics.oldest_seconds(backlog)
        checks = {"outbox": {"ok": waited < BACKLOG_SECONDS, "waiting": {kind: count for kind, (count, _) in
                                                                          backlog.items()}, "oldest_seconds": waited},
                  "routing": {"ok": await routing_reachable(settings.routing_url)}}
        healthy = all(check["ok"] for check in checks.values())
        return response.json({"status": "ok" if healthy else "degraded", "checks": checks})

    @app.get("/metrics")
    async def metrics(request):
        from assistant_contract.metrics_text import CONTENT_TYPE

        return response.text(counted.registry.expose(), content_type=CONTENT_TYPE)


def main(argv: Optional[list] = None) -> None:
    parser = argparse.ArgumentParser(description="the assistant's action server (token required)")
    parser.add_argument("--port", type=int, default=None)
    parser.add_argument("--host", default=None)
    args = parser.parse_args(argv)
    from assistant_contract import json_logs  # noqa: PLC0415

    json_logs.configure()  # one JSON object per line, with the request id of her message
    try:
        settings = ActionServerSettings.from_env()
    except InsecureSettings as error:
        raise SystemExit(str(error)) from None
    host = args.host or settings.host
    port = args.port or settings.port
    logger.info("action server on http://%s:%s", host, port)
    build_app(settings).run(host, port, workers=1, access_log=False, motd=False)


if __name__ == "__main__":
    main()
