"""The learned second stage: character n-grams and a linear model, for what the word lists miss.

Why: lexicons and rules catch what their authors thought of; a recruiter who writes "先打两百占个名额"
instead of "押金" slips past them. A linear model over the folded text's character 2- and 3-grams,
trained in the repository from the corpus's train split (``python -m moderation.tools.train``), scores
every message the rules allowed; above its threshold the message is held for a person (``review``),
never blocked (个人信息保护法 §24: a person decides what matters). The weights ship as plain text
(``moderation/data/model.tsv``, one n-gram per line); nothing here needs a machine-learning library.

At load time the n-gram weights are hashed into dense float32 tables (the hashing trick: a few
hundred KB that stay in cache), and ``_fastscan.Folder.hashed`` folds a message and adds up its
n-grams' buckets in one C call. One model per side (employer: host, recruiter, a job post or an
interview text; seeker: everyone else), because the same words ("要交押金") are a demand from one and
a question from the other.
"""

from __future__ import annotations

import functools
import math
import operator
import re
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from moderation._fastscan import Folder

MODEL_PATH: Final = Path(str(resources.files("moderation.data"))) / "model.tsv"
SIDES: Final = ("employer", "seeker")
ORDERS: Final = (2, 3)
BUCKETS: Final = 1 << 17  # per side; a power of two (the C side masks the hash)
#: The per-category table (``SideModel.category``) is smaller than the binary one: categories only rank a message
#: already found a violation, and at BUCKETS x categories x 4 bytes (3 MB) it fell out of cache between the
#: messages that read it. Only n-grams with a category weight of at least CATEGORY_MIN go in (the small ones
#: mostly added collision noise); the eighth round measured the categories it names against the full table's.
CATEGORY_BUCKETS: Final = 1 << 15
CATEGORY_MIN: Final = 0.05
DIGITS_TO_ZERO: Final = str.maketrans("123456789", "000000000")  # amounts and numbers: their shape, not value
_LONG_DIGITS: Final = re.compile("[0-9０-９]{4,}")
#: Round 15's gate on a hold the model already made (``SideModel.evidenced``; weights and cut unchanged): the held
#: message's n-grams must weigh at least CATEGORY_EVIDENCE for some category (pii aside). On a fresh writer's lawful
#: lines the model went over its cut on n-grams of no category ("你把", "看你", "一张", "一天"): each pushed the
#: binary score, hardly any category's. The sums are exact (the hashed category table drops small weights).
CATEGORY_EVIDENCE: Final = 0.75
#: Round 16: and the category's own logit (its bias plus those sums) must reach CATEGORY_FLOOR for one of them. A
#: pay line ("一天一百五", "日薪") gathers scam evidence over 0.75 from many weak n-grams while the scam category
#: itself stays improbable; a violation's category logit is mostly well over it.
CATEGORY_FLOOR: Final = -1.0
#: A numeral in an n-gram (digits are 0 by then) says "an amount, a count": a discount of the numeral n-grams'
#: positive push (NUMERAL_DISCOUNT x) was tried beside it and is off (0.0): it cost the adversarial set its goal.
NUMERALS: Final = frozenset("0零一二两三四五六七八九十百千万")
NUMERAL_DISCOUNT: Final = 0.0
#: Round 24 measured the gate again on writers the model never read (spent batches 8, 10-25) and the guards: a margin
#: over the cut that waives the evidence, a lower evidence threshold, another floor, the discount on, a lower cut with a
#: stricter gate. None caught more without holding more clean lines: a violation the gate lets go carries the same
#: evidence as a lawful line it keeps out (docs/measurements/2026-12-08-moderation-round24-gate.md), so these stay.


def model_text(text: str) -> str:
    """What the model reads: a run of more than three digits cut to its first three. A linear model over
    n-gram counts adds a weight for every "000" in a run, so a long order number or timestamp summed to a
    flag on digits alone; the rules, not the model, judge phone numbers and handles."""
    return _LONG_DIGITS.sub(lambda run: run.group(0)[:3], text)


def grams(folded: str) -> list[str]:
    """The features of one folded text: its character 2-grams, then its 3-grams, digits as 0."""
    text = folded.translate(DIGITS_TO_ZERO)
    return [text[i : i + n] for n in ORDERS for i in range(len(text) - n + 1)]


def gram_hash(gram: str) -> int:
    """FNV-1a (32 bit) over the code points; the C side (``Folder.hashed``) computes the same."""
    h = 2166136261
    for ch in gram:
        h = ((h ^ ord(ch)) * 16777619) & 0xFFFFFFFF
    return h


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x > -60 else 0.0


@dataclass(frozen=True, slots=True)
class Verdict:
    """The model's answer for one message: its probability, the category it points to and why."""

    probability: float
    category: str
    features: tuple[tuple[str, float], ...]  # the n-grams that pushed hardest, with their weights


