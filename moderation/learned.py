"""The learned second stage: character n-grams and a linear model, for what the word lists miss.

Why: lexicons and rules catch what their authors thought of; a recruiter who writes "先打两百占个名额"
instead of "押金" slips past them. A linear model over the folded text's character 2- and 3-grams,
trained in the repository from the corpus's train split (``python -m moderation.tools.train``), scores
every message the rules allowed; above its threshold the message is held for a person (``review``),
never blocked (个人信息保护法 §24: a person decides what matters). The weights ship as plain text
(``moderation/data/model.tsv``); nothing here needs a machine-learning library.

Scoring reuses the lexicon's Aho–Corasick matcher (C when built): the model's n-grams are its keys, so
one scan finds every weighted n-gram in a message and Python only adds up the few it found. One model
per side (employer: host, recruiter or a job post; seeker: everyone else), because the same words
("要交押金") are a demand from one and a question from the other.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, cast

import ahocorasick

from moderation import fast

if TYPE_CHECKING:
    from moderation import _fastscan

MODEL_PATH = Path(str(resources.files("moderation.data"))) / "model.tsv"
SIDES = ("employer", "seeker")
ORDERS = (2, 3)
DIGITS_TO_ZERO = str.maketrans("123456789", "000000000")  # amounts and numbers: their shape, not value

# (binary weight, per-category weights, the n-gram): what a matcher hit carries
GramPayload = tuple[float, tuple[float, ...], str]


def grams(folded: str) -> list[str]:
    """The features of one folded text: its character 2- and 3-grams, digits as 0 (training side)."""
    text = folded.translate(DIGITS_TO_ZERO)
    return [text[i : i + n] for n in ORDERS for i in range(len(text) - n + 1)]


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x > -60 else 0.0


@dataclass(frozen=True, slots=True)
class Verdict:
    """The model's answer for one message: its probability, the category it points to and why."""

    probability: float
    category: str
    features: tuple[tuple[str, float], ...]  # the n-grams that pushed hardest, with their weights


class SideModel:
    """One side's weights: a bias, a threshold, the categories, and a matcher over the n-grams."""

    def __init__(self, bias: float, threshold: float, categories: Sequence[str], cat_bias: Sequence[float],
                 weights: dict[str, tuple[float, tuple[float, ...]]]) -> None:  # fmt: skip
        self.bias = bias
        self.threshold = threshold
        self.logit_threshold = math.log(threshold / (1 - threshold))
        self.categories = tuple(categories)
        self.cat_bias = tuple(cat_bias)
        self.size = len(weights)
        keys = list(weights)
        payloads: list[GramPayload] = [(w, cw, k) for k, (w, cw) in weights.items()]
        self._find: Callable[[str], Iterable[tuple[int, GramPayload]]]
        self._total: Callable[[str], float]
        self.matcher: _fastscan.Matcher | None = None  # for Folder.score: fold and score in one C call
        self.category_matchers: tuple[_fastscan.Matcher, ...] = ()
        if fast.available():
            matcher = fast.matcher(keys, payloads)  # type: ignore[arg-type]  # the C matcher keeps any payload
            self._find = cast(Callable[[str], Iterable[tuple[int, GramPayload]]], matcher.find)
            self._total = matcher.total  # sums payload[0] in C, digits read as 0
            self.matcher = matcher
            # one matcher per category, payload[0] its weight: the category of a flagged message in C too
            self.category_matchers = tuple(
                fast.matcher(keys, [(cw[i], (), k) for k, (_, cw) in weights.items()])  # type: ignore[misc]
                for i in range(len(self.categories))
            )
        else:
            automaton = ahocorasick.Automaton()
            for key, payload in zip(keys, payloads, strict=True):
                automaton.add_word(key, payload)
            if keys:
                automaton.make_automaton()
            self._find = automaton.iter if keys else _nothing
            self._total = self._python_total

    def find(self, folded: str) -> Iterable[tuple[int, GramPayload]]:
        return self._find(folded.translate(DIGITS_TO_ZERO))

    def _python_total(self, folded: str) -> float:
        return sum(payload[0] for _, payload in self.find(folded))

    def score(self, folded: str) -> float:
        """The logit of "this message is a violation"; the hot path (one C scan, no objects per hit)."""
        return self.bias + self._total(folded)

    def category(self, text: str, folder: _fastscan.Folder | None) -> str:
        """The category of a flagged message from the ORIGINAL text: one ``Folder.score`` call (C)."""
        if folder is None or not self.category_matchers:
            return self.explain(text).category
        scores = folder.score(text, self.category_matchers)
        per_cat = [b + s for b, s in zip(self.cat_bias, scores, strict=True)]
        return self.categories[max(range(len(per_cat)), key=per_cat.__getitem__)]

    def explain(self, folded: str) -> Verdict:
        found = [payload for _, payload in self.find(folded)]
        logit = self.bias + sum(p[0] for p in found)
        per_cat = [b + sum(p[1][i] for p in found) for i, b in enumerate(self.cat_bias)]
        best = max(range(len(per_cat)), key=per_cat.__getitem__)
        top = sorted({(p[2], round(p[0], 3)) for p in found}, key=lambda g: -abs(g[1]))[:6]
        return Verdict(round(sigmoid(logit), 4), self.categories[best], tuple(top))


class Model:
    """Both sides' models, as trained by ``moderation.tools.train``."""

    def __init__(self, sides: dict[str, SideModel]) -> None:
        self.sides = sides

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> Model | None:
        """The shipped weights, or None when there are none (the filter then runs rules only)."""
        if not path.exists():
            return None
        return cls(parse(path.read_text(encoding="utf-8")))

    def side(self, employer: bool) -> SideModel:
        return self.sides["employer" if employer else "seeker"]

    def flags(self, folded: str, employer: bool) -> bool:
        side = self.side(employer)
        return side.score(folded) > side.logit_threshold


def _nothing(folded: str) -> Iterable[tuple[int, GramPayload]]:
    return ()


def parse(text: str) -> dict[str, SideModel]:
    """``model.tsv``: ``#`` comments; per side a ``side`` line (side, bias, threshold, categories,
    category biases) then its ``gram`` lines (side, n-gram, weight, per-category weights)."""
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
