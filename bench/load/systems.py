"""The three systems the women write to, each started on free loopback ports and stopped after.

- embedded: `make run`'s three services on SQLite (Rasa with the SQL tracker store and
  event broker, the action server, the routing backend with its archive), started the
  way the live tests start them (tests/live_assistant.py, tests/routing_process.py), in
  this bench's own folder, with an expert per department;
- scaled: deploy/scaled.py's ScaledDeployment (two of each behind the proxy, PostgreSQL,
  Redis, RabbitMQ), on its own databases, queue and ports;
- bare: the reference of bench/load/bare.py under `rasa run`, REST only, nothing else.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import urllib.request
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from bench.load.bare import BARE_EPOCHS, ensure_model, write_project

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ROUTING_PYTHON = PROJECT_ROOT / ".venv-routing" / "bin" / "python"
RASA_BIN = PROJECT_ROOT / ".venv" / "bin" / "rasa"
# username, department, specialty, title: the departments of routing/data/organisations.yml
EXPERTS = (("bench-lawyer", "rights", "法律", "律师"), ("bench-counsellor", "care", "心理", "心理咨询师"),
           ("bench-educator", "family", "教育", "家庭教育指导师"), ("bench-mentor", "development", "创业", "创业导师"))
DEMO_EXPERTS = ("lawyer", "counsellor", "educator", "mentor")  # routing/cli.py's demo mode creates them
WEBHOOK = "/webhooks/rest/webhook"


class SystemUnavailable(RuntimeError):
    """The system cannot be started here (e.g. deploy/scaled.py is not there yet)."""


@dataclass
class Running:
    """What the bench needs of a started system."""

    webhook_url: str
    routing_url: Optional[str] = None
    expert_logins: Dict[str, str] = field(default_factory=dict)
    tracker_database_url: Optional[str] = None
    notes: List[str] = field(default_factory=list)
    workdir: Optional[Path] = None  # where the bench keeps the warm-up's replies and every turn


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def free_port_block(size: int, first: int = 20000, last: int = 40000) -> int:
    """The first port of `size` consecutive ports nobody listens on (for the scaled deployment)."""
    for base in range(first, last - size, size):
        try:
            sockets = []
            for port in range(base, base + size):
                sock = socket.socket()
                sockets.append(sock)
                sock.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
    raise RuntimeError("no block of free ports")


def sqlalchemy_url_for_rasa_venv(url: str) -> str:
    """The Rasa venv has psycopg2, not psycopg 3: `postgresql+psycopg://` → `postgresql://`."""
    scheme, _, rest = url.partition("://")
    return f"{scheme.split('+')[0] if scheme.startswith('postgresql') else scheme}://{rest}"


def _routing_cli(environment: Dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(ROUTING_PYTHON), "-m", "routing", *args], cwd=PROJECT_ROOT, env=environment,
                          capture_output=True, text=True, timeout=180)


def create_experts(database_url: str, password: str, *, disable: Tuple[str, ...] = (),
                   experts: Tuple[Tuple[str, str, str, str], ...] = EXPERTS) -> Dict[str, str]:
    """The bench's expert per department in the routing database at `database_url`, through the routing
    CLI; the experts named in `disable` (a demo install's) are disabled, so that new handoffs are
    assigned to the bench's experts only."""
    environment = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "ROUTING_DATABASE_URL": database_url}
    for username, department, specialty, title in experts:
        result = _routing_cli(environment, "create-user", f"--username={username}", f"--password={password}",
                              "--role=expert", f"--department={department}", f"--specialty={specialty}",
                              f"--title={title}")  # "=": a password may start with "-"
        if result.returncode != 0:
            raise RuntimeError(f"create-user {username}: {result.stderr[-500:]}")
    for username in disable:
        _routing_cli(environment, "disable-user", f"--username={username}")  # absent: nothing to disable
    return {username: password for username, *_ in experts}


