"""The routing backend's API as an expert's console uses it: log in, list, claim, reply, read, resolve."""
from __future__ import annotations

import asyncio
from typing import Any, Dict, List, Optional, Protocol
from urllib.parse import quote


class ApiError(Exception):
    """The backend answered with an error status, or did not answer."""


class ExpertApi(Protocol):
    async def login(self, username: str, password: str) -> str: ...
    async def handoffs(self, token: str) -> List[Dict[str, Any]]: ...
    async def claim(self, token: str, handoff_id: str) -> None: ...
    async def reply(self, token: str, handoff_id: str, text: str) -> None: ...
    async def detail(self, token: str, handoff_id: str) -> Dict[str, Any]: ...
    async def resolve(self, token: str, handoff_id: str, note: str) -> None: ...


class RoutingApi:
    """`ExpertApi` over HTTP with a shared aiohttp session."""

    def __init__(self, session: Any, base_url: str, timeout: float = 30.0) -> None:
        self._session, self._url, self._timeout = session, base_url.rstrip("/"), timeout

    async def _call(self, method: str, path: str, token: Optional[str] = None, body: Any = None,
                    params: Optional[Dict[str, str]] = None) -> Any:
        import aiohttp

        headers = {"Authorization": f"Bearer {token}"} if token else {}
        try:
            async with self._session.request(method, f"{self._url}{path}", json=body, params=params,
                                             headers=headers,
                                             timeout=aiohttp.ClientTimeout(total=self._timeout)) as response:
                text = await response.text()
                if response.status >= 400:
                    raise ApiError(f"{method} {path.split('?')[0]}: HTTP {response.status}: {text[:200]}")
                return await response.json(content_type=None) if text else None
        except (aiohttp.ClientError, OSError, asyncio.TimeoutError) as error:
            raise ApiError(f"{method} {path}: {type(error).__name__}: {error}") from error

    async def login(self, username: str, password: str) -> str:
        answer = await self._call("POST", "/api/v1/auth/token", body={"username": username, "password": password})
        return answer["access_token"]

    async def handoffs(self, token: str) -> List[Dict[str, Any]]:
        return list(await self._call("GET", "/api/v1/handoffs", token, params={"limit": "200"}) or [])

    async def claim(self, token: str, handoff_id: str) -> None:
        await self._call("POST", f"/api/v1/handoffs/{quote(handoff_id, safe='')}/claim", token)

    async def reply(self, token: str, handoff_id: str, text: str) -> None:
        await self._call("POST", f"/api/v1/handoffs/{quote(handoff_id, safe='')}/reply", token, {"text": text})

    async def detail(self, token: str, handoff_id: str) -> Dict[str, Any]:
        return await self._call("GET", f"/api/v1/handoffs/{quote(handoff_id, safe='')}", token)

    async def resolve(self, token: str, handoff_id: str, note: str) -> None:
        await self._call("POST", f"/api/v1/handoffs/{quote(handoff_id, safe='')}/resolve", token, {"note": note})
