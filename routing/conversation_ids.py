"""Conversation ids (Rasa's sender ids) as they travel into URLs.

The backend posts replies to Rasa at `/conversations/{id}/trigger_intent`. An id
such as `victim/trigger_intent?x=` would turn that into a call on another woman's
conversation, so new handoffs only take ids that are one plain path segment, and
every URL built from an id escapes it, including ids stored before this check.
"""
from __future__ import annotations

import unicodedata
from urllib.parse import quote

MAX_LENGTH = 128
FORBIDDEN = frozenset("/?#%\\")
# Unicode categories of control, format (zero-width, direction marks) and separator characters.
INVISIBLE_CATEGORIES = ("Cc", "Cf", "Cs", "Co", "Zs", "Zl", "Zp")


def problem(value: str) -> str:
    """Why `value` cannot be a conversation id, or "" when it can."""
    if not 1 <= len(value) <= MAX_LENGTH:
        return f"must have 1 to {MAX_LENGTH} characters"
    if value in (".", ".."):
        return "must not be '.' or '..'"
    for character in value:
        if character in FORBIDDEN:
            return "must not contain '/', '?', '#', '%' or '\\'"
        if character.isspace() or unicodedata.category(character) in INVISIBLE_CATEGORIES:
            return "must not contain whitespace or control characters"
    return ""


def checked(value: str) -> str:
    """For a pydantic AfterValidator: the value, or a ValueError that becomes a 422."""
    reason = problem(value)
    if reason:
        raise ValueError(f"conversation_id {reason}")
    return value


def path_segment(value: str) -> str:
    """`value` as exactly one URL path segment. Dots alone are encoded too, because
    HTTP clients resolve `..` segments (`/conversations/../x` becomes `/x`)."""
    segment = quote(value, safe="")
    return segment.replace(".", "%2E") if segment in (".", "..") else segment
