"""The actions package as a whole: its modules import one another without a circle
(deferred imports inside functions count too: they only hide one), the types
stand alone, and importing any module by itself, as rasa-sdk does, works."""
import ast
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Set

from tests.conftest import PROJECT_ROOT

ACTIONS = PROJECT_ROOT / "actions"
STANDALONE = ("handoff_types",)


def imported_actions_modules(path: Path) -> Set[str]:
    """The actions modules a file imports, at top level or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module == "actions":
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("actions."):
            found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("actions."))
    return found - {path.stem}


def import_graph() -> Dict[str, Set[str]]:
    return {path.stem: imported_actions_modules(path) for path in sorted(ACTIONS.glob("*.py"))}


def a_cycle(graph: Dict[str, Set[str]]) -> List[str]:
    """One import circle as a path (first module repeated at the end), or []."""
    finished: Set[str] = set()

    def visit(module: str, trail: List[str]) -> List[str]:
        if module in trail:
            return trail[trail.index(module):] + [module]
        if module in finished:
            return []
        for imported in sorted(graph.get(module, ())):
            cycle = visit(imported, trail + [module])
            if cycle:
                return cycle
        finished.add(module)
        return []

    for module in graph:
        cycle = visit(module, [])
        if cycle:
            return cycle
    return []


def test_the_cycle_finder_finds_a_circle_and_only_a_circle():
    assert a_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert a_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) == []


def test_no_import_cycle_among_the_actions_modules():
    graph = import_graph()
    assert {"handoff_store", "handoff_outbox", "routing_client", "relay"} <= set(graph)
    assert a_cycle(graph) == [], " -> ".join(a_cycle(graph))


def test_the_types_import_nothing_else_of_actions():
    graph = import_graph()
    for module in STANDALONE:
        assert graph[module] == set(), f"{module} imports {graph[module]}"


def test_test_fakes_live_under_tests_not_in_production_code():
    for path in ACTIONS.glob("*.py"):
        classes = [node.name for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                   if isinstance(node, ast.ClassDef)]
        assert not [name for name in classes if name.startswith(("InMemory", "Fake"))], path.name


def test_every_module_imports_alone_in_a_fresh_interpreter():
    for path in sorted(ACTIONS.glob("*.py")):
        result = subprocess.run([sys.executable, "-c", f"import actions.{path.stem}"], cwd=PROJECT_ROOT,
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, f"{path.stem}: {result.stderr[-2000:]}"
