"""What each process of the scaled deployment is: its command, its environment, how to tell
it is ready, and how to warm it up. Standard library only."""
from __future__ import annotations

import json
import os
import secrets as secret_tokens
import socket
import subprocess
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable, Dict, List, Mapping, Sequence
from urllib.parse import urlsplit, urlunsplit

from deploy import proxy
from deploy.processes import ProcessSpec
from deploy.settings import ScaledSettings

SECRET_FILES = ("rasa_api_token", "routing_service_token", "action_server_token", "webchat_session_secret")
ARCHIVE_READY = "archive: consuming"  # the line `python -m routing consume-archive` prints once connected
QUIET = {"TF_CPP_MIN_LOG_LEVEL": "2", "SQLALCHEMY_SILENCE_UBER_WARNING": "1", "PYTHONWARNINGS": "ignore",
         "PYTHONUNBUFFERED": "1"}
RASA_POOL = {"SQL_POOL_SIZE": "5", "SQL_MAX_OVERFLOW": "10"}  # two servers share PostgreSQL's 100 connections
WARM_UP_ACTION = {  # rasa-sdk's action call: an FAQ answer with no FAQ chosen loads the index, asks which area
    "next_action": "action_answer_faq", "sender_id": "scaled-warm-up", "version": "3.6.21", "domain": {},
    "tracker": {"sender_id": "scaled-warm-up", "slots": {}, "events": [], "paused": False, "followup_action": None,
                "active_loop": {}, "latest_action_name": "action_listen",
                "latest_message": {"text": "孩子天天玩手机", "intent": {"name": "family_screen_study", "confidence": 1.0},
                                   "entities": []}}}
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never an http_proxy


def ensure_secrets(workdir: Path) -> Dict[str, str]:
    """The deployment's secrets, made once into <workdir>/secrets/, readable by this user only."""
    folder = workdir / "secrets"
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    values = {}
    for name in SECRET_FILES:
        path = folder / name
        if not path.exists() or not path.read_text().strip():
            path.touch(mode=0o600)
            path.write_text(secret_tokens.token_urlsafe(32))
        values[name] = path.read_text().strip()
    return values


