"""Typed Telegram settings: credentials.yml first, the environment otherwise.

Rasa's credentials loader fails on `${VAR}` when VAR is unset, so credentials.yml
names the channel with no values and the settings are read from the environment
here. A missing token or a missing or invalid secret disables the channel instead of
stopping Rasa.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Optional

from bot.environment import environment, text, var_dir

DEFAULT_API_BASE_URL = "https://api.telegram.org/bot"
DEFAULT_RASA_URL = "http://localhost:5005"
# Telegram accepts 1-256 characters A-Z, a-z, 0-9, _ and - (setWebhook secret_token).
SECRET_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")

ENVIRONMENT_NAMES = {
    "bot_token": "TELEGRAM_BOT_TOKEN",
    "webhook_secret": "TELEGRAM_WEBHOOK_SECRET",
    "webhook_url": "TELEGRAM_WEBHOOK_URL",
    "api_base_url": "TELEGRAM_API_BASE_URL",
    "rasa_url": "TELEGRAM_RASA_URL",
    "store_path": "TELEGRAM_STORE_PATH",
}


@dataclass(frozen=True)
class TelegramSettings:
    bot_token: str
    webhook_secret: str
    webhook_url: str
    api_base_url: str
    rasa_url: str
    store_path: Path

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None) -> "TelegramSettings":
        """Every value from its environment variable (the polling runner has no credentials.yml)."""
        return cls.from_credentials(None, environ)

    @classmethod
    def from_credentials(
        cls,
        credentials: Optional[Mapping[str, Any]] = None,
        environ: Optional[Mapping[str, str]] = None,
    ) -> "TelegramSettings":
        """Each value from credentials.yml if given there, else from its environment variable."""
        environ = environment(environ)
        credentials = credentials or {}

        def value(key: str, default: str = "") -> str:
            given = credentials.get(key)
            if given is None or str(given).strip() == "":
                return text(environ, ENVIRONMENT_NAMES[key], default)
            return str(given).strip()

        store = value("store_path")
        return cls(
            bot_token=value("bot_token"),
            webhook_secret=value("webhook_secret"),
            webhook_url=value("webhook_url"),
            api_base_url=value("api_base_url", DEFAULT_API_BASE_URL),
            rasa_url=value("rasa_url", DEFAULT_RASA_URL).rstrip("/"),
            store_path=Path(store) if store else var_dir() / "telegram.db",
        )

    def problem(self) -> Optional[str]:
        """Why the channel cannot work (a sentence naming the variable), or None when it can."""
        if not self.bot_token:
            return "TELEGRAM_BOT_TOKEN is not set"
        if not self.webhook_secret:
            return "TELEGRAM_WEBHOOK_SECRET is not set"
        if not SECRET_PATTERN.match(self.webhook_secret):
            return "TELEGRAM_WEBHOOK_SECRET may only contain A-Z, a-z, 0-9, _ and - (1 to 256 characters)"
        return None
