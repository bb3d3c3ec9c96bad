"""The server side of "only her buttons are commands" for channels whose client sends text.

The REST channel and the web chat receive button presses as the payload text itself,
so a client can send any payload it likes. Here a text that Rasa would read as an
intent is compared with the buttons the assistant sent in that conversation, as the
tracker store recorded them (`data.buttons` / `data.quick_replies` of bot events,
and the buttons of carousel elements); anything else becomes her words
(`connectors.typed_text.her_words`).

How far back a button counts: the buttons the assistant sent in answer to her last
OFFERED_TURNS messages (the intents the routing backend triggers are not hers and do
not count). She can type a sentence or two and still press a button above; a button
from long ago no longer starts anything.

The tracker is read under the conversation's lock, so a button pressed while the
assistant is still answering is checked once that answer is stored.
"""
from __future__ import annotations

import logging
from typing import Any, FrozenSet, Iterable, Mapping, Optional

from connectors.typed_text import her_words, would_be_intent

logger = logging.getLogger(__name__)

OFFERED_TURNS = 3
LOCK_POLL_SECONDS = 0.05


def _as_dict(event: Any) -> Mapping[str, Any]:
    return event if isinstance(event, Mapping) else event.as_dict()


def _payloads(data: Mapping[str, Any]) -> Iterable[str]:
    buttons = list(data.get("buttons") or []) + list(data.get("quick_replies") or [])
    for element in data.get("elements") or []:
        if isinstance(element, Mapping):
            buttons.extend(element.get("buttons") or [])
    for button in buttons:
        payload = button.get("payload") if isinstance(button, Mapping) else None
        if isinstance(payload, str) and payload.strip():
            yield payload.strip()


def offered_payloads(events: Iterable[Any], turns: int = OFFERED_TURNS) -> FrozenSet[str]:
    """Payloads of the buttons the assistant sent after her `turns`-th latest message."""
    offered = set()
    her_messages = 0
    for event in reversed(list(events)):
        event = _as_dict(event)
        kind = event.get("event")
        if kind == "user" and not (event.get("metadata") or {}).get("is_external"):
            her_messages += 1
            if her_messages >= turns:
                break
        elif kind == "bot":
            offered.update(_payloads(event.get("data") or {}))
    return frozenset(offered)


async def offered_in_conversation(agent: Optional[Any], conversation_id: str) -> FrozenSet[str]:
    """What the assistant offered her lately; nothing when there is no agent or no conversation yet."""
    if agent is None or getattr(agent, "tracker_store", None) is None:
        return frozenset()
    lock_store = getattr(agent, "lock_store", None)
    if lock_store is None:
        tracker = await agent.tracker_store.retrieve(conversation_id)
    else:
        async with lock_store.lock(conversation_id, wait_time_in_seconds=LOCK_POLL_SECONDS):
            tracker = await agent.tracker_store.retrieve(conversation_id)
    return offered_payloads(tracker.events) if tracker is not None else frozenset()


async def admitted_text(agent: Optional[Any], conversation_id: str, text: str) -> str:
    """The text to hand to Rasa for what arrived from her client."""
    if not would_be_intent(text):
        return text
    admitted = her_words(text, await offered_in_conversation(agent, conversation_id))
    if not would_be_intent(admitted):
        logger.info("A text that would be an intent, not offered in conversation %s, goes to Rasa as words",
                    conversation_id)
    return admitted


async def latest_input_channel(agent: Optional[Any], conversation_id: str) -> Optional[str]:
    """The channel her last message came through, or None for a conversation not seen yet."""
    if agent is None or getattr(agent, "tracker_store", None) is None:
        return None
    # Rasa wraps the configured store (FailSafeTrackerStore._tracker_store); the project's SQL store
    # answers with one row (bot/turn_events.py) instead of rebuilding her conversation.
    store = getattr(agent.tracker_store, "_tracker_store", agent.tracker_store)
    if callable(getattr(store, "latest_input_channel", None)):
        return store.latest_input_channel(conversation_id)
    tracker = await agent.tracker_store.retrieve(conversation_id)
    return tracker.get_latest_input_channel() if tracker is not None else None
