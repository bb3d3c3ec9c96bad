"""The supervisor: a process group each, logs and pid files in the workdir, SIGKILL and
SIGTERM per name, leftovers of a crashed run ended by their marker, one run per workdir."""
import os
import subprocess
import sys
import time

import pytest

from deploy.processes import MARKER, ProcessSpec, Supervisor

SLEEPER = [sys.executable, "-c", "import time, sys; print('up', flush=True); time.sleep(60)"]
STUBBORN = [sys.executable, "-c", "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
                                  "print('up', flush=True); time.sleep(60)"]


def spec(name: str, command=SLEEPER) -> ProcessSpec:
    return ProcessSpec(name, command, dict(os.environ), lambda: True)


@pytest.fixture
def supervisor(tmp_path):
    made = Supervisor(tmp_path)
    yield made
    made.terminate_all(["a", "b"], grace=1)
    made.release()


def wait_for_line(supervisor: Supervisor, name: str, text: str) -> None:
    deadline = time.monotonic() + 20
    while text not in supervisor.log_path(name).read_text():
        assert time.monotonic() < deadline
        time.sleep(0.05)


def test_kill_ends_that_process_only(supervisor):
    supervisor.spawn(spec("a"))
    supervisor.spawn(spec("b"))
    supervisor.kill("a")
    assert not supervisor.is_alive("a") and supervisor.is_alive("b")
    assert supervisor.process("a").returncode == -9
    assert not (supervisor.pids / "a.pid").exists() and (supervisor.pids / "b.pid").exists()


def test_terminate_waits_then_kills_what_ignores_sigterm(supervisor):
    supervisor.spawn(spec("a", STUBBORN))
    wait_for_line(supervisor, "a", "up")
    started = time.monotonic()
    supervisor.terminate("a", grace=1)
    assert not supervisor.is_alive("a") and supervisor.process("a").returncode == -9
    assert time.monotonic() - started >= 1


def test_output_goes_to_the_process_log(supervisor):
    supervisor.spawn(spec("a"))
    wait_for_line(supervisor, "a", "up")
    assert "starting a" in supervisor.log_path("a").read_text()


def test_a_new_run_ends_what_a_crashed_run_left_and_nothing_else(tmp_path):
    left = subprocess.Popen(SLEEPER, env={**os.environ, MARKER: f"{tmp_path}/a"}, start_new_session=True)
    stranger = subprocess.Popen(SLEEPER, start_new_session=True)
    try:
        (tmp_path / "pids").mkdir()
        (tmp_path / "pids" / "a.pid").write_text(str(left.pid))
        (tmp_path / "pids" / "b.pid").write_text(str(stranger.pid))  # a pid file naming someone else by now
        Supervisor(tmp_path).end_leftovers(["a", "b"])
        assert left.wait(timeout=10) == -9
        assert stranger.poll() is None
    finally:
        stranger.kill()
        stranger.wait()


def test_a_second_run_of_the_same_workdir_is_refused_while_the_first_lives(tmp_path):
    first, second = Supervisor(tmp_path), Supervisor(tmp_path)
    first.claim()
    with pytest.raises(RuntimeError, match="another running deployment"):
        second.claim()
    first.release()
    second.claim()
    second.release()
