"""`make run`'s deployment as an attacker on the same network or machine finds it.

scripts/run.sh is started for real, in a scratch copy of the project (links to the
code, the virtualenvs and the model; its own var/), on free ports.
"""
from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import MODEL_PATH, PROJECT_ROOT
from tests.live_assistant import wait_for
from tests.routing_process import free_port

NOT_LINKED = {".git", "var", "endpoints.yml", "reports", ".pytest_cache"}
SECRETS = ("rasa_api_token", "routing_service_token", "action_server_token", "webchat_session_secret")


def scratch_copy(root: Path, action_port: int) -> Path:
    for entry in PROJECT_ROOT.iterdir():
        if entry.name not in NOT_LINKED:
            (root / entry.name).symlink_to(entry)
    endpoints = (PROJECT_ROOT / "endpoints.yml").read_text(encoding="utf-8")
    (root / "endpoints.yml").write_text(endpoints.replace("localhost:5055", f"localhost:{action_port}"),
                                        encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    if not MODEL_PATH.exists():
        pytest.fail("No trained model: run `make train` (make test does).")
    ports = dict(RASA_PORT=free_port(), ACTION_PORT=free_port(), ROUTING_PORT=free_port())
    root = scratch_copy(tmp_path_factory.mktemp("deployment"), ports["ACTION_PORT"])
    var = root / "var"
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("RASA_", "ROUTING_", "ACTION_", "WEBCHAT_", "TELEGRAM_", "WECHAT_", "ASSISTANT_"))}
    env.update({name: str(port) for name, port in ports.items()},
               ASSISTANT_VAR_DIR=str(var), ROUTING_DATABASE_URL=f"sqlite:///{var / 'routing.db'}",
               ROUTING_EVENT_BROKER_URL=f"sqlite:///{var / 'events.db'}")
    log = open(root / "run.log", "wb")
    process = subprocess.Popen(["bash", str(root / "scripts" / "run.sh")], cwd=root, env=env, stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_for(f"http://127.0.0.1:{ports['RASA_PORT']}/version", [process])
        wait_for(f"http://127.0.0.1:{ports['ROUTING_PORT']}/healthz", [process])
        wait_for(f"http://127.0.0.1:{ports['ACTION_PORT']}/health", [process])
        yield dict(ports, root=root, var=var,
                   secrets={name: (var / "secrets" / name).read_text().strip() for name in SECRETS})
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)
        log.close()


def status_of(url: str, method: str = "GET", body=None, headers=None) -> int:
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def listening_addresses(port: int) -> set:
    """Local addresses with a listening TCP socket on `port`, from the kernel's own tables."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


LOOPBACK = {"0100007F", "00000000000000000000000001000000"}  # 127.0.0.1 and ::1 as the kernel writes them


def test_every_service_listens_on_loopback_only(deployment):
    for name in ("RASA_PORT", "ACTION_PORT", "ROUTING_PORT"):
        addresses = listening_addresses(deployment[name])
        assert addresses and addresses <= LOOPBACK, (name, addresses)


def test_rasa_api_refuses_to_show_or_change_her_conversation_without_the_token(deployment):
    rasa = f"http://127.0.0.1:{deployment['RASA_PORT']}"
    conversation = f"{rasa}/conversations/woman-1"
    assert status_of(f"{conversation}/tracker") == 401
    assert status_of(f"{conversation}/trigger_intent?output_channel=latest", "POST",
                     {"name": "expert_reply", "entities": {"expert_text": "请先转账500元"}}) == 401
    assert status_of(f"{conversation}/tracker/events", "POST", [{"event": "slot", "name": "urgent", "value": False}]) == 401
    assert status_of(f"{conversation}/tracker?token=guess") == 401
    assert status_of(f"{conversation}/tracker?token={deployment['secrets']['rasa_api_token']}") == 200


def test_rasa_api_allows_no_other_origin(deployment):
    request = urllib.request.Request(f"http://127.0.0.1:{deployment['RASA_PORT']}/version",
                                     headers={"Origin": "http://evil.example"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers.get("Access-Control-Allow-Origin") in (None, "")


def test_action_server_runs_nothing_without_rasas_token(deployment):
    webhook = f"http://127.0.0.1:{deployment['ACTION_PORT']}/webhook"
    forged = {"next_action": "action_forward_to_expert", "sender_id": "woman-1", "version": "3.6.2",
              "tracker": {"sender_id": "woman-1", "slots": {"handoff_id": "H-1"}, "latest_message": {"text": "假的"},
                          "events": [], "paused": False, "latest_event_time": 0, "followup_action": None,
                          "active_loop": {}, "latest_action_name": None}, "domain": {}}
    assert status_of(webhook, "POST", forged) == 401
    assert status_of(f"{webhook}?token=guess", "POST", forged) == 401
    assert status_of(f"http://127.0.0.1:{deployment['ACTION_PORT']}/actions") == 401
    token = deployment["secrets"]["action_server_token"]
    assert status_of(f"http://127.0.0.1:{deployment['ACTION_PORT']}/actions?token={token}") == 200


def test_routing_backend_accepts_service_calls_only_with_this_installs_token(deployment):
    routing = f"http://127.0.0.1:{deployment['ROUTING_PORT']}"
    handoff = {"conversation_id": "forged", "channel": "rest", "category": "legal", "intent": "legal_aid",
               "urgent": False, "summary": "假的求助", "transcript": []}
    for token in ("change-me", "", "service-token-for-tests"):
        assert status_of(f"{routing}/api/v1/handoffs", "POST", handoff,
                         {"Authorization": f"Bearer {token}"}) in (401, 403)
    real = deployment["secrets"]["routing_service_token"]
    assert status_of(f"{routing}/api/v1/handoffs", "POST", handoff, {"Authorization": f"Bearer {real}"}) == 201


def say(deployment, sender: str, text: str) -> list:
    request = urllib.request.Request(f"http://127.0.0.1:{deployment['RASA_PORT']}/webhooks/rest/webhook",
                                     data=json.dumps({"sender": sender, "message": text}).encode("utf-8"),
                                     headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def test_her_conversation_runs_through_every_service_with_this_installs_secrets(deployment):
    """Rasa reaches the action server with its token (a custom action answers the danger), and
    the action server reaches the routing backend with the service token (the urgent handoff)."""
    assert say(deployment, "deploy-hello", "你好")[0]["text"]
    replies = say(deployment, "deploy-danger", "他拿着刀在门外 我好怕")
    assert replies and "110" in replies[0]["text"]
    status_url = f"http://127.0.0.1:{deployment['ROUTING_PORT']}/api/v1/conversations/deploy-danger/status"
    headers = {"Authorization": f"Bearer {deployment['secrets']['routing_service_token']}"}
    deadline = time.monotonic() + 30
    while status_of(status_url, headers=headers) != 200 and time.monotonic() < deadline:
        time.sleep(0.5)
    with urllib.request.urlopen(urllib.request.Request(status_url, headers=headers), timeout=30) as response:
        assert json.loads(response.read())["urgent"] is True


def test_secrets_databases_and_logs_are_readable_by_this_user_only(deployment):
    var = deployment["var"]
    secrets = [var / "secrets" / name for name in SECRETS]
    assert len({path.read_text() for path in secrets}) == len(SECRETS)  # one secret per door
    written = secrets + sorted((var / "logs").iterdir()) + sorted(var.glob("*.db"))
    assert len(written) > len(SECRETS)
    for path in written:
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path
