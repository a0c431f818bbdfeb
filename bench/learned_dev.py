"""The learned stage's development protocol (issue 14, round 11): ``python -m bench.learned_dev NAME...``.

Why: round 9 judged each retraining on one batch of about 136 lines, and the cut moved more than the n-grams
did. Here one fit per configuration leaves the spent validation batches 8, 10, 11 and 12 out of training, and
rules + model are measured on those four pooled (about 540 lines) and per batch. The test split and the
adversarial set are guards: aggregates only, never a line. Each configuration is judged under both cut rules
(``moderation.tools.threshold``: the model's 1 % alone, and rules + model within the goals), from the same fit.
One JSON line per configuration on stdout; a fit takes two to three minutes on a free core.
"""

from __future__ import annotations

import contextlib
import functools
import json
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace

from bench.corpus import Line, load, validation_batches
from bench.moderation import adversarial
from moderation import learned
from moderation.engine import Moderator
from moderation.learned import Model
from moderation.tools import train as trainer
from moderation.tools.threshold import Scored, choose, choose_filter, choose_model_hand
from moderation.tools.train import TRAINING_LINES, TRAINING_LINES_ROUND9, TRAINING_LINES_ROUND11, Config

DEV_BATCHES = (8, 10, 11, 12)
ALL_BATCHES = tuple(str(n) for n in range(1, 13))
DEV_TRAIN = tuple(b for b in ALL_BATCHES if int(b) not in DEV_BATCHES)
BOTH_FILES = (TRAINING_LINES, TRAINING_LINES_ROUND9)
BASE = Config(batches=DEV_TRAIN, training=BOTH_FILES)
CONFIGS: dict[str, Config] = {
    # what round 8's model read (batches 1-7 and 9, no round 9 lines); shipped (cut "model-1%")
    "main-data": Config(batches=DEV_TRAIN, training=(TRAINING_LINES,)),
    "more-data": BASE,  # + the round 9 training lines (round 11's branch, cut "filter-hand")
    "epochs-20": replace(BASE, epochs=20),
    "epochs-5": replace(BASE, epochs=5),
    "l2-3e-4": replace(BASE, l2=3e-4),
    "l2-3e-3": replace(BASE, l2=3e-3),
    "clean-x2": replace(BASE, clean_weight=2.0),
    "clean-x0.5": replace(BASE, clean_weight=0.5),
    "round11-lines": replace(BASE, training=(*BOTH_FILES, TRAINING_LINES_ROUND11)),  # + round 11's 1,435 lines
}


#: Cut rules judged from each fit: the model's 1 % alone (shipped until round 11), rules + model within the
#: goals for both kinds of clean line (1 % templated, 2 % hand-written), within 2 % of hand-written ones only, and
#: the model alone within 1 % of the hand-written ones.
RULES: dict[str, Callable[[Sequence[Scored]], float]] = {
    "model-1%": choose,  # shipped
    "filter-goals": lambda scored: choose_filter(scored, {False: 0.01, True: 0.02}),
    "filter-hand": choose_filter,
    "model-hand": choose_model_hand,
}


def _grams_234(folded: str) -> list[str]:
    text = folded.translate(learned.DIGITS_TO_ZERO)
    return [text[i : i + n] for n in (2, 3, 4) for i in range(len(text) - n + 1)]


_GRAMS = learned.grams  # the shipped features, kept: ``features`` swaps the module's name


def _grams_gapped(folded: str) -> list[str]:
    text = folded.translate(learned.DIGITS_TO_ZERO)
    return [*_GRAMS(folded), *(text[i] + "_" + text[i + 2] for i in range(len(text) - 2))]


_LATIN = str.maketrans({c: "@" for c in "abcdefghijklmnopqrstuvwxyz"})


