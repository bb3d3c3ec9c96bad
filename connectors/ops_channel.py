"""Operations for the Rasa server itself, as a small input channel (credentials.yml:
`connectors.ops_channel.OpsInput:`), since Rasa 3.6 has no metrics and its health route
(`GET /`) checks nothing.

- `GET /webhooks/ops/healthz`: the model is loaded, the tracker store answers, the action
  server answers (its `/health`). 503 when the model or the tracker store is missing;
  `degraded` when only the action server is down (answers that need no action still work).
- `GET /webhooks/ops/metrics`: Prometheus text: requests by method, route template and
  status with their latency, her messages by channel (POSTs to a channel's webhook).
- Every request of the Rasa server gets a request id (the caller's `X-Request-ID`, or a
  new one), returned in the answer, set for every log line written meanwhile (JSON lines,
  assistant_contract.json_logs; `OPS_JSON_LOGS=0` keeps Rasa's own format), and sent to the
  action server with each action call: the agent's action endpoint is wrapped for that
  (`RequestIdEndpoint`), so the id travels channel → Rasa → action server → routing backend.

Nothing is called while the blueprint is built; the checks run only when asked. Messages
that arrive over socket.io (the web chat) are not HTTP requests: they are not counted here.
"""
from __future__ import annotations

import logging
import os
import time
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from assistant_contract import json_logs
from assistant_contract.metrics_text import CONTENT_TYPE, Counter, Histogram, Registry
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.utils.endpoints import EndpointConfig
from sanic import Blueprint, response
from sanic.request import Request

logger = logging.getLogger(__name__)
requests_log = logging.getLogger("rasa_server.requests")
CHECK_TIMEOUT_SECONDS = 2.0


class RequestIdEndpoint(EndpointConfig):
    """The action endpoint, sending the request id of the message being handled."""

    async def request(self, method: Text = "post", subpath: Optional[Text] = None,
                      content_type: Optional[Text] = "application/json", compress: bool = False,
                      **kwargs: Any) -> Optional[Any]:
        request_id = json_logs.REQUEST_ID.get() or json_logs.new_request_id()
        kwargs["headers"] = {**kwargs.get("headers", {}), json_logs.HEADER: request_id}
        return await super().request(method, subpath, content_type, compress, **kwargs)


def with_request_ids(endpoint: Optional[EndpointConfig]) -> Optional[EndpointConfig]:
    if endpoint is None or isinstance(endpoint, RequestIdEndpoint):
        return endpoint
    return RequestIdEndpoint(url=endpoint.url, params=endpoint.params, headers=endpoint.headers,
                             basic_auth=endpoint.basic_auth, token=endpoint.token, token_name=endpoint.token_name,
                             cafile=endpoint.cafile, **endpoint.kwargs)


def wrap_agent(agent: Any) -> None:
    """The agent's and its processor's action endpoint send request ids (again after a model change)."""
    if agent is None:
        return
    agent.action_endpoint = with_request_ids(agent.action_endpoint)
    if agent.processor is not None:
        agent.processor.action_endpoint = with_request_ids(agent.processor.action_endpoint)


class AppWideBlueprint(Blueprint):
    """A blueprint whose owner also adds middleware to the whole application when Rasa
    registers it (blueprint middleware would only see the blueprint's own routes)."""

    def register(self, app, options):
        super().register(app, options)
        installer = getattr(self.ctx, "on_registered", None)
        if installer is not None:
            installer(app)


class RasaMetrics:
    def __init__(self) -> None:
        self.registry = Registry()
        self.requests: Counter = self.registry.counter(
            "rasa_http_requests_total", "Requests to the Rasa server, by method, route template and status",
            ("method", "route", "status"))
        self.latency: Histogram = self.registry.histogram(
            "rasa_http_request_seconds", "Time to answer, by method and route template", ("method", "route"))
        self.messages: Counter = self.registry.counter(
            "rasa_channel_messages_total", "Messages posted to a channel's webhook, by channel", ("channel",))

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.inc(method=method, route=route, status=str(status))
        self.latency.observe(seconds, method=method, route=route)
        parts = route.strip("/").split("/")
        if method == "POST" and len(parts) >= 3 and parts[0] == "webhooks" and parts[-1] == "webhook":
            self.messages.inc(channel=parts[1])


