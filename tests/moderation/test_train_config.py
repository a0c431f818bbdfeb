"""What the trainer reads and how it cuts (issue 14, round 11): one ``Config`` for the shipped model, varied by
the development driver (``bench.learned_dev``), which leaves the spent batches it measures out of training."""

from __future__ import annotations

import pytest

from bench.corpus import validation_batches
from bench.learned_dev import CONFIGS, DEV_BATCHES
from moderation.tools.threshold import choose
from moderation.tools.train import (
    CUT_RULES,
    TRAINING_LINES,
    TRAINING_LINES_ROUND9,
    Config,
    Row,
    rules_view,
    validation_train_lines,
)

pytestmark = pytest.mark.clause("5.1.3 d")


def _texts(rows: list[str]) -> set[str]:
    return {row.split("\t")[4] for row in rows}


def test_a_config_reads_its_batches_and_training_files_only() -> None:
    batches = validation_batches()
    eight = validation_train_lines(Config(batches=("8",), training=()))
    assert _texts(eight) == {x.text for x in batches[8]}
    assert all(row.endswith("\ttrain") for row in eight)
    with_round9 = validation_train_lines(Config(batches=("8",), training=(TRAINING_LINES_ROUND9,)))
    assert len(with_round9) == len(eight) + 92


def test_the_shipped_model_is_the_configuration_the_development_protocol_measured() -> None:
    """Batches 8 and 10-12 are spent but stay out of the shipped model: the development driver measures on them
    (round 11: a model trained on every batch put the adversarial set under its goal). The shipped model reads
    the rounds 5-8 training lines and cuts by the model's own 1 % of each kind of clean line: with round 11's rules
    the cuts that credit the rules, or budget hand-written lines only, held "请加班的时候注意安全"."""
    shipped = Config()
    assert shipped == CONFIGS["main-data"]
    assert not {str(n) for n in DEV_BATCHES} & set(shipped.batches)
    assert shipped.training == (TRAINING_LINES,)
    assert CUT_RULES[shipped.rule] is choose


def test_development_configs_never_train_on_the_batches_they_measure() -> None:
    dev = {x.text for n in DEV_BATCHES for x in validation_batches()[n]}
    for name, config in CONFIGS.items():
        assert not {str(n) for n in DEV_BATCHES} & set(config.batches), name
        assert not _texts(validation_train_lines(config)) & dev, name


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
