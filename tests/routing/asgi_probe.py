"""One request sent straight to the ASGI app, with a look at the world the moment its
response starts, before the app has finished: TestClient only returns after everything
(dependency exit code, background tasks) has run, so it cannot tell whether a write was
committed before or after the answer left."""
from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Optional

import httpx

Look = Callable[[httpx.AsyncClient], Awaitable[Any]]


@dataclass
class Probed:
    status: int = 0
    body: bytes = b""
    seen: Any = None  # what `look` returned when the response started
    headers: dict = field(default_factory=dict)

    def json(self) -> Any:
        return json.loads(self.body)


def scope_of(method: str, path: str, headers: dict, body: bytes) -> dict:
    raw = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()]
    raw += [(b"host", b"testserver"), (b"content-length", str(len(body)).encode())]
    if body:
        raw.append((b"content-type", b"application/json"))
    return {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
            "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "", "headers": raw,
            "client": ("127.0.0.1", 50000), "server": ("testserver", 80), "state": {}}


def probe(app, method: str, path: str, *, headers: dict, json_body: Optional[dict] = None,
          look: Optional[Look] = None) -> Probed:
    """`look` gets a client of the same app, for a second request sent the moment the first answers."""
    body = json.dumps(json_body).encode("utf-8") if json_body is not None else b""
    result = Probed()

    async def run() -> None:
        finished = asyncio.Event()
        pending = [{"type": "http.request", "body": body, "more_body": False}]

        async def receive() -> dict:
            if pending:
                return pending.pop()
            await finished.wait()
            return {"type": "http.disconnect"}

        async def send(message: dict) -> None:
            if message["type"] == "http.response.start":
                result.status = message["status"]
                result.headers = {name.decode(): value.decode() for name, value in message["headers"]}
                if look is not None:
                    transport = httpx.ASGITransport(app=app)
                    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
                        result.seen = await look(client)
            elif message["type"] == "http.response.body":
                result.body += message.get("body", b"")
                if not message.get("more_body"):
                    finished.set()

        await app(scope_of(method, path, headers, body), receive, send)

    asyncio.run(run())
    return result
