"""The scaled deployment (deploy/scaled.py) started once, whole: nginx in front of two Rasa
servers, two action servers and two routing backends, on the machine's PostgreSQL, Redis and
RabbitMQ, with databases, a queue, Redis keys, a workdir and ports of its own, removed
afterwards. nginx comes from scripts/install-proxy; the tests are skipped only when it is
missing and that script cannot install it. About two minutes, most of it starting up."""
from __future__ import annotations

import json
import queue
import re
import secrets
import socket
import subprocess
import time
import urllib.request
import uuid
from dataclasses import replace
from typing import List

import pytest

from deploy.proxy import ProxyMissing, nginx_binary
from deploy.scaled import PORT_OFFSETS, ScaledDeployment, ScaledSettings
from tests.conftest import MODEL_PATH, PROJECT_ROOT

REST = "/webhooks/rest/webhook"
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))
UPSTREAM = re.compile(r'"(?P<method>[A-Z]+) (?P<path>\S+)" (?P<status>\d+) .*upstream="(?P<upstream>[^"]*)"')


def free_base_port(tries: int = 50) -> int:
    span = max(PORT_OFFSETS.values()) + 1
    for _ in range(tries):
        base = 20000 + secrets.randbelow(4000) * 10
        try:
            for port in range(base, base + span):
                with socket.socket() as probe:
                    probe.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
    raise RuntimeError("no free block of ports")


def proxy_installed() -> bool:
    try:
        nginx_binary()
        return True
    except ProxyMissing:
        installed = subprocess.run([str(PROJECT_ROOT / "scripts" / "install-proxy")], capture_output=True, timeout=600)
        return installed.returncode == 0


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    if not proxy_installed():
        pytest.skip("nginx is missing and scripts/install-proxy cannot install it here (no apt or no root)")
    if not MODEL_PATH.exists():
        pytest.fail("No trained model: run `make train` (make test does).")
    name = f"scaledtest_{uuid.uuid4().hex[:8]}"
    settings = replace(ScaledSettings.from_env({}), workdir=tmp_path_factory.mktemp("scaled"),
                       base_port=free_base_port(), database_prefix=name, queue=f"{name}_events", model=MODEL_PATH)
    started = ScaledDeployment(settings, fresh=True)
    try:
        started.start(timeout=240)
        yield started
    finally:
        started.discard()


def post(url: str, body: dict, timeout: float = 90) -> list:
    request = urllib.request.Request(url, data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
                                     headers={"Content-Type": "application/json"}, method="POST")
    with DIRECT.open(request, timeout=timeout) as response:
        return json.loads(response.read().decode("utf-8"))


def say(deployment: ScaledDeployment, sender: str, text: str) -> List[str]:
    return [reply.get("text") or "" for reply in post(deployment.front_url + REST, {"sender": sender, "message": text})]


def served(deployment: ScaledDeployment, path: str, since: int, count: int) -> List[str]:
    """Who answered the `count` requests for `path` in the proxy's access log from line `since`
    on (the last upstream nginx tried: one that refused the connection comes first in the list).
    nginx writes a line once the answer is sent: it may come a moment after the client has it."""
    deadline = time.monotonic() + 5
    while True:
        lines = deployment.access_log.read_text(encoding="utf-8").splitlines()[since:]
        found = [match["upstream"].split(",")[-1].strip() for match in map(UPSTREAM.search, lines)
                 if match and match["path"] == path]
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def log_length(deployment: ScaledDeployment) -> int:
    return len(deployment.access_log.read_text(encoding="utf-8").splitlines())


def query(deployment: ScaledDeployment, database: str, sql: str, parameters: tuple) -> list:
    import psycopg2  # Rasa's driver, in .venv

    connection = psycopg2.connect(f"{deployment.settings.postgres_server()}/{database}")
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, parameters)
            return cursor.fetchall()
    finally:
        connection.close()


@pytest.fixture(scope="module")
def conversation(deployment):
    """One conversation of four messages through the front door; the replies and the log lines."""
    sender = f"scaled-{uuid.uuid4().hex[:8]}"
    before = log_length(deployment)
    messages = ["你好", "单位知道我怀孕就要辞退我", "孩子天天玩手机怎么办", "谢谢"]
    replies = [say(deployment, sender, text) for text in messages]
    return {"sender": sender, "messages": messages, "replies": replies, "log_from": before}


def test_each_message_of_one_conversation_gets_a_reply_through_the_proxy(conversation):
    assert all(any(text.strip() for text in reply) for reply in conversation["replies"]), conversation["replies"]
    assert "怀孕" in "".join(conversation["replies"][1])


def test_both_rasa_servers_answered_her_messages(deployment, conversation):
    upstreams = served(deployment, REST, conversation["log_from"], len(conversation["messages"]))
    assert len(upstreams) == len(conversation["messages"])
    assert set(upstreams) == {f"127.0.0.1:{deployment.settings.ports['rasa-1']}",
                              f"127.0.0.1:{deployment.settings.ports['rasa-2']}"}


