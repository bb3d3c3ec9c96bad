"""The routing backend over HTTP (httpx, async), for the action server.

Async because the action server runs every action on one event loop: a blocking
call would stall every other conversation while the backend is slow or down.
Every failure becomes `RoutingUnavailable` or `RoutingRefused`; no httpx error
leaves this module, and nothing she wrote reaches the log.
"""
from __future__ import annotations

import logging
import ssl
from dataclasses import asdict
from datetime import datetime
from functools import lru_cache
from typing import Any, Callable, Dict, List, Optional

import httpx
from assistant_contract.conversation_ids import path_segment
from assistant_contract.handoff_request import request_body

from assistant_contract.json_logs import HEADER as REQUEST_HEADER
from assistant_contract.json_logs import REQUEST_ID

from actions.grid_types import GridBinding, GridReceipt, GridReport
from actions.metrics import routing_failed
from actions.handoff_types import HandoffRecord, HandoffRequest, IssuedCode
from actions.routing_protocol import RoutingRefused, RoutingUnavailable

logger = logging.getLogger(__name__)

TRY_LATER_STATUSES = (408, 429)  # 4xx that mean "not now" rather than "no"
MAX_REASON_CHARS = 200
MAX_MESSAGE_CHARS = 4000


class WithoutQuery(logging.Filter):
    """httpx logs every request's full URL at INFO, and her region and coordinates
    travel in the query string: the log keeps the method, path and status only."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(arg.copy_with(query=None) if isinstance(arg, httpx.URL) else arg
                                for arg in record.args)
        return True


def _keep_her_place_out_of_the_log() -> None:
    """Once per process, when the first client is made (not at import)."""
    httpx_logger = logging.getLogger("httpx")
    if not any(isinstance(existing, WithoutQuery) for existing in httpx_logger.filters):
        httpx_logger.addFilter(WithoutQuery())


@lru_cache(maxsize=1)
def _tls_context() -> ssl.SSLContext:
    """Built once, on first use: building one per client costs ~25 ms."""
    return ssl.create_default_context()


def _time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))  # Python 3.10 rejects "Z"


def _record(data: dict) -> HandoffRecord:
    return HandoffRecord(
        id=data["id"], conversation_id=data["conversation_id"], channel=data.get("channel"),
        category=data.get("category"), intent=data.get("intent"), urgent=bool(data.get("urgent")),
        summary=data.get("summary", ""), status=data["status"],
        created_at=_time(data["created_at"]), due_at=_time(data["due_at"]),
        holder=data.get("holder"),
    )


def _offices(data: Any) -> List[Dict[str, Any]]:
    if not isinstance(data, list) or not all(isinstance(office, dict) for office in data):
        raise TypeError("offices must be a list of objects")
    return data


def refusal_reason(response: httpx.Response) -> str:
    """The backend's reason, safe to log: FastAPI's validation errors echo the
    submitted value (`input`, her words), so only where and what is kept."""
    try:
        detail = response.json().get("detail")
    except (ValueError, AttributeError):
        detail = None
    if isinstance(detail, str):
        reason = detail
    elif isinstance(detail, list):
        reason = "; ".join(
            f"{'.'.join(str(part) for part in item.get('loc', []))}: {item.get('msg', '')}"
            for item in detail if isinstance(item, dict)
        )
    else:
        reason = response.reason_phrase
    return reason[:MAX_REASON_CHARS] or str(response.status_code)


class RoutingClient:
    """`RoutingBackend` over HTTP. One short-lived httpx.AsyncClient per call: a
    pooled client belongs to the event loop that made it, and the action server's
    loop is not the one a test or a factory runs in."""

    def __init__(self, base_url: str, token: str, timeout: float = 3.0,
                 transport: Optional[httpx.AsyncBaseTransport] = None) -> None:
        self._base = base_url.rstrip("/")
        self._headers = {"Authorization": f"Bearer {token}"}
        self._timeout = timeout
        self._transport = transport
        _keep_her_place_out_of_the_log()

    async def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """The answer, or `RoutingUnavailable` when there is none worth reading."""
        if REQUEST_ID.get():  # the request id of her message, for the backend's log (actions/metrics.py)
            kwargs["headers"] = {**kwargs.get("headers", {}), REQUEST_HEADER: REQUEST_ID.get()}
        try:
            async with httpx.AsyncClient(base_url=self._base, headers=self._headers, timeout=self._timeout,
                                         transport=self._transport, verify=_tls_context()) as http:
                response = await http.request(method, path, **kwargs)
        except httpx.TimeoutException as error:
            routing_failed("unavailable")
            raise RoutingUnavailable(f"{method} {path}: no answer within {self._timeout} s") from error
        except httpx.HTTPError as error:  # connection refused, reset, protocol errors
            routing_failed("unavailable")
            raise RoutingUnavailable(f"{method} {path}: {type(error).__name__}") from error
        if response.status_code >= 500 or response.status_code in TRY_LATER_STATUSES:
            routing_failed("unavailable")
            raise RoutingUnavailable(f"{method} {path}: {response.status_code} from the routing backend")
        return response

    async def _answer(self, method: str, path: str, parse: Optional[Callable[[Any], Any]] = None,
                      missing: bool = False, **kwargs: Any) -> Any:
        """The parsed answer; None for a 404 when `missing` allows it. A 4xx is
        `RoutingRefused`; so is a 2xx that cannot be read, since that is a contract
        break, not an outage: retrying could open her request twice."""
        response = await self._call(method, path, **kwargs)
        if missing and response.status_code == 404:
            return None
        if response.status_code >= 400:
            reason = refusal_reason(response)
            logger.warning("routing backend refused %s %s: %s %s", method, path, response.status_code, reason)
            routing_failed("refused")
            raise RoutingRefused(response.status_code, reason)
        if parse is None:
            return None
        try:
            return parse(response.json())
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            logger.warning("routing backend answered %s %s with an unreadable body (%s)",
                           method, path, type(error).__name__)
            raise RoutingRefused(response.status_code, "unreadable answer") from error

    async def open_handoff(self, request: HandoffRequest) -> HandoffRecord:
        body = request_body(**asdict(request))  # cut to what the backend accepts (assistant_contract)
        return await self._answer("POST", "/api/v1/handoffs", parse=_record, json=body)

    async def latest_for(self, conversation_id: str) -> Optional[HandoffRecord]:
        path = f"/api/v1/conversations/{path_segment(conversation_id)}/status"
        return await self._answer("GET", path, parse=_record, missing=True)

    async def offices_for_region(self, region: str, level: Optional[str] = None) -> List[Dict[str, Any]]:
        params = {"region": region, **({"level": level} if level else {})}
        return await self._answer("GET", "/api/v1/offices/for-region", parse=_offices, params=params)

    async def nearest_offices(
        self, latitude: float, longitude: float, level: Optional[str] = None, limit: int = 3
    ) -> List[Dict[str, Any]]:
        params = {"latitude": latitude, "longitude": longitude, "limit": limit, **({"level": level} if level else {})}
        return await self._answer("GET", "/api/v1/offices/nearest", parse=_offices, params=params)

    async def withdraw(self, handoff_id: str, conversation_id: str) -> str:
        path = f"/api/v1/handoffs/{path_segment(handoff_id)}/withdraw"
        return await self._answer("POST", path, parse=lambda data: str(data["status"]),
                                  json={"conversation_id": conversation_id})

    async def forward_message(self, handoff_id: str, text: str) -> None:
        path = f"/api/v1/handoffs/{path_segment(handoff_id)}/messages"
        await self._answer("POST", path, json={"text": text[:MAX_MESSAGE_CHARS]})

    async def continuation_code(self, conversation_id: str) -> Optional[IssuedCode]:
        path = f"/api/v1/conversations/{path_segment(conversation_id)}/continuation-code"
        return await self._answer("POST", path, missing=True, parse=lambda data: IssuedCode(
            code=str(data["code"]), expires_at=_time(data["expires_at"]), handoff_id=str(data["handoff_id"])))

    async def continue_case(self, code: str, channel: str, conversation_id: str) -> Optional[HandoffRecord]:
        path = f"/api/v1/conversations/{path_segment(conversation_id)}/continue"
        return await self._answer("POST", path, parse=_record, missing=True, json={"code": code, "channel": channel})

    async def bind_grid_chat(self, code: str, channel: str, conversation_id: str) -> Optional[GridBinding]:
        body = {"code": code, "channel": channel, "conversation_id": conversation_id}
        return await self._answer("POST", "/api/v1/grid/bindings", parse=GridBinding.from_dict, missing=True,
                                  json=body)

    async def grid_binding_for(self, conversation_id: str) -> Optional[GridBinding]:
        path = f"/api/v1/grid/bindings/{path_segment(conversation_id)}"
        return await self._answer("GET", path, parse=GridBinding.from_dict, missing=True)

    async def submit_grid_report(self, report: GridReport) -> GridReceipt:
        return await self._answer("POST", "/api/v1/grid/reports", parse=GridReceipt.from_dict, json=report.body())
