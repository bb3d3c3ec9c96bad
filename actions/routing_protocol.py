"""What the actions may ask of the routing backend, and how it may say no.

The actions depend on these protocols, not on HTTP: the action server plugs in
the httpx client behind the local outbox, tests plug in fakes. Two kinds of
failure need different answers for her, so they are two exceptions:
`RoutingUnavailable` (try again later: the outbox keeps the request) and
`RoutingRefused` (the backend said no: retrying the same call will not help).
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Protocol

from actions.grid_types import GridBinding, GridReceipt, GridReport
from actions.handoff_types import HandoffRecord, HandoffRequest, IssuedCode


class RoutingError(Exception):
    """Any failure to get an answer from the routing backend."""


class RoutingUnavailable(RoutingError):
    """No answer, a timeout, or a server error: the same call may succeed later."""


class RoutingRefused(RoutingError):
    """The backend answered 4xx. `reason` is the backend's own words, never her text."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(f"{status} refused by the routing backend: {reason}")
        self.status = status
        self.reason = reason

    @property
    def refuses_the_caller(self) -> bool:
        """401/403: our token is wrong, so every request would be refused alike;
        fixing the setting makes them go through, unlike a refused request body."""
        return self.status in (401, 403)


class OfficeDirectory(Protocol):
    """The federation office directory (owned by the routing backend)."""

    async def offices_for_region(self, region: str, level: Optional[str] = None) -> List[Dict[str, Any]]: ...

    async def nearest_offices(
        self, latitude: float, longitude: float, level: Optional[str] = None, limit: int = 3
    ) -> List[Dict[str, Any]]: ...


class RoutingBackend(OfficeDirectory, Protocol):
    """Every call the action server makes to the routing backend."""

    async def open_handoff(self, request: HandoffRequest) -> HandoffRecord: ...

    async def latest_for(self, conversation_id: str) -> Optional[HandoffRecord]: ...

    async def forward_message(self, handoff_id: str, text: str) -> None: ...

    async def withdraw(self, handoff_id: str, conversation_id: str) -> str:
        """Closes her request at her word; the status it now has. Refused (409) when urgent."""
        ...


class HandoffStore(Protocol):
    """What the handoff actions use: the backend seen through the outbox, so a
    request or a message is either delivered or kept for later."""

    async def open_request(self, request: HandoffRequest) -> HandoffRecord: ...

    async def latest_for(self, conversation_id: str) -> Optional[HandoffRecord]: ...

    async def forward_message(self, conversation_id: str, handoff_id: str, text: str) -> bool:
        """True when it reached the backend, False when it waits in the outbox."""
        ...

    async def open_urgent(self, request: HandoffRequest) -> HandoffRecord:
        """After danger: recorded locally at once and delivered in the background."""
        ...

    async def forward_later(self, conversation_id: str, handoff_id: str, text: str) -> None:
        """Her message, recorded locally at once and delivered in the background."""
        ...

    async def withdraw(self, conversation_id: str, handoff_id: str) -> None:
        """She takes her request back. Raises RoutingRefused (409: urgent, or already closed)
        or RoutingUnavailable; then her words still reach the expert, forwarded as any message."""
        ...


class Continuations(Protocol):
    """Her request follows her to another app with a continuation code (assistant_contract.continuation)."""

    async def continuation_code(self, conversation_id: str) -> Optional[IssuedCode]:
        """A code for this conversation's request; None when it has none."""
        ...

    async def continue_case(self, code: str, channel: str, conversation_id: str) -> Optional[HandoffRecord]:
        """Her request, now held by this conversation; None when the code is unknown, used or
        expired. Too many wrong codes lately is `RoutingUnavailable` (429: try later)."""
        ...


class GridReporting(Protocol):
    """What a grid worker's chat asks of the routing backend: her binding and her reports."""

    async def bind_grid_chat(self, code: str, channel: str, conversation_id: str) -> Optional[GridBinding]:
        """Binds this chat with the code an admin issued; None when the code is unknown, expired or used."""
        ...

    async def grid_binding_for(self, conversation_id: str) -> Optional[GridBinding]:
        """The account this chat is bound to; None when it is not bound."""
        ...

    async def submit_grid_report(self, report: GridReport) -> GridReceipt: ...
