"""Rasa's output channel for WeChat: collect for the passive reply, then push.

While WeChat waits for the webhook's answer (five seconds), the bot's messages are
collected so they can go back in that answer. When the webhook answers, whatever is
left (or arrives later) goes out through the customer-service API, in order. The
channel Rasa creates for later messages (`get_output_channel`, expert replies)
pushes from the start.
"""
from __future__ import annotations

import asyncio
import json
import logging
from collections import deque
from typing import Any, Deque, Dict, Iterable, List, Optional, Tuple

from rasa.core.channels.channel import OutputChannel

from connectors.wechat.sender import CustomerServiceSender
from connectors.wechat.store import WeChatStore
from connectors.wechat.text import NumberedOptions, split_text

logger = logging.getLogger(__name__)


class WeChatOutput(OutputChannel):
    def __init__(self, sender: CustomerServiceSender, store: WeChatStore, collecting: bool = False) -> None:
        self._sender = sender
        self._store = store
        self._collecting = collecting
        self._collected: List[Tuple[str, str]] = []
        self._options = NumberedOptions()
        self._queue: Deque[Tuple[str, str, asyncio.Future]] = deque()
        self._drainer: Optional[asyncio.Task] = None

    @classmethod
    def name(cls) -> str:
        return "wechat"

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self._emit(recipient_id, text)

    async def send_text_with_buttons(self, recipient_id: str, text: str, buttons: List[Dict[str, Any]],
                                     **kwargs: Any) -> None:
        await self._emit(recipient_id, self._options.render(text, buttons))

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
            await self._emit(recipient_id, str(text))
        else:
            logger.info("WeChat cannot show a custom message without text; skipped: %s", json_message)

    async def _emit(self, recipient_id: str, text: str) -> None:
        self._store.save_options(recipient_id, self._options.payloads)
        if not text.strip():
            return
        if self._collecting:
            self._collected.append((recipient_id, text))
            return
        await asyncio.gather(*[self._enqueue(recipient_id, chunk) for chunk in split_text(text)])

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
            try:
                await self._sender.send_text(recipient, text)
            except Exception:  # noqa: BLE001 - the sender records failures; never lose the queue
                logger.exception("WeChat push to %s failed unexpectedly", recipient)
            if not done.done():
                done.set_result(None)
