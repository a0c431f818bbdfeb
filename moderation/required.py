"""Required words of a regex, read from its parse: a cheap test that can only say "cannot match here".

Why (round 15, speed): the discrimination probes are alternations whose branches often start with ``.{0,6}``, an
age or a negated class, so ``re`` cannot skip to a first character and tries every branch at every position. Every
match of a pattern contains one of a few literal words (``岁``, ``优先``, a refusal word…); the alternation of those
words starts with literals, so ``re`` skips through the text to them. A text without any of them cannot match: the
probe is not needed. Derived when the patterns are compiled, so a rule change cannot make it stale; the tests check
it against the bare search on random text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from re import _parser  # type: ignore[attr-defined]  # the stdlib's own parser: the same reading as re.compile
from typing import Any

from moderation.leftmost import Gated, class_characters  # round 18: one reading of a small class

try:
    from moderation import _fastscan
except ImportError:  # no compiler at install time: presence() answers with ``in`` tests
    _fastscan = None  # type: ignore[assignment]

Words = frozenset[str]
_MAX_WORDS = 64  # joined words of consecutive literal items, at most
_SMALL_CLASS = 12  # a character class of up to this many literal characters counts as that many one-character words


FEW_WORDS = 10  # up to this many words, ``in`` tests cost less than one ``re`` search (round 16; re-measured in round 22, callgrind)
_ONE_CHARACTER = 12  # a one-character word is about as likely in a text as this many longer words


def _cost(words: Words) -> int:
    """How likely a text holds one of ``words``: one-character words are common, longer ones rare."""
    return sum(1 if len(w) > 1 else _ONE_CHARACTER for w in words)


def _minimal(words: Iterable[str]) -> Words:
    """Drop a word that contains another (a text holding it holds the shorter one too)."""
    ordered = sorted(set(words), key=len)
    kept: list[str] = []
    for w in ordered:
        if not any(k in w for k in kept):
            kept.append(w)
    return frozenset(kept)


def _best(options: Sequence[Words]) -> Words | None:
    return min(options, key=_cost) if options else None


def _class_words(items: Any) -> Words | None:
    """A positive class of a few literal characters (``[扣抠寇蔻]``, ``[0-9]``); None otherwise (negated, a
    category or a wide range: any character may do). A range too wide for ``_SMALL_CLASS`` fails the count."""
    chars = class_characters(items)
    return frozenset(chars) if chars is not None and 0 < len(chars) <= _SMALL_CLASS else None


def _exact(items: Any) -> Words | None:
    """Every string a parsed sequence can match, when it is a few literal words ("" when it can match empty)."""
    out: Words = frozenset([""])
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            step: Words | None = frozenset([chr(arg)])
        elif name == "IN":
            step = _class_words(arg)
        elif name == "SUBPATTERN":
            step = None if arg[1] & re.IGNORECASE else _exact(arg[-1])
        elif name == "BRANCH":
            parts = [_exact(b) for b in arg[1]]
            step = None if any(p is None for p in parts) else frozenset().union(*(p for p in parts if p is not None))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and arg[1] == 1:
            body = _exact(arg[-1])
            step = None if body is None else body | ({""} if arg[0] == 0 else set())
        else:
            return None
        if step is None or len(out) * len(step) > _MAX_WORDS:
            return None
        out = frozenset(a + b for a in out for b in step)
    return out


def _options(items: Any) -> list[Words]:
    """Word sets of a parsed sequence such that every match contains a word of each set."""
    out: list[Words] = []
    run: list[tuple[Any, Any]] = []  # consecutive items that match a few literal words: their words joined

    def flush() -> None:
        words = _exact(run)
        if words is not None and "" not in words:
            out.append(_minimal(words))
        elif words is None:  # too many joined words: each item's own
            for item in run:
                out.extend(_options([item]))
        run.clear()

    for op, arg in items:
        if _exact([(op, arg)]) is not None:
            run.append((op, arg))
            continue
        flush()
        name = str(op)
        if name == "SUBPATTERN":
            if not arg[1] & re.IGNORECASE:  # (?i:…) folds case: its literals are not required as written
                out.extend(_options(arg[-1]))
        elif name == "BRANCH":
            union: set[str] = set()
            for branch in arg[1]:
                best = _best(_options(branch))
                if best is None:
                    break  # this branch needs no word: the alternation as a whole needs none
                union |= best
            else:
                out.append(_minimal(union))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and arg[0] >= 1:
            out.extend(_options(arg[-1]))
        # anything else (., a negated class, a zero-width assertion, an optional part) needs no word
    flush()
    return out


def required_words(pattern: str) -> Words | None:
    """Words one of which every match of ``pattern`` contains (the least likely such set); None if none found."""
    parsed = _parser.parse(pattern)
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
        return None  # a case-folded literal could match other characters
    return _best(_options(parsed))


def words_of(patterns: Iterable[str]) -> tuple[str, ...] | None:
    """The words of :func:`precheck`, longest first; None if a pattern needs no word."""
    words: set[str] = set()
    for p in patterns:
        got = required_words(p)
        if got is None:
            return None
        words |= got
    return tuple(sorted(_minimal(words), key=lambda w: (-len(w), w)))


def precheck(patterns: Iterable[str]) -> re.Pattern[str] | None:
    """One search that finds something wherever any of ``patterns`` could match; None if a pattern needs no word."""
    ordered = words_of(patterns)
    return None if ordered is None else _search(ordered)


def _search(words: Iterable[str]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in words))  # longest first: literals, so ``re`` skips to them


def probes(pattern: str) -> tuple[tuple[str, ...], re.Pattern[str] | None]:
    """``pattern``'s required-word test: a few words (``in`` tests, no ``re`` call, round 16) and no search, or no
    words and the words' search (many words), or neither (the pattern needs no word: search it as it is)."""
    ordered = words_of([pattern])
    if ordered is None:
        return (), None
    if len(ordered) <= FEW_WORDS:
        return ordered, None
    return (), _search(ordered)



def presence(patterns: Sequence[str]) -> Callable[[str], int]:
    """A test whose bit ``i`` is set when ``patterns[i]`` can match the text: one of its required words is in it,
    or it needs none.

    Why (round 23, speed): a group's patterns were tested one by one (:func:`probes`: ``in`` tests or a search of
    the words' alternation, about nine calls a group); one Aho–Corasick pass (``_fastscan.Matcher.bits``) answers
    them all. A word is found iff it is a substring of the text, which is what both of those tests asked."""
    always, masks = 0, dict[str, int]()
    for i, pattern in enumerate(patterns):
        words = words_of([pattern])
        for word in words or ():
            masks[word] = masks.get(word, 0) | 1 << i
        always |= 0 if words else 1 << i  # no word (None): searched as it is, as :func:`probes` says
    if _fastscan is not None and hasattr(_fastscan.Matcher, "bits") and always == 0 and masks and len(patterns) <= 64:
        return _fastscan.Matcher(list(masks), list(masks.values())).bits
    items = tuple(masks.items())

    def held(text: str) -> int:
        bits = always
        for word, mask in items:
            if word in text:
                bits |= mask
        return bits

    return held


def gated(pattern: re.Pattern[str]) -> Gated:
    """``pattern`` behind a test of its required words (:class:`moderation.leftmost.Gated`): the same answers, a
    ``re`` call only where a match can be. A case-blind or verbose pattern gets no words (searched as it is)."""
    blind = pattern.flags & (re.IGNORECASE | re.VERBOSE)
    return Gated(pattern, None if blind else words_of([pattern.pattern]))