class SideModel:
    """One side's model: bias, threshold, categories, the n-gram weights and their hashed tables."""

    def __init__(self, bias: float, threshold: float, categories: Sequence[str], cat_bias: Sequence[float],
                 weights: dict[str, tuple[float, tuple[float, ...]]]) -> None:  # fmt: skip
        self.bias = bias
        self.threshold = threshold
        self.logit_threshold = math.log(threshold / (1 - threshold))
        self.discount, self.evidence = NUMERAL_DISCOUNT, CATEGORY_EVIDENCE  # the gate (``evidenced``)
        self.floor = CATEGORY_FLOOR
        self.categories = tuple(categories)
        self.cat_bias = tuple(cat_bias)
        # pii's bias at -inf, so it is never the top category: personal data is found by the detectors, and a
        # model match spans the whole message, which callers masking pii spans would blank entirely
        self._ranked_bias = tuple(-math.inf if c == "pii" else b for c, b in zip(self.categories, self.cat_bias, strict=True))
        self.weights = weights
        self.size = len(weights)
        binary = array("f", bytes(4 * BUCKETS))
        k = len(self.categories)
        per_category = array("f", bytes(4 * CATEGORY_BUCKETS * k))
        for gram, (weight, cat_weights) in weights.items():
            h = gram_hash(gram)
            binary[h & (BUCKETS - 1)] += weight
            if max(map(abs, cat_weights), default=0.0) >= CATEGORY_MIN:
                row = (h & (CATEGORY_BUCKETS - 1)) * k
                for j, w in enumerate(cat_weights):
                    per_category[row + j] += w
        self.binary, self.per_category = binary, per_category  # for the Python reference
        self.binary_table = binary.tobytes()  # for Folder.hashed
        self.category_table = per_category.tobytes()

    def score(self, folded: str) -> float:
        """The logit of "this message is a violation" (the Python reference of ``Folder.hashed``)."""
        total = 0.0
        for gram in grams(folded):
            total += self.binary[gram_hash(gram) & (BUCKETS - 1)]
        return self.bias + total

    def numeral_push(self, found: Sequence[str]) -> float:
        """The summed weights of the n-grams (of ``found``, the message's known n-grams) that hold a numeral."""
        return sum(self.weights[g][0] for g in found if not NUMERALS.isdisjoint(g))

    def evidenced(self, logit: float, folded: str) -> tuple[str, ...]:
        """The gate on a logit already over the cut (exact, from the weights: only such messages get here): still
        over it with the numerals' positive push discounted, the n-grams' own weights sum to at least
        ``self.evidence`` for some category other than pii (a hold on "一张", "看你", "你把" carries little of any),
        and some category's own logit reaches ``self.floor``. The categories with that evidence, () when not held:
        a warning or denial of any of them lets the message pass (the engine's ``model_warned``)."""
        found = [g for g in grams(folded) if g in self.weights]
        if self.discount and logit - self.discount * max(0.0, self.numeral_push(found)) <= self.logit_threshold:
            return ()
        ranked = [j for j, c in enumerate(self.categories) if c != "pii"]
        sums = [sum(self.weights[g][1][j] for g in found) for j in range(len(self.categories))]
        if max(self.cat_bias[j] + sums[j] for j in ranked) < self.floor:
            return ()
        return tuple(self.categories[j] for j in ranked if sums[j] >= self.evidence)

    def category(self, text: str, folder: Folder | None, folded: str) -> str:
        """The category a flagged message points to: the hashed per-category sums, in C when
        ``folder`` is given, else the same sums in Python over ``folded`` (the reference)."""
        k = len(self.categories)
        if folder is not None:
            sums = folder.hashed(text, self.category_table, k)
            assert isinstance(sums, tuple)
        else:
            acc = [0.0] * k
            for gram in grams(folded):
                row = (gram_hash(gram) & (CATEGORY_BUCKETS - 1)) * k
                for j in range(k):
                    acc[j] += self.per_category[row + j]
            sums = tuple(acc)
        return self.categories[_top(self._ranked_bias, sums)]

    def explain(self, folded: str) -> Verdict:
        found = [(g, self.weights[g]) for g in grams(folded) if g in self.weights]
        best = _top(self._ranked_bias, [sum(w[1][i] for _, w in found) for i in range(len(self.categories))])
        top = sorted({(g, round(w[0], 3)) for g, w in found}, key=lambda x: -abs(x[1]))[:6]
        return Verdict(round(sigmoid(self.score(folded)), 4), self.categories[best], tuple(top))


def _top(ranked_bias: Sequence[float], sums: Sequence[float]) -> int:
    """The index of the highest category score (bias plus n-gram sums); ``pii`` ranks at -inf."""
    per_cat = list(map(operator.add, ranked_bias, sums))
    return per_cat.index(max(per_cat))


class Model:
    """Both sides' models, as trained by ``moderation.tools.train``."""

    def __init__(self, sides: dict[str, SideModel]) -> None:
        self.sides = sides

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> Model | None:
        """The shipped weights, or None when there are none (the filter then runs rules only)."""
        if not path.exists():
            return None
        stat = path.stat()
        return _parsed(path, stat.st_mtime_ns, stat.st_size)

    def side(self, employer: bool) -> SideModel:
        return self.sides["employer" if employer else "seeker"]


@functools.lru_cache(maxsize=2)
def _parsed(path: Path, mtime_ns: int, size: int) -> Model:
    """One parse per file version and process, shared by every ``Moderator``: building the tables takes a
    few tenths of a second (a test process builds hundreds of apps, each on its event loop), and a model is
    never changed after it is built. A retrained file has another stamp and is read again."""
    return Model(parse(path.read_text(encoding="utf-8")))


def parse(text: str) -> dict[str, SideModel]:
    """``model.tsv``: ``#`` comments; per side a ``side`` line (side, bias, threshold, categories,
    category biases) and its ``gram`` lines (side, n-gram, weight, per-category weights)."""
    heads: dict[str, tuple[float, float, list[str], list[float]]] = {}
    weights: dict[str, dict[str, tuple[float, tuple[float, ...]]]] = {s: {} for s in SIDES}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        kind, side, *rest = line.split("\t")
        if kind == "side":
            bias, threshold, cats, cat_bias = rest
            heads[side] = (float(bias), float(threshold), cats.split(","), [float(x) for x in cat_bias.split(",")])
        elif kind == "gram":
            gram, weight, cat_weights = rest
            weights[side][gram] = (float(weight), tuple(float(x) for x in cat_weights.split(",")))
        else:
            raise ValueError(f"model.tsv: unknown line kind {kind!r}")
    return {side: SideModel(*heads[side], weights[side]) for side in SIDES}
