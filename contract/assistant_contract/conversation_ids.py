"""Which conversation ids (Rasa's sender ids) may travel into URLs and paths.

A conversation id ends up in Rasa's /conversations/{id}/…, the routing backend's API
and the console's links. "/", "?", "#", "%" and "\\" there address another
conversation or cut the id short, and so do "." and ".." (clients resolve them as
path steps); whitespace, control and invisible characters make ids that look the
same to a person and are not. The REST channel refuses such senders; the routing
backend refuses them in new handoffs; every URL built from an id escapes it.
"""
from __future__ import annotations

import unicodedata
from typing import Any
from urllib.parse import quote

MAX_LENGTH = 128
FORBIDDEN = frozenset("/?#%\\")
RULE = (f"1 to {MAX_LENGTH} characters, not '.' or '..', with no whitespace, "
        "control characters or any of / ? # % \\")


def _allowed(character: str) -> bool:
    """Not whitespace, not one of FORBIDDEN, not a control, format or separator character."""
    category = unicodedata.category(character)
    return not (character.isspace() or character in FORBIDDEN or category[0] in ("C", "Z"))


def problem(value: Any) -> str:
    """Why `value` cannot name a conversation (a sentence for the caller), or "" when it can."""
    if not isinstance(value, str):
        return f"must be text: {RULE}"
    if not 1 <= len(value) <= MAX_LENGTH:
        return f"must be {RULE} (got {len(value)} characters)"
    if value in (".", "..") or not all(_allowed(character) for character in value):
        return f"must be {RULE}"
    return ""


def path_segment(value: str) -> str:
    """`value` as exactly one URL path segment. Dots alone are encoded too, because
    HTTP clients resolve `..` segments (`/conversations/../x` becomes `/x`)."""
    segment = quote(value, safe="")
    return segment.replace(".", "%2E") if segment in (".", "..") else segment
