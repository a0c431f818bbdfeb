"""The shape of ``recruiting/`` (issue 12): few files at its top, small modules, no import cycle.

Imports are read from the AST, those under ``if TYPE_CHECKING:`` and inside functions included:
a cycle that only the type checker sees still ties two modules together for a reader.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "recruiting"
MAX_TOP_FILES = 10
MAX_LINES = 400


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The recruiting modules ``path`` imports (``from recruiting.x import y`` names module x, or x.y
    when that is a module)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in modules)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if not node.module.startswith("recruiting"):
                continue
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                found.add(full if full in modules else node.module)
    return {name for name in found if name in modules}


def import_graph() -> dict[str, set[str]]:
    paths = {_module_name(path): path for path in ROOT.rglob("*.py")}
    modules = set(paths)
    # a package's __init__ is not an edge worth following: importing recruiting.x.y runs it, but
    # the __init__ files here hold only docstrings (checked below)
    return {name: _imports(path, modules) - {name} for name, path in paths.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*stack[stack.index(target):], target]
            if target not in state:
                cycle = visit(target)
                if cycle:
                    return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def test_no_import_cycle_inside_recruiting() -> None:
    assert find_cycle(import_graph()) is None


def test_package_inits_import_nothing() -> None:
    for init in ROOT.rglob("__init__.py"):
        tree = ast.parse(init.read_text(encoding="utf-8"))
        assert not [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)], init


def test_at_most_ten_files_at_the_top() -> None:
    files = [path.name for path in ROOT.iterdir() if path.is_file()]
    assert len(files) <= MAX_TOP_FILES, files


def test_modules_stay_small() -> None:
    long = {str(p.relative_to(ROOT)): n for p in ROOT.rglob("*.py") if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert not long


def test_the_cycle_finder_finds_one() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def _top_level_imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_recruiting_imports_no_higher_or_sibling_layer() -> None:
    """ARCHITECTURE.md §1: chat, signaling and the composition root reach recruiting, never the reverse."""
    for path in ROOT.rglob("*.py"):
        wrong = {n for n in _top_level_imports(path) if n.split(".")[0] in {"chat", "signaling", "livehire", "bench"}}
        assert not wrong, (path, wrong)


def test_the_domain_is_pure() -> None:
    """domain/ holds rules and data: no database, web, Redis or store code, and of recruiting only itself
    (and the event encoding, pure too)."""
    io = {"sqlalchemy", "aiohttp", "redis", "asyncpg", "sqlite3", "store", "prometheus_client"}
    for path in (ROOT / "domain").rglob("*.py"):
        for name in _top_level_imports(path):
            assert name.split(".")[0] not in io, (path, name)
            if name.startswith("recruiting."):
                assert name.startswith("recruiting.domain.") or name == "recruiting.events.encoding", (path, name)
