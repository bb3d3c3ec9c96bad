"""Start and stop the real routing backend (its own virtualenv) for cross-service tests."""
from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Optional

from tests.conftest import PROJECT_ROOT

ROUTING_PYTHON = PROJECT_ROOT / ".venv-routing" / "bin" / "python"
SERVICE_TOKEN = "service-token-for-the-live-tests"


def a_password() -> str:
    """A random password for a test account that `python -m routing` can be given on its command
    line: a bare token_urlsafe starts with "-" one time in 64 and is read as an option."""
    return "pw-" + secrets.token_urlsafe(16)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _json(method: str, url: str, body: Optional[dict] = None, token: str = "") -> dict:
    data = None if body is None else json.dumps(body).encode("utf-8")
    headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
    with urllib.request.urlopen(urllib.request.Request(url, data=data, method=method, headers=headers),
                                timeout=30) as response:
        return json.loads(response.read())


class RoutingProcess:
    def __init__(self, workdir: Path, port: int, database_url: str = "", rasa_url: str = "",
                 rasa_token: str = "") -> None:
        self.url = f"http://127.0.0.1:{port}"
        self._port, self._workdir, self._process = port, workdir, None
        self._env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT), ROUTING_DEMO_MODE="false",
                         ROUTING_SERVICE_TOKEN=SERVICE_TOKEN,
                         ROUTING_DATABASE_URL=database_url or f"sqlite:///{workdir / 'routing.db'}",
                         ROUTING_RASA_URL=rasa_url or "http://127.0.0.1:9",
                         ROUTING_RASA_TOKEN=rasa_token or secrets.token_urlsafe(32))
        # never the project's own var/events.db: a test's archive reads only what the test wrote
        self._env.setdefault("ROUTING_EVENT_BROKER_URL", f"sqlite:///{workdir / 'events.db'}")

    @property
    def database_url(self) -> str:
        return self._env["ROUTING_DATABASE_URL"]

    def run_command(self, *args: str) -> str:
        """Run `python -m routing ...` against the same database (e.g. create-user)."""
        result = subprocess.run([str(ROUTING_PYTHON), "-m", "routing", *args], cwd=PROJECT_ROOT, env=self._env,
                                capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise RuntimeError(result.stderr[-2000:])
        return result.stdout

    def prepare_with_lawyer(self, password: str = "a-long-password") -> "RoutingProcess":
        """Migrated, the sample directory loaded, and one lawyer (username `lawyer`) to answer.
        load-org-data migrates first (as every command does): no separate `migrate` process."""
        self.run_command("load-org-data")
        self.run_command("create-user", "--username", "lawyer", "--password", password, "--role", "expert",
                         "--department", "rights", "--specialty", "法律", "--title", "律师")
        return self

    def handoff_as_admin(self, handoff_id: str) -> dict:
        """The whole handoff (summary, region, messages) as an admin reads it through the API:
        the service token's status call shows none of her words."""
        if not getattr(self, "_admin_password", None):
            self._admin_password = a_password()
            self.run_command("create-user", "--username", "test-admin", "--password", self._admin_password,
                             "--role", "admin")
        token = _json("POST", f"{self.url}/api/v1/auth/token",
                      {"username": "test-admin", "password": self._admin_password})["access_token"]
        return _json("GET", f"{self.url}/api/v1/handoffs/{handoff_id}", token=token)

    def start(self) -> "RoutingProcess":
        if not ROUTING_PYTHON.exists():
            raise RuntimeError("run `make install` first: .venv-routing is missing")
        log = open(self._workdir / "routing.log", "ab")
        self._process = subprocess.Popen(
            [str(ROUTING_PYTHON), "-m", "routing", "serve", "--port", str(self._port)],
            cwd=PROJECT_ROOT, env=self._env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError((self._workdir / "routing.log").read_text(errors="replace")[-2000:])
            try:
                urllib.request.urlopen(f"{self.url}/healthz", timeout=1)
                return self
            except OSError:
                time.sleep(0.3)
        raise TimeoutError("routing backend did not start")

    def stop(self) -> None:
        if self._process and self._process.poll() is None:
            self._process.terminate()
            self._process.wait(timeout=20)
