"""The learned stage's development protocol (issue 14, round 12): ``python -m bench.learned_dev NAME...``.

Why: every fresh batch is written by a new writer, and the model is judged by how it does on a writer it has not
seen. Round 11 left four spent batches out of one fit, but the shipped model had read batches 1-7 and 9 written
by some of the same hands. Here the spent fresh-writer batches 8-18 are folded ({8, 11}, {9, 12}, {10, 13} and,
since rounds 13-16, {14}, {15}, {16}, {17} and {18}): for
each fold a configuration is trained on everything else (the corpus's train and dev splits, its other batches,
its training files), cut by its own rule on out-of-fold scores as the trainer does, and rules + model are
measured on the fold's batches; the folds are pooled. The test split, the adversarial set and the
hand-written clean host lines (``bench/data/learned_clean_lines.tsv``) are guards from one fit on everything the
configuration reads: aggregates only. Batches from ``HELD_OUT`` on are held out: never loaded (``spent_batches``).
Since round 15 a hold also passes the gate (``SideModel.evidenced``); "NAME+g:<discount>,<evidence>" measures a
configuration under another gate ("+g:0,-inf": none). One JSON line per configuration on stdout; up to nine fits of 2-14 minutes each (one per distinct set of lines
read: a fold that leaves out none of the configuration's batches reuses the fit on everything), shared by
configurations that differ only in their pretrained fold (``shared_fits``).
"""

from __future__ import annotations

import contextlib
import functools
import json
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from bench.corpus import Line, load, validation_batches
from bench.moderation import adversarial
from moderation import learned
from moderation.engine import Moderator
from moderation.learned import Model
from moderation.tools import train as trainer
from moderation.tools.pretrained import Fold
from moderation.tools.threshold import Scored, choose, choose_model_hand
from moderation.tools.train import (
    TRAINING_LINES,
    TRAINING_LINES_ROUND9,
    TRAINING_LINES_ROUND11,
    TRAINING_LINES_ROUND13_CLEAN,
    TRAINING_LINES_ROUND14_PAIRS,
    Config,
)

#: The fresh-writer batches that are spent (read by a round) and measure the model here, in eight folds.
#: Batches 14-18 (spent in rounds 13-16) are a fold each.
FOLDS: tuple[tuple[int, ...], ...] = ((8, 11), (9, 12), (10, 13), (14,), (15,), (16,), (17,), (18,), (19,), (20,), (21,),
                                            (22,), (23,), (24,), (25,), (26,))
DEV_BATCHES = tuple(sorted(n for fold in FOLDS for n in fold))
#: Where the protocol stops reading the validation file: batches from here on are never loaded, even once a round
#: has spent them (the folds end before it; since round 15 it equals bench.corpus.HELD_OUT_FROM).
HELD_OUT = 27
SPENT = tuple(str(n) for n in range(1, HELD_OUT))
CLEAN_LINES = Path(__file__).resolve().parent / "data" / "learned_clean_lines.tsv"

PAIRS = ("round14-pairs",)  # the source of round 14's pairs

