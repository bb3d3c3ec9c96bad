"""The routing backend's activities API (routing/api/routes/activities.py), over HTTP.

The same client as for handoffs and offices (actions/routing_client.py): one short-lived
connection per call, and every failure becomes `RoutingUnavailable` or `RoutingRefused`.
Her name and phone travel in the body only, never in a URL that a log could keep.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Protocol

from assistant_contract.conversation_ids import path_segment

from actions.routing_client import RoutingClient, refusal_reason
from actions.routing_protocol import RoutingRefused

SIGNED_UP, ALREADY, FULL, GONE, NOT_SIGNED_UP = "signed_up", "already_signed_up", "full", "gone", "not_signed_up"


class ActivityBackend(Protocol):
    async def upcoming(self, city: Optional[str] = None, within_days: Optional[int] = None) -> List[Dict[str, Any]]: ...

    async def activity(self, activity_id: str) -> Optional[Dict[str, Any]]: ...

    async def sign_up(self, activity_id: str, conversation_id: str, channel: Optional[str], name: str,
                      phone: str) -> Dict[str, Any]: ...

    async def cancel(self, activity_id: str, conversation_id: str) -> Optional[Dict[str, Any]]: ...

    async def signups_of(self, conversation_id: str) -> List[Dict[str, Any]]: ...


def _activities(data: Any) -> List[Dict[str, Any]]:
    if not isinstance(data, list) or not all(isinstance(item, dict) and "id" in item for item in data):
        raise TypeError("activities must be a list of objects")
    return data


def _outcome(data: Any) -> Dict[str, Any]:
    if not isinstance(data, dict) or not isinstance(data.get("activity"), dict):
        raise TypeError("a sign-up answer names its status and activity")
    return data


class ActivityClient(RoutingClient):
    async def upcoming(self, city: Optional[str] = None, within_days: Optional[int] = None) -> List[Dict[str, Any]]:
        params = {**({"city": city} if city else {}), **({"within_days": within_days} if within_days else {})}
        return await self._answer("GET", "/api/v1/activities", parse=_activities, params=params)

    async def activity(self, activity_id: str) -> Optional[Dict[str, Any]]:
        return await self._answer("GET", f"/api/v1/activities/{path_segment(activity_id)}",
                                  parse=lambda data: dict(data), missing=True)

    async def sign_up(self, activity_id: str, conversation_id: str, channel: Optional[str], name: str,
                      phone: str) -> Dict[str, Any]:
        """{"status": signed_up | already_signed_up, "activity": …}; FULL and GONE as statuses too."""
        body = {"conversation_id": conversation_id, "channel": channel, "name": name, "phone": phone, "consent": True}
        path = f"/api/v1/activities/{path_segment(activity_id)}/signups"
        response = await self._call("POST", path, json=body)
        if response.status_code == 409:
            return {"status": FULL, "activity": None}
        if response.status_code == 404:
            return {"status": GONE, "activity": None}
        if response.status_code >= 400:
            raise RoutingRefused(response.status_code, refusal_reason(response))
        try:
            return _outcome(response.json())
        except (ValueError, TypeError) as error:
            raise RoutingRefused(response.status_code, "unreadable answer") from error

    async def cancel(self, activity_id: str, conversation_id: str) -> Optional[Dict[str, Any]]:
        path = f"/api/v1/activities/{path_segment(activity_id)}/signups/{path_segment(conversation_id)}"
        return await self._answer("DELETE", path, parse=_outcome, missing=True)

    async def signups_of(self, conversation_id: str) -> List[Dict[str, Any]]:
        path = f"/api/v1/activities/signups/{path_segment(conversation_id)}"
        return await self._answer("GET", path, parse=_activities)
