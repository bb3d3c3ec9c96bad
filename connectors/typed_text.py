"""What she types must never reach Rasa as `/intent{"entity": …}`: the one rule for every channel.

Rasa unpacks a message starting with "/" into an intent and entities twice: on
the raw text, and (RegexMessageHandler, at the end of the NLU pipeline) on the
text our normalizer made of it. The normalizer turns "／" into "/" and removes
spaces, emoji, zero-width and control characters, so "／request_human",
"😀/request_human" or "\u200b/request_human" would inject an intent as surely as
"/request_human". Leading characters go until the normalized text no longer
starts with "/"; anything else she wrote is kept as written.

A text that would be an intent passes unchanged only when it is the payload of a
button the assistant itself offered her (`offered`, which each channel reads from a
source a client cannot write: Telegram's copy of the message, the WeChat channel's
store, the conversation's tracker). The one exception is the location button: the
web page answers it with her coordinates, which are rebuilt here from two numbers.
"""
from __future__ import annotations

import json
import math
from typing import Collection, Optional

from nlu.text import normalize

INTENT_PREFIX = "/"
LOCATION_BUTTON = "/share_location"


def location_payload(latitude: float, longitude: float) -> str:
    """The shared convention with the 找组织 feature: intent share_location with two entities."""
    return LOCATION_BUTTON + json.dumps({"latitude": latitude, "longitude": longitude})


def would_be_intent(text: str) -> bool:
    """Whether Rasa would read this text as an intent rather than as words."""
    text = text or ""
    return text.strip().startswith(INTENT_PREFIX) or normalize(text).startswith(INTENT_PREFIX)


def without_intent_prefix(text: str) -> str:
    while normalize(text).startswith(INTENT_PREFIX):
        start = 0
        while start < len(text) and not normalize(text[start]).strip(INTENT_PREFIX):
            start += 1
        text = text[max(start, 1):]
    return text


def _shared_location(text: str) -> Optional[str]:
    """`/share_location{"latitude": …, "longitude": …}` rebuilt from two plausible numbers, else None."""
    if not text.startswith(LOCATION_BUTTON + "{"):
        return None
    try:
        point = json.loads(text[len(LOCATION_BUTTON):])
    except ValueError:
        return None
    if not isinstance(point, dict) or set(point) != {"latitude", "longitude"}:
        return None
    latitude, longitude = point["latitude"], point["longitude"]
    if not all(isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
               for value in (latitude, longitude)):
        return None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    return location_payload(float(latitude), float(longitude))


def her_words(text: str, offered: Collection[str] = ()) -> str:
    """What reaches Rasa: an offered button's payload as it is, everything else as words she wrote."""
    if not would_be_intent(text):
        return text
    chosen = text.strip()
    if chosen in offered:
        return chosen
    if LOCATION_BUTTON in offered:
        location = _shared_location(chosen)
        if location is not None:
            return location
    return without_intent_prefix(text)
