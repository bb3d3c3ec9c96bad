"""Stand-ins for the actions' collaborators, kept out of production code: the
`HandoffStore` and `RoutingBackend` protocols in memory, and a real HTTP server
on 127.0.0.1 that answers every call the same way (to check the httpx client)."""
from __future__ import annotations

import threading
import time
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List, Optional, Set, Tuple

from actions.grid_types import GridBinding, GridReceipt, GridReport
from actions.handoff_types import HandoffRecord, HandoffRequest, IssuedCode, new_record
from actions.routing_protocol import RoutingError, RoutingRefused, RoutingUnavailable
from tests.http_stubs import send_json


class InMemoryHandoffStore:
    """`HandoffStore` in memory. `waiting` acts as if the backend were down (the
    outbox keeps everything); `failure` is raised by every call, e.g. a refusal."""

    def __init__(self, normal_hours: int = 48, urgent_hours: int = 1,
                 waiting: bool = False, failure: Optional[Exception] = None) -> None:
        self._normal_hours, self._urgent_hours = normal_hours, urgent_hours
        self.waiting, self.failure = waiting, failure
        self.records: List[HandoffRecord] = []
        self.requests: List[HandoffRequest] = []
        self.forwarded: List[Tuple[str, str, str]] = []

    def _fail_if_told(self) -> None:
        if self.failure is not None:
            raise self.failure

    async def open_request(self, request: HandoffRequest) -> HandoffRecord:
        self._fail_if_told()
        record = replace(new_record(request, self._normal_hours, self._urgent_hours), delivered=not self.waiting)
        self.records.append(record)
        self.requests.append(request)
        return record

    async def latest_for(self, conversation_id: str) -> Optional[HandoffRecord]:
        self._fail_if_told()
        mine = [r for r in self.records if r.conversation_id == conversation_id]
        return mine[-1] if mine else None

    async def forward_message(self, conversation_id: str, handoff_id: str, text: str) -> bool:
        self._fail_if_told()
        self.forwarded.append((conversation_id, handoff_id, text))
        return not self.waiting

    async def open_urgent(self, request: HandoffRequest) -> HandoffRecord:
        """As the outbox does: kept at once, delivered later; only a local failure (not a
        routing error: nothing went out yet) is raised."""
        if self.failure is not None and not isinstance(self.failure, RoutingError):
            raise self.failure
        record = replace(new_record(request, self._normal_hours, self._urgent_hours), delivered=False)
        self.records.append(record)
        self.requests.append(request)
        return record

    async def forward_later(self, conversation_id: str, handoff_id: str, text: str) -> None:
        self.forwarded.append((conversation_id, handoff_id, text))

    async def withdraw(self, conversation_id: str, handoff_id: str) -> None:
        self._fail_if_told()
        if self.waiting:
            raise RoutingUnavailable("the fake outbox holds it")
        mine = [r for r in self.records if r.id == handoff_id and r.conversation_id == conversation_id]
        if not mine or mine[-1].urgent or mine[-1].status == "returned":
            raise RoutingRefused(409, "urgent or closed")
        self.records[self.records.index(mine[-1])] = replace(mine[-1], status="returned")


class FakeRoutingBackend:
    """`RoutingBackend` in memory, answering as the real one does: unknown handoff
    ids are refused (404). `down` makes every call unavailable; `refusal` is raised
    by every call; requests of `refused_conversations` are refused (422)."""

    def __init__(self, offices: Optional[List[Dict[str, Any]]] = None) -> None:
        self.offices = offices or []
        self.down = False
        self.refusal: Optional[RoutingRefused] = None
        self.refused_conversations: Set[str] = set()
        self.handoffs: List[HandoffRecord] = []
        self.requests: List[HandoffRequest] = []
        self.messages: List[Tuple[str, str]] = []  # (handoff id, text), in arrival order

    def _answer_or_fail(self) -> None:
        if self.down:
            raise RoutingUnavailable("the fake backend is down")
        if self.refusal is not None:
            raise self.refusal

    async def open_handoff(self, request: HandoffRequest) -> HandoffRecord:
        self._answer_or_fail()
        if request.conversation_id in self.refused_conversations:
            raise RoutingRefused(422, "body.summary: refused by the fake")
        record = replace(new_record(request, 48, 1), id=f"remote-{len(self.handoffs) + 1}")
        self.handoffs.append(record)
        self.requests.append(request)
        return record

    async def latest_for(self, conversation_id: str) -> Optional[HandoffRecord]:
        self._answer_or_fail()
        mine = [h for h in self.handoffs if h.conversation_id == conversation_id]
        return mine[-1] if mine else None

    async def withdraw(self, handoff_id: str, conversation_id: str) -> str:
        self._answer_or_fail()
        mine = [h for h in self.handoffs if h.id == handoff_id and h.conversation_id == conversation_id]
        if not mine:
            raise RoutingRefused(404, f"no handoff {handoff_id}")
        if mine[0].urgent or mine[0].status == "returned":
            raise RoutingRefused(409, "urgent or closed")
        self.handoffs[self.handoffs.index(mine[0])] = replace(mine[0], status="returned")
        return "returned"

    async def forward_message(self, handoff_id: str, text: str) -> None:
        self._answer_or_fail()
        if handoff_id not in {h.id for h in self.handoffs}:
            raise RoutingRefused(404, f"no handoff {handoff_id}")
        self.messages.append((handoff_id, text))

    async def offices_for_region(self, region: str, level: Optional[str] = None) -> List[Dict[str, Any]]:
        self._answer_or_fail()
        return [o for o in self.offices if not level or o.get("level") == level]

    async def nearest_offices(
        self, latitude: float, longitude: float, level: Optional[str] = None, limit: int = 3
    ) -> List[Dict[str, Any]]:
        self._answer_or_fail()
        return [o for o in self.offices if not level or o.get("level") == level][:limit]


