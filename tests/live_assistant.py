"""Rasa and the action server as real subprocesses, for the live tests of every suite.

Each run gets free ports, a SQLite tracker store in the test's folder, the
credentials the test gives (the project's credentials.yml by default) and the
environment it adds. Works from either virtualenv: the servers always run from
.venv, so the browser tests (run by .venv-routing) use the same code.
"""
from __future__ import annotations

import json
import os
import secrets
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from urllib.parse import quote, urlencode
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

from bot.endpoints_file import embedded_endpoints
from tests.conftest import MODEL_PATH, PROJECT_ROOT
from tests.routing_process import SERVICE_TOKEN, RoutingProcess, free_port

RASA_BIN = PROJECT_ROOT / ".venv" / "bin" / "rasa"
PYTHON_BIN = PROJECT_ROOT / ".venv" / "bin" / "python"
CHANNEL_SETTINGS = ("TELEGRAM_", "WECHAT_")  # a developer's own tokens never reach a test server


def json_call(method: str, url: str, body: Any = None, token: Optional[str] = None, timeout: float = 60) -> Any:
    data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
    headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
    with urllib.request.urlopen(urllib.request.Request(url, data=data, method=method, headers=headers),
                                timeout=timeout) as response:
        return json.loads(response.read().decode("utf-8"))


def wait_for(url: str, processes: List[subprocess.Popen], seconds: float = 180) -> None:
    """Until `url` answers; fails at once if one of the processes died."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for process in processes:
            if process.poll() is not None:
                raise RuntimeError(f"{process.args[:3]} exited with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(url)


def tracker(rasa_url: str, conversation_id: str) -> Dict[str, Any]:
    """Her conversation from Rasa's HTTP API, with the token of the test server at `rasa_url`."""
    token = LiveAssistant.api_tokens[rasa_url]
    return json_call("GET", f"{rasa_url}/conversations/{quote(conversation_id, safe='')}/tracker?"
                     + urlencode({"token": token}))


class LiveAssistant:
    api_tokens: Dict[str, str] = {}  # rasa_url -> token, for tests that hold only the URL
    def __init__(self, workdir: Path, env: Dict[str, str], credentials: Optional[str] = None) -> None:
        if not MODEL_PATH.exists():
            raise RuntimeError("No trained model: run `make train` (make test does).")
        if not RASA_BIN.exists():
            raise RuntimeError("run `make install` first: .venv is missing")
        self.workdir = Path(workdir)
        self.rasa_port, self.action_port = free_port(), free_port()
        self.rasa_url = f"http://127.0.0.1:{self.rasa_port}"
        self.event_broker_db = self.workdir / "events.db"  # Rasa's SQL event broker, for the routing backend
        self.action_url = f"http://127.0.0.1:{self.action_port}"
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith(CHANNEL_SETTINGS + ("VIRTUAL_ENV", "PYTHONPATH"))}
        # Each run has its own secrets, as `make run` has per install: tests reach Rasa's API
        # with `api_token` (the routing backend gets it as ROUTING_RASA_TOKEN).
        self.api_token = secrets.token_urlsafe(32)
        self.action_token = secrets.token_urlsafe(32)
        LiveAssistant.api_tokens[self.rasa_url] = self.api_token
        self.env.update(ASSISTANT_VAR_DIR=str(self.workdir), TF_CPP_MIN_LOG_LEVEL="2",
                        ACTION_SERVER_TOKEN=self.action_token, RASA_API_TOKEN=self.api_token, **env)
        self._credentials = PROJECT_ROOT / "credentials.yml"
        if credentials is not None:
            self._credentials = self.workdir / "credentials.yml"
            self._credentials.write_text(credentials, encoding="utf-8")
        self._processes: List[subprocess.Popen] = []
        self._logs = [open(self.workdir / "actions.log", "ab"), open(self.workdir / "rasa.log", "ab")]

    def _rasa_command(self) -> List[str]:
        endpoints = self.workdir / "endpoints.yml"
        endpoints.write_text(embedded_endpoints(self.action_url, self.action_token, self.workdir / "tracker.db",
                                                self.event_broker_db), encoding="utf-8")
        return [str(PYTHON_BIN), "-m", "bot.rasa_server", "run", "--enable-api", "-i", "127.0.0.1",
                "--model", str(MODEL_PATH), "--port", str(self.rasa_port),
                "--endpoints", str(endpoints), "--credentials", str(self._credentials)]

    def _spawn(self, command: List[str], log) -> subprocess.Popen:
        return subprocess.Popen(command, cwd=PROJECT_ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)

    def start(self) -> "LiveAssistant":
        self._processes = [
            self._spawn([str(PYTHON_BIN), "-m", "actions.server", "--port", str(self.action_port)], self._logs[0]),
            self._spawn(self._rasa_command(), self._logs[1]),
        ]
        try:
            wait_for(f"{self.action_url}/health", self._processes)
            wait_for(f"{self.rasa_url}/version", self._processes)
        except Exception:
            self.stop()
            raise
        return self

    def stop_rasa(self) -> None:
        self._processes[1].terminate()
        self._processes[1].wait(timeout=30)

    def start_rasa(self) -> None:
        self._processes[1] = self._spawn(self._rasa_command(), self._logs[1])
        wait_for(f"{self.rasa_url}/version", self._processes)

    def stop(self) -> None:
        for process in self._processes:
            process.terminate()
        for process in self._processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        for log in self._logs:
            log.close()


def with_a_lawyer(routing: RoutingProcess) -> None:
    routing.prepare_with_lawyer()


@contextmanager
def assistant_with_routing(workdir: Path, env: Optional[Dict[str, str]] = None, credentials: Optional[str] = None,
                           database_url: str = "", prepare: Callable[[RoutingProcess], Any] = with_a_lawyer
                           ) -> Iterator[Tuple[LiveAssistant, RoutingProcess]]:
    """Rasa and the action server against a routing backend of their own, started in the order each
    needs (Rasa's address first, for the backend; then the backend's, for the action server) and
    stopped whatever happens. `prepare` readies the backend's database before it starts (by default
    migrated, with one lawyer)."""
    assistant = LiveAssistant(workdir, env or {}, credentials=credentials)
    routing = RoutingProcess(workdir, free_port(), database_url=database_url, rasa_url=assistant.rasa_url,
                             rasa_token=assistant.api_token)
    prepare(routing)
    routing.start()
    assistant.env.update(ROUTING_URL=routing.url, ROUTING_SERVICE_TOKEN=SERVICE_TOKEN)
    try:
        assistant.start()
        yield assistant, routing
    finally:
        routing.stop()
        assistant.stop()
