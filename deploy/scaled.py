"""The scaled deployment (issue #16; docs/scaling.md): two Rasa servers, two action servers
and two routing backends behind nginx, Rasa's trackers on PostgreSQL, its locks in Redis,
its events through RabbitMQ to the routing backend's archive, the routing backend on
PostgreSQL. `make run-scaled`, `make bench-load` and `make test-faults` start it from here.

Standard library only (either virtualenv imports it); nothing happens at import. Ports:
the front door is `base_port`, the servers `base_port + 1 …` (PORT_OFFSETS), all on 127.0.0.1.
What each process is: deploy/services.py; the settings: deploy/settings.py.
"""
from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import Dict, List

from deploy import proxy
from deploy.processes import ProcessSpec, Supervisor
from deploy.services import ARCHIVE_READY, Services, ensure_secrets
from deploy.settings import PORT_OFFSETS, PROJECT_ROOT, ScaledSettings

__all__ = ["PORT_OFFSETS", "PROJECT_ROOT", "ScaledDeployment", "ScaledSettings"]
START_ORDER = ("proxy", "routing-1", "routing-2", "actions-1", "actions-2", "rasa-1", "rasa-2", "archive")


class ScaledDeployment:
    """Start, watch, break and stop the deployment. A context manager: start() … stop()."""

    NAMES = ("rasa-1", "rasa-2", "actions-1", "actions-2", "routing-1", "routing-2", "archive", "proxy")

    def __init__(self, settings: ScaledSettings, *, fresh: bool = True) -> None:
        self.settings = settings
        self.fresh = fresh
        self._supervisor = Supervisor(settings.workdir)
        self._specs: Dict[str, ProcessSpec] = {}
        self._log_offsets: Dict[str, int] = {}

    # --- where things are -------------------------------------------------------------
    @property
    def front_url(self) -> str:
        return self.settings.front_url

    @property
    def routing_database_url(self) -> str:
        return self.settings.routing_database_url

    @property
    def tracker_database_url(self) -> str:
        return self.settings.tracker_database_url

    def url_of(self, name: str) -> str:
        """A server's own address, past the proxy (rasa-N, actions-N, routing-N)."""
        return self.settings.url_of(name)

    def log_path(self, name: str) -> Path:
        return self._supervisor.log_path(self._known(name))

    @property
    def access_log(self) -> Path:
        """The proxy's access log: `upstream="127.0.0.1:<port>"` says which replica answered."""
        return self._supervisor.logs / "proxy-access.log"

    def secrets(self) -> dict:
        values = ensure_secrets(self.settings.workdir)
        return {"service_token": values["routing_service_token"], "rasa_api_token": values["rasa_api_token"],
                "action_server_token": values["action_server_token"]}

    # --- life cycle --------------------------------------------------------------------
    def __enter__(self) -> "ScaledDeployment":
        self.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()

    def start(self, timeout: float = 300) -> None:
        """Start everything and wait until every server answers, directly and through the proxy."""
        deadline = time.monotonic() + timeout
        self._check_installed()
        workdir = self.settings.workdir
        workdir.mkdir(parents=True, exist_ok=True)
        workdir.chmod(0o700)  # her conversations pass through its logs
        self._supervisor.claim()
        try:
            self._supervisor.end_leftovers(self.NAMES)
            if self.fresh:
                for folder in ("state", "logs"):
                    shutil.rmtree(workdir / folder, ignore_errors=True)
            self._check_ports_free()
            self._provision()
            services = self._services()
            self._specs = services.specs()
            self._start_all(deadline)
            self._wait_for(services.through_proxy(), deadline, "the proxy does not reach every server")
            services.warm_up(self.NAMES, deadline)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """The front first (no new requests), then the servers, then the archive (it takes
        what they published last; what it leaves stays in the durable queue)."""
        self._supervisor.terminate_all(["proxy"])
        self._supervisor.terminate_all(["rasa-1", "rasa-2", "actions-1", "actions-2", "routing-1", "routing-2"])
        self._supervisor.terminate_all(["archive"])
        self._supervisor.release()

    def discard(self) -> None:
        """Stop, then remove the databases, the queue and its exchange, and this deployment's
        Redis keys for good (tests and benches with a prefix and queue of their own)."""
        self.stop()
        settings = self.settings
        self._provision_step("databases", "--server", settings.postgres_server("psycopg"),
                             "--name", settings.tracker_database, "--name", settings.routing_database, "--drop")
        self._provision_step("queue", "--url", settings.rabbitmq_url, "--queue", settings.queue,
                             "--exchange", settings.exchange, "--delete")
        self._clear_redis()

    def kill(self, name: str) -> None:
        """SIGKILL that process (and its children: nginx's workers), nothing else."""
        self._supervisor.kill(self._known(name))

    def stop_process(self, name: str) -> None:
        """SIGTERM, SIGKILL after 10 s."""
        self._supervisor.terminate(self._known(name))

    def is_alive(self, name: str) -> bool:
        return self._supervisor.is_alive(self._known(name))

    def restart(self, name: str, timeout: float = 120) -> None:
        """Start it again (stopping it first if it still runs) and wait until it is ready and warm."""
        spec = self._specs.get(self._known(name))
        if spec is None:
            raise RuntimeError("start() the deployment first")
        if self.is_alive(name):
            self._supervisor.terminate(name)
        self._spawn(spec)
        deadline = time.monotonic() + timeout
        self._wait_ready([name], deadline)
        self._services().warm_up([name], deadline)

    # --- inside ------------------------------------------------------------------------
    def _known(self, name: str) -> str:
        if name not in self.NAMES:
            raise ValueError(f"no process {name!r}; the names are {', '.join(self.NAMES)}")
        return name

    def _services(self) -> Services:
        return Services(self.settings, ensure_secrets(self.settings.workdir), self._supervisor.logs,
                        self._archive_ready)

    def _check_installed(self) -> None:
        for venv in (".venv", ".venv-routing"):
            if not (self.settings.root / venv / "bin" / "python").exists():
                raise RuntimeError(f"{venv} is missing: run `make install`")
        if not self.settings.model_path.exists():
            raise RuntimeError(f"no model at {self.settings.model_path}: run `make train`")
        proxy.nginx_binary()

    def _check_ports_free(self) -> None:
        for name, port in self.settings.ports.items():
            with socket.socket() as probe:
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the servers do: TIME_WAIT is no owner
                try:
                    probe.bind(("127.0.0.1", port))
                except OSError:
                    raise RuntimeError(f"port {port} ({name}) is in use: choose another SCALED_BASE_PORT") from None

    def _run_routing_python(self, *args: str) -> None:
        """A one-off command in the routing backend's virtualenv (provisioning, migrations)."""
        command = [str(self.settings.root / ".venv-routing" / "bin" / "python"), *args]
        result = subprocess.run(command, cwd=self.settings.root, env=self._services().routing_env(),
                                capture_output=True, text=True, timeout=300)
        logs = self._supervisor.logs
        logs.mkdir(parents=True, exist_ok=True)
        with open(logs / "provision.log", "a", encoding="utf-8") as out:
            out.write(f"$ {' '.join(args)}\n{result.stdout}{result.stderr}")
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed:\n{result.stderr[-3000:]}")

    def _provision_step(self, *args: str) -> None:
        self._run_routing_python("-m", "deploy.provision", *args)

    def _provision(self) -> None:
        """The databases, the queue bound to its exchange, the migrations; `fresh`: all emptied first."""
        settings = self.settings
        self._provision_step("databases", "--server", settings.postgres_server("psycopg"),
                             "--name", settings.tracker_database, "--name", settings.routing_database,
                             *(["--fresh"] if self.fresh else []))
        self._provision_step("queue", "--url", settings.rabbitmq_url, "--queue", settings.queue,
                             "--exchange", settings.exchange, *(["--purge"] if self.fresh else []))
        if self.fresh:
            self._clear_redis()
        self._run_routing_python("-m", "routing", "migrate")

    def _clear_redis(self) -> None:
        settings = self.settings
        self._provision_step("redis", "--url", settings.redis_url, "--pattern", f"{settings.redis_prefix}:*",
                             "--pattern", f"{settings.lock_prefix}:lock:*")

    def _archive_ready(self) -> bool:
        """Its log, since it was started, says it consumes."""
        try:
            with open(self._supervisor.log_path("archive"), "rb") as log:
                log.seek(self._log_offsets.get("archive", 0))
                return ARCHIVE_READY.encode() in log.read()
        except OSError:
            return False

    def _spawn(self, spec: ProcessSpec) -> None:
        log = self._supervisor.log_path(spec.name)
        self._log_offsets[spec.name] = log.stat().st_size if log.exists() else 0
        self._supervisor.spawn(spec)

    def _start_all(self, deadline: float) -> None:
        """Each in START_ORDER once what it waits for (`after`) is ready; until all are ready."""
        ready: List[str] = []
        started: List[str] = []
        while len(ready) < len(START_ORDER):
            for name in START_ORDER:
                if name not in started and all(before in ready for before in self._specs[name].after):
                    self._spawn(self._specs[name])
                    started.append(name)
            for name in started:
                if name not in ready:
                    self._raise_if_dead(name)
                    if self._specs[name].ready():
                        ready.append(name)
            if len(ready) < len(START_ORDER):
                self._raise_if_late([name for name in START_ORDER if name not in ready], deadline)
                time.sleep(0.5)

    def _wait_ready(self, names: List[str], deadline: float) -> None:
        pending = list(names)
        while pending:
            for name in list(pending):
                self._raise_if_dead(name)
                if self._specs[name].ready():
                    pending.remove(name)
            if pending:
                self._raise_if_late(pending, deadline)
                time.sleep(0.5)

    def _wait_for(self, checks, deadline: float, failure: str) -> None:
        while not all(check() for check in checks):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{failure}:\n{self._supervisor.tail('proxy')}")
            time.sleep(0.5)

    def _raise_if_late(self, pending: List[str], deadline: float) -> None:
        if time.monotonic() > deadline:
            raise TimeoutError(f"not ready in time: {', '.join(pending)}\n"
                               + "\n".join(f"--- {name}\n{self._supervisor.tail(name)}" for name in pending))

    def _raise_if_dead(self, name: str) -> None:
        if not self._supervisor.is_alive(name):
            process = self._supervisor.process(name)
            code = process.returncode if process is not None else None
            raise RuntimeError(f"{name} exited ({code}):\n{self._supervisor.tail(name)}")
