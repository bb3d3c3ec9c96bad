"""What every answer of the backend gets, API and console alike, owned by `create_app`:
no answer is kept by a browser or proxy cache (most carry her words), and oversized
bodies are refused before they are read.

A plain ASGI middleware, so streamed answers (the console's live updates) pass through
untouched. Paths the console answers itself are left to it: its oversized forms get a
page in Chinese, and its static files may be cached.
"""
from __future__ import annotations

import logging
import time
from typing import Tuple

from assistant_contract.json_logs import HEADER as REQUEST_HEADER
from assistant_contract.json_logs import REQUEST_ID, request_id_from
from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

request_log = logging.getLogger("routing.requests")


class ResponseGuard:
    def __init__(self, app: ASGIApp, *, max_body_bytes: int, own_limit_prefixes: Tuple[str, ...] = (),
                 cacheable_prefixes: Tuple[str, ...] = ()) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.own_limit_prefixes = own_limit_prefixes
        self.cacheable_prefixes = cacheable_prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        cacheable = path.startswith(self.cacheable_prefixes)

        async def send_no_store(message: Message) -> None:
            if message["type"] == "http.response.start" and not cacheable:
                MutableHeaders(scope=message)["Cache-Control"] = "no-store"
            await send(message)

        if self._oversized(scope) and not path.startswith(self.own_limit_prefixes):
            refusal = JSONResponse({"detail": f"body over {self.max_body_bytes} bytes"}, status_code=413)
            await refusal(scope, receive, send_no_store)
            return
        await self.app(scope, receive, send_no_store)

    def _oversized(self, scope: Scope) -> bool:
        length = Headers(scope=scope).get("content-length")
        return bool(length and length.isdigit() and int(length) > self.max_body_bytes)


class RequestLog:
    """One JSON line per request (routing/logging via assistant_contract.json_logs): request id,
    method, route template, status, duration; never the concrete path (it may hold her
    conversation id), the query string (her place) or a body. The id comes from the caller's
    `X-Request-ID` (the action server sends the one of her message) or is made here, is set for
    every log line written while the request runs, and is returned in the answer's header.
    `metrics` (routing/metrics.py), when given, counts the request and its latency."""

    def __init__(self, app: ASGIApp, metrics=None) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_from(Headers(scope=scope).get(REQUEST_HEADER))
        token = REQUEST_ID.set(request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[REQUEST_HEADER] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - started
            route = route_template(scope)
            request_log.info("request", extra={"fields": {
                "method": scope["method"], "route": route, "status": status, "duration_ms": round(seconds * 1000, 1)}})
            if self.metrics is not None:
                self.metrics.requests.inc(method=scope["method"], route=route, status=str(status))
                self.metrics.latency.observe(seconds, method=scope["method"], route=route)
            REQUEST_ID.reset(token)


def route_template(scope: Scope) -> str:
    """`/api/v1/handoffs/{handoff_id}` rather than the path; the console's pages by their
    section (`/console/transcripts/…`), since the console is an application of its own."""
    route = scope.get("route")
    template = getattr(route, "path", None)
    if template:
        return template
    path = scope.get("path", "")
    if path == "/console" or path.startswith("/console/"):
        parts = path.split("/")
        return "/".join(parts[:3]) + ("/…" if len(parts) > 3 else "")
    return "unmatched"