CONFIGS: dict[str, Config] = {
    # round 8's data (batches 1-7 and 9, the first training file), cut "model": the shipped model
    "shipped": Config(),
    "all-batches": Config(batches=SPENT),  # every spent batch: more writers
    "all-batches+r9": Config(batches=SPENT, training=(TRAINING_LINES, TRAINING_LINES_ROUND9)),
    "all-batches+down": Config(
        batches=SPENT, weighted=((TRAINING_LINES_ROUND9, 0.3), (TRAINING_LINES_ROUND11, 0.3))
    ),
    "all-batches+r11": Config(batches=SPENT, training=(TRAINING_LINES, TRAINING_LINES_ROUND11)),
    "all-batches,clean-x0.7": Config(batches=SPENT, clean_weight=0.7),
    "all-batches,clean-x1.5": Config(batches=SPENT, clean_weight=1.5),
    "all-batches,model-hand": Config(batches=SPENT, rule="model-hand"),
    # round 13: helper C's ordinary lawful lines as training data, at weight 1, lower and higher
    "clean13": Config(training=(TRAINING_LINES, TRAINING_LINES_ROUND13_CLEAN)),
    "clean13-x0.5": Config(weighted=((TRAINING_LINES_ROUND13_CLEAN, 0.5),)),
    "clean13-x2": Config(weighted=((TRAINING_LINES_ROUND13_CLEAN, 2.0),)),
    "clean13-x2,clean-x0.7": Config(weighted=((TRAINING_LINES_ROUND13_CLEAN, 2.0),), clean_weight=0.7),
    # round 14: contrastive pairs (a lawful line beside a violating neighbour), alone and with round 13's lines
    "pairs14": Config(training=(TRAINING_LINES, TRAINING_LINES_ROUND14_PAIRS)),
    "pairs14-x3": Config(weighted=((TRAINING_LINES_ROUND14_PAIRS, 3.0),)),
    "pairs14+clean13": Config(training=(TRAINING_LINES, TRAINING_LINES_ROUND14_PAIRS, TRAINING_LINES_ROUND13_CLEAN)),
    # ... with the pairs' lawful lines out of the cut's budget (they are hard on purpose: in it they raised the cut)
    "pairs14,unbudgeted": Config(training=(TRAINING_LINES, TRAINING_LINES_ROUND14_PAIRS), unbudgeted=PAIRS),
    "pairs14-x3,unbudgeted": Config(weighted=((TRAINING_LINES_ROUND14_PAIRS, 3.0),), unbudgeted=PAIRS),
    "pairs14-x0.5,unbudgeted": Config(weighted=((TRAINING_LINES_ROUND14_PAIRS, 0.5),), unbudgeted=PAIRS),
    # control: the pairs at weight 0 change only the fit's example order and n-gram counts, not what it learns
    "pairs14-x0,unbudgeted": Config(weighted=((TRAINING_LINES_ROUND14_PAIRS, 0.0),), unbudgeted=PAIRS),
    "pairs14+clean13,unbudgeted": Config(
        training=(TRAINING_LINES, TRAINING_LINES_ROUND14_PAIRS, TRAINING_LINES_ROUND13_CLEAN), unbudgeted=PAIRS
    ),
    # round 13: pretrained vectors folded into the n-grams the fit did not keep (moderation.tools.pretrained),
    # "pre-<method>-x<scale>-<limit>k[-pos]"
    **{
        f"pre-{m}-x{s:g}-{n // 1000}k{'-pos' if pos else ''}": Config(pretrained=Fold(m, s, n, pos))
        for m in ("ridge", "message")
        for s in (0.5, 1.0, 2.0, 4.0)
        for n in (5_000, 20_000, 60_000)
        for pos in (False, True)
    },
}

#: Cut rules judged from each fold's fit besides the configuration's own.
class Fixed:
    """A cut per side that is not chosen (round 14): two fits' scores compared at the shipped file's cut."""

    def __init__(self, cuts: dict[str, float]) -> None:
        self.cuts = cuts

    def __call__(self, scored: Sequence[Scored]) -> float:
        raise TypeError("a fixed cut is per side: _moderator reads it")


def _choose_hand(scored: Sequence[Scored]) -> float:
    """Rule "model" on the hand-written clean lines only: is it the templated lines that raise the cut?"""
    return choose([s for s in scored if s.hand])


RULES: dict[str, Callable[[Sequence[Scored]], float]] = {
    "model": choose,
    "model-hand": choose_model_hand,
    "hand-only": _choose_hand,
    "shipped-cut": Fixed({"employer": 0.9848, "seeker": 0.8437}),  # moderation/data/model.tsv's cuts
}


def fold_config(config: Config, fold: Sequence[int]) -> Config:
    """The configuration without the fold's batches: what one fold trains on."""
    return replace(config, batches=tuple(b for b in config.batches if int(b) not in fold))


@functools.cache
def spent_batches() -> dict[int, list[Line]]:
    """The spent batches of the validation file (1 to HELD_OUT - 1); reading stops at ``HELD_OUT``'s marker."""
    return validation_batches(before=HELD_OUT)


def clean_lines(path: Path = CLEAN_LINES) -> list[tuple[str, str, str]]:
    """Ordinary host, recruiter and viewer lines (role, context, text) that must stay allowed: a measure only."""
    rows = [
        r.split("\t")
        for r in path.read_text(encoding="utf-8").splitlines()
        if r.strip() and not r.startswith("#")
    ]
    return [(role, context, text) for role, context, text in rows]


