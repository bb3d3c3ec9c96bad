"""The memory of a live Rasa server after it has answered many messages.

`rasa run` and the action server start on free ports with a SQLite tracker store
and event broker in a temporary folder, as `make run` has them; the messages go
through the REST channel, a few per conversation, and the server's resident
memory is read from /proc afterwards. The routing backend is pointed at a port
nobody listens on, so no handoff leaves the bench.
"""
from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List, Sequence

from bot.endpoints_file import embedded_endpoints

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = PROJECT_ROOT / ".venv" / "bin"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def memory_mb(pid: int) -> Dict[str, float]:
    """Resident memory now and at its peak (VmRSS, VmHWM) of one process, in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = round(int(value.split()[0]) / 1024, 0)
    return {"rss_mb": fields.get("VmRSS", 0.0), "peak_rss_mb": fields.get("VmHWM", 0.0)}


def conversations(texts: Sequence[str], total: int, per_conversation: int = 5) -> Iterator[Dict[str, str]]:
    """`total` REST messages over the texts in turn, `per_conversation` to each sender."""
    for number in range(total):
        yield {"sender": f"bench-{number // per_conversation}", "message": texts[number % len(texts)]}


@dataclass(frozen=True)
class ServerMemory:
    messages: int
    seconds: float
    after_load: Dict[str, float]
    after_messages: Dict[str, float]
    failed: int


def _post(url: str, body: Dict[str, str], timeout: float = 120) -> None:
    request = urllib.request.Request(url, data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
                                     method="POST", headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        response.read()


def send_all(url: str, bodies: List[Dict[str, str]], clients: int = 4, post=None) -> int:
    """Posts every body, `clients` conversations at a time, each conversation's messages in
    order (as women write: many at once, one message after another). Returns how many failed."""
    from concurrent.futures import ThreadPoolExecutor

    post = post or _post
    by_sender: Dict[str, List[Dict[str, str]]] = {}
    for body in bodies:
        by_sender.setdefault(body["sender"], []).append(body)

    def converse(messages: List[Dict[str, str]]) -> int:
        failures = 0
        for body in messages:
            try:
                post(url, body)
            except OSError:
                failures += 1
        return failures

    with ThreadPoolExecutor(max_workers=clients) as pool:
        return sum(pool.map(converse, by_sender.values()))


def _wait_for(url: str, processes: List[subprocess.Popen], seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if any(process.poll() is not None for process in processes):
            raise RuntimeError(f"a server exited while starting; see the logs beside {url}")
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(url)


def measure_server(model: Path, texts: Sequence[str], workdir: Path, total: int = 1000) -> ServerMemory:
    workdir.mkdir(parents=True, exist_ok=True)
    rasa_port, action_port, token = free_port(), free_port(), secrets.token_urlsafe(24)
    endpoints = workdir / "endpoints.yml"
    endpoints.write_text(embedded_endpoints(f"http://127.0.0.1:{action_port}", token, workdir / "tracker.db",
                                            workdir / "events.db"), encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("TELEGRAM_", "WECHAT_"))}
    env.update(ASSISTANT_VAR_DIR=str(workdir), ACTION_SERVER_TOKEN=token, TF_CPP_MIN_LOG_LEVEL="2",
               ROUTING_URL=f"http://127.0.0.1:{free_port()}")
    logs = [open(workdir / "actions.log", "ab"), open(workdir / "rasa.log", "ab")]
    processes = [
        subprocess.Popen([str(VENV_BIN / "python"), "-m", "actions.server", "--port", str(action_port)],
                         cwd=PROJECT_ROOT, env=env, stdout=logs[0], stderr=subprocess.STDOUT),
        subprocess.Popen([str(VENV_BIN / "python"), "-m", "bot.rasa_server", "run", "-i", "127.0.0.1", "--port", str(rasa_port),
                          "--model", str(model), "--endpoints", str(endpoints),
                          "--credentials", str(PROJECT_ROOT / "credentials.yml")],
                         cwd=PROJECT_ROOT, env=env, stdout=logs[1], stderr=subprocess.STDOUT),
    ]
    try:
        _wait_for(f"http://127.0.0.1:{action_port}/health", processes)
        _wait_for(f"http://127.0.0.1:{rasa_port}/", processes)
        after_load = memory_mb(processes[1].pid)
        started = time.perf_counter()
        failed = send_all(f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook", list(conversations(texts, total)))
        seconds = time.perf_counter() - started
        return ServerMemory(total, round(seconds, 1), after_load, memory_mb(processes[1].pid), failed)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        for log in logs:
            log.close()


def texts_for_server(heldout: Path) -> List[str]:
    """The held-out messages, in their order: the server sees them in turn."""
    from bot.evaluation import load_examples

    return [example.text for example in load_examples(heldout)]
