"""What she types must never reach Rasa as `/intent{"entity": …}`.

Rasa unpacks a message starting with "/" into an intent and entities twice: on
the raw text, and (RegexMessageHandler, at the end of the NLU pipeline) on the
text our normalizer made of it. The normalizer turns "／" into "/" and removes
spaces, emoji, zero-width and control characters, so "／request_human",
"😀/request_human" or "\u200b/request_human" would inject an intent as surely as
"/request_human". Leading characters go until the normalized text no longer
starts with "/"; anything else she wrote is kept as written.
"""
from __future__ import annotations

from nlu.text import normalize


def without_intent_prefix(text: str) -> str:
    while normalize(text).startswith("/"):
        start = 0
        while start < len(text) and not normalize(text[start]).strip("/"):
            start += 1
        text = text[max(start, 1):]
    return text
