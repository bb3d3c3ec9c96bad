"""What the code depends on: the boundary between bot/ and connectors/, and the packages.

Connectors import nothing of the project but `nlu.text`, `nlu.safe_exit` (what an exit
command is: the channels decide safe exit before the dialogue, by the same rule) and
`bot.environment`; bot/
imports nothing of connectors/ (so the Telegram polling runner is started from
connectors/), and bot.environment imports nothing of the project, or connectors would
reach the rest of bot/ through it.

Every third-party import is declared in its side's requirements, every pin is what the
lock file installs, python-socketio is past its denial-of-service fix with the web chat
awaiting `enter_room`, and the socket.io browser client has a recorded checksum.
"""
import ast
import inspect
import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
import socketio

from tests.conftest import PROJECT_ROOT

PROJECT_PACKAGES = {"actions", "bot", "connectors", "nlu", "routing"}


def project_imports(path: Path):
    """Every project module a file imports, at the top or inside a function."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else (
            [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module else [])
        for name in names:
            if name.split(".")[0] in PROJECT_PACKAGES:
                yield name


def imports_of(folder: str):
    return {(str(path.relative_to(PROJECT_ROOT)), name)
            for path in (PROJECT_ROOT / folder).rglob("*.py") for name in project_imports(path)}


def test_connectors_import_only_the_text_rule_of_nlu_and_the_environment_reader_of_bot():
    imported = {(path, name) for path, name in imports_of("connectors") if not name.startswith("connectors")}
    assert {name for _, name in imported} <= {"nlu.text", "nlu.safe_exit", "bot.environment"}, sorted(imported)


def test_bot_never_imports_connectors():
    imported = {(path, name) for path, name in imports_of("bot") if name.split(".")[0] == "connectors"}
    assert imported == set()


def test_the_environment_reader_imports_nothing_of_the_project():
    assert list(project_imports(PROJECT_ROOT / "bot" / "environment.py")) == []


def test_relative_imports_cannot_hide_a_crossing():
    """The checks read absolute imports only; the two packages use none of the other kind."""
    relative = [str(path.relative_to(PROJECT_ROOT)) for folder in ("bot", "connectors")
                for path in (PROJECT_ROOT / folder).rglob("*.py")
                for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                if isinstance(node, ast.ImportFrom) and node.level]
    assert relative == []


def version_tuple(text: str):
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def pins(requirements: Path):
    """name → version of each `name==version` line (comments and options skipped)."""
    found = {}
    for line in requirements.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==([^\s;#\\]+)", line.strip())
        if match:
            found[re.sub(r"[-_.]+", "-", match.group(1)).lower()] = match.group(3)
    return found


def test_python_socketio_is_past_the_memory_denial_of_service_fixed_in_5_16_2():
    assert version_tuple(pins(PROJECT_ROOT / "requirements.txt")["python-socketio"]) >= (5, 16, 2)
    assert version_tuple(version("python-socketio")) >= (5, 16, 2)


def test_the_web_chat_awaits_enter_room_which_rasas_own_socketio_channel_forgets():
    """From python-socketio 5.10 `enter_room` is a coroutine; Rasa 3.6 calls it without await,
    the room is never joined, and with session persistence no bot message reaches her page.
    tests/connectors/webchat/test_channel.py shows the messages arriving through a live server."""
    assert inspect.iscoroutinefunction(socketio.AsyncServer.enter_room)
    tree = ast.parse((PROJECT_ROOT / "connectors" / "webchat" / "channel.py").read_text(encoding="utf-8"))
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)
             and isinstance(node.func, ast.Attribute) and node.func.attr == "enter_room"]
    awaited = [node.value for node in ast.walk(tree) if isinstance(node, ast.Await)]
    assert calls and all(call in awaited for call in calls)


@pytest.mark.parametrize("requirements, lock", [
    (["requirements.txt", "requirements-dev.txt"], "requirements.lock"),
    (["routing/requirements.txt"], "routing/requirements.lock"),
])
def test_every_pin_is_what_the_lock_file_installs_with_hashes(requirements, lock):
    """A pin changed without `make lock` would not be installed: `make install` reads the lock."""
    locked = pins(PROJECT_ROOT / lock)
    pinned = {name: pinned for file in requirements for name, pinned in pins(PROJECT_ROOT / file).items()}
    assert {name: locked.get(name) for name in pinned} == pinned
    requirements_of_lock = re.split(r"\n(?=[A-Za-z0-9])", (PROJECT_ROOT / lock).read_text(encoding="utf-8"))
    unhashed = [block.split(" ")[0] for block in requirements_of_lock
                if "==" in block and "--hash=sha256:" not in block]
    assert unhashed == []


def test_every_third_party_import_of_the_rasa_side_is_declared():
    finished = subprocess.run([sys.executable, str(PROJECT_ROOT / "scripts" / "undeclared-imports"), "rasa"],
                              capture_output=True, text=True, timeout=120)
    assert finished.returncode == 0, finished.stdout + finished.stderr


def test_every_third_party_import_of_the_routing_side_is_declared():
    python = PROJECT_ROOT / ".venv-routing" / "bin" / "python"
    if not python.exists():
        pytest.skip("the routing virtualenv is not installed here")
    finished = subprocess.run([str(python), str(PROJECT_ROOT / "scripts" / "undeclared-imports"), "routing"],
                              capture_output=True, text=True, timeout=120)
    assert finished.returncode == 0, finished.stdout + finished.stderr


def test_the_socketio_browser_client_the_makefile_fetches_has_a_recorded_sha256():
    wanted = re.search(r"^SOCKETIO_CLIENT_VERSION := (\S+)$", (PROJECT_ROOT / "Makefile").read_text(), re.M).group(1)
    script = (PROJECT_ROOT / "scripts" / "fetch-socketio-client").read_text(encoding="utf-8")
    assert re.search(rf"\[{re.escape(wanted)}\]=[0-9a-f]{{64}}\b", script)
