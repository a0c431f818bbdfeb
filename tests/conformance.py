"""The conformance index: which tests carry ``@pytest.mark.clause(...)`` for which clause row, and
docs/conformance.md generated from that and the rows of :mod:`tests.clauses`.

The markers are read from the source (the AST of every ``tests/**/*.py``), not by importing or collecting
the tests: it takes a fraction of a second and needs no database, browser or media library. To keep that
honest, the reader accepts the marker only where pytest applies it to tests:

- a decorator of a ``test*`` function, a ``Test*`` class or a method of one;
- the module's or a ``Test*`` class's ``pytestmark`` (the marker alone, or in a list or tuple).

Any other ``mark.clause(...)`` (in ``pytest.param(marks=...)``, a helper, a fixture) is reported as a
problem, so a marker the index cannot see never passes silently. Arguments must be literal strings.

    .venv/bin/python -m tests.conformance          # rewrite docs/conformance.md
    .venv/bin/python -m tests.conformance --check  # exit 1 if it is out of date
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tests.clauses import CLAUSES, Clause, id_problem

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "conformance.md"


@dataclass
class Index:
    """What the markers say: clause id → the tests marked with it, and what could not be read."""

    tests: dict[str, set[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def of(self, clause: str) -> list[str]:
        return sorted(self.tests.get(clause, ()))


def _is_clause_call(node: ast.AST) -> bool:
    """``pytest.mark.clause(...)`` or ``mark.clause(...)``."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "clause"):
        return False
    owner = node.func.value
    return (isinstance(owner, ast.Attribute) and owner.attr == "mark") or (isinstance(owner, ast.Name)
                                                                          and owner.id == "mark")


def _marks_in(value: ast.expr) -> Iterator[ast.Call]:
    """The clause markers of a ``pytestmark`` value: the marker itself, or the items of a list or tuple."""
    items = value.elts if isinstance(value, (ast.List, ast.Tuple)) else [value]
    for item in items:
        if _is_clause_call(item):
            assert isinstance(item, ast.Call)
            yield item


def _pytestmark(statement: ast.stmt) -> ast.expr | None:
    if isinstance(statement, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "pytestmark"
                                                 for t in statement.targets):
        return statement.value
    if (isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name)
            and statement.target.id == "pytestmark" and statement.value is not None):
        return statement.value
    return None


def _placed(body: Iterable[ast.stmt], prefix: str) -> Iterator[tuple[ast.Call, str]]:
    """Every clause marker pytest applies in ``body``, with the node id it applies to."""
    for statement in body:
        value = _pytestmark(statement)
        if value is not None:
            for call in _marks_in(value):
                yield call, prefix
        elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)) and statement.name.startswith("test"):
            for decorator in statement.decorator_list:
                if _is_clause_call(decorator):
                    assert isinstance(decorator, ast.Call)
                    yield decorator, f"{prefix}::{statement.name}"
        elif isinstance(statement, ast.ClassDef) and statement.name.startswith("Test"):
            node_id = f"{prefix}::{statement.name}"
            for decorator in statement.decorator_list:
                if _is_clause_call(decorator):
                    assert isinstance(decorator, ast.Call)
                    yield decorator, node_id
            yield from _placed(statement.body, node_id)


def read_file(path: Path, root: Path, index: Index) -> None:
    """Adds the markers of one file to ``index``; misplaced or malformed ones become problems."""
    relative = path.relative_to(root).as_posix()
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=relative)
    placed = list(_placed(tree.body, relative)) if path.name.startswith("test_") else []
    seen = {id(call) for call, _ in placed}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _is_clause_call(node) and id(node) not in seen:
            index.problems.append(f"{relative}:{node.lineno}: a clause marker the index cannot read: put it on a "
                                  "test function or class, or in the module's pytestmark")
    for call, node_id in placed:
        where = f"{relative}:{call.lineno}"
        if call.keywords or not call.args:
            index.problems.append(f"{where}: clause(...) takes one or more clause ids and nothing else")
        for argument in call.args:
            if not (isinstance(argument, ast.Constant) and isinstance(argument.value, str)):
                index.problems.append(f"{where}: clause ids must be literal strings")
                continue
            problem = id_problem(argument.value)
            if problem:
                index.problems.append(f"{where}: {problem}")
            else:
                index.tests.setdefault(argument.value, set()).add(node_id)


