"""The learned stage's threshold, chosen on out-of-fold scores (issue 14, sixth round).

Why: a threshold picked on the few highest-scoring clean dev lines moved whenever one hand-written line
was added. Here every clean line of train + dev is scored by a model that did not see its fold, and the
cut is a quantile of those pooled scores: many lines decide it, not two or three. Folds split by group
(a corpus template family, or one hand-written line), so a fold's lines are wording the scoring model has
not seen, as live chat's are.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

FOLDS = 5
#: Share of clean lines the model alone may hold, on out-of-fold scores, for templated and for
#: hand-written lines each (half the filter's clean-flagged goal: the rules flag some too).
CLEAN_BUDGET = 0.01
#: The model holds only what it is fairly sure of: a side with few clean lines could otherwise get a low cut,
#: and then one strong n-gram ("sb" in "usb") holds harmless lines.
MIN_THRESHOLD = 0.8


def fold_of(group: str, seed: int) -> int:
    """The fold of a group, by a fixed hash: the same lines land in the same fold on every run."""
    return int(hashlib.sha256(f"{seed}:fold:{group}".encode()).hexdigest()[:8], 16) % FOLDS


def cut(scores: Sequence[float], budget: float = CLEAN_BUDGET) -> float:
    """The lowest threshold at which at most ``budget`` of these clean lines' scores lie (≥ MIN_THRESHOLD)."""
    ranked = sorted(scores, reverse=True)
    allowed = int(budget * len(ranked))
    return max(MIN_THRESHOLD, ranked[allowed] + 1e-4 if allowed < len(ranked) else MIN_THRESHOLD)


@dataclass(frozen=True, slots=True)
class Scored:
    """One clean line's out-of-fold probability, its fold, whether it was written by hand, and what the rules
    made of it: "open" (they saw nothing: the model decides), "read" (read and cleared: the model never looks)
    or "flagged" (they flag it themselves)."""

    probability: float
    fold: int
    hand: bool
    rules: str = "open"


def choose(scored: Sequence[Scored]) -> float:
    """The cut that keeps both kinds of clean line (templated, hand-written) within the budget."""
    kinds = [[s.probability for s in scored if s.hand == hand] for hand in (False, True)]
    return max(cut(k) for k in kinds if k)


#: Shares of clean lines the whole filter (rules + model) may flag: the real bar of issue 14 is fresh
#: hand-written lines (≤ 2 %). Templated lines are not budgeted: one template family is a dozen near-copies that
#: score alike out of fold, so one family over the cut spent a 1 % budget alone (the test split, templated,
#: stays a guard that is measured).
FILTER_BUDGET = {True: 0.02}


def filter_cut(scores: Sequence[Scored], budget: float) -> float:
    """The lowest cut at which the rules' flags plus the model's holds (only on lines the rules saw nothing in)
    stay within ``budget`` of these clean lines (≥ MIN_THRESHOLD; when the rules alone spend it, above every
    open line)."""
    return _open_cut(scores, max(0, int(budget * len(scores)) - sum(1 for s in scores if s.rules == "flagged")))


def _open_cut(scores: Sequence[Scored], left: int) -> float:
    """The lowest cut above all but ``left`` of the lines the rules saw nothing in (the only ones the model can
    hold); ≥ MIN_THRESHOLD, and above every open line when none is left."""
    ranked = sorted((s.probability for s in scores if s.rules == "open"), reverse=True)
    return MIN_THRESHOLD if left >= len(ranked) else min(0.9999, max(MIN_THRESHOLD, ranked[left] + 1e-4))


def choose_model_hand(scored: Sequence[Scored], budget: float = CLEAN_BUDGET) -> float:
    """The cut at which the model alone holds at most ``budget`` of the hand-written clean lines (only lines the
    rules saw nothing in can be held). The rules' own flags are not credited: on the training lines they were
    tuned on they flag almost nothing, on fresh lines ≈ 3 %, so crediting them let each round of rules widen
    the model's share (round 11: the employer cut fell to 0.965 and held "请加班的时候注意安全")."""
    hand = [s for s in scored if s.hand]
    return _open_cut(hand, int(budget * len(hand))) if hand else MIN_THRESHOLD


def choose_filter(scored: Sequence[Scored], budgets: dict[bool, float] = FILTER_BUDGET) -> float:
    """The cut that keeps rules + model within ``budgets`` of each budgeted kind of clean line (hand-written:
    True, templated: False)."""
    kinds = {hand: [s for s in scored if s.hand == hand] for hand in budgets}
    return max((filter_cut(k, budgets[hand]) for hand, k in kinds.items() if k), default=MIN_THRESHOLD)


@dataclass(frozen=True, slots=True)
class Spread:
    """How much the rule moves: the cut from each fold's lines alone, with each fold left out, and
    without the single highest-scoring clean line (what moved the old rule)."""

    per_fold: tuple[float, ...]
    leave_one_out: tuple[float, ...]
    without_top_line: float

    def describe(self) -> str:
        def span(xs: tuple[float, ...]) -> str:
            return f"{min(xs):.3f}-{max(xs):.3f}"

        return (f"per fold {span(self.per_fold)}, leave one fold out {span(self.leave_one_out)}, "
                f"without the top clean line {self.without_top_line:.3f}")  # fmt: skip


def spread(scored: Sequence[Scored], pick: Callable[[Sequence[Scored]], float] = choose) -> Spread:
    ranked = sorted(scored, key=lambda s: -s.probability)
    return Spread(
        tuple(pick([s for s in scored if s.fold == k]) for k in range(FOLDS)),
        tuple(pick([s for s in scored if s.fold != k]) for k in range(FOLDS)),
        pick(ranked[1:]),
    )