def _grams_gapped(folded: str) -> list[str]:
    text = folded.translate(learned.DIGITS_TO_ZERO)
    return [*_GRAMS(folded), *(text[i] + "_" + text[i + 2] for i in range(len(text) - 2))]


_GRAMS = learned.grams  # the shipped features, kept: ``features`` swaps the module's name


@functools.cache
def _automaton() -> Callable[[str], Iterable[tuple[int, tuple[int, tuple[tuple[str, str, str, bool], ...]]]]]:
    return Moderator(cache_size=0, learned=False, engine="python")._automata[None].iter


def _concepts(folded: str) -> list[str]:
    """The lexicon's classes the automaton finds in the folded text (fee:item, anchor:ground, diversion:app, ...),
    one token each: "陪X费" and "押X金" share a class across wording."""
    found = _automaton()(folded)
    return sorted({f"\x01{category}:{kind}" for _, (_, values) in found for category, kind, _, _ in values})


def _grams_concepts(folded: str) -> list[str]:
    return [*_GRAMS(folded), *_concepts(folded)]


def _grams_concept_pairs(folded: str) -> list[str]:
    """The concept tokens and every pair of them (a ground beside a refusal, an amount beside a fee word)."""
    found = _concepts(folded)
    return [*_GRAMS(folded), *found, *(a + b for i, a in enumerate(found) for b in found[i + 1 :])]


