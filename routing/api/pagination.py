"""Pages of a list: `limit` (50 by default, at most 200) and `after`, an opaque cursor.

The body stays a plain JSON list, as callers have always read it; the way to the next
page is a `Link: <…>; rel="next"` header (RFC 8288), absent on the last page. The
cursor is where the previous page ended (routing/handoff_queries.py `Position` for
handoffs, the last row's id for a list in the order it was written, such as a handoff's
notes), so a page never repeats or skips an item because others were added meanwhile.
"""
from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Optional

from fastapi import Query, Request
from fastapi.exceptions import RequestValidationError

from routing.handoff_queries import Position

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_CURSOR = 200
SEPARATOR = "|"


@dataclass(frozen=True)
class PageRequest:
    limit: int
    after: Optional[Position]


def encode(position: Position) -> str:
    raw = f"{position.due_at.isoformat()}{SEPARATOR}{position.handoff_id}".encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode(cursor: str) -> Position:
    """The position in a cursor this API wrote; ValueError for anything else."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError) as error:
        raise ValueError("not a cursor") from error
    moment, separator, handoff_id = raw.partition(SEPARATOR)
    due_at = datetime.fromisoformat(moment) if separator else None
    if due_at is None or due_at.tzinfo is None or not 0 < len(handoff_id) <= 32:
        raise ValueError("not a cursor")
    return Position(due_at=due_at, handoff_id=handoff_id)


def page_request(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="handoffs per page")] = DEFAULT_LIMIT,
    after: Annotated[Optional[str], Query(max_length=MAX_CURSOR,
                                          description="the cursor from the previous page's Link header")] = None,
) -> PageRequest:
    """A cursor this API did not write is refused like any other malformed parameter (422)."""
    try:
        return PageRequest(limit=limit, after=decode(after) if after else None)
    except ValueError:
        raise RequestValidationError([{"type": "value_error", "loc": ("query", "after"), "input": after,
                                       "msg": "not a cursor from this API; follow the Link header"}]) from None


def next_link(request: Request, position: Position) -> str:
    """The Link header value for the page after `position`: same filters and limit, as a relative URL."""
    url = request.url.include_query_params(after=encode(position))
    return f'<{url.path}?{url.query}>; rel="next"'


ID_PREFIX = "id" + SEPARATOR


@dataclass(frozen=True)
class IdPageRequest:
    """A page of a list in the order it was written: the rows whose id is above `after`."""

    limit: int
    after: Optional[int]


def encode_id(row_id: int) -> str:
    return base64.urlsafe_b64encode(f"{ID_PREFIX}{row_id}".encode("ascii")).decode("ascii").rstrip("=")


def decode_id(cursor: str) -> int:
    """The row id in a cursor this API wrote; ValueError for anything else."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError) as error:
        raise ValueError("not a cursor") from error
    if not raw.startswith(ID_PREFIX) or not raw[len(ID_PREFIX):].isdigit():
        raise ValueError("not a cursor")
    return int(raw[len(ID_PREFIX):])


def id_page_request(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="items per page")] = DEFAULT_LIMIT,
    after: Annotated[Optional[str], Query(max_length=MAX_CURSOR,
                                          description="the cursor from the previous page's Link header")] = None,
) -> IdPageRequest:
    try:
        return IdPageRequest(limit=limit, after=decode_id(after) if after else None)
    except ValueError:
        raise RequestValidationError([{"type": "value_error", "loc": ("query", "after"), "input": after,
                                       "msg": "not a cursor from this API; follow the Link header"}]) from None


def next_id_link(request: Request, row_id: int) -> str:
    """The Link header value for the rows after `row_id`: same query and limit, as a relative URL."""
    url = request.url.include_query_params(after=encode_id(row_id))
    return f'<{url.path}?{url.query}>; rel="next"'
