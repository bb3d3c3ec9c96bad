"""WeChat Official Account settings, read from the environment.

credentials.yml only names the channel: an unset `${VAR}` there would stop Rasa
from starting, so the values come from the environment when the channel is built.
Invalid values raise ValueError (the channel logs it and stays closed); without
WECHAT_TOKEN the channel is not configured.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional

from bot.environment import environment, number, text, var_dir

WECHAT_API_BASE_URL = "https://api.weixin.qq.com/cgi-bin/"
AES_KEY_LENGTH = 43  # EncodingAESKey as shown in 公众平台: 43 characters of base64

ENVIRONMENT_NAMES = {
    "token": "WECHAT_TOKEN",
    "app_id": "WECHAT_APP_ID",
    "app_secret": "WECHAT_APP_SECRET",
    "aes_key": "WECHAT_AES_KEY",
    "api_base_url": "WECHAT_API_BASE_URL",
    "reply_deadline_seconds": "WECHAT_REPLY_DEADLINE_SECONDS",
}


@dataclass(frozen=True)
class WeChatSettings:
    token: str
    app_id: str
    app_secret: str
    aes_key: str
    api_base_url: str
    var_dir: Path
    reply_deadline_seconds: float = 4.5
    options_ttl_seconds: float = 3600.0
    send_attempts: int = 3
    retry_backoff_seconds: float = 0.5
    max_clock_skew_seconds: float = 300.0

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None) -> "WeChatSettings":
        environ = environment(environ)
        settings = cls(
            token=text(environ, ENVIRONMENT_NAMES["token"]),
            app_id=text(environ, ENVIRONMENT_NAMES["app_id"]),
            app_secret=text(environ, ENVIRONMENT_NAMES["app_secret"]),
            aes_key=text(environ, ENVIRONMENT_NAMES["aes_key"]),
            api_base_url=text(environ, ENVIRONMENT_NAMES["api_base_url"], WECHAT_API_BASE_URL),
            var_dir=var_dir(),
            reply_deadline_seconds=number(environ, ENVIRONMENT_NAMES["reply_deadline_seconds"], 4.5),
        )
        settings.validate()
        return settings

    def validate(self) -> None:
        if self.aes_key and len(self.aes_key) != AES_KEY_LENGTH:
            raise ValueError(f"WECHAT_AES_KEY must be the {AES_KEY_LENGTH}-character EncodingAESKey "
                             f"from 公众平台, got {len(self.aes_key)} characters")
        if self.aes_key and not self.app_id:
            raise ValueError("WECHAT_AES_KEY (safe mode) also needs WECHAT_APP_ID")
        if not 0 < self.reply_deadline_seconds < 5:
            raise ValueError("WECHAT_REPLY_DEADLINE_SECONDS must be between 0 and 5 (WeChat waits 5 s)")

    @property
    def configured(self) -> bool:
        """Without the token no request can be verified, so the channel stays closed."""
        return bool(self.token)

    @property
    def can_push(self) -> bool:
        """The customer-service API needs AppID and AppSecret; passive replies do not."""
        return bool(self.app_id and self.app_secret)

    @property
    def store_path(self) -> Path:
        return self.var_dir / "wechat.db"

    @property
    def undelivered_path(self) -> Path:
        """Its `undelivered` table sits beside the channel's other state."""
        return self.store_path
