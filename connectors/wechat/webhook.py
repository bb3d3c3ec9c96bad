"""One POSTed WeChat message, from signature check to the passive reply.

WeChat waits five seconds for the answer and then retries (three times). So the
dialogue runs under a deadline: if the bot has answered by then, the answer goes
back as the passive XML reply; if not, the webhook answers "success" at once and
the bot's messages follow through the customer-service API when they are ready.

A signed request seen before is answered again only with the very same body (WeChat's
own retry, deduplicated by MsgId); with another body it is a replay and gets 403. What
was seen is kept by `deliveries`: the store's SQLite file by default, Redis when several
replicas share the work (connectors/wechat/deliveries.py), so a retry that reaches
another replica is still answered once.

Safe exit (「安全退出」, 「他来了快删」, her code word: connectors/safe_exit_words.py) is
answered at once with one line: an Official Account cannot delete anything in her
WeChat, so she is told to delete the chat from her list herself. The dialogue hears
`/safe_exit` (its reply is not shown), and nothing is pushed to her until she writes
again; then what waited (and experts' replies WeChat refused) goes first.
"""
from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Optional, Set

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from wechatpy.replies import TextReply

from connectors.delivery_reports import NoReports, Reporter
from connectors.safe_exit_words import EXIT, SAFE_EXIT_PAYLOAD, SafeExitWords

from connectors.wechat.deliveries import Deliveries
from connectors.wechat.inbound import ForgedRequest, Inbound, MalformedRequest, SignedQuery, WeChatInboundReader
from connectors.wechat.messages import interpret
from connectors.wechat.output import WeChatOutput, send_held_messages
from connectors.wechat.sender import CustomerServiceSender
from connectors.wechat.store import WeChatStore

logger = logging.getLogger(__name__)

NO_REPLY = "success"  # WeChat's "received, nothing to show" answer
FAILED_TURN = ("抱歉，系统刚才出了点问题，没能处理你这条消息，请过一会儿再发一次。"
               "如果你现在有危险，请立即拨打110；妇女维权热线12338。")
SAFE_EXIT_LINE = "好的，我先不说话了。公众号删不掉你微信里的记录，请你现在就在聊天列表里左滑（安卓长按）这个对话，点“删除”。"
MIN_DEADLINE_SECONDS = 0.5
OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


@dataclass(frozen=True)
class WebhookAnswer:
    status: int
    body: str
    content_type: str = "text/plain; charset=utf-8"