def route_template(request: Request) -> str:
    route = getattr(request, "route", None)
    path = getattr(route, "path", None) if route is not None else None
    return "/" + path.lstrip("/") if path else "unmatched"


async def _action_server_up(endpoint: Optional[EndpointConfig]) -> Optional[bool]:
    if endpoint is None:
        return None
    import aiohttp  # noqa: PLC0415 - Rasa's own HTTP client

    url = endpoint.url.rsplit("/webhook", 1)[0].rstrip("/") + "/health"
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=CHECK_TIMEOUT_SECONDS)) as session:
            async with session.get(url) as answer:
                return answer.status == 200
    except Exception:  # noqa: BLE001 - unreachable, refused, timed out: down
        return False


async def checks_of(agent: Any) -> Dict[str, Dict[str, Any]]:
    checks: Dict[str, Dict[str, Any]] = {"model": {"ok": bool(agent is not None and agent.is_ready())}}
    store = getattr(agent, "tracker_store", None)
    try:
        if store is None:
            raise RuntimeError("no tracker store")
        await store.retrieve("__ops_healthz__")  # a read that finds nothing and creates nothing
        checks["tracker_store"] = {"ok": True}
    except Exception as error:  # noqa: BLE001
        checks["tracker_store"] = {"ok": False, "error": type(error).__name__}
    up = await _action_server_up(getattr(agent, "action_endpoint", None))
    if up is not None:
        checks["action_server"] = {"ok": up}
    return checks


class OpsInput(InputChannel):
    """Not a channel she writes to: the Rasa server's request ids, health and metrics."""

    def __init__(self, json_lines: bool = True) -> None:
        self.json_lines = json_lines
        self.metrics = RasaMetrics()

    @classmethod
    def name(cls) -> Text:
        return "ops"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "OpsInput":
        return cls(json_lines=os.environ.get("OPS_JSON_LOGS", "1") != "0")

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        ops = AppWideBlueprint("ops_webhook", __name__)
        metrics = self.metrics

        async def start(request: Request) -> None:
            request.ctx.request_id = json_logs.request_id_from(request.headers.get(json_logs.HEADER))
            json_logs.REQUEST_ID.set(request.ctx.request_id)
            request.ctx.started = time.perf_counter()
            wrap_agent(getattr(request.app.ctx, "agent", None))

        async def finish(request: Request, answer) -> None:
            started = getattr(request.ctx, "started", None)
            if started is None or answer is None:
                return
            seconds, route = time.perf_counter() - started, route_template(request)
            answer.headers[json_logs.HEADER] = request.ctx.request_id
            metrics.observe(request.method, route, answer.status, seconds)
            requests_log.info("request", extra={"fields": {"method": request.method, "route": route,
                                                           "status": answer.status,
                                                           "duration_ms": round(seconds * 1000, 1)}})

        def install(app) -> None:
            if self.json_lines:
                json_logs.configure()
            app.register_middleware(start, "request")
            app.register_middleware(finish, "response")

        ops.ctx.on_registered = install

        @ops.route("/", methods=["GET"])
        async def health(_: Request):
            return response.json({"status": "ok"})

        @ops.route("/healthz", methods=["GET"])
        async def healthz(request: Request):
            checks = await checks_of(getattr(request.app.ctx, "agent", None))
            essential = checks["model"]["ok"] and checks["tracker_store"]["ok"]
            status = "ok" if all(check["ok"] for check in checks.values()) else ("degraded" if essential else "down")
            return response.json({"status": status, "checks": checks}, status=200 if essential else 503)

        @ops.route("/metrics", methods=["GET"])
        async def prometheus(_: Request):
            return response.text(metrics.registry.expose(), content_type=CONTENT_TYPE)

        return ops