class EmbeddedSystem:
    name = "embedded"
    label = "embedded default (SQLite, one process each)"

    def __init__(self, workdir: Path) -> None:
        self._workdir = Path(workdir)
        self._assistant = self._routing = None
        self.stop_notes: List[str] = []

    def start(self) -> Running:
        from tests.live_assistant import LiveAssistant
        from tests.routing_process import SERVICE_TOKEN, RoutingProcess

        shutil.rmtree(self._workdir, ignore_errors=True)  # a fresh embedded install each run
        self._workdir.mkdir(parents=True)
        password = secrets.token_urlsafe(16)
        self._assistant = LiveAssistant(self._workdir, {"ASSISTANT_HANDOFF_DB": str(self._workdir / "outbox.db")})
        self._routing = RoutingProcess(self._workdir, free_port(), rasa_url=self._assistant.rasa_url,
                                       rasa_token=self._assistant.api_token)
        self._routing.run_command("load-org-data")  # migrates first
        logins = create_experts(f"sqlite:///{self._workdir / 'routing.db'}", password)
        self._routing.start()
        self._assistant.env.update(ROUTING_URL=self._routing.url, ROUTING_SERVICE_TOKEN=SERVICE_TOKEN)
        self._assistant.start()
        return Running(webhook_url=self._assistant.rasa_url + WEBHOOK, routing_url=self._routing.url,
                       expert_logins=logins,
                       tracker_database_url=f"sqlite:///{self._workdir / 'tracker.db'}", workdir=self._workdir)

    def stop(self) -> None:
        """Every process ends, even when one does not stop on SIGTERM in time (it is then killed)."""
        try:
            if self._routing is not None:
                try:
                    self._routing.stop()
                except subprocess.TimeoutExpired:
                    process = getattr(self._routing, "_process", None)  # tests/routing_process.py keeps it there
                    if process is not None:
                        process.kill()
                        process.wait(timeout=10)
                    self.stop_notes.append("the routing backend did not stop within 20 s of SIGTERM and was killed")
        finally:
            if self._assistant is not None:
                self._assistant.stop()


class ScaledSystem:
    name = "scaled"
    label = "scaled deployment (2× Rasa, actions, routing; PostgreSQL, Redis, RabbitMQ)"

    def __init__(self, workdir: Path) -> None:
        self._workdir = Path(workdir)
        self._deployment = None

    def start(self) -> Running:
        try:
            from deploy.scaled import ScaledDeployment, ScaledSettings
        except ImportError as error:
            raise SystemUnavailable(f"deploy/scaled.py cannot be imported yet ({error})") from error
        settings = replace(ScaledSettings.from_env(), workdir=self._workdir, base_port=free_port_block(21),
                           database_prefix="bench_load", queue="bench_load_events")
        self._deployment = ScaledDeployment(settings, fresh=True)
        self._deployment.start()
        logins = create_experts(self._deployment.routing_database_url, secrets.token_urlsafe(16),
                                disable=DEMO_EXPERTS)
        front = self._deployment.front_url
        return Running(webhook_url=front + WEBHOOK, routing_url=front, expert_logins=logins,
                       tracker_database_url=sqlalchemy_url_for_rasa_venv(self._deployment.tracker_database_url),
                       notes=[f"front proxy {front}, ports {settings.base_port}–{settings.base_port + 20}"],
                       workdir=self._workdir)

    def stop(self) -> None:
        if self._deployment is not None:
            self._deployment.stop()


class BareSystem:
    name = "bare"
    label = "bare Rasa (stock pipeline, responses only)"

    def __init__(self, workdir: Path, epochs: int = BARE_EPOCHS) -> None:
        self._workdir, self._epochs = Path(workdir), epochs
        self._process: Optional[subprocess.Popen] = None
        self._log = None
        self.training_seconds: Optional[float] = None

    def start(self) -> Running:
        project = write_project(self._workdir, self._epochs)
        self.training_seconds = ensure_model(project)
        port = free_port()
        (self._workdir / "credentials.yml").write_text("rest:\n", encoding="utf-8")
        (self._workdir / "endpoints.yml").write_text("# none: in-memory tracker store, no action server\n",
                                                     encoding="utf-8")
        self._log = open(self._workdir / "rasa.log", "ab")
        env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
        self._process = subprocess.Popen(
            [str(RASA_BIN), "run", "-i", "127.0.0.1", "--port", str(port), "--model", str(project.model),
             "--credentials", "credentials.yml", "--endpoints", "endpoints.yml"],
            cwd=self._workdir, env=env, stdout=self._log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        from tests.live_assistant import wait_for

        wait_for(f"{url}/webhooks/rest/", [self._process], seconds=600)
        if not answers_a_message(url + WEBHOOK):  # Rasa serves on when its model fails to load
            raise RuntimeError(f"the bare assistant answers nothing; see {self._workdir / 'rasa.log'}")
        trained = (f"trained in {self.training_seconds:.0f} s" if self.training_seconds is not None
                   else "cached model")
        return Running(webhook_url=url + WEBHOOK, workdir=self._workdir,
                       notes=[f"DIET {self._epochs} epochs, model {project.model.name} ({trained})"])

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=10)
        if self._log is not None:
            self._log.close()


def answers_a_message(webhook_url: str, timeout: float = 120) -> bool:
    body = json.dumps({"sender": "bench-probe", "message": "你好"}, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(webhook_url, data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return bool(json.loads(response.read().decode("utf-8")))


SYSTEMS = ("embedded", "scaled", "bare")


def build(name: str, workdir: Path, bare_epochs: int = BARE_EPOCHS):
    if name == "embedded":
        return EmbeddedSystem(workdir / "embedded")
    if name == "scaled":
        return ScaledSystem(workdir / "scaled")
    if name == "bare":
        return BareSystem(workdir / "bare", bare_epochs)
    raise ValueError(f"unknown system {name!r}: one of {', '.join(SYSTEMS)}")
