"""Rasa's output channel for WeChat: collect for the passive reply, then push.

While WeChat waits for the webhook's answer (five seconds), the bot's messages are
collected so they can go back in that answer. When the webhook answers, whatever is
left (or arrives later) goes out through the customer-service API, in order. The
channel Rasa creates for later messages (`get_output_channel`, expert replies)
pushes from the start.

After her safe exit nothing is pushed until she writes again: it is held in the
store. An expert's reply (`expert_message_id`) is reported to the routing backend
as WeChat answered: accepted, or refused with its errcode (45015 when she has not
written for 48 hours), and a refused reply is held too; `send_held_messages` sends
what waits when she next writes, which opens WeChat's window again.
"""
from __future__ import annotations

import asyncio
import json
import logging
from collections import deque
from typing import Any, Deque, Dict, Iterable, List, Optional, Tuple

from rasa.core.channels.channel import OutputChannel

from connectors.crisis_buttons import with_crisis_payloads
from connectors.delivery_reports import ACCEPTED, REFUSED, WAITING, NoReports, Reporter, expert_message_id
from connectors.wechat.sender import CustomerServiceSender
from connectors.wechat.store import WeChatStore
from connectors.wechat.text import NumberedOptions, split_text

logger = logging.getLogger(__name__)

HELD_AFTER_SAFE_EXIT, HELD_REFUSED = "held_after_safe_exit", "refused"
WAITING_AFTER_SAFE_EXIT = "她用了安全退出，等她再发消息"
HELD_WHILE_AWAY = "你离开之后，这里收到了新的消息："


class WeChatOutput(OutputChannel):
    def __init__(self, sender: CustomerServiceSender, store: WeChatStore, collecting: bool = False,
                 replying_since: Optional[float] = None, reports: Optional[Reporter] = None) -> None:
        self._sender = sender
        self._store = store
        self._replying_since = replying_since  # None: a later message (expert reply), held while she is away
        self._reports = reports or NoReports()
        self._collecting = collecting
        self._collected: List[Tuple[str, str]] = []
        self._options = NumberedOptions()
        self._queue: Deque[Tuple[str, str, asyncio.Future]] = deque()
        self._drainer: Optional[asyncio.Task] = None

    @classmethod
    def name(cls) -> str:
        return "wechat"

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self._emit(recipient_id, text, expert_message_id(kwargs))

    async def send_text_with_buttons(self, recipient_id: str, text: str, buttons: List[Dict[str, Any]],
                                     **kwargs: Any) -> None:
        shown = self._options.render(text, with_crisis_payloads(text, buttons))
        await self._emit(recipient_id, shown, expert_message_id(kwargs))

    async def send_quick_replies(self, recipient_id: str, text: str, quick_replies: List[Dict[str, Any]],
                                 **kwargs: Any) -> None:
        await self.send_text_with_buttons(recipient_id, text, quick_replies)

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self._emit(recipient_id, f"图片：{image}")

    async def send_attachment(self, recipient_id: str, attachment: Any, **kwargs: Any) -> None:
        await self._emit(recipient_id, attachment if isinstance(attachment, str) else json.dumps(
            attachment, ensure_ascii=False))

    async def send_elements(self, recipient_id: str, elements: Iterable[Dict[str, Any]], **kwargs: Any) -> None:
        for element in elements:
            title = " ".join(part for part in (element.get("title"), element.get("subtitle")) if part)
            await self.send_text_with_buttons(recipient_id, title, element.get("buttons") or [])

    async def send_custom_json(self, recipient_id: str, json_message: Dict[str, Any], **kwargs: Any) -> None:
        text = json_message.get("text") if isinstance(json_message, dict) else None
        if text:
            await self._emit(recipient_id, str(text), expert_message_id({**kwargs, **json_message}))
        else:
            logger.info("WeChat cannot show a custom message without text; skipped: %s", json_message)

    async def _emit(self, recipient_id: str, text: str, expert_id: Optional[int] = None) -> None:
        if not text.strip():
            self._store.save_options(recipient_id, self._options.payloads)
            return
        if self._held(recipient_id):
            self._store.hold(recipient_id, text, HELD_AFTER_SAFE_EXIT, expert_id)
            self._reports.report(expert_id, WAITING, WAITING_AFTER_SAFE_EXIT)
            logger.info("WeChat: %s left with safe exit; a message is held until she writes again", recipient_id)
            return
        self._store.save_options(recipient_id, self._options.payloads)
        if self._collecting:
            self._collected.append((recipient_id, text))
            return
        sent = await asyncio.gather(*[self._enqueue(recipient_id, chunk) for chunk in split_text(text)])
        if expert_id is None:
            return
        if all(sent):
            self._reports.report(expert_id, ACCEPTED)
            return
        reason = self._sender.last_failure(recipient_id)
        self._store.hold(recipient_id, text, HELD_REFUSED, expert_id)  # sent when she next writes
        self._reports.report(expert_id, REFUSED, reason)

    def _held(self, openid: str) -> bool:
        since = self._store.quiet_since(openid)
        if since is None:
            return False
        return self._replying_since is None or self._replying_since < since

    def take_passive_reply(self) -> Optional[str]:
        """The first chunk of what was collected, for the webhook's answer; the rest is pushed."""
        self._collecting = False
        if not self._collected:
            return None
        recipient = self._collected[0][0]
        chunks = split_text("\n\n".join(text for _, text in self._collected))
        self._collected = []
        for chunk in chunks[1:]:
            self._enqueue(recipient, chunk)
        return chunks[0]

    def release(self) -> None:
        """The webhook answered without a reply: push what was collected, and all later messages."""
        self._collecting = False
        collected, self._collected = self._collected, []
        for recipient, text in collected:
            for chunk in split_text(text):
                self._enqueue(recipient, chunk)

    async def wait_until_sent(self) -> None:
        if self._drainer is not None:
            await self._drainer

    def _enqueue(self, recipient: str, text: str) -> asyncio.Future:
        done = asyncio.get_running_loop().create_future()
        self._queue.append((recipient, text, done))
        if self._drainer is None or self._drainer.done():
            self._drainer = asyncio.create_task(self._drain())
        return done

    async def _drain(self) -> None:
        """One sender per channel, so her messages arrive in the order the bot wrote them."""
        while self._queue:
            recipient, text, done = self._queue.popleft()
            sent = False
            try:
                sent = await self._sender.send_text(recipient, text)
            except Exception:  # noqa: BLE001 - the sender records failures; never lose the queue
                logger.exception("WeChat push to %s failed unexpectedly", recipient)
            if not done.done():
                done.set_result(sent)


async def send_held_messages(sender: CustomerServiceSender, store: WeChatStore, openid: str,
                             reports: Optional[Reporter] = None) -> int:
    """She wrote again: what waited for her goes now, after a short lead; what WeChat still
    refuses waits for her next message."""
    reports = reports or NoReports()
    held = store.take_held(openid)
    if not held:
        return 0
    await sender.send_text(openid, HELD_WHILE_AWAY)
    for message in held:
        sent = [await sender.send_text(openid, chunk) for chunk in split_text(message.text)]
        if all(sent):
            reports.report(message.expert_message_id, ACCEPTED)
            continue
        store.hold(openid, message.text, HELD_REFUSED, message.expert_message_id)
        reports.report(message.expert_message_id, REFUSED, sender.last_failure(openid))
    return len(held)
