"""The web chat's output: Rasa's socket.io messages, kept when no page of her session is open.

Rasa's SocketIOOutput emits into her session's room and forgets: with the tab closed
nobody is in the room and an expert's reply is lost. Here a message for an empty room
waits in the store (connectors/webchat/store.py) and is shown when a page of her
session connects again; after her safe exit it waits until she writes again. A message
shown counts only once her page acknowledges it (connectors/webchat/acknowledgements.py).
An expert's reply (`expert_message_id`) is reported to the routing backend: accepted when
a page of hers acknowledged it, waiting while it waits (connectors/delivery_reports.py).
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa.core.channels.socketio import SocketIOOutput
from socketio import AsyncServer

from connectors.delivery_reports import WAITING, NoReports, Reporter, expert_message_id
from connectors.webchat.acknowledgements import Acknowledgements, with_ids
from connectors.webchat.presence import LocalPresence, Presence
from connectors.webchat.store import AFTER_SAFE_EXIT, PAGE_CLOSED, WebChatStore

logger = logging.getLogger(__name__)

WAITING_DETAIL = {PAGE_CLOSED: "她的网页聊天已关闭，等她回来", AFTER_SAFE_EXIT: "她用了安全退出，等她再发消息"}
WHILE_AWAY = "你离开之后，这里收到了新的消息："


class WebChatOutput(SocketIOOutput):
    def __init__(self, sio: AsyncServer, bot_message_evt: Text, store: WebChatStore, namespace: Optional[str] = None,
                 replying_since: Optional[float] = None, reports: Optional[Reporter] = None,
                 presence: Optional[Presence] = None, acknowledgements: Optional[Acknowledgements] = None) -> None:
        super().__init__(sio, bot_message_evt)
        self.store, self.namespace = store, namespace or "/"
        self.replying_since = replying_since  # None: a later message, held after her safe exit
        self.reports = reports or NoReports()
        self.presence = presence or LocalPresence(sio, self.namespace)
        self.acknowledgements = acknowledgements or Acknowledgements(store, self.reports)

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        parts = [{"text": part} for part in text.strip().split("\n\n")]
        await self._deliver(recipient_id, parts, expert_message_id(kwargs))

    async def send_text_with_buttons(self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]],
                                     **kwargs: Any) -> None:
        parts: List[Dict[str, Any]] = [{"text": part, "quick_replies": []} for part in text.strip().split("\n\n")]
        parts[-1]["quick_replies"] = [{"content_type": "text", "title": button["title"],
                                       "payload": button["payload"]} for button in buttons]
        await self._deliver(recipient_id, parts, expert_message_id(kwargs))

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any) -> None:
        """Rasa's version emits the dict's keys as emit() arguments; the page reads one message."""
        await self._deliver(recipient_id, [dict(json_message)], expert_message_id({**kwargs, **json_message}))

    async def _send_message(self, socket_id: Text, response: Any) -> None:
        await self._deliver(socket_id, [response], None)

    async def present(self, session_id: str) -> bool:
        """Whether a page of her session is connected (to this process, or with Redis to any replica)."""
        return await self.presence.present(session_id)

    async def _deliver(self, session_id: str, messages: List[Dict[str, Any]], expert_id: Optional[int]) -> None:
        messages = with_ids(messages)
        since = self.store.quiet_since(session_id)
        reason = None
        if since is not None and (self.replying_since is None or self.replying_since < since):
            reason = AFTER_SAFE_EXIT
        elif not await self.present(session_id):
            reason = PAGE_CLOSED
        if reason is not None:
            self.store.keep(session_id, messages, reason, expert_id)
            self.reports.report(expert_id, WAITING, WAITING_DETAIL[reason])
            logger.info("Web chat %s: a message waits (%s)", session_id, reason)
            return
        row_id = self.acknowledgements.keep_unconfirmed(session_id, messages, expert_id)
        await self._show(session_id, row_id, messages, expert_id)

    async def _show(self, session_id: str, row_id: int, messages: List[Dict[str, Any]],
                    expert_id: Optional[int]) -> None:
        await self.acknowledgements.show(self.sio, self.bot_message_evt, self.namespace, session_id, row_id,
                                         messages, expert_id, redeliver=self._shown_again)

    async def _shown_again(self, session_id: str) -> None:
        """Messages her page did not acknowledge, shown again if a page of hers is open (else when she is back)."""
        await self.deliver_waiting(session_id, (PAGE_CLOSED,))

    async def deliver_waiting(self, session_id: str, reasons: tuple = (PAGE_CLOSED, AFTER_SAFE_EXIT)) -> int:
        """Show what waited for her, after a short lead; each is confirmed by her page's acknowledgement."""
        if not self.store.waiting(session_id, reasons) or not await self.present(session_id):
            return 0
        waiting = self.store.take_waiting(session_id, reasons)  # claimed once, if two replicas try together
        if not waiting:
            return 0
        await self.sio.emit(self.bot_message_evt, {"text": WHILE_AWAY}, room=session_id, namespace=self.namespace)
        for shown, kept in enumerate(waiting):
            try:
                await self._show(session_id, kept.id, kept.messages, kept.expert_message_id)
            except Exception:
                for unshown in waiting[shown + 1:]:  # waiting again, never dropped
                    self.store.release(unshown.id)
                raise
        return len(waiting)