def read_markers(root: Path = ROOT) -> Index:
    index = Index()
    for path in sorted((root / "tests").rglob("*.py")):
        read_file(path, root, index)
    return index


# ---- the rules the index test enforces ----------------------------------------------------------


def row_problems(index: Index, clauses: Iterable[Clause] = CLAUSES) -> list[str]:
    """Rows without a marked test (unless listed as not yet built), and "not yet" rows that now have one."""
    problems = []
    for clause in clauses:
        marked = index.of(clause.id)
        if clause.status == "not yet":
            if not clause.left or not clause.issues:
                problems.append(f"{clause.id}: a row listed as not yet built needs its reason and its issue")
            if marked:
                problems.append(f"{clause.id}: listed as not yet built, but {len(marked)} tests carry its marker "
                                "(make it partial or done in tests/clauses.py)")
        elif not marked:
            problems.append(f"{clause.id}: no test carries @pytest.mark.clause({clause.id!r}) (mark the tests that "
                            "exercise it, or list the row as not yet built with its issue in tests/clauses.py)")
        if clause.status == "partial" and not clause.left:
            problems.append(f"{clause.id}: a partial row says what is left")
    return problems


# ---- docs/conformance.md -------------------------------------------------------------------------


def _status(clause: Clause) -> str:
    issues = ", ".join(f"issue {n}" for n in clause.issues)
    return clause.status if clause.status == "done" else f"{clause.status} ({issues or 'no issue yet'})"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render(index: Index, clauses: Iterable[Clause] = CLAUSES) -> str:
    rows = list(clauses)
    counts = {status: sum(1 for c in rows if c.status == status) for status in ("done", "partial", "not yet")}
    lines = [
        "# Conformance index: T/BHRCA 0001—2024《直播带岗服务》",
        "",
        "<!-- Generated by `.venv/bin/python -m tests.conformance` from tests/clauses.py and the tests' "
        "`clause` markers. Do not edit by hand. -->",
        "",
        "Every row of the standard's clause map (`../shared/spec/STANDARD.md`; the rows are kept in "
        "`tests/clauses.py`), the feature that meets it, its status and the tests that carry its marker, "
        "`@pytest.mark.clause(\"<id>\")` (ids as in the clause map: `\"4.4.1 a\"`, `\"5.1.3 d\"`). "
        "`tests/foundation/test_conformance_index.py` fails when a row has no marked test (unless it is listed "
        "as not yet built, with its issue), when a marker names a clause that is not a row, and when this file "
        "differs from what `.venv/bin/python -m tests.conformance` writes. Run that command after marking tests "
        "or changing a row. A marked test exercises the clause's behaviour; it does not prove that the whole "
        "clause is met: the status column says that. A module marked as a whole counts once in the "
        "\"marked tests\" column.",
        "",
        f"Rows: {len(rows)} · done {counts['done']} · partial {counts['partial']} · not yet {counts['not yet']}.",
        "",
        "| clause | duty | feature | status | marked tests |",
        "|---|---|---|---|---|",
    ]
    for clause in rows:
        lines.append(f"| {clause.id} | {_cell(clause.duty)} | {_cell(clause.feature)} | {_status(clause)} | "
                     f"{len(index.of(clause.id))} |")
    lines += ["", "## Rows, what is left, and their tests", ""]
    for clause in rows:
        lines += [f"### {clause.id}: {clause.duty}", "", f"- Status: {_status(clause)}."]
        if clause.left:
            label = {"done": "Note", "partial": "Left", "not yet": "Not built"}[clause.status]
            lines.append(f"- {label}: {clause.left}.")
        marked = index.of(clause.id)
        if marked:
            lines.append("- Tests:")
            lines += [f"  - `{test}`" + ("" if "::" in test else " (whole module)") for test in marked]
        else:
            lines.append("- Tests: none yet.")
        lines.append("")
    gaps = [c for c in rows if c.status == "not yet"]
    lines += ["## Not yet built", ""]
    lines += [f"- {c.id} ({c.duty}): {c.left}; {', '.join(f'issue {n}' for n in c.issues)}." for c in gaps] or ["None."]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    index = read_markers()
    for problem in index.problems + row_problems(index):
        print(problem, file=sys.stderr)
    text = render(index)
    if argv[1:] == ["--check"]:
        if DOC.read_text(encoding="utf-8") != text:
            print("docs/conformance.md is out of date: run .venv/bin/python -m tests.conformance", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(text, encoding="utf-8")
    print(f"wrote {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
