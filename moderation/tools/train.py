"""Train the learned second stage from the corpus's train split and the validation set's batches 1–2:
``python -m moderation.tools.train``.

Writes ``moderation/data/model.tsv`` (plain weights, shipped as package data; see
:mod:`moderation.learned`). Deterministic: fixed shuffle seed, no library beyond the standard one.
Train lines are augmented with evasions of themselves (never of dev or test lines). Per side (employer, seeker): L2-regularised logistic regression by AdaGrad over the folded text's
character 2/3-grams, one binary model (violation or not) and one per category (which one). The
threshold is chosen on the DEV split: the lowest probability at which the model flags at most
``MAX_DEV_CLEAN_FLAGGED`` of that side's clean dev lines. The test split is never read.
"""

from __future__ import annotations

import hashlib
import math
import random
import sys
from collections import Counter
from pathlib import Path

from moderation.decision import CATEGORIES
from moderation.learned import BUCKETS, MODEL_PATH, SIDES, SideModel, gram_hash, grams, model_text, sigmoid
from moderation.policy import EMPLOYER_CONTEXTS, EMPLOYER_ROLES
from moderation.shared import default_normalizer
from moderation.tools.adversarial import TRANSFORMS

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "bench" / "data" / "moderation_corpus.tsv"
#: Validation batches the trainer may read as extra train lines (1-2 since round 4, 3-6 since round 5, each
#: after its one measurement). Later batches stay held out: each is measured once, before anything is tuned on
#: it (docs/moderation.md, "Validation set").
VALIDATION = DEFAULT_CORPUS.with_name("moderation_validation.tsv")
VALIDATION_TRAIN_BATCHES = ("1", "2", "3", "4", "5", "6")
#: Hand-written training lines (round 5): never a measure, read like the validation batches above.
TRAINING_LINES = DEFAULT_CORPUS.with_name("moderation_training_lines.tsv")
SLOTS = DEFAULT_CORPUS.with_name("corpus_slots.tsv")
#: Slots of the corpus's templates that carry no meaning (company, job, city, day, sums): their n-grams are
#: left out, or the model learns which fillers the generator happened to put into violations ("富士康" held a
#: plain job post as diversion).
NEUTRAL_SLOTS = ("co", "job", "city", "day", "sum", "pct", "amt")
EPOCHS = 10
L2 = 1e-3
RATE = 0.5
MIN_COUNT = 2  # an n-gram seen once in training is noise
KEEP = 0.02  # weights smaller than this are dropped from the file
MAX_DEV_CLEAN_FLAGGED = 0.005
#: The model holds only what it is fairly sure of: a dev split with few clean lines of one side lets the rule
#: above pick a low threshold, and then one strong n-gram ("sb" in "usb") holds harmless lines.
MIN_THRESHOLD = 0.8
SEED = 14
AUGMENT = 3  # evasions per train line

Example = tuple[list[str], list[float], list[float]]  # features, targets (binary, then per category), weights


def filler_grams(slots: Path = SLOTS) -> set[str]:
    """The n-grams of the neutral slots' fillers, as the model sees them."""
    fold = default_normalizer().fold
    out: set[str] = set()
    if not slots.exists():
        return out
    for raw in slots.read_text(encoding="utf-8").splitlines():
        if raw.strip() and not raw.startswith("#"):
            name, value = raw.split("\t")
            if name in NEUTRAL_SLOTS:
                out.update(grams(fold(model_text(value))))
    return out


def validation_train_lines(path: Path = VALIDATION, training: Path = TRAINING_LINES) -> list[str]:
    """The validation set's lines of ``VALIDATION_TRAIN_BATCHES`` (before the first "# batch N" marker is
    batch 1) and the hand-written training lines: two thirds as train lines, one third as dev lines."""
    out: list[str] = []
    for source in (path, training):
        batch = "1" if source == path else VALIDATION_TRAIN_BATCHES[0]
        if not source.exists():
            continue
        for raw in source.read_text(encoding="utf-8").splitlines():
            if raw.startswith("# batch "):
                batch = raw.split()[2]
            elif raw.strip() and not raw.startswith("#") and batch in VALIDATION_TRAIN_BATCHES:
                # a third, by a fixed hash of the text, joins the dev split instead: the threshold must keep their
                # clean lines too, which are nearer to live chat than the corpus's templated dev lines
                text = raw.split("\t")[4]
                split = "dev" if int(hashlib.sha256(f"{SEED}:{text}".encode()).hexdigest()[:8], 16) % 3 == 0 else "train"
                out.append(raw.rsplit("\t", 1)[0] + "\t" + split)
    return out


