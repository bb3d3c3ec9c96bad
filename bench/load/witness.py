"""Did the expert's words reach her conversation? Read Rasa's SQL tracker store, as staff cannot.

The REST channel answers within the request and cannot push a later message, so an
expert reply relayed to a REST conversation is a bot event in her tracker: the text she
reads when she opens the chat again. This counts the replies found there, once each.
"""
from __future__ import annotations

import json
from typing import Callable, Iterable, Tuple

from bench.load.expert import ExpertReply

BotTexts = Callable[[str], Tuple[str, ...]]  # conversation id -> the bot's texts in her tracker


def count_reached(replies: Iterable[ExpertReply], bot_texts: BotTexts) -> int:
    """How many delivered replies are in her conversation exactly once."""
    found = 0
    for reply in replies:
        if reply.delivered is not None and sum(reply.text in text for text in bot_texts(reply.conversation_id)) == 1:
            found += 1
    return found


def reached_her(tracker_database_url: str, replies: Iterable[ExpertReply]) -> int:
    """`count_reached` against Rasa's SQL tracker store (SQLite or PostgreSQL)."""
    import sqlalchemy as sa

    engine = sa.create_engine(tracker_database_url)
    try:
        with engine.connect() as connection:
            def bot_texts(conversation_id: str) -> Tuple[str, ...]:
                rows = connection.execute(sa.text("SELECT data FROM events WHERE sender_id = :sender AND "
                                                  "type_name = 'bot' ORDER BY id"), {"sender": conversation_id})
                return tuple(str(json.loads(row[0]).get("text") or "") for row in rows)

            return count_reached(replies, bot_texts)
    finally:
        engine.dispose()
