"""The boundary between bot/ and connectors/: one way only, through bot.environment.

Connectors import nothing of the project but `nlu.text` and `bot.environment`; bot/
imports nothing of connectors/ (so the Telegram polling runner is started from
connectors/), and bot.environment imports nothing of the project, or connectors would
reach the rest of bot/ through it.
"""
import ast
from pathlib import Path

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
    assert {name for _, name in imported} == {"nlu.text", "bot.environment"}, sorted(imported)


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
