"""Web chat settings, read from the environment.

- WEBCHAT_SESSION_SECRET: the key session ids are derived with (at least 32
  characters). Unset, a random key is made per process and a warning logged: the chat
  still works, but after a restart a reconnecting page gets a new session, and expert
  replies for the old one no longer reach her.
- WEBCHAT_ALLOWED_ORIGINS: comma-separated origins (`https://chat.example.org`) whose
  pages may open the socket.io connection. Unset: only the origin the request itself
  names (Host, and X-Forwarded-Proto behind a proxy), i.e. the page Rasa serves.
"""
from __future__ import annotations

import logging
import re
import secrets
from dataclasses import dataclass
from typing import Iterable, Mapping, Optional, Tuple

from bot.environment import environment, items, text

logger = logging.getLogger(__name__)

ENVIRONMENT_NAMES = {
    "session_secret": "WEBCHAT_SESSION_SECRET",
    "allowed_origins": "WEBCHAT_ALLOWED_ORIGINS",
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


@dataclass(frozen=True)
class WebChatSettings:
    session_secret: bytes
    allowed_origins: Optional[Tuple[str, ...]] = None  # None: the page's own origin only
    secret_is_random: bool = False

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
        )
