"""Structured logs: one JSON object per line, with the request id of the message being handled.

Every service of the assistant logs this way (`configure()` at start-up), so one grep for a
request id follows her message from the channel through Rasa and the action server to the
routing backend. The id travels in the `X-Request-ID` header and lives, within a process, in
`REQUEST_ID` (a context variable: each request or task sees its own).

What never goes into a line: her words, her place, a query string. Callers log ids, routes,
statuses and counts; `fields` adds such values as JSON keys (`log.info("…", extra={"fields": {…}})`).
"""
from __future__ import annotations

import json
import logging
import re
import sys
import uuid
from contextvars import ContextVar
from datetime import datetime, timezone
from typing import Optional, TextIO

REQUEST_ID: ContextVar[str] = ContextVar("request_id", default="")
HEADER = "X-Request-ID"
_USABLE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


def new_request_id() -> str:
    return uuid.uuid4().hex


def request_id_from(header_value: Optional[str]) -> str:
    """The caller's id when it is a plain token (it is logged and echoed), else a new one."""
    value = (header_value or "").strip()
    return value if _USABLE_ID.match(value) else new_request_id()


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {"ts": datetime.fromtimestamp(record.created, tz=timezone.utc).isoformat(timespec="milliseconds"),
                "level": record.levelname.lower(), "logger": record.name, "message": record.getMessage()}
        request_id = getattr(record, "request_id", None) or REQUEST_ID.get()
        if request_id:
            line["request_id"] = request_id
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            line.update({key: value for key, value in fields.items() if key not in line})
        if record.exc_info:
            line["error"] = record.exc_info[0].__name__ if record.exc_info[0] else "error"
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def configure(level: int | str = logging.INFO, stream: Optional[TextIO] = None) -> logging.Handler:
    """The root logger writes JSON lines to `stream` (stderr); called once at start-up, again harmlessly."""
    root = logging.getLogger()
    for handler in root.handlers:
        if isinstance(handler.formatter, JsonFormatter):
            return handler
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    root.handlers = [handler]
    root.setLevel(level)
    # httpx logs every request's URL at INFO, and some URLs carry a secret (Rasa's API takes its
    # token as ?token=…): only its warnings reach the log
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLogger(name).level))
    return handler
