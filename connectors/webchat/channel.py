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
  offered are commands; a 「我不安全」 press is the crisis path (connectors/webchat/crisis_press.py);
- safe exit in any wording or by her code word (connectors/safe_exit_words.py) clears
  every page of her session (the `safe_exit` event: the page empties itself, forgets
  the session cookie and leaves), and nothing new is shown until she writes again;
- a message for her while no page of her session is open waits and is shown when she
  comes back (connectors/webchat/output.py); a message counts as shown only when her
  page acknowledges it, and waits again otherwise (connectors/webchat/acknowledgements.py);
  experts' replies are reported to the routing backend as shown or waiting.

With ASSISTANT_REDIS_URL set (several Rasa replicas behind a proxy), the socket.io
server gets an AsyncRedisManager: an emit into her room on any replica reaches her page
on whichever replica it is connected to, and whether a page of hers is open anywhere is
kept in Redis too (connectors/webchat/presence.py). The proxy must keep a socket.io
connection on one replica (sticky sessions for long-polling), and every replica needs
the same WEBCHAT_SESSION_SECRET, or a page reconnecting to another replica gets a new
session.

credentials.yml: `connectors.webchat.WebChatSocketInput:` with Rasa's socketio
keys (user_message_evt, bot_message_evt, namespace, socketio_path). Its name is still
"socketio", so URLs, the tracker's input_channel and `output_channel=latest` stay.
"""
from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncRedisManager, AsyncServer
from socketio import exceptions as socketio_errors

from bot.environment import var_dir
from connectors.delivery_reports import DeliveryReports, NoReports, Reporter
from connectors.intent_gate import admitted_text
from connectors.safe_exit_words import EXIT, SAFE_EXIT_PAYLOAD, STORE_NAME, CodeWords, SafeExitWords
from connectors.shared_state import SharedRedis, shared_redis
from connectors.webchat.acknowledgements import Acknowledgements
from connectors.webchat.crisis_press import read_press
from connectors.webchat.output import WebChatOutput
from connectors.webchat.presence import LocalPresence, Presence, SharedPresence
from connectors.webchat.sessions import session_id_for, token_from_environ
from connectors.webchat.settings import WebChatSettings
from connectors.webchat.store import PAGE_CLOSED, WebChatStore

logger = logging.getLogger(__name__)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]
SAFE_EXIT_EVENT = "safe_exit"  # the page clears itself and leaves (connectors/webchat_static/chat.js)


class WebChatSocketInput(SocketIOInput):
    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        credentials = credentials or {}
        if credentials.get("session_persistence") is False:
            logger.warning("socket.io session_persistence: false is ignored: the web chat needs it for expert replies")
        settings, shared = WebChatSettings.from_env(), shared_redis()
        if shared is not None and settings.secret_is_random:
            logger.error("WEBCHAT_SESSION_SECRET must be set, and the same, on every Rasa replica: with a key of "
                         "its own, each replica gives a reconnecting page a new session")
        return cls(
            settings,
            user_message_evt=credentials.get("user_message_evt", "user_uttered"),
            bot_message_evt=credentials.get("bot_message_evt", "bot_uttered"),
            namespace=credentials.get("namespace"),
            socketio_path=credentials.get("socketio_path", "/socket.io"),
            reports=DeliveryReports.from_env(),
            shared=shared,
        )

    def __init__(self, settings: WebChatSettings, user_message_evt: Text = "user_uttered",
                 bot_message_evt: Text = "bot_uttered", namespace: Optional[Text] = None,
                 socketio_path: Text = "/socket.io", store: Optional[WebChatStore] = None,
                 reports: Optional[Reporter] = None, state_dir: Optional[Any] = None,
                 shared: Optional[SharedRedis] = None) -> None:
        super().__init__(user_message_evt, bot_message_evt, namespace, session_persistence=True,
                         socketio_path=socketio_path)
        self.settings = settings
        self.shared = shared  # the replicas' Redis; None: this process alone
        self.presence: Optional[Presence] = None
        self._app: Optional[Any] = None
        state = state_dir or var_dir()
        self.store = store or WebChatStore(state / "webchat.db")
        self.safe_exit_words = SafeExitWords(CodeWords(state / STORE_NAME))
        self.reports = reports or NoReports()
        self.acknowledgements = Acknowledgements(self.store, self.reports, settings.ack_seconds)

    def get_output_channel(self) -> Optional[WebChatOutput]:
        """Expert replies (trigger_intent, output_channel=latest): kept while her page is closed."""
        return self._output() if self.sio is not None else None

    def _output(self, replying_since: Optional[float] = None) -> WebChatOutput:
        return WebChatOutput(self.sio, self.bot_message_evt, self.store, self.namespace,
                             replying_since=replying_since, reports=self.reports, presence=self.presence,
                             acknowledgements=self.acknowledgements)

    def session_for(self, environ: Dict[str, Any]) -> Optional[str]:
        """Her session id, from the cookie the page gave her browser; None without one."""
        token = token_from_environ(environ)
        return session_id_for(token, self.settings.session_secret) if token else None

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=(
            list(self.settings.allowed_origins) if self.settings.allowed_origins else None),
            client_manager=self._client_manager())
        socketio_webhook = SocketBlueprint(sio, self.socketio_path, f"webchat_socket_{id(self)}", __name__)
        self.sio = sio  # for get_output_channel (expert replies through trigger_intent)
        namespace = self.namespace
        presence = self.presence = (SharedPresence(self.shared, sio, namespace) if self.shared is not None
                                    else LocalPresence(sio, namespace))
        # what a stopped process showed and never saw acknowledged waits for her again
        self.store.release_unconfirmed(before=self.store.now() - self.settings.ack_seconds)

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
            # a coroutine since python-socketio 5.10; Rasa's own channel forgets the await
            await sio.enter_room(sid, session_id, namespace=namespace)
            await presence.joined(session_id, sid)
            return True

        @sio.on("disconnect", namespace=namespace)
        async def disconnect(sid: Text, _reason: Any = None) -> None:
            await presence.left(sid)

        @sio.on("session_request", namespace=namespace)
        async def session_request(sid: Text, _data: Any = None) -> None:
            session_id = await self._session_of(sid)
            if session_id:
                await sio.emit("session_confirm", session_id, room=sid, namespace=namespace)
                await self._output().deliver_waiting(session_id, (PAGE_CLOSED,))  # she is back

        @sio.on(self.user_message_evt, namespace=namespace)
        async def handle_message(sid: Text, data: Any = None) -> None:
            session_id = await self._session_of(sid)
            text = data.get("message") if isinstance(data, dict) else None
            if session_id is None or not isinstance(text, str):
                return
            reading = self.safe_exit_words.read(session_id, text)
            if reading.kind == EXIT:
                await self._safe_exit(session_id, on_new_message)
                return
            self.store.clear_quiet(session_id)
            output = self._output(replying_since=self.store.now())
            await output.deliver_waiting(session_id)
            if reading.reply:  # her code word stays with the channel, out of the dialogue
                await sio.emit(self.bot_message_evt, {"text": reading.reply}, room=sid, namespace=namespace)
                return
            text = await admitted_text(self._agent(), session_id, text)
            text = await read_press(self._agent(), session_id, text)
            await on_new_message(UserMessage(text, output, session_id, input_channel=self.name()))

        return socketio_webhook

    def _client_manager(self) -> Optional[AsyncRedisManager]:
        """Emits shared through Redis pub/sub, on a channel of this deployment's prefix; None: in process."""
        if self.shared is None:
            return None
        return AsyncRedisManager(self.shared.url, channel=self.shared.key("webchat", "socketio"))

    async def _safe_exit(self, session_id: str, on_new_message: OnNewMessage) -> None:
        """Every page of her session empties itself and leaves; the dialogue hears it, unseen."""
        self.store.set_quiet(session_id)
        await self.sio.emit(SAFE_EXIT_EVENT, {}, room=session_id, namespace=self.namespace)
        try:
            await on_new_message(UserMessage(SAFE_EXIT_PAYLOAD, CollectingOutputChannel(), session_id,
                                             input_channel=self.name()))
        except Exception:  # noqa: BLE001 - the page is cleared already; the bookkeeping may fail
            logger.exception("Web chat safe exit of %s: the dialogue could not be told", session_id)

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