class WeChatWebhook:
    def __init__(self, reader: WeChatInboundReader, store: WeChatStore, sender: CustomerServiceSender,
                 deadline_seconds: float = 4.5, safe_exit_words: Optional[SafeExitWords] = None,
                 reports: Optional[Reporter] = None, deliveries: Optional[Deliveries] = None) -> None:
        self._reader = reader
        self._store = store
        self._deliveries: Deliveries = deliveries or store
        self._sender = sender
        self._deadline = deadline_seconds
        self._safe_exit_words = safe_exit_words
        self._reports = reports or NoReports()
        self._background: Set[asyncio.Task] = set()

    def output_channel(self, collecting: bool = False) -> WeChatOutput:
        """`collecting`: the answer to the message in hand; otherwise a later message (held while she is away)."""
        return WeChatOutput(self._sender, self._store, collecting=collecting,
                            replying_since=time.time() if collecting else None, reports=self._reports)

    def handshake(self, args: Any) -> WebhookAnswer:
        """公众平台's server check: echo `echostr` when the signature is ours."""
        try:
            self._reader.verify(SignedQuery.from_args(args))
        except ForgedRequest as error:
            logger.warning("WeChat handshake refused: %s", error)
            return WebhookAnswer(403, "forbidden")
        return WebhookAnswer(200, args.get("echostr", ""))

    async def receive(self, args: Any, body: bytes, on_new_message: OnNewMessage) -> WebhookAnswer:
        started = time.monotonic()
        query = SignedQuery.from_args(args)
        try:
            inbound = self._reader.read(query, body)
        except ForgedRequest as error:
            logger.warning("WeChat message refused (403): %s", error)
            return WebhookAnswer(403, "forbidden")
        except MalformedRequest as error:
            logger.error("WeChat message rejected (400): %s; body starts %r", error, body[:200])
            return WebhookAnswer(400, "bad request")

        if not self._deliveries.claim_signature(query.replay_key, hashlib.sha256(body).hexdigest(),
                                           self._reader.valid_until(query)):
            logger.warning("WeChat message refused (403): its signature was already used with another body")
            return WebhookAnswer(403, "forbidden")

        key = inbound.delivery_key
        if not self._deliveries.claim(key):
            logger.info("WeChat retry of %s ignored (already handled)", key)
            return self._answer(self._deliveries.reply_for(key) or "", inbound, query, key, remember=False)

        try:
            turn = interpret(inbound.message, self._store.option)
        except MalformedRequest as error:
            logger.error("WeChat message rejected (400): %s", error)
            return WebhookAnswer(400, "bad request")
        if turn.reply:
            return self._answer(turn.reply, inbound, query, key)
        if turn.text is None:
            return self._answer("", inbound, query, key)
        openid = inbound.message.source
        reading = self._safe_exit_words.read(openid, turn.text) if self._safe_exit_words else None
        if reading is not None and reading.kind == EXIT:
            self._store.set_quiet(openid)
            self._keep(asyncio.create_task(self._tell_dialogue_she_left(on_new_message, openid, key)))
            return self._answer(SAFE_EXIT_LINE, inbound, query, key)
        self._store.clear_quiet(openid)
        await send_held_messages(self._sender, self._store, openid, self._reports)  # she wrote: the window is open
        if reading is not None and reading.reply:  # her code word stays with the channel, out of the dialogue
            return self._answer(reading.reply, inbound, query, key)
        deadline = max(MIN_DEADLINE_SECONDS, self._deadline - (time.monotonic() - started))
        return await self._converse(turn.text, inbound, query, key, on_new_message, deadline)

    async def _tell_dialogue_she_left(self, on_new_message: OnNewMessage, openid: str, key: str) -> None:
        """The dialogue's bookkeeping; its reply is not shown (the one line above is all she sees)."""
        try:
            await on_new_message(UserMessage(SAFE_EXIT_PAYLOAD, CollectingOutputChannel(), openid,
                                             input_channel="wechat", metadata={"wechat": {"delivery": key}}))
        except Exception:  # noqa: BLE001 - hiding the chat matters more than the dialogue's bookkeeping
            logger.exception("WeChat safe exit of %s: the dialogue could not be told", openid)

    async def _converse(self, text: str, inbound: Inbound, query: SignedQuery, key: str,
                        on_new_message: OnNewMessage, deadline: Optional[float] = None) -> WebhookAnswer:
        channel = self.output_channel(collecting=True)
        message = inbound.message
        user_message = UserMessage(text, channel, message.source, input_channel=channel.name(),
                                   metadata={"wechat": {"delivery": key, "to": message.target,
                                                        "type": message.type}})
        dialogue = self._keep(asyncio.create_task(self._run(on_new_message, user_message, channel)))
        done, _ = await asyncio.wait({dialogue}, timeout=deadline or self._deadline)
        if done:
            passive = channel.take_passive_reply() or ""
            self._keep(asyncio.ensure_future(channel.wait_until_sent()))  # the rest of a long answer
            return self._answer(passive, inbound, query, key)
        logger.info("WeChat reply to %s not ready within %.1f s; it follows by the customer-service API",
                    message.source, self._deadline)
        channel.release()
        return self._answer("", inbound, query, key)

    async def _run(self, on_new_message: OnNewMessage, user_message: UserMessage, channel: WeChatOutput) -> None:
        try:
            await on_new_message(user_message)
        except Exception:  # noqa: BLE001 - a failed turn must not take the webhook down
            logger.exception("The assistant failed on a WeChat message from %s: %r", user_message.sender_id,
                             user_message.text[:500])
            await channel.send_text_message(user_message.sender_id, FAILED_TURN)  # she is never left unanswered
        await channel.wait_until_sent()

    def _keep(self, task: asyncio.Task) -> asyncio.Task:
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        return task

    def _answer(self, text: str, inbound: Inbound, query: SignedQuery, key: str,
                remember: bool = True) -> WebhookAnswer:
        if not text:
            return WebhookAnswer(200, NO_REPLY)
        if remember:
            self._deliveries.remember_reply(key, text)
        xml = TextReply(content=text, message=inbound.message).render()
        return WebhookAnswer(200, self._reader.seal(xml, query), "application/xml; charset=utf-8")
