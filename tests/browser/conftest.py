"""Shared fixtures for browser tests: headless Debian Chromium driven by Playwright,
and the assistant's services running for real (Rasa with the project's
credentials.yml, the action server from .venv, the routing backend from
.venv-routing), each on a free port.

Run with .venv-routing's Python (`make test-browser`); Chromium is /usr/bin/chromium
(scripts/install-chromium), never a Playwright browser download.
"""
from __future__ import annotations

import os
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import List

import pytest

from tests.conftest import MODEL_PATH, PROJECT_ROOT
from tests.routing_process import SERVICE_TOKEN, RoutingProcess, free_port

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
RASA_BIN = PROJECT_ROOT / ".venv" / "bin" / "rasa"
SCREENSHOTS = PROJECT_ROOT / "reports" / "screenshots"


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the session; each test gets its own context (cookies, storage)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/install-chromium (make test-browser does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    new_page = context.new_page()
    yield new_page
    context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def wait_until_up(url: str, processes: List[subprocess.Popen], seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for process in processes:
            if process.poll() is not None:
                raise RuntimeError(f"{process.args[:3]} exited with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(url)


@dataclass(frozen=True)
class LiveAssistant:
    rasa_url: str
    action_url: str
    routing_url: str
    workdir: Path


@pytest.fixture(scope="session")
def live_assistant(tmp_path_factory):
    """Rasa (API enabled, the project's credentials.yml: REST, socket.io, web chat, and the
    token-less Telegram and WeChat channels), the action server and the routing backend."""
    if not MODEL_PATH.exists():
        pytest.fail("No trained model: run `make train` (make test does).")
    if not RASA_BIN.exists():
        pytest.fail("run `make install` first: .venv is missing")
    workdir = tmp_path_factory.mktemp("live_assistant")
    rasa_port, action_port = free_port(), free_port()
    rasa_url = f"http://127.0.0.1:{rasa_port}"
    routing = RoutingProcess(workdir, free_port(), rasa_url=rasa_url)
    routing.run_command("migrate")
    routing.run_command("load-org-data")
    routing.start()
    endpoints = workdir / "endpoints.yml"
    endpoints.write_text(
        f'action_endpoint:\n  url: "http://127.0.0.1:{action_port}/webhook"\n'
        f'tracker_store:\n  type: SQL\n  dialect: "sqlite"\n  db: "{workdir / "tracker.db"}"\n', encoding="utf-8")
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("WECHAT_", "TELEGRAM_", "VIRTUAL_ENV", "PYTHONPATH"))}
    env.update(ASSISTANT_VAR_DIR=str(workdir), TF_CPP_MIN_LOG_LEVEL="2", ROUTING_URL=routing.url,
               ROUTING_SERVICE_TOKEN=SERVICE_TOKEN)
    logs = [open(workdir / "actions.log", "wb"), open(workdir / "rasa.log", "wb")]
    processes = [
        subprocess.Popen([str(RASA_BIN), "run", "actions", "--actions", "actions", "--port", str(action_port)],
                         cwd=PROJECT_ROOT, env=env, stdout=logs[0], stderr=subprocess.STDOUT),
        subprocess.Popen([str(RASA_BIN), "run", "--enable-api", "--model", str(MODEL_PATH), "--port", str(rasa_port),
                          "--endpoints", str(endpoints), "--credentials", str(PROJECT_ROOT / "credentials.yml")],
                         cwd=PROJECT_ROOT, env=env, stdout=logs[1], stderr=subprocess.STDOUT),
    ]
    try:
        wait_until_up(f"http://127.0.0.1:{action_port}/health", processes)
        wait_until_up(f"{rasa_url}/status", processes)
        yield LiveAssistant(rasa_url, f"http://127.0.0.1:{action_port}", routing.url, workdir)
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
