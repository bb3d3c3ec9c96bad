"""Shared fixtures for browser tests: headless Debian Chromium driven by Playwright,
and the assistant's services running for real (Rasa with the project's
credentials.yml, the action server from .venv, the routing backend from
.venv-routing), each on a free port.

Run with .venv-routing's Python (`make test-browser`); Chromium is /usr/bin/chromium
(scripts/install-chromium), never a Playwright browser download.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT
from tests.live_assistant import assistant_with_routing

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOTS = PROJECT_ROOT / "reports" / "screenshots"
WEBCHAT_ACK_SECONDS = 3  # the web chat's wait for the page to acknowledge a message (10 by default)


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


@dataclass(frozen=True)
class LiveServices:
    rasa_url: str
    action_url: str
    routing_url: str
    workdir: Path


@pytest.fixture(scope="session")
def live_assistant(tmp_path_factory):
    """Rasa (API enabled, the project's credentials.yml: REST, socket.io, web chat, and the
    token-less Telegram and WeChat channels), the action server and the routing backend."""
    workdir = tmp_path_factory.mktemp("live_assistant")
    def with_the_organisations(routing):  # migrates first
        routing.run_command("load-org-data")

    env = {"WEBCHAT_ACK_SECONDS": str(WEBCHAT_ACK_SECONDS)}
    with assistant_with_routing(workdir, env, prepare=with_the_organisations) as (assistant, routing):
        yield LiveServices(assistant.rasa_url, assistant.action_url, routing.url, workdir)
