"""Pretrained language knowledge folded into the learned stage's n-gram weights (issue 14, round 13).

Why: the score is a plain sum over n-grams, so a weight that a pretrained vector gives an n-gram is just one more
line of ``model.tsv``: the server's hot path and file format stay as they are. An n-gram the fit never kept (a
new writer's 抵押金) gets ``scale * u . E[g]``, where E[g] is its vector (:mod:`moderation.tools.pretrained_vectors`)
and u a direction learned from the training lines; n-grams the fit kept keep their own weight (they are
evidence, the vector only a guess). Two ways to learn u (``Fold.method``):

- ``ridge``: regress the fitted weights of the kept n-grams on their vectors (what the fit learned, spread to
  n-grams that mean alike);
- ``message``: logistic regression of each training line's label on the sum of its n-grams' vectors (the linear
  model over summed vectors; its per-n-gram share is u . E[g]).

Only the ``limit`` largest priors (by size) of at least ``KEEP`` go in: every added n-gram shares the hashed
table's buckets with the shipped ones. Needs numpy (the ``bench`` extra) and the committed vector file; the
encoder itself is not needed here.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from moderation.decision import CATEGORIES
from moderation.learned import SideModel
from moderation.tools.pretrained_vectors import VECTORS, read


class Row(Protocol):
    """What the fold reads of the trainer's rows (``moderation.tools.train.Row``, which imports this module)."""

    @property
    def features(self) -> list[str]: ...
    @property
    def violation(self) -> float: ...
    @property
    def weight(self) -> float: ...


KEEP = 0.02  # as the trainer: smaller weights are not written
RIDGE = 10.0
MESSAGE_L2 = 1.0
NEWTON_STEPS = 12


@dataclass(frozen=True, slots=True)
class Fold:
    """How pretrained vectors reach the weights: ``method`` (ridge, message), ``scale`` on u . E[g], how many
    n-grams at most (``limit``), and whether only positive priors go in (``positive``: a new writer's violation
    wording is what is missing; a negative prior only lowers scores the fit had no evidence for)."""

    method: str = "ridge"
    scale: float = 1.0
    limit: int = 20_000
    positive: bool = False
    vectors: Path = VECTORS


@functools.cache
def _table(path: Path) -> tuple[dict[str, int], Any]:
    words, rows = read(path)
    return {w: i for i, w in enumerate(words)}, rows


def direction(model: SideModel, rows: Sequence[Row], fold: Fold) -> Any:
    """u for this side, by ``fold.method``, in the units of a per-n-gram weight."""
    import numpy as np

    index, vectors = _table(fold.vectors)
    if fold.method == "ridge":
        kept = [(index[g], w[0]) for g, w in model.weights.items() if g in index]
        x = vectors[[i for i, _ in kept]]
        y = np.array([w for _, w in kept], dtype=np.float64)
        x = np.hstack([x, np.ones((len(kept), 1), dtype=np.float32)]).astype(np.float64)
        penalty = RIDGE * np.eye(x.shape[1])
        penalty[-1, -1] = (
            0.0  # the intercept is free and then dropped: a prior has no share of the mean weight
        )
        return np.linalg.solve(x.T @ x + penalty, x.T @ y)[:-1]
    if fold.method == "message":
        return _message_direction(rows, index, vectors)
    raise ValueError(f"unknown fold method {fold.method!r}")


def _message_direction(rows: Sequence[Row], index: dict[str, int], vectors: Any) -> Any:
    """Balanced, L2-regularised logistic regression on summed n-gram vectors, by Newton steps."""
    import numpy as np

    x = np.zeros((len(rows), vectors.shape[1] + 1))
    for n, r in enumerate(rows):
        ids = [index[g] for g in r.features if g in index]
        if ids:
            x[n, :-1] = vectors[ids].sum(axis=0)
        x[n, -1] = 1.0
    y = np.array([r.violation for r in rows])
    positives = max(1.0, float(y.sum()))
    weight = np.where(y == 1.0, 1.0, positives / max(1.0, len(y) - positives)) * np.array(
        [r.weight for r in rows]
    )
    u = np.zeros(x.shape[1])
    penalty = MESSAGE_L2 * np.eye(x.shape[1])
    penalty[-1, -1] = 0.0
    for _ in range(NEWTON_STEPS):
        p = 1.0 / (1.0 + np.exp(-(x @ u)))
        gradient = x.T @ (weight * (p - y)) + penalty @ u
        hessian = (x * (weight * p * (1 - p))[:, None]).T @ x + penalty
        u -= np.linalg.solve(hessian, gradient)
    return u[:-1]


def fold_in(model: SideModel, rows: Sequence[Row], neutral: set[str], fold: Fold) -> SideModel:
    """The same model with priors for the n-grams of the vector table it did not keep."""
    import numpy as np

    index, vectors = _table(fold.vectors)
    u = direction(model, rows, fold)
    priors = fold.scale * (vectors @ u)
    order = np.argsort(-np.abs(priors))
    zeros = (0.0,) * len(CATEGORIES)
    weights = dict(model.weights)
    words = list(index)
    added = 0
    for i in order:
        prior = float(priors[i])
        if abs(prior) < KEEP or added >= fold.limit:
            break
        gram = words[i]
        if gram in weights or gram in neutral or (fold.positive and prior <= 0):
            continue
        weights[gram] = (prior, zeros)
        added += 1
    return SideModel(model.bias, model.threshold, model.categories, model.cat_bias, weights)
