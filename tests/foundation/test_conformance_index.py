"""The conformance index (issue 13): every clause row of the standard has a test marked
``@pytest.mark.clause(...)`` or is listed as not yet built with its issue; markers name rows only; and
docs/conformance.md is what ``python -m tests.conformance`` generates (tests/conformance.py explains how
the markers are read)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from tests.clauses import BY_ID, CLAUSE_ID, CLAUSES, id_problem
from tests.conformance import DOC, ROOT, Index, read_file, read_markers, render, row_problems


def test_every_clause_row_has_a_marked_test_unless_it_is_a_named_gap() -> None:
    index = read_markers()
    assert not index.problems, "\n".join(index.problems)
    assert not row_problems(index), "\n".join(row_problems(index))


def test_the_rows_are_the_clause_map() -> None:
    assert len(CLAUSES) == 23, "the standard's clause map has 23 rows (../shared/spec/STANDARD.md)"
    assert not [id for id, n in Counter(c.id for c in CLAUSES).items() if n > 1]
    for clause in CLAUSES:
        assert CLAUSE_ID.fullmatch(clause.id), clause.id
        assert clause.status in ("done", "partial", "not yet") and clause.duty and clause.feature, clause.id
    # the gaps only shrink: a row becoming "not yet" has to change this line too
    assert {c.id for c in CLAUSES if c.status == "not yet"} <= {"6.1", "6.2"}


def test_docs_conformance_is_generated_from_the_rows_and_the_markers() -> None:
    assert DOC.read_text(encoding="utf-8") == render(read_markers()), \
        "docs/conformance.md is out of date: run .venv/bin/python -m tests.conformance"


def test_ids_have_one_normal_form() -> None:
    assert id_problem("5.1.3 d") is None and id_problem("3.1") is None and id_problem("4.4.2") is None
    for written in ("5.1.3d", "5.1.3(d)", "5.1.3 D", " 5.1.3 d", "5.1.3（d）"):
        assert "write '5.1.3 d'" in (id_problem(written) or ""), written
    assert "not a row" in (id_problem("4.2.3") or "")  # a clause of the text the map leaves out
    assert "not a clause id" in (id_problem("S1") or "")
    assert "string" in (id_problem(513) or "")


def _index_of(tmp_path: Path, source: str, name: str = "test_sample.py") -> Index:
    path = tmp_path / "tests" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    index = Index()
    read_file(path, tmp_path, index)
    return index


def test_the_reader_finds_every_placement_pytest_applies(tmp_path: Path) -> None:
    index = _index_of(tmp_path, """
        import pytest
        from pytest import mark

        pytestmark = [pytest.mark.slow, pytest.mark.clause("5.2")]

        @pytest.mark.parametrize("x", [1, 2])
        @pytest.mark.clause("3.1", "4.3.1 b")
        async def test_one(x): ...

        @mark.clause("5.1.4")
        class TestOffice:
            pytestmark = pytest.mark.clause("5.1.2")

            @pytest.mark.clause("4.4.1 b")
            def test_inbox(self): ...
        """)
    assert not index.problems
    assert {clause: sorted(tests) for clause, tests in index.tests.items()} == {
        "5.2": ["tests/test_sample.py"],
        "3.1": ["tests/test_sample.py::test_one"],
        "4.3.1 b": ["tests/test_sample.py::test_one"],
        "5.1.4": ["tests/test_sample.py::TestOffice"],
        "5.1.2": ["tests/test_sample.py::TestOffice"],
        "4.4.1 b": ["tests/test_sample.py::TestOffice::test_inbox"],
    }


def test_the_reader_refuses_unknown_malformed_and_unreadable_markers(tmp_path: Path) -> None:
    index = _index_of(tmp_path, """
        import pytest

        IDS = ("5.2",)

        @pytest.mark.clause("5.1.3d")
        def test_a(): ...

        @pytest.mark.clause("9.9 z", "5.1.5")
        def test_b(): ...

        @pytest.mark.clause(*IDS)
        def test_c(): ...

        @pytest.mark.clause()
        def test_d(): ...

        @pytest.fixture
        @pytest.mark.clause("5.2")
        def helper(): ...

        @pytest.mark.parametrize("x", [pytest.param(1, marks=pytest.mark.clause("5.2"))])
        def test_e(x): ...
        """)
    problems = "\n".join(index.problems)
    assert "write '5.1.3 d'" in problems and "'9.9 z' is not a row" in problems
    assert "literal strings" in problems and "one or more clause ids" in problems
    assert problems.count("a clause marker the index cannot read") == 2, problems  # the fixture, the param
    assert index.tests == {"5.1.5": {"tests/test_sample.py::test_b"}}
    helper = _index_of(tmp_path, "import pytest\n\npytestmark = pytest.mark.clause('5.2')\n", "helpers.py")
    assert helper.tests == {} and "cannot read" in helper.problems[0]  # not a test module


def test_a_row_that_loses_its_last_marked_test_fails_and_a_gap_that_gains_one_too() -> None:
    index = read_markers()
    assert index.of("5.1.5")
    without = Index({clause: tests for clause, tests in index.tests.items() if clause != "5.1.5"}, [])
    assert [p.split(":")[0] for p in row_problems(without)] == ["5.1.5"]
    gap = replace(BY_ID["6.1"], feature="none yet", status="not yet", left="no ratings", issues=(13,))
    assert row_problems(Index(), [gap]) == []
    gained = Index({"6.1": {"tests/x.py::test_rating"}}, [])
    assert [p.split(":")[0] for p in row_problems(gained, [gap])] == ["6.1"]
    assert row_problems(gained, [gap])[0].startswith("6.1: listed as not yet built")
    unexplained = [replace(gap, issues=())]
    assert row_problems(Index(), unexplained) == ["6.1: a row listed as not yet built needs its reason and its issue"]


PROBE = """
import json, os

def pytest_collection_modifyitems(items):
    with open(os.environ["CLAUSE_PROBE_OUT"], "w", encoding="utf-8") as out:
        for item in items:
            marks = sorted({arg for mark in item.iter_markers("clause") for arg in mark.args})
            out.write(json.dumps([item.nodeid, marks]) + "\\n")
"""

#: Files that between them use every placement: module pytestmark (alone and in a list declared after
#: helpers), per-test decorators stacked with other marks, parametrised tests.
PROBED = ("tests/governance/test_complaints.py", "tests/recruiting/test_pure.py", "tests/recruiting/test_durability.py")


@pytest.mark.slow
def test_the_source_reader_agrees_with_pytests_own_collection(tmp_path: Path) -> None:
    """What the AST reader says is what pytest applies: each collected test of the probed files carries
    exactly the clauses that the reader's entries for its module, class or function give it."""
    (tmp_path / "clause_probe.py").write_text(PROBE, encoding="utf-8")
    out = tmp_path / "collected.jsonl"
    environ = {key: value for key, value in os.environ.items() if key != "PYTEST_ADDOPTS"}
    environ |= {"PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)]), "CLAUSE_PROBE_OUT": str(out)}
    done = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "clause_probe",
                           "-p", "no:cacheprovider", *PROBED], cwd=ROOT, env=environ, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    collected = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(collected) > 20
    index = read_markers()
    for node_id, marks in collected:
        base = node_id.split("[", 1)[0]
        expected = sorted(clause for clause, entries in index.tests.items()
                          if any(base == entry or base.startswith(entry + "::") for entry in entries))
        assert marks == expected, node_id

