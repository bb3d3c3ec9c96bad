"""HTTP client for the routing backend, used by the action server."""
from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any, Dict, List, Optional
from urllib.parse import quote

import requests

from actions.handoff_store import HandoffRecord, HandoffRequest


class RoutingUnavailable(Exception):
    """The backend did not answer, or answered with a server error: try again later."""


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


class RoutingClient:
    def __init__(self, base_url: str, token: str, timeout: float = 3.0) -> None:
        self._base = base_url.rstrip("/")
        self._headers = {"Authorization": f"Bearer {token}"}
        self._timeout = timeout

    def _call(self, method: str, path: str, **kwargs) -> requests.Response:
        try:
            response = requests.request(method, f"{self._base}{path}", headers=self._headers,
                                        timeout=self._timeout, **kwargs)
        except requests.RequestException as error:
            raise RoutingUnavailable(str(error)) from error
        if response.status_code >= 500:
            raise RoutingUnavailable(f"{response.status_code} from the routing backend")
        return response

    def open_handoff(self, request: HandoffRequest) -> HandoffRecord:
        body = asdict(request)
        body["transcript"] = [
            {"role": line["role"], "text": line["text"]} for line in request.transcript
            if line.get("role") in ("user", "bot")
        ]
        response = self._call("POST", "/api/v1/handoffs", json=body)
        response.raise_for_status()
        return _record(response.json())

    def latest_for(self, conversation_id: str) -> Optional[HandoffRecord]:
        response = self._call("GET", f"/api/v1/conversations/{quote(conversation_id, safe='')}/status")
        if response.status_code == 404:
            return None
        response.raise_for_status()
        return _record(response.json())

    def offices_for_region(self, region: str, level: Optional[str] = None) -> List[Dict[str, Any]]:
        params = {"region": region, **({"level": level} if level else {})}
        response = self._call("GET", "/api/v1/offices/for-region", params=params)
        response.raise_for_status()
        return response.json()

    def nearest_offices(
        self, latitude: float, longitude: float, level: Optional[str] = None, limit: int = 3
    ) -> List[Dict[str, Any]]:
        params = {"latitude": latitude, "longitude": longitude, "limit": limit, **({"level": level} if level else {})}
        response = self._call("GET", "/api/v1/offices/nearest", params=params)
        response.raise_for_status()
        return response.json()

    def forward_message(self, handoff_id: str, text: str) -> None:
        response = self._call("POST", f"/api/v1/handoffs/{quote(handoff_id, safe='')}/messages", json={"text": text[:4000]})
        response.raise_for_status()