def read(path: Path, extra: list[str] | None = None) -> list[tuple[str, str, list[str], float, list[float]]]:
    """(split, side, features, violation target, category targets) per corpus line (and per ``extra`` line);
    every TRAIN line also appears rewritten by ``AUGMENT`` evasions (moderation.tools.adversarial)."""
    fold = default_normalizer().fold
    out = []
    for raw in [*path.read_text(encoding="utf-8").splitlines(), *(extra or [])]:
        if not raw.strip() or raw.startswith("#"):
            continue
        role, context, action, cats, text, _source, _topic, split = raw.split("\t")
        side = "employer" if role in EMPLOYER_ROLES or context in EMPLOYER_CONTEXTS else "seeker"
        labels = set() if cats == "-" else set(cats.split(","))
        targets = [1.0 if c in labels else 0.0 for c in CATEGORIES]
        violation = 0.0 if action == "allow" else 1.0
        out.append((split, side, grams(fold(model_text(text))), violation, targets))
        if split == "train":
            rng = random.Random(f"{SEED}:{text}")
            for name in rng.sample(sorted(TRANSFORMS), AUGMENT):
                evaded = TRANSFORMS[name](text, random.Random(f"{SEED}:{name}:{text}"))
                out.append((split, side, grams(fold(model_text(evaded))), violation, targets))
    return out


def fit(examples: list[Example], outputs: int) -> tuple[list[float], dict[str, list[float]]]:
    """AdaGrad logistic regression for ``outputs`` targets at once; returns biases and weights."""
    weights: dict[str, list[float]] = {}
    squares: dict[str, list[float]] = {}
    bias, bias_sq = [0.0] * outputs, [1e-8] * outputs
    order = list(range(len(examples)))
    rng = random.Random(SEED)
    for _ in range(EPOCHS):
        rng.shuffle(order)
        for i in order:
            features, targets, example_weights = examples[i]
            rows = [weights.setdefault(f, [0.0] * outputs) for f in features]
            sqs = [squares.setdefault(f, [1e-8] * outputs) for f in features]
            for k in range(outputs):
                if example_weights[k] == 0.0:
                    continue
                z = bias[k] + sum(row[k] for row in rows)
                g = (sigmoid(z) - targets[k]) * example_weights[k]
                bias_sq[k] += g * g
                bias[k] -= RATE * g / math.sqrt(bias_sq[k])
                for row, sq in zip(rows, sqs, strict=True):
                    grad = g + L2 * row[k]
                    sq[k] += grad * grad
                    row[k] -= RATE * grad / math.sqrt(sq[k])
    return bias, weights


def threshold(probabilities: list[float]) -> float:
    """The lowest threshold flagging at most MAX_DEV_CLEAN_FLAGGED of these clean lines (≥ MIN_THRESHOLD)."""
    ranked = sorted(probabilities, reverse=True)
    allowed = int(MAX_DEV_CLEAN_FLAGGED * len(ranked))
    return max(MIN_THRESHOLD, ranked[allowed] + 1e-4 if allowed < len(ranked) else MIN_THRESHOLD)


def train(corpus: Path = DEFAULT_CORPUS) -> str:
    """The text of model.tsv."""
    rows = read(corpus, validation_train_lines() if corpus == DEFAULT_CORPUS else None)
    neutral = filler_grams()
    out = ["# generated by `python -m moderation.tools.train` from the corpus's train split, validation batches 1-6 and the training lines; do not edit",
           "# side<TAB>name<TAB>bias<TAB>threshold<TAB>categories<TAB>category biases; "
           "gram<TAB>side<TAB>n-gram<TAB>weight<TAB>category weights"]  # fmt: skip
    for side in SIDES:
        mine = [r for r in rows if r[1] == side]
        counts = Counter(f for r in mine if r[0] == "train" for f in r[2])
        train_rows = [r for r in mine if r[0] == "train"]
        violations = sum(1 for r in train_rows if r[3] == 1.0)
        clean_weight = violations / max(1, len(train_rows) - violations)  # both classes weigh the same
        examples = [
            ([f for f in r[2] if counts[f] >= MIN_COUNT and f not in neutral], [r[3], *r[4]],
             # the binary output sees every line; the category outputs learn which category among violations
             [1.0 if r[3] == 1.0 else clean_weight] + [r[3]] * len(CATEGORIES))
            for r in train_rows
        ]  # fmt: skip
        bias, weights = fit(examples, 1 + len(CATEGORIES))
        kept = {g: w for g, w in weights.items() if abs(w[0]) >= KEEP}
        dev_clean = [r[2] for r in mine if r[0] == "dev" and r[3] == 0.0]
        model = SideModel(bias[0], 0.5, CATEGORIES, bias[1:], {g: (w[0], tuple(w[1:])) for g, w in kept.items()})
        mask = BUCKETS - 1  # the dev lines scored as at run time: hashed tables, all n-grams
        probs = [sigmoid(bias[0] + sum(model.binary[gram_hash(f) & mask] for f in feats)) for feats in dev_clean]
        cut = threshold(probs)
        out.append("\t".join(("side", side, f"{bias[0]:.4f}", f"{cut:.4f}", ",".join(CATEGORIES),
                              ",".join(f"{b:.4f}" for b in bias[1:]))))  # fmt: skip
        for g in sorted(kept):
            w = kept[g]
            out.append("\t".join(("gram", side, g, f"{w[0]:.4f}", ",".join(f"{x:.3f}" for x in w[1:]))))
        print(f"{side}: {len(examples)} train lines, {len(kept)} n-grams, threshold {cut:.3f}", file=sys.stderr)
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    corpus = Path(argv[0]) if argv else DEFAULT_CORPUS
    MODEL_PATH.write_text(train(corpus), encoding="utf-8")
    print(f"wrote {MODEL_PATH}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
