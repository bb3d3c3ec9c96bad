"""The faults, in sequence, while the load runs: a SIGKILL (or a graceful stop) of one process,
then its restart after a while. A restart waits until the process is healthy again (a Rasa
server loads its model for a minute or more), so each restart runs in its own thread and
the next fault does not wait for it. Everything is timed for the report.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable, List, Optional, Protocol, Sequence

KILL, STOP = "kill -9", "stop"


class Deployment(Protocol):
    """The part of deploy/scaled.py's ScaledDeployment the faults use."""

    def kill(self, name: str) -> None: ...
    def stop_process(self, name: str) -> None: ...
    def restart(self, name: str, timeout: float = 120) -> None: ...
    def is_alive(self, name: str) -> bool: ...


@dataclass(frozen=True)
class Fault:
    process: str
    how: str  # KILL or STOP
    at: float  # seconds after the faults start
    down_for: float  # seconds between the fault and the restart


# Issue #16: one Rasa server, one action server, one routing backend, and the RabbitMQ consumer for a while.
PLAN = (Fault("rasa-1", KILL, 10, 0), Fault("actions-1", KILL, 25, 3), Fault("routing-1", KILL, 40, 3),
        Fault("archive", STOP, 55, 20))


@dataclass
class FaultRecord:
    fault: Fault
    done_at: Optional[float] = None  # seconds after the faults started
    restart_at: Optional[float] = None
    healthy_at: Optional[float] = None
    error: str = ""
    done_utc: str = ""  # wall-clock time of the fault, to read beside the logs and the events' times

    @property
    def recovered(self) -> bool:
        return self.healthy_at is not None and not self.error


class FaultRunner:
    def __init__(self, deployment: Deployment, plan: Sequence[Fault] = PLAN, restart_timeout: float = 150,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.deployment, self.plan, self.restart_timeout, self.clock = deployment, list(plan), restart_timeout, clock
        self.records: List[FaultRecord] = [FaultRecord(f) for f in self.plan]
        self._started = 0.0
        self._halt = threading.Event()
        self._threads: List[threading.Thread] = []
        self._main: Optional[threading.Thread] = None

    def _since(self) -> float:
        return round(self.clock() - self._started, 1)

    def start(self) -> "FaultRunner":
        self._started = self.clock()
        self._main = threading.Thread(target=self._run, name="faults", daemon=True)
        self._main.start()
        return self

    def _run(self) -> None:
        for record in self.records:
            wait = record.fault.at - (self.clock() - self._started)
            if wait > 0 and self._halt.wait(wait):
                return
            try:
                if record.fault.how == KILL:
                    self.deployment.kill(record.fault.process)
                else:
                    self.deployment.stop_process(record.fault.process)
            except Exception as error:  # noqa: BLE001 - the report says which fault could not be made
                record.error = f"{record.fault.how} failed: {type(error).__name__}: {error}"
                continue
            record.done_at = self._since()
            record.done_utc = datetime.now(timezone.utc).strftime("%H:%M:%S.%f")[:-3]
            thread = threading.Thread(target=self._restart, args=(record,), name=f"restart-{record.fault.process}",
                                      daemon=True)
            self._threads.append(thread)
            thread.start()

    def _restart(self, record: FaultRecord) -> None:
        if self._halt.wait(record.fault.down_for):
            pass  # halted: restart at once, never leave a process down
        record.restart_at = self._since()
        try:
            self.deployment.restart(record.fault.process, timeout=self.restart_timeout)
            record.healthy_at = self._since()
        except Exception as error:  # noqa: BLE001
            record.error = f"restart failed: {type(error).__name__}: {error}"

    def wait(self, seconds: float) -> bool:
        """Until every fault was made and every restart ended (or `seconds` passed): True when all did."""
        deadline = self.clock() + seconds
        if self._main is not None:
            self._main.join(max(0.0, deadline - self.clock()))
        for thread in list(self._threads):
            thread.join(max(0.0, deadline - self.clock()))
        return (self._main is None or not self._main.is_alive()) and not any(t.is_alive() for t in self._threads)

    def halt(self) -> None:
        """No more faults; pending restarts happen at once."""
        self._halt.set()
