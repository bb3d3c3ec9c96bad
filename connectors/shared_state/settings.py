"""Where the replicas' shared state lives: ASSISTANT_REDIS_URL and ASSISTANT_REDIS_KEY_PREFIX.

Empty URL (the default): nothing is shared, each process keeps its own state as the
embedded default always has. The prefix starts every key, so two deployments (or a
test run) can use one Redis without meeting.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping, Optional

from bot.environment import environment, text

ENVIRONMENT_NAMES = {"redis_url": "ASSISTANT_REDIS_URL", "key_prefix": "ASSISTANT_REDIS_KEY_PREFIX"}
DEFAULT_KEY_PREFIX = "assistant"
PREFIX_PATTERN = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
SCHEMES = ("redis://", "rediss://", "unix://")


@dataclass(frozen=True)
class SharedStateSettings:
    redis_url: str = ""
    key_prefix: str = DEFAULT_KEY_PREFIX

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None) -> "SharedStateSettings":
        environ = environment(environ)
        settings = cls(redis_url=text(environ, ENVIRONMENT_NAMES["redis_url"]),
                       key_prefix=text(environ, ENVIRONMENT_NAMES["key_prefix"], DEFAULT_KEY_PREFIX))
        settings.validate()
        return settings

    def validate(self) -> None:
        if self.redis_url and not self.redis_url.startswith(SCHEMES):
            raise ValueError(f"{ENVIRONMENT_NAMES['redis_url']} must be a URL like redis://127.0.0.1:6379/0, "
                             f"got {self.redis_url!r}")
        if not PREFIX_PATTERN.match(self.key_prefix):
            raise ValueError(f"{ENVIRONMENT_NAMES['key_prefix']} may only contain A-Z, a-z, 0-9, _, . and - "
                             f"(1 to 64 characters), got {self.key_prefix!r}")

    @property
    def shared(self) -> bool:
        return bool(self.redis_url)
