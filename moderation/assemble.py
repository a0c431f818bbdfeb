"""From the rules' rulings to the ``Decision`` (action, categories, matches in the original text, masked text).

Why a module of its own: it is the engine's last step for every flagged message, the same for both front ends,
and ``engine.py`` is at its size limit. Compiled by mypyc with the engine (setup.py ``COMPILED_MODULES``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

from moderation import decision
from moderation.decision import Action, Decision, Match
from moderation.policy import SEVERITY, Ruling

_NON_SPACE: Final = re.compile(r"\S")
# round 22: the decision module is interpreted; compiled code reads a Final of its own from a C static, not a dict
CATEGORIES: Final = decision.CATEGORIES
MASK_CHAR: Final = decision.MASK_CHAR
make_decision: Final = decision.make_decision
make_match: Final = decision.make_match


def decision_of(
    text: str, rulings: list[Ruling], starts: list[int], ends: list[int], messages: Mapping[tuple[Action, tuple[str, ...]], str]
) -> Decision:
    """The decision for at least one ruling; folded spans map back through ``starts``/``ends``."""
    if len(rulings) == 1:  # the usual case
        only = rulings[0]
        hit = only.hit
        action: Action = only.action
        categories = only.categories
        span = (hit.start, hit.end) if hit.original else (starts[hit.start], ends[hit.end - 1])
        category = categories[-1] if hit.category == "pii" else hit.category
        matches: tuple[Match, ...] = (make_match(category, span[0], span[1], hit.term),)
        masked = [span] if action == "mask" else []
    else:  # loops instead of max()/sorted() with a key: no Python-level call per ruling
        action = rulings[0].action
        severity = SEVERITY[action]
        cats: set[str] = set()
        spans: set[tuple[str, int, int, str]] = set()
        masked = []
        for r in rulings:
            if SEVERITY[r.action] > severity:  # the first of the most severe, as max() picks
                action, severity = r.action, SEVERITY[r.action]
            cats.update(r.categories)
            hit = r.hit
            span = (hit.start, hit.end) if hit.original else (starts[hit.start], ends[hit.end - 1])
            spans.add((r.categories[-1] if hit.category == "pii" else hit.category, span[0], span[1], hit.term))
            if r.action == "mask":
                masked.append(span)
        categories = tuple([c for c in CATEGORIES if c in cats])  # every rule's category is one of CATEGORIES
        matches = _merged_matches(spans)
    shown = _mask(text, masked) if action in ("mask", "review") else text
    return make_decision(action, categories, shown, matches, messages[action, categories])


def _merged_matches(spans: set[tuple[str, int, int, str]]) -> tuple[Match, ...]:
    """One match per overlapping run of the same category (加v + v信 → one span), by position (start, end,
    category; equal ones by term, as the first sort left them)."""
    merged: list[tuple[int, int, str, str]] = []  # (start, end, category, terms): sorts by position as is
    for category, start, end, term in sorted(spans):
        if merged and merged[-1][2] == category and start < merged[-1][1]:
            first, last, _, terms = merged[-1]
            terms = terms if term in terms.split("/") else f"{terms}/{term}"
            merged[-1] = (first, max(last, end), category, terms)
        else:
            merged.append((start, end, category, term))
    merged.sort()
    return tuple([make_match(category, start, end, terms) for start, end, category, terms in merged])


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    """Replace every non-space character inside the spans by ＊ (offsets stay valid)."""
    for start, end in sorted(spans):
        text = text[:start] + _NON_SPACE.sub(MASK_CHAR, text[start:end]) + text[end:]
    return text
