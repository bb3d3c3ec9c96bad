"""The web chat's socket.io channel: Rasa's SocketIOInput, with sessions the server decides.

Rasa's channel takes any `session_id` a client sends (in `session_request` and in
every message), and accepts connections from any origin: a stranger who learnt a
woman's session id could write into her conversation and receive her expert's replies.
Here:

- a connection must bring the page's cookie (connectors/webchat/sessions.py); the
  session id is derived from it and whatever `session_id` the client sends is
  ignored. Without the cookie the connection is refused;
- the socket joins the room of its session as it connects (Rasa's session
  persistence, always on): the assistant's later messages, an expert's reply through
  `trigger_intent`, reach every page of that browser, after reconnects too;
- `session_confirm` tells the page its session id, as Rasa's protocol expects;
- only the page's own origin (or WEBCHAT_ALLOWED_ORIGINS) may connect;
- what she sends passes through `connectors.intent_gate`: only buttons the assistant
  offered are commands.

credentials.yml: `connectors.webchat.WebChatSocketInput:` with Rasa's socketio
keys (user_message_evt, bot_message_evt, namespace, socketio_path). Its name is still
"socketio", so URLs, the tracker's input_channel and `output_channel=latest` stay.
"""
from __future__ import annotations

import inspect
import logging
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer
from socketio import exceptions as socketio_errors

from connectors.intent_gate import admitted_text
from connectors.webchat.sessions import session_id_for, token_from_environ
from connectors.webchat.settings import WebChatSettings

logger = logging.getLogger(__name__)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


class WebChatSocketInput(SocketIOInput):
    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        credentials = credentials or {}
        if credentials.get("session_persistence") is False:
            logger.warning("socket.io session_persistence: false is ignored: the web chat needs it for expert replies")
        return cls(
            WebChatSettings.from_env(),
            user_message_evt=credentials.get("user_message_evt", "user_uttered"),
            bot_message_evt=credentials.get("bot_message_evt", "bot_uttered"),
            namespace=credentials.get("namespace"),
            socketio_path=credentials.get("socketio_path", "/socket.io"),
        )

    def __init__(self, settings: WebChatSettings, user_message_evt: Text = "user_uttered",
                 bot_message_evt: Text = "bot_uttered", namespace: Optional[Text] = None,
                 socketio_path: Text = "/socket.io") -> None:
        super().__init__(user_message_evt, bot_message_evt, namespace, session_persistence=True,
                         socketio_path=socketio_path)
        self.settings = settings
        self._app: Optional[Any] = None

    def session_for(self, environ: Dict[str, Any]) -> Optional[str]:
        """Her session id, from the cookie the page gave her browser; None without one."""
        token = token_from_environ(environ)
        return session_id_for(token, self.settings.session_secret) if token else None

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=(
            list(self.settings.allowed_origins) if self.settings.allowed_origins else None))
        socketio_webhook = SocketBlueprint(sio, self.socketio_path, f"webchat_socket_{id(self)}", __name__)
        self.sio = sio  # for get_output_channel (expert replies through trigger_intent)
        namespace = self.namespace

        @socketio_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=namespace)
        async def connect(sid: Text, environ: Dict, auth: Optional[Dict] = None) -> bool:
            request = environ.get("sanic.request")  # the app holds Rasa's agent, for the intent gate
            if request is not None:
                self._app = request.app
            session_id = self.session_for(environ)
            if session_id is None:
                logger.info("Web chat connection without the page's cookie refused")
                raise socketio_errors.ConnectionRefusedError("open the chat page first")
            await sio.save_session(sid, {"session_id": session_id}, namespace=namespace)
            entered = sio.enter_room(sid, session_id, namespace=namespace)
            if inspect.isawaitable(entered):  # python-socketio 5.10+ made it a coroutine
                await entered
            return True

        @sio.on("session_request", namespace=namespace)
        async def session_request(sid: Text, _data: Any = None) -> None:
            session_id = await self._session_of(sid)
            if session_id:
                await sio.emit("session_confirm", session_id, room=sid, namespace=namespace)

        @sio.on(self.user_message_evt, namespace=namespace)
        async def handle_message(sid: Text, data: Any = None) -> None:
            session_id = await self._session_of(sid)
            text = data.get("message") if isinstance(data, dict) else None
            if session_id is None or not isinstance(text, str):
                return
            text = await admitted_text(self._agent(), session_id, text)
            await on_new_message(UserMessage(text, SocketIOOutput(sio, self.bot_message_evt), session_id,
                                             input_channel=self.name()))

        return socketio_webhook

    async def _session_of(self, sid: Text) -> Optional[str]:
        """The session the server gave this socket as it connected (never one the client names)."""
        if self.sio is None:
            return None
        try:
            session = await self.sio.get_session(sid, namespace=self.namespace)
        except KeyError:  # gone meanwhile
            return None
        return (session or {}).get("session_id")

    def _agent(self) -> Optional[Any]:
        return getattr(self._app.ctx, "agent", None) if self._app is not None else None