def test_the_conversation_is_in_postgresql_in_the_order_she_wrote(deployment, conversation):
    rows = query(deployment, deployment.settings.tracker_database,
                 "SELECT data FROM events WHERE sender_id = %s AND type_name = 'user' ORDER BY id",
                 (conversation["sender"],))
    assert [json.loads(data)["text"] for (data,) in rows] == conversation["messages"]


def archived_messages(deployment: ScaledDeployment, sender: str, count: int, seconds: float = 30) -> list:
    """Her messages in the archive, once `count` are there or after `seconds`."""
    deadline, rows = time.monotonic() + seconds, []
    while time.monotonic() < deadline:
        rows = query(deployment, deployment.settings.routing_database,
                     "SELECT source, text FROM archived_events WHERE conversation_id = %s AND event_type = 'user' "
                     "ORDER BY id", (sender,))
        if len(rows) >= count:
            break
        time.sleep(0.5)
    return rows


def test_her_messages_reach_the_archive_through_rabbitmq_once_each(deployment, conversation):
    rows = archived_messages(deployment, conversation["sender"], len(conversation["messages"]))
    assert rows == [("rasa-rabbitmq", text) for text in conversation["messages"]]


def test_what_rasa_publishes_while_the_archive_is_stopped_is_archived_once_it_is_back(deployment):
    sender = f"scaled-{uuid.uuid4().hex[:8]}"
    deployment.stop_process("archive")
    assert not deployment.is_alive("archive")
    assert any(reply.strip() for reply in say(deployment, sender, "孩子不爱写作业怎么办"))
    assert archived_messages(deployment, sender, 1, seconds=2) == []
    deployment.restart("archive", timeout=60)
    assert archived_messages(deployment, sender, 1) == [("rasa-rabbitmq", "孩子不爱写作业怎么办")]


def test_the_routing_backends_answer_through_the_proxy(deployment):
    before = log_length(deployment)
    for _ in range(2):
        with DIRECT.open(deployment.front_url + "/healthz", timeout=10) as response:
            assert json.loads(response.read())["status"] == "ok"
    assert set(served(deployment, "/healthz", before, 2)) == {
        f"127.0.0.1:{deployment.settings.ports['routing-1']}", f"127.0.0.1:{deployment.settings.ports['routing-2']}"}


def test_the_web_chat_works_through_the_proxy_over_long_polling(deployment):
    """Long polling sends several requests for one socket.io session: they must all reach the
    replica that holds it (the proxy keys on the page's cookie, which a browser sends with each;
    so does this client, from its cookie jar)."""
    import requests  # python-socketio's client and its HTTP session, in .venv
    import socketio

    browser = requests.Session()
    browser.trust_env = False  # loopback: never an http_proxy
    page = browser.get(f"{deployment.front_url}/webhooks/webchat/", timeout=30)
    assert page.status_code == 200 and browser.cookies.get("webchat_session")
    replies: "queue.Queue[dict]" = queue.Queue()
    confirmed: "queue.Queue[str]" = queue.Queue()
    client = socketio.Client(reconnection=False, http_session=browser)
    client.on("bot_uttered", replies.put)
    client.on("session_confirm", confirmed.put)
    client.connect(deployment.front_url, headers={"Origin": deployment.front_url}, transports=["polling"],
                   wait_timeout=30)
    try:
        client.emit("session_request", {"session_id": None})
        assert confirmed.get(timeout=30)
        for text in ("你好", "谢谢"):
            client.emit("user_uttered", {"message": text, "session_id": None})
            assert replies.get(timeout=60).get("text")
    finally:
        client.eio.disconnect(abort=True)


def test_the_web_chat_upgrades_to_a_websocket_through_the_proxy(deployment):
    with DIRECT.open(f"{deployment.front_url}/webhooks/webchat/", timeout=30) as page:
        cookie = page.headers["Set-Cookie"].split(";", 1)[0]
    host = f"127.0.0.1:{deployment.settings.base_port}"
    handshake = (f"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\n"
                 f"Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                 f"Origin: {deployment.front_url}\r\nCookie: {cookie}\r\n\r\n")
    with socket.create_connection(("127.0.0.1", deployment.settings.base_port), timeout=30) as connection:
        connection.sendall(handshake.encode("ascii"))
        received = b""
        while b'"sid"' not in received and len(received) < 4096:  # the answer, then engine.io's open packet
            chunk = connection.recv(4096)
            if not chunk:
                break
            received += chunk
    assert received.startswith(b"HTTP/1.1 101"), received[:200]
    assert b'"sid"' in received


def test_with_rasa_1_killed_her_messages_still_get_replies(deployment, conversation):
    deployment.kill("rasa-1")
    assert not deployment.is_alive("rasa-1") and deployment.is_alive("rasa-2")
    before = log_length(deployment)
    for text in ("我想离婚，孩子抚养权怎么办", "谢谢"):
        assert any(reply.strip() for reply in say(deployment, conversation["sender"], text))
    assert set(served(deployment, REST, before, 2)) == {f"127.0.0.1:{deployment.settings.ports['rasa-2']}"}
