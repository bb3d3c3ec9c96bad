"""Which conversation ids a client may name (the REST channel's `sender`).

A conversation id ends up in URLs: Rasa's /conversations/{id}/…, the routing
backend's API and the staff console's links. "/", "?", "#", "%" and "\\" there address
another conversation or cut the id short, and so do "." and ".." (clients resolve
them as path steps); whitespace, control and invisible characters make ids that look
the same to a person and are not. Rasa itself takes any string, and files a message
without one under "default", shared by every caller. The routing backend applies the
same rule to the ids it is given (routing/conversation_ids.py).
"""
from __future__ import annotations

import unicodedata
from typing import Any, Optional

MAX_LENGTH = 128
FORBIDDEN = frozenset("/?#%\\")
RULE = (f"sender must be 1 to {MAX_LENGTH} characters, not '.' or '..', with no whitespace, "
        "control characters or any of / ? # % \\")


def _allowed(character: str) -> bool:
    return not (character.isspace() or character in FORBIDDEN or unicodedata.category(character)[0] == "C")


def sender_problem(sender: Any) -> Optional[str]:
    """Why `sender` cannot name a conversation (a sentence for the client), or None when it can."""
    if not isinstance(sender, str):
        return f"{RULE} (got {type(sender).__name__ if sender is not None else 'none'})"
    if not sender:
        return f"{RULE} (got an empty one)"
    if len(sender) > MAX_LENGTH:
        return f"{RULE} (got {len(sender)} characters)"
    if sender in (".", ".."):
        return RULE
    if not all(_allowed(character) for character in sender):
        return RULE
    return None
