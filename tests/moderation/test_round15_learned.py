"""Round 15, part L: batch 16 a fold of the learned stage's protocol, and the measuring set's halves."""

from __future__ import annotations

from bench import learned_lines
from bench.corpus import HELD_OUT_FROM
from bench.learned_dev import DEV_BATCHES, FOLDS, HELD_OUT, spent_batches
from moderation.tools.train import Config, weighted_lines


def test_batch_16_is_a_fold_and_the_protocol_stops_where_the_bench_does() -> None:
    assert FOLDS[-1] == (16,)
    assert max(DEV_BATCHES) == 16
    assert HELD_OUT == HELD_OUT_FROM == 17
    assert max(spent_batches()) == 16


def test_the_measuring_set_is_large_enough_and_labelled() -> None:
    lines = learned_lines.load()
    clean = [x for x in lines if x.action == "allow"]
    bad = [x for x in lines if x.action != "allow"]
    assert len(clean) >= 240 and len(bad) >= 120
    assert all(not x.categories for x in clean)
    assert all(x.categories and x.action == "review" for x in bad)
    assert len({x.text for x in lines}) == len(lines)


def test_the_halves_are_fixed_disjoint_and_balanced() -> None:
    lines = learned_lines.load()
    first, again = learned_lines.halves(lines), learned_lines.halves(lines)
    assert first == again  # one seed, one split
    dev, test = ({x.text for x in first[h]} for h in learned_lines.HALVES)
    assert not dev & test and len(dev) + len(test) == len(lines)
    for clean in (True, False):
        sizes = [sum((x.action == "allow") == clean for x in first[h]) for h in learned_lines.HALVES]
        assert abs(sizes[0] - sizes[1]) <= 1


def test_the_measuring_set_is_no_training_line_of_the_shipped_model() -> None:
    trained = {row.split("\t")[4] for row in weighted_lines(Config())[0]}
    assert not {x.text for x in learned_lines.load()} & trained
