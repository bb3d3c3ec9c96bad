"""Run a Sanic app (with Rasa input channels registered) on a free port in a thread."""
from __future__ import annotations

import asyncio
import socket
import threading
import uuid
from typing import Any, Awaitable, Callable, List

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Sanic


class ChannelServer:
    """The channels' blueprints as Rasa mounts them (/webhooks/<name>/...), with
    `on_new_message` standing in for Rasa's agent."""

    def __init__(self, channels: List[InputChannel], on_new_message: Callable[[UserMessage], Awaitable[Any]]):
        Sanic.test_mode = True  # lets several apps start in one process (as Rasa's own tests do)
        self.app = Sanic(f"channels_{uuid.uuid4().hex}")
        for channel in channels:
            self.app.blueprint(channel.blueprint(on_new_message), url_prefix=f"/webhooks/{channel.url_prefix()}")
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}"
        self.loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._error: BaseException = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        try:
            self.loop.run_until_complete(self._serve())
        except BaseException as error:  # noqa: BLE001 - reported by start()
            self._error = error
            self._ready.set()

    async def _serve(self) -> None:
        self._server = await self.app.create_server(sock=self._socket, return_asyncio_server=True,
                                                    access_log=False)
        await self._server.startup()
        self._stopped = asyncio.Event()
        self._ready.set()
        await self._stopped.wait()
        self._server.close()
        await self._server.wait_closed()

    def start(self) -> "ChannelServer":
        self._thread.start()
        if not self._ready.wait(20):
            raise TimeoutError("the Sanic test server did not start")
        if self._error is not None:
            raise RuntimeError("the Sanic test server failed") from self._error
        return self

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self._stopped.set)
        self._thread.join(timeout=20)
