"""The running assistant (Rasa server + action server) on bad input: never silent,
never crashing, and every message kept in the tracker exactly as she wrote it."""
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import MODEL_PATH, PROJECT_ROOT
from tests.routing_process import SERVICE_TOKEN, RoutingProcess

VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http(method, url, body=None, timeout=60):
    data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read().decode("utf-8"))


def wait_for(url, processes, seconds=180):
    deadline = time.time() + seconds
    while time.time() < deadline:
        for process in processes:
            if process.poll() is not None:
                raise RuntimeError(f"{process.args[:3]} exited with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(1)
    raise TimeoutError(url)


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    if not MODEL_PATH.exists():
        pytest.fail("No trained model: run `make train` (make test does).")
    workdir = tmp_path_factory.mktemp("assistant")
    rasa_port, action_port = free_port(), free_port()
    endpoints = workdir / "endpoints.yml"
    endpoints.write_text(
        f'action_endpoint:\n  url: "http://127.0.0.1:{action_port}/webhook"\n'
        f'tracker_store:\n  type: SQL\n  dialect: "sqlite"\n  db: "{workdir / "tracker.db"}"\n',
        encoding="utf-8",
    )
    routing = RoutingProcess(workdir, free_port()).start()
    env = dict(os.environ, ASSISTANT_VAR_DIR=str(workdir), TF_CPP_MIN_LOG_LEVEL="2",
               ROUTING_URL=routing.url, ROUTING_SERVICE_TOKEN=SERVICE_TOKEN)
    logs = [open(workdir / "actions.log", "wb"), open(workdir / "rasa.log", "wb")]
    processes = [
        subprocess.Popen([str(VENV_BIN / "rasa"), "run", "actions", "--actions", "actions",
                          "--port", str(action_port)], cwd=PROJECT_ROOT, env=env,
                         stdout=logs[0], stderr=subprocess.STDOUT),
        subprocess.Popen([str(VENV_BIN / "rasa"), "run", "--enable-api", "--model", str(MODEL_PATH),
                          "--port", str(rasa_port), "--endpoints", str(endpoints),
                          "--credentials", str(PROJECT_ROOT / "credentials.yml")],
                         cwd=PROJECT_ROOT, env=env, stdout=logs[1], stderr=subprocess.STDOUT),
    ]
    try:
        wait_for(f"http://127.0.0.1:{action_port}/health", processes)
        wait_for(f"http://127.0.0.1:{rasa_port}/status", processes)
        yield f"http://127.0.0.1:{rasa_port}", routing.url
    finally:
        routing.stop()
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        for log in logs:
            log.close()


def say(base, sender, text):
    return http("POST", f"{base}/webhooks/rest/webhook", {"sender": sender, "message": text})


def tracker_texts(base, sender):
    tracker = http("GET", f"{base}/conversations/{sender}/tracker")
    return [event.get("text") for event in tracker["events"] if event["event"] == "user"]


BAD_INPUTS = {
    "empty": "",
    "blank": "   \n\t ",
    "emoji": "😭😭😭🙏",
    "huge": "我老公经常打我，还不给生活费，" * 1334,
    "control": "孩子\x00\x07沉迷\x1b手机",
    "mixed": "HR说我pregnant就不能续约 離婚ok嗎？",
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_gets_a_reply_and_is_kept_whole(assistant, name):
    assistant, _ = assistant
    text = BAD_INPUTS[name]
    replies = say(assistant, f"bad-{name}", text)
    assert replies and all(reply.get("text") for reply in replies)
    # Rasa's UserMessage strips surrounding whitespace; nothing else is changed.
    assert tracker_texts(assistant, f"bad-{name}")[-1] == text.strip()


def test_first_reply_to_danger_gives_110_and_asks_if_she_is_safe(assistant):
    assistant, _ = assistant
    replies = say(assistant, "danger", "救命 他拿着刀在踹门")
    first = replies[0]["text"]
    assert "110" in first and "安全吗" in first and "12338" in first and "12356" in first
    tracker = http("GET", f"{assistant}/conversations/danger/tracker")
    assert tracker["slots"]["urgent"] is True


def test_a_request_for_a_person_opens_a_handoff_in_the_routing_backend(assistant):
    assistant, routing_url = assistant
    say(assistant, "wants-lawyer", "老公出轨了我想离婚，孩子两岁")
    reply = say(assistant, "wants-lawyer", "转人工")[0]["text"]
    assert "编号" in reply and "48小时" in reply
    request = urllib.request.Request(f"{routing_url}/api/v1/conversations/wants-lawyer/status",
                                     headers={"Authorization": f"Bearer {SERVICE_TOKEN}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        handoff = json.loads(response.read().decode("utf-8"))
    assert handoff["id"] in reply
    assert handoff["department"] == "权益部" and handoff["category"] == "legal"
    assert "孩子两岁" in handoff["summary"]
    status = say(assistant, "wants-lawyer", "我的求助有人处理了吗")[0]["text"]
    assert handoff["id"] in status and "前回复" in status
