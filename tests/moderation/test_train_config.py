"""What the trainer reads and how it cuts (issue 14, round 11): one ``Config`` for the shipped model, varied by
the development driver (``bench.learned_dev``), which leaves the spent batches it measures out of training."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bench.corpus import load, load_rows
from bench.learned_dev import CONFIGS, DEV_BATCHES, FOLDS, HELD_OUT, clean_lines, fold_config, spent_batches
from moderation.tools.threshold import choose
from moderation.tools.train import (
    CUT_RULES,
    TRAINING_LINES,
    TRAINING_LINES_ROUND9,
    TRAINING_LINES_ROUND11,
    TRAINING_LINES_ROUND13_CLEAN,
    TRAINING_LINES_ROUND14_PAIRS,
    Config,
    Row,
    rules_view,
    validation_train_lines,
    weighted_lines,
)

pytestmark = pytest.mark.clause("5.1.3 d")


def _texts(rows: list[str]) -> set[str]:
    return {row.split("\t")[4] for row in rows}


def test_a_config_reads_its_batches_and_training_files_only() -> None:
    batches = spent_batches()
    eight = validation_train_lines(Config(batches=("8",), training=()))
    assert _texts(eight) == {x.text for x in batches[8]}
    assert all(row.endswith("\ttrain") for row in eight)
    with_round9 = validation_train_lines(Config(batches=("8",), training=(TRAINING_LINES_ROUND9,)))
    assert len(with_round9) == len(eight) + 92


def test_weighted_files_add_their_lines_at_their_weight() -> None:
    plain = Config(batches=("8",), training=())
    lines, weights = weighted_lines(replace(plain, weighted=((TRAINING_LINES_ROUND11, 0.3),)))
    base = validation_train_lines(plain)
    assert lines[: len(base)] == base and weights[: len(base)] == [1.0] * len(base)
    assert len(lines) > len(base) and set(weights[len(base) :]) == {0.3}


def test_the_shipped_model_is_the_configuration_the_development_protocol_measured() -> None:
    """The shipped model reads batches 1-7 and 9 and the rounds 5-8 training lines and cuts by the model's own
    1 % of each kind of clean line (round 12: no configuration beat it by the margin asked for on writers it
    had not seen; docs/measurements/2026-12-06-moderation-round12-learned.md)."""
    shipped = Config()
    assert shipped == CONFIGS["shipped"]
    assert shipped.training == (TRAINING_LINES,)
    assert CUT_RULES[shipped.rule] is choose


def test_development_folds_never_train_on_the_batches_they_measure() -> None:
    batches = spent_batches()
    assert sorted(DEV_BATCHES) == list(range(8, HELD_OUT))
    for fold in FOLDS:
        measured = {x.text for n in fold for x in batches[n]}
        for name, config in CONFIGS.items():
            assert not _texts(validation_train_lines(fold_config(config, fold))) & measured, (name, fold)


def test_the_shipped_configurations_folds_are_two_fits() -> None:
    """Only fold (9, 12) leaves out a batch ``Config()`` reads; every other fold trains what the guards' fit trains,
    and ``bench.learned_dev.run`` fits each distinct set of lines once."""
    assert {fold_config(Config(), fold) for fold in FOLDS} == {Config(), fold_config(Config(), (9, 12))}


def test_the_held_out_batches_are_never_read() -> None:
    assert max(spent_batches()) == HELD_OUT - 1
    for config in CONFIGS.values():
        assert all(int(b) < HELD_OUT for b in config.batches)


def test_the_clean_host_lines_are_not_training_lines() -> None:
    lines = clean_lines()
    assert len(lines) >= 40
    trained = {row.split("\t")[4] for config in CONFIGS.values() for row in weighted_lines(config)[0]}
    assert not {text for _, _, text in lines} & trained


def test_the_cut_sees_what_the_rules_make_of_each_clean_line() -> None:
    """A line the rules flag spends the budget, one they read and cleared is never held, only open lines are
    the model's (``threshold.filter_cut``)."""
    lines = [
        ("host", "chat", "入职先交三百押金"),
        ("host", "chat", "我们不收押金"),
        ("host", "chat", "宿舍四人一间"),
    ]
    rows = [
        Row("employer", text, True, [], [], 0.0, [], (role, context, text)) for role, context, text in lines
    ]
    assert [rules_view(rows)[r.line] for r in rows] == ["flagged", "read", "open"]


def test_the_ordinary_lines_of_round_13_are_clean_train_lines_no_measure_holds() -> None:
    """Helper C's ordinary lines train the model only if they are no line it is measured on: not the corpus's,
    not a spent batch's, not a guard line."""
    rows = load_rows(TRAINING_LINES_ROUND13_CLEAN.read_text(encoding="utf-8").splitlines())
    assert len(rows) >= 600
    assert all(x.action == "allow" and not x.categories and x.split == "train" for x in rows)
    measured = {x.text for x in load()} | {x.text for b in spent_batches().values() for x in b}
    measured |= {text for _, _, text in clean_lines()}
    assert not {x.text for x in rows} & measured


def test_the_contrastive_pairs_of_round_14_are_a_lawful_line_then_a_violating_neighbour() -> None:
    """Each pair teaches the difference, not the topic: a clean line, then a violation sharing its subject; no text
    is a line the model is measured on (corpus, spent batch, guard line)."""
    rows = load_rows(TRAINING_LINES_ROUND14_PAIRS.read_text(encoding="utf-8").splitlines())
    assert len(rows) >= 120 and len(rows) % 2 == 0
    assert all(x.source == "round14-pairs" and x.split == "train" for x in rows)
    for lawful, violating in zip(rows[::2], rows[1::2], strict=True):
        assert lawful.action == "allow" and not lawful.categories, lawful.text
        assert violating.action != "allow" and violating.categories, violating.text
    measured = {x.text for x in load()} | {x.text for b in spent_batches().values() for x in b}
    measured |= {text for _, _, text in clean_lines()}
    assert not {x.text for x in rows} & measured