class Services:
    """The eight processes of one deployment, as `ProcessSpec`s."""

    def __init__(self, settings: ScaledSettings, tokens: Mapping[str, str], logs: Path,
                 archive_ready: Callable[[], bool]) -> None:
        self.settings, self.tokens, self.logs = settings, tokens, logs
        self._archive_ready = archive_ready

    def _path(self, relative: str) -> str:
        return str(self.settings.root / relative)

    def base_env(self) -> Dict[str, str]:
        env = {key: value for key, value in os.environ.items() if key not in ("VIRTUAL_ENV", "PYTHONPATH")}
        env.update(QUIET)
        return env

    def routing_env(self) -> Dict[str, str]:
        settings, tokens = self.settings, self.tokens
        return {**self.base_env(), "PYTHONPATH": str(settings.root),
                "ROUTING_DATABASE_URL": settings.routing_database_url,
                "ROUTING_SERVICE_TOKEN": tokens["routing_service_token"],
                "ROUTING_RASA_TOKEN": tokens["rasa_api_token"],
                "ROUTING_RASA_URL": settings.front_url,
                "ROUTING_ARCHIVE_IN_PROCESS": "false",  # the archive process takes the events (RabbitMQ)
                "ROUTING_RABBITMQ_URL": settings.rabbitmq_url,
                "ROUTING_EVENT_QUEUE": settings.queue,
                "ROUTING_TRUSTED_PROXIES": "127.0.0.1",  # nginx's X-Forwarded-For: login limits per her address
                "ROUTING_REDIS_URL": settings.redis_url,
                "ROUTING_REDIS_KEY_PREFIX": settings.redis_prefix,
                # retention and erasure reach her data where this deployment keeps it, not in var/
                "ROUTING_RETENTION_VAR_DIR": str(self.state_dir),
                "ROUTING_RETENTION_TRACKER_STORE_URL": f"{settings.postgres_server('psycopg')}/{settings.tracker_database}",
                "ROUTING_EVENT_BROKER_URL": f"sqlite:///{self.state_dir / 'events.db'}"}  # none here: RabbitMQ

    @property
    def state_dir(self) -> Path:
        """The local files of the Rasa and action servers (var/ in the embedded default), shared
        by the replicas: the web chat's waiting replies, the outboxes, the channels' stores."""
        return self.settings.workdir / "state"

    def assistant_env(self) -> Dict[str, str]:
        """Rasa servers and action servers."""
        settings, tokens = self.settings, self.tokens
        redis, amqp = urlsplit(settings.redis_url), urlsplit(settings.rabbitmq_url)
        return {**self.base_env(), **RASA_POOL,
                "ASSISTANT_VAR_DIR": str(self.state_dir),
                "ASSISTANT_MODEL": str(settings.model_path),
                "ACTION_SERVER_TOKEN": tokens["action_server_token"],
                "ROUTING_SERVICE_TOKEN": tokens["routing_service_token"],
                "ROUTING_URL": settings.front_url,
                "WEBCHAT_SESSION_SECRET": tokens["webchat_session_secret"],
                "ASSISTANT_REDIS_URL": settings.redis_url,
                "ASSISTANT_REDIS_KEY_PREFIX": settings.redis_prefix,
                # deploy/endpoints.scale.yml
                "ASSISTANT_ACTION_URL": f"{settings.url_of('actions-front')}/webhook",
                "ASSISTANT_TRACKER_DATABASE_URL": settings.tracker_database_url,
                "ASSISTANT_REDIS_HOST": redis.hostname or "127.0.0.1",
                "ASSISTANT_REDIS_PORT": str(redis.port or 6379),
                "ASSISTANT_REDIS_DB": (redis.path or "/0").strip("/") or "0",
                "ASSISTANT_REDIS_PASSWORD": redis.password or "",
                "ASSISTANT_LOCK_PREFIX": settings.lock_prefix,
                "ASSISTANT_RABBITMQ_URL": amqp_with_port(settings.rabbitmq_url),
                "ASSISTANT_RABBITMQ_PORT": str(amqp.port or 5672),
                "ASSISTANT_RABBITMQ_USERNAME": amqp.username or "guest",
                "ASSISTANT_RABBITMQ_PASSWORD": amqp.password or "guest",
                "ASSISTANT_EVENT_QUEUE": settings.queue,
                "ASSISTANT_EVENT_EXCHANGE": settings.exchange}

    def proxy_spec(self) -> ProcessSpec:
        settings, ports = self.settings, self.settings.ports
        nginx_dir = settings.workdir / "nginx"
        config = proxy.write_config(nginx_dir, self.logs, {
            "front": ports["front"], "actions_front": ports["actions-front"],
            "rasa_1": ports["rasa-1"], "rasa_2": ports["rasa-2"], "actions_1": ports["actions-1"],
            "actions_2": ports["actions-2"], "routing_1": ports["routing-1"], "routing_2": ports["routing-2"]})
        checked = subprocess.run(proxy.check_command(config, nginx_dir, self.logs), capture_output=True, text=True)
        if checked.returncode != 0:
            raise RuntimeError(f"nginx refuses {config}: {checked.stderr}")
        return ProcessSpec("proxy", proxy.command(config, nginx_dir, self.logs), self.base_env(),
                           lambda: listening(ports["front"]) and listening(ports["actions-front"]), settings.root)

    def specs(self) -> Dict[str, ProcessSpec]:
        settings, ports, root = self.settings, self.settings.ports, self.settings.root
        python = self._path(".venv/bin/python")
        routing_python = self._path(".venv-routing/bin/python")
        specs: List[ProcessSpec] = [self.proxy_spec()]
        for index in (1, 2):
            name = f"routing-{index}"
            specs.append(ProcessSpec(  # routing-2 after routing-1: one of them creates the demo users
                name, [routing_python, "-m", "routing", "serve", "--host", "127.0.0.1", "--port", str(ports[name])],
                self.routing_env(), answers(f"{settings.url_of(name)}/healthz"), root,
                after=("routing-1",) if index == 2 else ()))
        for index in (1, 2):
            name = f"actions-{index}"
            specs.append(ProcessSpec(
                name, [python, "-m", "actions.server", "--host", "127.0.0.1", "--port", str(ports[name])],
                self.assistant_env(), answers(f"{settings.url_of(name)}/health"), root))
        for index in (1, 2):
            name = f"rasa-{index}"
            specs.append(ProcessSpec(
                name, [python, "-m", "bot.rasa_server", "run", "--enable-api", "-i", "127.0.0.1",
                       "--port", str(ports[name]), "--model", str(settings.model_path),
                       "--endpoints", self._path("deploy/endpoints.scale.yml"),
                       "--credentials", self._path("credentials.yml")],
                {**self.assistant_env(), "RASA_API_TOKEN": self.tokens["rasa_api_token"]}, answers(f"{settings.url_of(name)}/version"), root))
        specs.append(ProcessSpec("archive", [routing_python, "-m", "routing", "consume-archive", "--source", "rabbitmq"],
                                 self.routing_env(), self._archive_ready, root))
        return {spec.name: spec for spec in specs}

    def through_proxy(self) -> List[Callable[[], bool]]:
        """Each group answers through nginx: Rasa, the routing backends, the action servers."""
        settings = self.settings
        return [answers(f"{settings.front_url}/version"), answers(f"{settings.front_url}/healthz"),
                answers(f"{settings.url_of('actions-front')}/health")]

    def warm_up(self, names: Sequence[str], deadline: float) -> None:
        """Tokenizer, models and the knowledge index load lazily, on the first message: each
        Rasa server parses one (HTTP API, no conversation) and each action server answers one
        FAQ call for a conversation of its own, so her first message does not wait for that."""
        settings, tokens = self.settings, self.tokens
        calls = [(f"{settings.url_of(name)}/model/parse?token={tokens['rasa_api_token']}", {"text": "你好"})
                 for name in names if name.startswith("rasa-")]
        calls += [(f"{settings.url_of(name)}/webhook?token={tokens['action_server_token']}", WARM_UP_ACTION)
                  for name in names if name.startswith("actions-")]
        if not calls:
            return

        def call(url: str, body: dict) -> None:
            request = urllib.request.Request(url, method="POST", data=json.dumps(body).encode("utf-8"),
                                             headers={"Content-Type": "application/json"})
            try:
                with DIRECT.open(request, timeout=max(5.0, deadline - time.monotonic())):
                    pass
            except urllib.error.HTTPError:
                pass  # it answered: what it loads on the way is loaded
            except OSError as error:
                raise RuntimeError(f"warming up {url.split('?')[0]} failed: {error}") from None

        with ThreadPoolExecutor(max_workers=len(calls)) as pool:  # each server loads on its own
            for done in [pool.submit(call, url, body) for url, body in calls]:
                done.result()


def amqp_with_port(url: str) -> str:
    """Rasa's pika broker appends its `port` to a URL that does not show it: show it."""
    parts = urlsplit(url)
    if parts.port:
        return url
    return urlunsplit((parts.scheme, f"{parts.netloc}:5672", parts.path, parts.query, parts.fragment))


def answers(url: str) -> Callable[[], bool]:
    def check() -> bool:
        try:
            with DIRECT.open(url, timeout=2) as response:
                return response.status == 200
        except OSError:
            return False
    return check


def listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False