def _grams_latin_class(folded: str) -> list[str]:
    """The shipped n-grams plus, for each one holding a Latin letter, its copy with every letter as "@"."""
    base = _GRAMS(folded)
    return [*base, *(g.translate(_LATIN) for g in base if g != g.translate(_LATIN))]


#: Feature sets tried with the Python scorer only (the C scorer sums 2- and 3-grams): "<config>+<features>".
FEATURES: dict[str, Callable[[str], list[str]]] = {
    "g234": _grams_234,
    "gapped": _grams_gapped,
    "latin": _grams_latin_class,
}


@contextlib.contextmanager
def features(name: str | None) -> Iterator[None]:
    """Swap the n-gram function of the trainer and of the Python scorer for one run."""
    if name is None:
        yield
        return
    saved = learned.grams
    for module in (learned, trainer):
        module.__dict__["grams"] = FEATURES[name]
    try:
        yield
    finally:
        for module in (learned, trainer):
            module.__dict__["grams"] = saved


def counts(moderator: Moderator, lines: Sequence[Line]) -> dict[str, object]:
    """Violations caught (every labelled category flagged) and clean lines flagged, as bench.moderation counts."""
    caught = flagged = violations = 0
    for x in lines:
        got = set(moderator.moderate(x.text, role=x.role, context=x.context).categories)
        if x.action == "allow":
            flagged += bool(got)
        else:
            violations += 1
            caught += set(x.categories) <= got
    clean = len(lines) - violations
    return {"recall": round(caught / max(1, violations), 3), "clean_flagged": round(flagged / max(1, clean), 4),
            "caught": caught, "violations": violations, "flagged": flagged, "clean": clean}  # fmt: skip


@functools.cache
def _sets() -> tuple[dict[int, list[Line]], list[Line], list[Line]]:
    lines = load()
    return validation_batches(), [x for x in lines if x.split == "test"], adversarial(lines)


def figures(moderator: Moderator) -> dict[str, object]:
    batches, test_lines, attack_lines = _sets()
    dev = {str(n): counts(moderator, batches[n]) for n in DEV_BATCHES}
    dev["pooled"] = counts(moderator, [x for n in DEV_BATCHES for x in batches[n]])
    test = counts(moderator, test_lines)
    attacks = counts(moderator, attack_lines)
    return {
        "dev": dev,
        "test": {k: test[k] for k in ("recall", "clean_flagged")},
        "adversarial": attacks["recall"],
    }


def with_model(moderator: Moderator, model: Model | None, python_scorer: bool) -> Moderator:
    """The same rules with another model (the engine reads ``model`` and the per-side tables it keeps)."""
    moderator.model = model
    moderator._sides = (
        tuple((s.bias, s.logit_threshold, s.binary_table) for s in (model.side(True), model.side(False)))
        if model
        else ()
    )
    if python_scorer:
        moderator._hashed = None  # the Python reference scores with learned.grams, swapped by ``features``
    return moderator


def run(name: str) -> dict[str, object]:
    config_name, _, feature_name = name.partition("+")
    config = CONFIGS[config_name]
    started = time.time()
    with features(feature_name or None):
        trained = trainer.fit_sides(config)
        out: dict[str, object] = {"name": name, "fit_s": round(time.time() - started)}
        for rule, pick in RULES.items():
            sides = {side: trainer.with_threshold(t.model, pick(t.scored)) for side, t in trained.items()}
            moderator = with_model(Moderator(cache_size=0), Model(sides), bool(feature_name))
            out[rule] = {"cut": {s: round(m.threshold, 4) for s, m in sides.items()}, **figures(moderator)}
    return out


def main(argv: list[str]) -> int:
    for name in argv:
        if name == "rules":
            print(
                json.dumps({"name": "rules", **figures(Moderator(cache_size=0, learned=False))}), flush=True
            )
        elif name == "shipped":
            print(json.dumps({"name": "shipped", **figures(Moderator(cache_size=0))}), flush=True)
        else:
            print(json.dumps(run(name), ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
