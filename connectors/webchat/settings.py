"""Web chat settings, read from the environment.

- WEBCHAT_SESSION_SECRET: the key session ids are derived with (at least 32
  characters). Unset, a random key is made per process and a warning logged: the chat
  still works, but after a restart a reconnecting page gets a new session, and expert
  replies for the old one no longer reach her.
- WEBCHAT_ALLOWED_ORIGINS: comma-separated origins (`https://chat.example.org`) whose
  pages may open the socket.io connection. Unset: only the origin the request itself
  names (Host, and X-Forwarded-Proto behind a proxy), i.e. the page Rasa serves.
- WEBCHAT_ACK_SECONDS: how long a message shown to her page waits for the page's
  acknowledgement before it waits for her again (default 10; 0.5 to 120).
"""
from __future__ import annotations

import logging
import re
import secrets
from dataclasses import dataclass
from typing import Iterable, Mapping, Optional, Tuple

from bot.environment import environment, items, number, text
from connectors.webchat.acknowledgements import ACK_SECONDS

logger = logging.getLogger(__name__)

ENVIRONMENT_NAMES = {
    "session_secret": "WEBCHAT_SESSION_SECRET",
    "allowed_origins": "WEBCHAT_ALLOWED_ORIGINS",
    "ack_seconds": "WEBCHAT_ACK_SECONDS",
}
MIN_SECRET_LENGTH = 32
ORIGIN_PATTERN = re.compile(r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$")


def _origins(listed: Iterable[str]) -> Optional[Tuple[str, ...]]:
    """The listed origins that are well formed; None (same origin only) when none is."""
    origins = []
    for origin in (item.rstrip("/") for item in listed):
        if not origin:
            continue
        if ORIGIN_PATTERN.match(origin):
            origins.append(origin.lower())
        else:
            logger.error("%s: %r is not an origin like https://chat.example.org; ignored",
                         ENVIRONMENT_NAMES["allowed_origins"], origin)
    return tuple(origins) or None


def _ack_seconds(environ: Mapping[str, str]) -> float:
    seconds = number(environ, ENVIRONMENT_NAMES["ack_seconds"], ACK_SECONDS)
    if not 0.5 <= seconds <= 120:
        raise ValueError(f"{ENVIRONMENT_NAMES['ack_seconds']} must be between 0.5 and 120 seconds, got {seconds}")
    return seconds


@dataclass(frozen=True)
class WebChatSettings:
    session_secret: bytes
    allowed_origins: Optional[Tuple[str, ...]] = None  # None: the page's own origin only
    secret_is_random: bool = False
    ack_seconds: float = ACK_SECONDS

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None) -> "WebChatSettings":
        environ = environment(environ)
        secret = text(environ, ENVIRONMENT_NAMES["session_secret"])
        random_secret = len(secret) < MIN_SECRET_LENGTH
        if random_secret:
            why = "is shorter than %d characters" % MIN_SECRET_LENGTH if secret else "is not set"
            logger.warning("%s %s: web chat sessions use a random key for this process only, so pages "
                           "reconnecting after a restart start new conversations",
                           ENVIRONMENT_NAMES["session_secret"], why)
        return cls(
            session_secret=secrets.token_bytes(32) if random_secret else secret.encode("utf-8"),
            allowed_origins=_origins(items(environ, ENVIRONMENT_NAMES["allowed_origins"])),
            secret_is_random=random_secret,
            ack_seconds=_ack_seconds(environ),
        )
