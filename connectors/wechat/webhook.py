"""One POSTed WeChat message, from signature check to the passive reply.

WeChat waits five seconds for the answer and then retries (three times). So the
dialogue runs under a deadline: if the bot has answered by then, the answer goes
back as the passive XML reply; if not, the webhook answers "success" at once and
the bot's messages follow through the customer-service API when they are ready.

A signed request seen before is answered again only with the very same body (WeChat's
own retry, deduplicated by MsgId); with another body it is a replay and gets 403.
"""
from __future__ import annotations

import asyncio
import hashlib
import logging
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Set

from rasa.core.channels.channel import UserMessage
from wechatpy.replies import TextReply

from connectors.wechat.inbound import ForgedRequest, Inbound, MalformedRequest, SignedQuery, WeChatInboundReader
from connectors.wechat.messages import interpret
from connectors.wechat.output import WeChatOutput
from connectors.wechat.sender import CustomerServiceSender
from connectors.wechat.store import WeChatStore

logger = logging.getLogger(__name__)

NO_REPLY = "success"  # WeChat's "received, nothing to show" answer
FAILED_TURN = ("抱歉，系统刚才出了点问题，没能处理你这条消息，请过一会儿再发一次。"
               "如果你现在有危险，请立即拨打110；妇女维权热线12338。")
OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


@dataclass(frozen=True)
class WebhookAnswer:
    status: int
    body: str
    content_type: str = "text/plain; charset=utf-8"


class WeChatWebhook:
    def __init__(self, reader: WeChatInboundReader, store: WeChatStore, sender: CustomerServiceSender,
                 deadline_seconds: float = 4.5) -> None:
        self._reader = reader
        self._store = store
        self._sender = sender
        self._deadline = deadline_seconds
        self._background: Set[asyncio.Task] = set()

    def output_channel(self, collecting: bool = False) -> WeChatOutput:
        return WeChatOutput(self._sender, self._store, collecting=collecting)

    def handshake(self, args: Any) -> WebhookAnswer:
        """公众平台's server check: echo `echostr` when the signature is ours."""
        try:
            self._reader.verify(SignedQuery.from_args(args))
        except ForgedRequest as error:
            logger.warning("WeChat handshake refused: %s", error)
            return WebhookAnswer(403, "forbidden")
        return WebhookAnswer(200, args.get("echostr", ""))

    async def receive(self, args: Any, body: bytes, on_new_message: OnNewMessage) -> WebhookAnswer:
        query = SignedQuery.from_args(args)
        try:
            inbound = self._reader.read(query, body)
        except ForgedRequest as error:
            logger.warning("WeChat message refused (403): %s", error)
            return WebhookAnswer(403, "forbidden")
        except MalformedRequest as error:
            logger.error("WeChat message rejected (400): %s; body starts %r", error, body[:200])
            return WebhookAnswer(400, "bad request")

        if not self._store.claim_signature(query.replay_key, hashlib.sha256(body).hexdigest(),
                                           self._reader.valid_until(query)):
            logger.warning("WeChat message refused (403): its signature was already used with another body")
            return WebhookAnswer(403, "forbidden")

        key = inbound.delivery_key
        if not self._store.claim(key):
            logger.info("WeChat retry of %s ignored (already handled)", key)
            return self._answer(self._store.reply_for(key) or "", inbound, query, key, remember=False)

        try:
            turn = interpret(inbound.message, self._store.option)
        except MalformedRequest as error:
            logger.error("WeChat message rejected (400): %s", error)
            return WebhookAnswer(400, "bad request")
        if turn.reply:
            return self._answer(turn.reply, inbound, query, key)
        if turn.text is None:
            return self._answer("", inbound, query, key)
        return await self._converse(turn.text, inbound, query, key, on_new_message)

    async def _converse(self, text: str, inbound: Inbound, query: SignedQuery, key: str,
                        on_new_message: OnNewMessage) -> WebhookAnswer:
        channel = self.output_channel(collecting=True)
        message = inbound.message
        user_message = UserMessage(text, channel, message.source, input_channel=channel.name(),
                                   metadata={"wechat": {"delivery": key, "to": message.target,
                                                        "type": message.type}})
        dialogue = self._keep(asyncio.create_task(self._run(on_new_message, user_message, channel)))
        done, _ = await asyncio.wait({dialogue}, timeout=self._deadline)
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
            self._store.remember_reply(key, text)
        xml = TextReply(content=text, message=inbound.message).render()
        return WebhookAnswer(200, self._reader.seal(xml, query), "application/xml; charset=utf-8")
