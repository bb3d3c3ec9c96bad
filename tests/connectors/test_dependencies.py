"""Connectors import nothing of the project but `nlu.text`: never bot/, whose command line imports them."""
import ast
from pathlib import Path

from tests.conftest import PROJECT_ROOT

PROJECT_PACKAGES = {"actions", "bot", "nlu", "routing"}


def project_imports(path: Path):
    """Every project module a file imports, at the top or inside a function."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else (
            [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module else [])
        for name in names:
            if name.split(".")[0] in PROJECT_PACKAGES:
                yield name


def test_connectors_import_only_the_text_rule_of_nlu():
    imported = {(str(path.relative_to(PROJECT_ROOT)), name)
                for path in (PROJECT_ROOT / "connectors").rglob("*.py") for name in project_imports(path)}
    assert {name for _, name in imported} == {"nlu.text"}, sorted(imported)
