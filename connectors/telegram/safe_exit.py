"""安全退出 / `/exit`: for a woman who fears someone will read her phone.

Order matters. First the chat goes quiet (nothing new may appear, not even a reply
Rasa is still composing or an expert's answer), then every message of hers and
ours that Telegram still lets a bot delete (48 hours) is deleted, then one neutral
hint on hiding the chat is sent, which also removes any reply keyboard. Only then
does the dialogue hear `/safe_exit`; its own reply is not shown, because the hint
must stay the only message. The handoff's record on the routing server stays.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable

from telegram import ReplyKeyboardRemove

from connectors.telegram.sender import TelegramSender
from connectors.telegram.texts import SAFE_EXIT_HINT

logger = logging.getLogger(__name__)

PARALLEL_DELETIONS = 5


async def safe_exit(chat_id: str, sender: TelegramSender, tell_dialogue: Callable[[], Awaitable[Any]]) -> int:
    """Returns how many messages were deleted."""
    store = sender.store
    store.set_quiet(chat_id)
    message_ids = store.deletable_messages(chat_id)
    limit = asyncio.Semaphore(PARALLEL_DELETIONS)

    async def delete(message_id: int) -> bool:
        async with limit:
            return await sender.delete_message(chat_id, message_id)

    results = await asyncio.gather(*(delete(m) for m in message_ids))
    deleted = [m for m, ok in zip(message_ids, results) if ok]
    store.forget_messages(chat_id, deleted)  # the rest stay for the next attempt until they are too old
    await sender.send_message(chat_id, SAFE_EXIT_HINT, ReplyKeyboardRemove())
    logger.info("Safe exit in chat %s: %d of %d messages deleted", chat_id, len(deleted), len(message_ids))
    try:
        await tell_dialogue()
    except Exception:  # the deletion matters more than the dialogue's bookkeeping
        logger.exception("Safe exit in chat %s: the dialogue could not be told", chat_id)
    return len(deleted)
