"""The web chat page, served by Rasa itself at /webhooks/webchat/.

A newcomer can talk to the assistant in a browser with no account and no token.
The page talks to the project's socket.io channel (connectors/webchat/channel.py); this
channel only serves the page and its files, so it handles no messages itself.
The socket.io browser client is fetched from npm by `make` (never committed).

The page gives her browser the web chat cookie (connectors/webchat/sessions.py): the
socket.io channel derives her session from it, so no script, and no other site, can
choose or learn which conversation a connection joins. `POST /exit` (the page's
安全退出) drops the cookie: whoever opens the page next in that browser starts afresh.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from connectors.webchat.sessions import forget_token, give_token

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent.parent / "webchat_static"  # the Makefile fetches into vendor/ there
SOCKETIO_CLIENT = "vendor/socket.io.min.js"
FILES = {  # the only files served: no path from the URL ever reaches the file system
    "chat.js": ("chat.js", "text/javascript; charset=utf-8"),
    "chat.css": ("chat.css", "text/css; charset=utf-8"),
    "socket.io.min.js": (SOCKETIO_CLIENT, "text/javascript; charset=utf-8"),
}
MISSING_CLIENT = "socket.io client missing: run `make webchat-assets` (make run does it)"


def security_headers(request: Request) -> Dict[str, str]:
    """Her browser should keep as little trace as possible, and the page runs only our own code."""
    host = request.host
    return {
        "Content-Security-Policy": (
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; "
            f"connect-src 'self' ws://{host} wss://{host}; base-uri 'none'; form-action 'none'; "
            "frame-ancestors 'none'"),
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-store",
    }


class WebChatInput(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "webchat"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        return cls(STATIC_DIR)

    def __init__(self, static_dir: Path = STATIC_DIR) -> None:
        self._static_dir = Path(static_dir)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webchat = Blueprint(f"webchat_{id(self)}", __name__)

        @webchat.route("/", methods=["GET"])
        async def page(request: Request) -> HTTPResponse:
            answer = await self._file(request, "index.html", "text/html; charset=utf-8")
            if answer.status == 200:
                give_token(request, answer)
            return answer

        @webchat.route("/exit", methods=["POST"])
        async def leave(request: Request) -> HTTPResponse:
            answer = response.empty(headers=security_headers(request))
            forget_token(request, answer)
            return answer

        @webchat.route("/static/<name>", methods=["GET"])
        async def static(request: Request, name: str) -> HTTPResponse:
            if name not in FILES:
                return response.text("not found", status=404)
            return await self._file(request, *FILES[name])

        return webchat

    async def _file(self, request: Request, relative: str, content_type: str) -> HTTPResponse:
        path = self._static_dir / relative
        if not path.is_file():
            if relative == SOCKETIO_CLIENT:
                logger.error(MISSING_CLIENT)
                return response.text(MISSING_CLIENT, status=503)
            return response.text("not found", status=404)
        return response.raw(path.read_bytes(), content_type=content_type, headers=security_headers(request))
