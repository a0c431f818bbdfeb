"""The learned stage's threshold rule (issue 14, sixth round): a quantile of pooled out-of-fold clean scores."""

from __future__ import annotations

from moderation.tools.threshold import (
    CLEAN_BUDGET,
    FOLDS,
    MIN_THRESHOLD,
    Scored,
    choose,
    cut,
    fold_of,
    spread,
)


def test_cut_keeps_the_budget_of_clean_lines_above_it() -> None:
    scores = [i / 1000 for i in range(1000)]  # 0.000 .. 0.999
    threshold = cut(scores, 0.01)
    assert sum(1 for s in scores if s >= threshold) == 10
    assert cut([0.1, 0.2], 0.01) == MIN_THRESHOLD  # low scores: the floor holds


def test_one_extra_high_clean_line_barely_moves_a_pooled_cut() -> None:
    """What moved the old rule: one hand-written clean line scoring near 1."""
    scores = [0.80 + 0.19 * i / 999 for i in range(1000)]
    assert abs(cut([*scores, 0.999]) - cut(scores)) < 0.001


def test_choose_keeps_both_kinds_within_budget() -> None:
    templated = [Scored(0.5 + 0.4 * i / 199, i % FOLDS, False) for i in range(200)]
    hand = [Scored(0.5 + 0.49 * i / 199, i % FOLDS, True) for i in range(200)]
    threshold = choose([*templated, *hand])
    for kind in (templated, hand):
        assert sum(1 for s in kind if s.probability >= threshold) <= CLEAN_BUDGET * len(kind)
    assert threshold == cut([s.probability for s in hand])  # the stricter kind decides


def test_folds_are_fixed_and_all_used() -> None:
    groups = [f"line {i}" for i in range(500)]
    assert [fold_of(g, 14) for g in groups] == [fold_of(g, 14) for g in groups]
    assert {fold_of(g, 14) for g in groups} == set(range(FOLDS))


def test_spread_reports_each_fold_and_each_fold_left_out() -> None:
    scored = [Scored(0.8 + 0.19 * i / 499, i % FOLDS, i % 2 == 0) for i in range(500)]
    moves = spread(scored)
    assert len(moves.per_fold) == len(moves.leave_one_out) == FOLDS
    assert all(MIN_THRESHOLD <= t < 1 for t in (*moves.per_fold, *moves.leave_one_out, moves.without_top_line))
    assert "leave one fold out" in moves.describe()
