import threading
import time

from tests.faults.faults import KILL, STOP, Fault, FaultRunner


class FakeDeployment:
    def __init__(self, failing_restart=()):
        self.calls, self.failing_restart, self.lock = [], set(failing_restart), threading.Lock()

    def _note(self, *call):
        with self.lock:
            self.calls.append(call)

    def kill(self, name):
        self._note("kill", name)

    def stop_process(self, name):
        self._note("stop", name)

    def restart(self, name, timeout=120):
        if name in self.failing_restart:
            raise TimeoutError(f"not ready in time: {name}")
        self._note("restart", name)

    def is_alive(self, name):
        return True


def test_faults_come_in_order_and_each_process_is_restarted_after_its_pause():
    deployment = FakeDeployment()
    plan = [Fault("rasa-1", KILL, 0.0, 0.0), Fault("actions-1", KILL, 0.05, 0.0), Fault("archive", STOP, 0.1, 0.1)]
    runner = FaultRunner(deployment, plan).start()
    assert runner.wait(5)
    assert [c for c in deployment.calls if c[0] != "restart"] == [("kill", "rasa-1"), ("kill", "actions-1"),
                                                                   ("stop", "archive")]
    assert sorted(c[1] for c in deployment.calls if c[0] == "restart") == ["actions-1", "archive", "rasa-1"]
    archive = runner.records[2]
    assert archive.recovered and archive.restart_at - archive.done_at >= 0.1
    assert len(archive.done_utc) == len("12:00:10.250")


def test_a_restart_that_fails_is_recorded_not_raised():
    runner = FaultRunner(FakeDeployment(failing_restart={"routing-1"}), [Fault("routing-1", KILL, 0, 0)]).start()
    assert runner.wait(5)
    [record] = runner.records
    assert not record.recovered and "restart failed: TimeoutError" in record.error


def test_halting_restarts_a_stopped_process_at_once_and_makes_no_more_faults():
    deployment = FakeDeployment()
    runner = FaultRunner(deployment, [Fault("archive", STOP, 0, 60), Fault("rasa-1", KILL, 60, 0)]).start()
    time.sleep(0.1)
    runner.halt()
    assert runner.wait(5)
    assert deployment.calls == [("stop", "archive"), ("restart", "archive")]


def test_waiting_is_bounded():
    class Slow(FakeDeployment):
        def restart(self, name, timeout=120):
            time.sleep(1)
    runner = FaultRunner(Slow(), [Fault("rasa-1", KILL, 0, 0)]).start()
    began = time.monotonic()
    assert not runner.wait(0.2) and time.monotonic() - began < 0.5
    assert runner.wait(5)