#: Feature sets tried with the Python scorer only (the C scorer sums 2- and 3-grams): "<config>+f:<features>".
FEATURES: dict[str, Callable[[str], list[str]]] = {
    "gapped": _grams_gapped,
    "concepts": _grams_concepts,
    "concept-pairs": _grams_concept_pairs,
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


def counts(moderator: Moderator, lines: Sequence[Line]) -> dict[str, int]:
    """Violations caught (every labelled category flagged) and clean lines flagged, as bench.moderation counts."""
    caught = flagged = violations = 0
    for x in lines:
        got = set(moderator.moderate(x.text, role=x.role, context=x.context).categories)
        if x.action == "allow":
            flagged += bool(got)
        else:
            violations += 1
            caught += set(x.categories) <= got
    return {"caught": caught, "violations": violations, "flagged": flagged, "clean": len(lines) - violations}


def pooled(parts: Sequence[dict[str, int]]) -> dict[str, object]:
    total = {k: sum(p[k] for p in parts) for k in ("caught", "violations", "flagged", "clean")}
    return {**total, "recall": round(total["caught"] / max(1, total["violations"]), 3),
            "clean_flagged": round(total["flagged"] / max(1, total["clean"]), 4)}  # fmt: skip


@functools.cache
def _guard_sets() -> tuple[list[Line], list[Line]]:
    lines = load()
    return [x for x in lines if x.split == "test"], adversarial(lines)


def guards(moderator: Moderator) -> dict[str, object]:
    """The test split, the adversarial set and the clean host lines: aggregates only."""
    test_lines, attack_lines = _guard_sets()
    test, attacks = pooled([counts(moderator, test_lines)]), pooled([counts(moderator, attack_lines)])
    held = sum(bool(moderator.moderate(t, role=r, context=c).categories) for r, c, t in clean_lines())
    return {"test": [test["recall"], test["clean_flagged"]], "adversarial": attacks["recall"],
            "clean_lines_flagged": f"{held}/{len(clean_lines())}"}  # fmt: skip


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


def _moderator(trained: dict[str, trainer.Trained], pick: Callable[[Sequence[Scored]], float], python: bool,
               gate: tuple[float, float] | None = None) -> tuple[Moderator, dict[str, float]]:  # fmt: skip
    sides = {side: trainer.with_threshold(t.model, pick.cuts[side] if isinstance(pick, Fixed) else pick(t.scored))
             for side, t in trained.items()}  # fmt: skip
    for model in sides.values():
        model.discount, model.evidence = gate or (learned.NUMERAL_DISCOUNT, learned.CATEGORY_EVIDENCE)
    return with_model(Moderator(cache_size=0), Model(sides), python), {
        s: round(m.threshold, 4) for s, m in sides.items()
    }


@contextlib.contextmanager
def shared_fits() -> Iterator[None]:
    """Configurations that differ only in ``pretrained`` fit the same n-gram weights: fit each once per process
    (the fold is cheap; the n-gram fit is most of a run's time)."""
    saved = trainer.fit_ngrams
    done: dict[object, learned.SideModel] = {}

    def cached(rows: list[trainer.Row], neutral: set[str], config: Config) -> learned.SideModel:
        key = (
            tuple((r.line, r.violation, r.weight, r.group) for r in rows),
            replace(config, pretrained=None),
        )
        if key not in done:
            done[key] = saved(rows, neutral, config)
        return done[key]

    trainer.__dict__["fit_ngrams"] = cached
    try:
        yield
    finally:
        trainer.__dict__["fit_ngrams"] = saved


def _gate(name: str) -> tuple[float, float] | None:
    """"0.5,0.5" → (numeral discount, category evidence); "" → the shipped gate (None)."""
    if not name:
        return None
    discount, evidence = name.split(",")
    return float(discount), float(evidence)


def run(name: str, guard: bool = True) -> dict[str, object]:
    """One fit per fold and (with ``guard``) one fit on everything: pooled fold figures per cut rule, guards."""
    name_gate, _, feature_name = name.partition("+f:")
    config_name, _, gate_name = name_gate.partition("+g:")  # "+g:<discount>,<evidence>": the gate's (round 15)
    gate = _gate(gate_name)
    config = CONFIGS[config_name]
    rules = {config.rule: trainer.CUT_RULES[config.rule], **RULES}
    started = time.time()
    out: dict[str, object] = {"name": name}
    parts: dict[str, list[dict[str, int]]] = {rule: [] for rule in rules}
    cuts: dict[str, list[dict[str, float]]] = {rule: [] for rule in rules}
    per_batch: dict[str, dict[int, str]] = {rule: {} for rule in rules}
    batches = spent_batches()
    # a fold that leaves out no batch the configuration reads trains what every such fold and the guards' fit
    # train (round 17: the shipped configuration's eight folds are two fits)
    fits: dict[Config, dict[str, trainer.Trained]] = {}
    with features(feature_name or None):
        for fold in FOLDS:
            reads = fold_config(config, fold)
            trained = fits[reads] = fits.get(reads) or trainer.fit_sides(reads)
            for rule, pick in rules.items():
                moderator, cut = _moderator(trained, pick, bool(feature_name), gate)
                cuts[rule].append(cut)
                for n in fold:
                    got = counts(moderator, batches[n])
                    parts[rule].append(got)
                    per_batch[rule][n] = (
                        f"{got['caught']}/{got['violations']} {got['flagged']}/{got['clean']}"
                    )
        out["folds"] = {rule: {"pooled": pooled(parts[rule]), "per_batch": dict(sorted(per_batch[rule].items())),
                               "cuts": cuts[rule]} for rule in rules}  # fmt: skip
        out["fold_fit_s"] = round(time.time() - started)
        if guard:
            trained = fits.get(config) or trainer.fit_sides(config)
            for rule, pick in rules.items():
                moderator, cut = _moderator(trained, pick, bool(feature_name), gate)
                out[f"all:{rule}"] = {"cut": cut, **guards(moderator)}
    out["fit_s"] = round(time.time() - started)
    return out


def baseline(name: str) -> dict[str, object]:
    """The rules alone, or the shipped file, on the fold batches (the shipped model read 9 of them)."""
    base, _, gate_name = name.partition("+g:")  # "shipped-file+g:0,-inf": the file without the gate
    moderator = Moderator(cache_size=0, learned=base == "shipped-file")
    gate = _gate(gate_name)
    if moderator.model is not None and gate:  # a parse of its own: the loaded model is shared by every Moderator
        model = Model(learned.parse(learned.MODEL_PATH.read_text(encoding="utf-8")))
        for side in model.sides.values():
            side.discount, side.evidence = gate
        with_model(moderator, model, python_scorer=False)
    batches = spent_batches()
    parts = [counts(moderator, batches[n]) for n in DEV_BATCHES]
    return {"name": name, "pooled": pooled(parts), **guards(moderator)}


def main(argv: list[str]) -> int:
    with shared_fits():
        return _main(argv)


def _main(argv: list[str]) -> int:
    for name in argv:
        if name.partition("+g:")[0] in ("rules", "shipped-file"):
            print(json.dumps(baseline(name), ensure_ascii=False), flush=True)
        else:
            print(json.dumps(run(name.removesuffix(":noguard"), not name.endswith(":noguard")), ensure_ascii=False), flush=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
