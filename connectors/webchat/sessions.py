"""Web chat sessions: a random token in an HttpOnly cookie, the session id derived from it.

The page (connectors/webchat/page.py) gives each browser a token it cannot read from a
script and never sends to another site (HttpOnly, SameSite=Strict). The socket.io
channel (connectors/webchat/channel.py) derives the conversation id from that token
with a server key, so a session id is unguessable, and knowing one (it appears in the
tracker, the routing backend and the staff console) does not let anyone join it:
joining takes the token, and the id cannot be turned back into it.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from typing import Mapping, Optional

from sanic.request import Request
from sanic.response import HTTPResponse

COOKIE_NAME = "webchat_session"
KEPT_SECONDS = 7 * 24 * 3600  # her conversation survives a closed tab or browser for a week; 安全退出 drops it
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{43}$")  # secrets.token_urlsafe(32)
SESSION_PREFIX = "web-"


def new_token() -> str:
    return secrets.token_urlsafe(32)


def valid_token(token: Optional[str]) -> Optional[str]:
    return token if token and TOKEN_PATTERN.match(token) else None


def token_from_cookie_header(header: str) -> Optional[str]:
    """Our token from a Cookie header; other cookies on the host (however malformed) are skipped."""
    for part in (header or "").split(";"):
        name, _, value = part.strip().partition("=")
        if name == COOKIE_NAME:
            return valid_token(value.strip().strip('"'))
    return None


def token_from_environ(environ: Mapping[str, str]) -> Optional[str]:
    """The token a socket.io connection brought (its WSGI-style environ)."""
    return token_from_cookie_header(environ.get("HTTP_COOKIE", ""))


def session_id_for(token: str, secret: bytes) -> str:
    digest = hmac.new(secret, token.encode("ascii"), hashlib.sha256).hexdigest()
    return SESSION_PREFIX + digest[:40]


def is_https(request: Request) -> bool:
    """HTTPS as she sees it: directly, or through the reverse proxy that terminates TLS."""
    forwarded = request.headers.get("X-Forwarded-Proto", "").split(",")[0].strip().lower()
    return request.scheme == "https" or forwarded == "https"


def _cookie(response: HTTPResponse, value: str, secure: bool) -> None:
    response.cookies[COOKIE_NAME] = value
    cookie = response.cookies[COOKIE_NAME]
    cookie["path"] = "/"
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    if secure:
        cookie["secure"] = True


def give_token(request: Request, response: HTTPResponse) -> None:
    """Keep the browser's token (a reload, a closed tab, a closed browser: the same conversation,
    whose waiting replies are shown on her return), or give it one, kept for a week."""
    if valid_token(request.cookies.get(COOKIE_NAME)) is None:
        _cookie(response, new_token(), is_https(request))
        response.cookies[COOKIE_NAME]["max-age"] = KEPT_SECONDS


def forget_token(request: Request, response: HTTPResponse) -> None:
    """安全退出: the browser drops its token; the next visit is a new conversation."""
    _cookie(response, "", is_https(request))
    response.cookies[COOKIE_NAME]["max-age"] = 0
