"""One HTTP call and what came of it, as a phone client or a console sees it.

A retryable outcome is one a careful client sends again: the connection was refused,
reset or timed out, or the proxy said 502/503/504 (no upstream could take it). Every
other answer is final: a reply, or an error the client does not retry.
"""
from __future__ import annotations

import http.client
import json
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any, Callable, Optional

RETRYABLE_STATUSES = frozenset({502, 503, 504})


@dataclass(frozen=True)
class Answer:
    status: Optional[int]  # None: no HTTP answer at all
    body: Any = None  # the JSON body of a 2xx answer
    error: str = ""  # what went wrong, in a few words, for the report

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300 and not self.error

    @property
    def retryable(self) -> bool:
        return self.status is None or self.status in RETRYABLE_STATUSES


Transport = Callable[..., Answer]  # (method, url, body=None, token=None, timeout=…) -> Answer


def call(method: str, url: str, body: Any = None, token: Optional[str] = None, timeout: float = 60) -> Answer:
    """The real transport: urllib over loopback; never raises for network or HTTP trouble."""
    data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
    headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        detail = error.read()[:200].decode("utf-8", errors="replace")
        return Answer(error.code, None, f"HTTP {error.code} {detail}".strip())
    except (urllib.error.URLError, ConnectionError, socket.timeout, TimeoutError,
            http.client.HTTPException) as error:
        reason = getattr(error, "reason", error)
        return Answer(None, None, f"{type(reason).__name__}: {reason}"[:200])
    if status == 204 or not raw:
        return Answer(status, None)
    try:
        return Answer(status, json.loads(raw.decode("utf-8")))
    except ValueError:
        return Answer(status, None, f"HTTP {status} with a body that is not JSON")
