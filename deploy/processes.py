"""The deployment's processes: each in its own process group, its log and pid file in the
workdir, and an environment marker that says whose it is. Standard library only.

The marker (`SCALED_PROCESS=<workdir>/<name>`) lets a new run end what a crashed run left
behind, and only that: a pid file alone could name someone else's process by now. A run holds
a lock on the workdir (`claim`) while it lives, so a second run of the same workdir is refused
instead of ending the first one's processes.
"""
from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Mapping, Optional, Sequence

MARKER = "SCALED_PROCESS"
GRACE_SECONDS = 10.0


@dataclass(frozen=True)
class ProcessSpec:
    """How to run one named process and how to tell it is ready to serve."""

    name: str
    command: Sequence[str]
    env: Mapping[str, str]
    ready: Callable[[], bool]
    cwd: Optional[Path] = None
    after: Sequence[str] = field(default_factory=tuple)  # started once these are ready


class Supervisor:
    def __init__(self, workdir: Path) -> None:
        self.logs = workdir / "logs"
        self.pids = workdir / "pids"
        self._workdir = workdir
        self._running: Dict[str, subprocess.Popen] = {}
        self._lock: Optional[int] = None

    def claim(self) -> None:
        """This workdir is ours until `release` (or until this process ends, however it ends)."""
        if self._lock is not None:
            return
        self._workdir.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self._workdir / "deployment.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            raise RuntimeError(f"another running deployment uses {self._workdir}: stop it first, "
                               "or give this one its own SCALED_WORKDIR and SCALED_BASE_PORT") from None
        self._lock = descriptor

    def release(self) -> None:
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None

    def marker(self, name: str) -> str:
        return f"{self._workdir}/{name}"

    def log_path(self, name: str) -> Path:
        return self.logs / f"{name}.log"

    def spawn(self, spec: ProcessSpec) -> subprocess.Popen:
        self.logs.mkdir(parents=True, exist_ok=True)
        self.pids.mkdir(parents=True, exist_ok=True)
        env = dict(spec.env)
        env[MARKER] = self.marker(spec.name)
        with open(self.log_path(spec.name), "ab") as log:
            log.write(f"\n--- {time.strftime('%Y-%m-%d %H:%M:%S')} starting {spec.name}\n".encode())
            log.flush()
            process = subprocess.Popen(list(spec.command), cwd=spec.cwd, env=env, stdout=log,
                                       stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        self._running[spec.name] = process
        (self.pids / f"{spec.name}.pid").write_text(str(process.pid))
        return process

    def process(self, name: str) -> Optional[subprocess.Popen]:
        return self._running.get(name)

    def is_alive(self, name: str) -> bool:
        process = self._running.get(name)
        return process is not None and process.poll() is None

    def kill(self, name: str) -> None:
        """SIGKILL, no warning: what a crash looks like to everyone else."""
        process = self._running.get(name)
        if process is not None and process.poll() is None:
            _signal_group(process.pid, signal.SIGKILL)
            process.wait(timeout=GRACE_SECONDS)
        self._forget(name)

    def terminate(self, name: str, grace: float = GRACE_SECONDS) -> None:
        """SIGTERM, then SIGKILL after `grace` seconds."""
        process = self._running.get(name)
        if process is not None and process.poll() is None:
            _signal_group(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                _signal_group(process.pid, signal.SIGKILL)
                process.wait(timeout=GRACE_SECONDS)
        self._forget(name)

    def terminate_all(self, names: Sequence[str], grace: float = GRACE_SECONDS) -> None:
        """All at once (SIGTERM to each, one shared grace period), then SIGKILL what is left."""
        live = {name: self._running[name] for name in names if self.is_alive(name)}
        for process in live.values():
            _signal_group(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for process in live.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(process.pid, signal.SIGKILL)
                process.wait(timeout=GRACE_SECONDS)
        for name in names:
            self._forget(name)

    def _forget(self, name: str) -> None:
        process = self._running.get(name)
        if process is not None and process.poll() is not None:
            (self.pids / f"{name}.pid").unlink(missing_ok=True)

    def end_leftovers(self, names: Sequence[str]) -> None:
        """End processes a previous run of this workdir left (its pid files, checked by marker)."""
        for name in names:
            pid_file = self.pids / f"{name}.pid"
            try:
                pid = int(pid_file.read_text())
            except (OSError, ValueError):
                continue
            if _has_marker(pid, self.marker(name)):
                _signal_group(pid, signal.SIGKILL)
                _wait_gone(pid)
            pid_file.unlink(missing_ok=True)

    def tail(self, name: str, lines: int = 30) -> str:
        try:
            text = self.log_path(name).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


def _signal_group(pid: int, signum: int) -> None:
    try:
        os.killpg(pid, signum)  # its own session: the group is the process and its children (nginx workers)
    except ProcessLookupError:
        pass
    except PermissionError:
        os.kill(pid, signum)


def _has_marker(pid: int, marker: str) -> bool:
    try:
        environ = Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return False
    return f"{MARKER}={marker}".encode() in environ.split(b"\0")


def _wait_gone(pid: int, seconds: float = GRACE_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and Path(f"/proc/{pid}").exists():
        time.sleep(0.1)
