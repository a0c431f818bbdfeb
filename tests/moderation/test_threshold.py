"""The learned stage's threshold rule (issue 14, sixth round): a quantile of pooled out-of-fold clean scores."""

from __future__ import annotations

from moderation.tools.threshold import (
    CLEAN_BUDGET,
    FILTER_BUDGET,
    FOLDS,
    MIN_THRESHOLD,
    Scored,
    choose,
    choose_filter,
    choose_model_hand,
    cut,
    filter_cut,
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
    assert all(
        MIN_THRESHOLD <= t < 1 for t in (*moves.per_fold, *moves.leave_one_out, moves.without_top_line)
    )
    assert "leave one fold out" in moves.describe()


def test_filter_cut_counts_the_rules_flags_against_the_budget() -> None:
    """Rules + model within the goal: lines the rules flag spend the budget first, lines they read and cleared
    spend none (the model never looks at them), and only open lines above the cut are held."""
    open_ = [Scored(0.80 + 0.19 * i / 99, 0, True, "open") for i in range(100)]  # 0.80 .. 0.99
    read = [Scored(0.999, 0, True, "read") for _ in range(100)]  # high scores the model never acts on
    alone = filter_cut([*open_, *read], 0.02)  # 4 of 200 may be flagged: the model holds the top four open
    assert sum(1 for s in open_ if s.probability >= alone) == 4
    flagged = [Scored(0.1, 0, True, "flagged"), Scored(0.1, 0, True, "flagged")]
    with_rules = filter_cut([*open_, *read[:98], *flagged], 0.02)  # the rules spend two of the four
    assert sum(1 for s in open_ if s.probability >= with_rules) == 2
    spent = filter_cut([*open_[:10], *(Scored(0.1, 0, True, "flagged") for _ in range(10))], 0.02)
    assert all(s.probability < spent < 1 for s in open_[:10])  # the rules spent it all: the model holds none
    assert filter_cut([Scored(0.95, 0, True, "read")], 0.02) == MIN_THRESHOLD  # nothing open: the floor


def test_choose_filter_budgets_hand_written_lines_only_by_default() -> None:
    """One template family is a dozen near-copies scoring alike: the real bar is hand-written lines (≤ 2 %)."""
    family = [
        Scored(0.999, 0, False) for _ in range(14)
    ]  # one family over the cut: 2 % of 700 templated lines
    templated = [*family, *(Scored(0.5, 0, False) for _ in range(686))]
    hand = [Scored(0.8 + 0.19 * i / 199, i % FOLDS, True) for i in range(200)]
    threshold = choose_filter([*templated, *hand])
    assert threshold == filter_cut(hand, FILTER_BUDGET[True]) < 0.999
    assert sum(1 for s in hand if s.probability >= threshold) <= FILTER_BUDGET[True] * len(hand)
    both = choose_filter([*templated, *hand], {False: 0.01, True: 0.02})  # budgeting the family too
    assert both > 0.999


def test_choose_model_hand_does_not_credit_the_rules_flags() -> None:
    """The model alone holds at most 1 % of the hand-written clean lines, whatever the rules flag: on the lines
    they were tuned on the rules flag almost nothing, on fresh ones 2-4 % (batches 9-12 at their rounds' start)."""
    open_ = [Scored(0.99 - i * 0.001, 0, True) for i in range(100)]
    read = [Scored(0.999, 0, True, "read") for _ in range(100)]  # never held: not ranked
    cut = choose_model_hand([*open_, *read])
    assert sum(1 for s in open_ if s.probability >= cut) == 2  # 1 % of 200 hand-written lines
    flagged = [Scored(0.1, 0, True, "flagged") for _ in range(100)]
    assert choose_model_hand([*open_, *flagged]) == cut  # the rules' flags neither spend nor widen the share
    templated = [Scored(0.9999, 0, False) for _ in range(50)]
    assert choose_model_hand([*open_, *read, *templated]) == cut  # templated lines are not budgeted
    assert choose_model_hand([Scored(0.95, 0, True, "read")]) == MIN_THRESHOLD
