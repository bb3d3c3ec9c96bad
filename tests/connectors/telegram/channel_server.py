"""Serve a Telegram channel's blueprint on a free port in the test's event loop.

The dialogue is a stub: it records each UserMessage and answers through the
message's output channel like Rasa would, with what the test put in `replies`.
"""
from __future__ import annotations

import socket
import uuid
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Callable, Dict, List, Optional

from sanic import Sanic

from connectors.telegram.channel import TelegramInput
from connectors.telegram.settings import TelegramSettings

SECRET = "test-secret_123"


def settings_for(api, tmp_path, **overrides: Any) -> TelegramSettings:
    values = dict(bot_token=api.token, webhook_secret=SECRET, webhook_url="", api_base_url=api.base_url,
                  rasa_url="http://127.0.0.1:9", store_path=tmp_path / "telegram.db")
    values.update(overrides)
    return TelegramSettings(**values)


def channel_for(api, tmp_path, **overrides: Any) -> TelegramInput:
    return TelegramInput(settings_for(api, tmp_path, **overrides), sender_options={"base_delay": 0.01})


class StubDialogue:
    """Stands in for Rasa's agent: `replies(text)` gives the bot's messages for her text."""

    def __init__(self, replies: Optional[Callable[[str], List[Dict[str, Any]]]] = None) -> None:
        self.messages: List[Any] = []
        self.replies = replies or (lambda text: [{"text": f"收到：{text}"}])
        self.fail_next = 0

    async def __call__(self, message) -> None:
        if self.fail_next:
            self.fail_next -= 1
            raise RuntimeError("the dialogue failed")
        self.messages.append(message)
        for reply in self.replies(message.text):
            await message.output_channel.send_response(message.sender_id, dict(reply))

    @property
    def texts(self) -> List[str]:
        return [m.text for m in self.messages]


@asynccontextmanager
async def serve(channel: TelegramInput, dialogue: StubDialogue) -> AsyncIterator[str]:
    """The base URL of a real Sanic server with the blueprint under /webhooks/telegram."""
    Sanic.test_mode = True  # lets several apps start in one process (as sanic-testing does)
    app = Sanic(f"telegram_test_{uuid.uuid4().hex}", configure_logging=False)
    app.blueprint(channel.blueprint(dialogue), url_prefix="/webhooks/telegram")
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    server = await app.create_server(sock=sock, return_asyncio_server=True)
    await server.startup()
    await server.before_start()
    await server.after_start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        await server.before_stop()
        server.close()
        await server.wait_closed()
        await server.after_stop()