class StubRoutingServer:
    """A real HTTP server on 127.0.0.1 that answers every request with one status
    and JSON body (after `delay` seconds), and keeps what it was sent."""

    def __init__(self, status: int, body: Any = None, delay: float = 0.0) -> None:
        self.received: List[Tuple[str, str, bytes]] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                sent = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                stub.received.append((self.command, self.path, sent))
                time.sleep(delay)
                try:
                    send_json(self, status, body)
                except (BrokenPipeError, ConnectionResetError):  # the client stopped waiting
                    pass

            do_GET = do_POST = _answer

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    def __enter__(self) -> "StubRoutingServer":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._server.shutdown()
        self._server.server_close()


class FakeGridBackend:
    """`GridReporting` in memory, answering as the routing backend does: a code binds
    once (then it is used), unknown codes and chats are None. `down` makes every call
    unavailable; `refusal` is raised by every call."""

    def __init__(self, codes: Optional[Dict[str, Any]] = None) -> None:
        self.codes: Dict[str, GridBinding] = {code: GridBinding.from_dict(b) for code, b in (codes or {}).items()}
        self.bindings: Dict[str, GridBinding] = {}
        self.reports: List[GridReport] = []
        self.down = False
        self.refusal: Optional[RoutingRefused] = None

    def _answer_or_fail(self) -> None:
        if self.down:
            raise RoutingUnavailable("the fake backend is down")
        if self.refusal is not None:
            raise self.refusal

    async def bind_grid_chat(self, code: str, channel: str, conversation_id: str) -> Optional[GridBinding]:
        self._answer_or_fail()
        binding = self.codes.pop(code, None)
        if binding is not None:
            self.bindings[conversation_id] = binding
        return binding

    async def grid_binding_for(self, conversation_id: str) -> Optional[GridBinding]:
        self._answer_or_fail()
        return self.bindings.get(conversation_id)

    async def submit_grid_report(self, report: GridReport) -> GridReceipt:
        self._answer_or_fail()
        self.reports.append(report)
        number = f"WG-2026-{len(self.reports):06d}"
        urgent = report.urgency == "urgent"
        return GridReceipt(id=str(len(self.reports)), number=number, status="reported", area=report.area,
                           urgent=urgent, handoff_id=f"h-{len(self.reports)}" if urgent else None)


class FakeContinuations:
    """`Continuations` in memory, answering as the routing backend does: a code names the
    conversation's request and works once; an unknown or used code is None; `down` makes
    every call unavailable (as the backend's 429 does too)."""

    def __init__(self, requests: Optional[Dict[str, HandoffRecord]] = None) -> None:
        self.requests: Dict[str, HandoffRecord] = dict(requests or {})  # conversation id → her request
        self.codes: Dict[str, str] = {}  # code → conversation id
        self.down = False

    async def continuation_code(self, conversation_id: str) -> Optional[IssuedCode]:
        if self.down:
            raise RoutingUnavailable("the fake backend is down")
        record = self.requests.get(conversation_id)
        if record is None:
            return None
        code = f"7KQ2MXD9{len(self.codes):02d}"
        self.codes[code] = conversation_id
        return IssuedCode(code=code, expires_at=record.due_at, handoff_id=record.id)

    async def continue_case(self, code: str, channel: str, conversation_id: str) -> Optional[HandoffRecord]:
        if self.down:
            raise RoutingUnavailable("the fake backend is down")
        old = self.codes.pop(code, None)
        if old is None:
            return None
        record = replace(self.requests.pop(old), conversation_id=conversation_id, channel=channel)
        self.requests[conversation_id] = record
        return record


# ---- the office directory (actions/find_office.py, actions/office_cards.py)

SHUNDE = {"id": "org-440606", "name": "佛山市顺德区妇女联合会", "level": "county", "region": "广东省佛山市顺德区",
          "address": "佛山市顺德区某路1号", "phone": "0757-00000000", "hours": "周一至周五 9:00-17:30",
          "latitude": 22.80524, "longitude": 113.293359, "sample": False, "distance_km": None}
FOSHAN = dict(SHUNDE, id="org-440600", name="佛山市妇女联合会", level="city", region="广东省佛山市",
              phone="0757-11111111")


class FakeDirectory:
    def __init__(self, offices=None, down=False, failure=None):
        self.offices, self.calls = offices if offices is not None else [SHUNDE, FOSHAN], []
        self.failure = RoutingUnavailable("down") if down else failure

    async def offices_for_region(self, region, level=None):
        self.calls.append(("region", region, level))
        if self.failure:
            raise self.failure
        return [o for o in self.offices if not level or o["level"] == level] if level else self.offices

    async def nearest_offices(self, latitude, longitude, level=None, limit=3):
        self.calls.append(("nearest", latitude, longitude, level))
        if self.failure:
            raise self.failure
        return [dict(o, distance_km=1.02) for o in self.offices][:limit]


def place(value):
    return {"entity": "place", "value": value}
