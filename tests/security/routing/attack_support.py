"""Helpers for the attack reproductions: API logins, and the real `python -m routing serve`
running uvicorn in a thread, so that what uvicorn does with proxy headers is part of the test."""
from __future__ import annotations

import socket
import threading
import time
from typing import Optional

import httpx
import uvicorn
from fastapi.testclient import TestClient

from tests.routing.console_support import PASSWORD

GOOD_SERVICE_TOKEN = "service-secret-for-tests"  # what tests/routing/console_support.py configures
SERVICE = {"Authorization": f"Bearer {GOOD_SERVICE_TOKEN}"}


def api_token(app, username: str, password: str = PASSWORD, client: Optional[TestClient] = None) -> dict:
    client = client or TestClient(app)
    response = client.post("/api/v1/auth/token", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServedInThread:
    """Stands in for `uvicorn.run` inside `routing.cli.main(["serve", ...])`: the same
    app and options, served on a free port in a thread until `stop()`."""

    def __init__(self) -> None:
        self.server: Optional[uvicorn.Server] = None
        self.options: dict = {}
        self.url = ""

    def run(self, app, **options) -> None:
        options.pop("port", None)
        self.options = options
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.server = uvicorn.Server(uvicorn.Config(app, **dict(options, port=port, host="127.0.0.1")))
        threading.Thread(target=self.server.run, daemon=True).start()
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                httpx.get(f"{self.url}/healthz", timeout=1)
                return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise TimeoutError("uvicorn did not start")

    def stop(self) -> None:
        if self.server is not None:
            self.server.should_exit = True
            time.sleep(0.3)
