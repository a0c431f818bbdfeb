"""bench.same_decisions: counts differences per set and never shows a held-out decision."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.same_decisions import compare, held_out


def _write(path: Path, sets: dict[str, list[str]]) -> Path:
    path.write_text(json.dumps(sets), encoding="utf-8")
    return path


def test_counts_differences_and_hides_held_out_sets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = _write(
        tmp_path / "a.json", {"corpus-train": ["x", "y"], "corpus-test": ["h1", "h2"], "batch-3": ["s1"]}
    )
    b = _write(
        tmp_path / "b.json", {"corpus-train": ["x", "z"], "corpus-test": ["h1", "SECRET"], "batch-3": ["s2"]}
    )
    assert compare(a, b) == 3
    out = capsys.readouterr().out
    assert "corpus-train: 2 decisions, 1 different" in out and "-> z" in out
    assert "corpus-test: 2 decisions, 1 different" in out and "SECRET" not in out
    assert "batch-3: 1 decisions, 1 different" in out and "s2" not in out


def test_held_out_sets() -> None:
    assert held_out("corpus-test") and held_out("batch-14") and held_out("batch-1")
    assert (
        not held_out("corpus-dev")
        and not held_out("adversarial")
        and not held_out("moderation_training_lines.tsv")
    )


def test_different_sets_refused(tmp_path: Path) -> None:
    a = _write(tmp_path / "a.json", {"corpus-train": ["x"]})
    b = _write(tmp_path / "b.json", {"corpus-dev": ["x"]})
    with pytest.raises(SystemExit):
        compare(a, b)
