"""What every answer of the backend gets, API and console alike, owned by `create_app`:
no answer is kept by a browser or proxy cache (most carry her words), and oversized
bodies are refused before they are read.

A plain ASGI middleware, so streamed answers (the console's live updates) pass through
untouched. Paths the console answers itself are left to it: its oversized forms get a
page in Chinese, and its static files may be cached.
"""
from __future__ import annotations

from typing import Tuple

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send


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
