"""Server-sent events: the page learns that something changed and fetches the new HTML.

Each stream polls the database (the relay loop and the API write from other
threads and processes, so an in-process notifier would miss changes) and ends
after a short lifetime; the browser's EventSource reconnects by itself, and a
server shutdown never waits on an idle stream.
"""
from __future__ import annotations

import asyncio
import json
import time
from typing import AsyncIterator, Callable, Optional

from fastapi import Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

POLL_SECONDS = 1.0
STREAM_SECONDS = 15.0


async def _events(request: Request, poll: Callable[[], Optional[dict]], interval: float,
                  lifetime: float) -> AsyncIterator[str]:
    yield "retry: 1000\n\n"
    started, last = time.monotonic(), None
    while time.monotonic() - started < lifetime:
        if await request.is_disconnected():
            return
        state = await run_in_threadpool(poll)
        if state is None:
            yield "event: logout\ndata: {}\n\n"
            return
        if state != last:
            yield f"event: state\ndata: {json.dumps(state, ensure_ascii=False)}\n\n"
            last = state
        await asyncio.sleep(interval)


def event_stream(request: Request, poll: Callable[[], Optional[dict]], interval: float = POLL_SECONDS,
                 lifetime: float = STREAM_SECONDS) -> StreamingResponse:
    """`poll` returns the current state (a JSON-able dict), or None when the viewer's session ended."""
    return StreamingResponse(_events(request, poll, interval, lifetime), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
