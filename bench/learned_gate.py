"""The learned stage's gate, compared on the same fits (issue 14, round 15): ``python -m bench.learned_gate [--test]``.

Why: on batch 16 (a fresh writer) the model held more clean lines than the rules flagged, on n-grams such as
"一百", "一天", "一张" (an amount or a count) or "你把", "看你" (no category at all). A gate on a hold the model
already made (``SideModel.evidenced``: the numerals' push discounted, a minimum of the category's own evidence)
changes no weight and no cut, so every gate is judged on one fit per fold of ``bench.learned_dev`` (``Config()``,
cut "model") and, for the measuring set (``bench.learned_lines``), on the shipped file. A raised cut is the
baseline a gate must beat: it also trades caught lines for clean ones. ``--test`` adds the measuring set's test
half (report it once). Fits are cached in ``--cache DIR`` (pickles; a fit takes minutes).
"""

from __future__ import annotations

import argparse
import json
import math
import pickle
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench import learned_lines
from bench.corpus import Line
from bench.learned_dev import FOLDS, fold_config, spent_batches
from moderation import learned
from moderation.engine import Moderator
from moderation.learned import Model, SideModel, model_text
from moderation.policy import EMPLOYER_CONTEXTS, EMPLOYER_ROLES, model_warned
from moderation.tools import train as trainer
from moderation.tools.threshold import choose
from moderation.tools.train import Config

#: (numeral discount, category evidence, extra logit margin on the cut): the gates compared, the shipped one included.
GATES: dict[str, tuple[float, float, float]] = {
    "none": (0.0, -math.inf, 0.0),
    **{f"cut+{m:g}": (0.0, -math.inf, m) for m in (0.25, 0.5, 1.0, 1.5)},
    **{f"num{d:g}": (d, -math.inf, 0.0) for d in (0.25, 0.5, 1.0)},
    **{f"evidence{e:g}": (0.0, e, 0.0) for e in (0.5, 0.75, 1.0)},  # 0.75: the shipped gate (round 15)
    **{f"num{d:g}+evidence{e:g}": (d, e, 0.0) for d in (0.25, 0.5) for e in (0.5, 1.0)},
}


@dataclass(frozen=True, slots=True)
class Open:
    """A line the rules saw nothing in, as one side's model reads it."""

    side: SideModel
    logit: float
    folded: str
    category: str
    warned: bool


def fold_fits(cache: Path | None) -> list[tuple[tuple[int, ...], Model]]:
    """``Config()`` fitted without each fold's batches, cut by rule "model" (as ``bench.learned_dev``)."""
    out = []
    for fold in FOLDS:
        path = cache / f"fold-{'-'.join(map(str, fold))}.pkl" if cache else None
        if path is not None and path.exists():
            sides = pickle.loads(path.read_bytes())
        else:
            trained = trainer.fit_sides(fold_config(Config(), fold))
            sides = {s: trainer.with_threshold(t.model, choose(t.scored)) for s, t in trained.items()}
            if path is not None:
                path.write_bytes(pickle.dumps(sides))
        out.append((fold, Model(sides)))
    return out


def read(rules: Moderator, model: Model, line: Line) -> tuple[str, ...] | Open:
    """The rules' categories, or the model's view of a line they left open (the engine's order)."""
    seen = rules._rules_seen(line.text, line.role, line.context, None)
    if seen is not None:
        return tuple(seen.categories)
    side = model.side(line.role in EMPLOYER_ROLES or line.context in EMPLOYER_CONTEXTS)
    folded = rules.fold(model_text(line.text))
    category = side.category(line.text, None, folded)
    return Open(side, side.score(folded), folded, category, model_warned(category, rules.fold(line.text)))


def decided(view: tuple[str, ...] | Open, gate: tuple[float, float, float]) -> tuple[set[str], bool]:
    """The categories flagged under ``gate`` and whether the model flagged them."""
    if not isinstance(view, Open):
        return set(view), False
    side, (discount, evidence, margin) = view.side, gate
    if view.logit <= side.logit_threshold + margin or view.warned:
        return set(), False
    side.discount, side.evidence = discount, evidence
    try:
        held = bool(side.evidenced(view.logit, view.folded))
    finally:
        side.discount, side.evidence = learned.NUMERAL_DISCOUNT, learned.CATEGORY_EVIDENCE
    return ({view.category}, True) if held else (set(), False)


def tally(views: Sequence[tuple[Line, tuple[str, ...] | Open]], gate: tuple[float, float, float]) -> dict[str, int]:
    """Caught (every labelled category) and clean flagged, with the model's share of each."""
    out = dict.fromkeys(("violations", "caught", "model_caught", "clean", "flagged", "model_held"), 0)
    for line, view in views:
        got, by_model = decided(view, gate)
        if line.action == "allow":
            out["clean"] += 1
            out["flagged"] += bool(got)
            out["model_held"] += bool(got) and by_model
        else:
            out["violations"] += 1
            hit = set(line.categories) <= got
            out["caught"] += hit
            out["model_caught"] += hit and by_model
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.learned_gate", description=__doc__)
    parser.add_argument("--cache", type=Path)
    parser.add_argument("--test", action="store_true", help="also the measuring set's test half (once)")
    args = parser.parse_args(argv)
    rules = Moderator(cache_size=0, learned=False)
    batches = spent_batches()
    groups: dict[str, list[tuple[Line, tuple[str, ...] | Open]]] = {"folds": [], "batch16": []}
    for fold, model in fold_fits(args.cache):
        for n in fold:
            views = [(x, read(rules, model, x)) for x in batches[n]]
            groups["folds"] += views
            if n == 16:
                groups["batch16"] = views
    shipped = Model(learned.parse(learned.MODEL_PATH.read_text(encoding="utf-8")))
    parts = learned_lines.halves(learned_lines.load())
    for half in ("dev", "test") if args.test else ("dev",):
        groups[half] = [(x, read(rules, shipped, x)) for x in parts[half]]
    for name, gate in GATES.items():
        print(json.dumps({"gate": name, **{g: tally(v, gate) for g, v in groups.items()}}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
