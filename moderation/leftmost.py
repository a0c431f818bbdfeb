"""``finditer`` that lets ``re`` skip to the characters a match can start with (round 18, speed).

Why: ``re`` skips through a text by a first character only when a pattern starts with a literal, a class, or an
alternation whose every branch starts with a literal. Patterns that start with an amount (``[0-9]+|[一二…]…``) or
with an alternation of groups (``(?:押|扣…)(?:身份证|护照)|(?:身份证|护照)…``) get no such prefix, so ``re`` starts
the whole pattern at every position of the text. :class:`Leftmost` reads the characters every match starts with
from the pattern's parse (the stdlib's own parser: a rule change cannot make it stale) and searches a *skipper*:
``[those characters]`` followed by a one-character lookbehind holding a lookahead of the pattern. It starts with a
class, so ``re`` skips to candidates in its tight loop, and it matches at a position exactly when the pattern
does. A pattern that starts with a wide class of a fixed width (``[\u4e00-\u9fff]{2}(?:费|金|款)…``) is anchored on
the characters after it, at that offset. The pattern is then matched again at each position the skipper finds that the previous match has not
covered: the same ``Match`` objects, leftmost and non-overlapping, as ``pattern.finditer``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from re import _parser  # type: ignore[attr-defined]  # the stdlib's own parser: the same reading as re.compile
from typing import Any, Final

try:
    from moderation import _fastscan
except ImportError:  # no compiler at install time: a Gated pattern is searched as it is
    _fastscan = None  # type: ignore[assignment]

_WIDEST_RANGE: Final = 64  # a class range wider than this (a whole script) would let the skipper stop almost everywhere
_EMPTY: Final = ""  # in a first-character set: the items read so far can match nothing at all


def class_characters(items: Any) -> set[str] | None:
    """The characters a parsed positive class of literals and narrow ranges holds; None for anything wider (also
    ``moderation.required``'s reading of a small class)."""
    chars: set[str] = set()
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            chars.add(chr(arg))
        elif name == "RANGE" and arg[1] - arg[0] < _WIDEST_RANGE:
            chars.update(chr(c) for c in range(arg[0], arg[1] + 1))
        else:
            return None  # negated, a category, a wide range
    return chars


def _firsts(items: Any) -> set[str] | None:
    """The characters a match of the sequence ``items`` can start with, plus ``_EMPTY`` when it can be empty."""
    chars: set[str] = set()
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            return chars | {chr(arg)}
        if name == "IN":
            inner = class_characters(arg)
            return None if inner is None else chars | inner
        if name in ("ASSERT", "ASSERT_NOT", "AT"):
            continue  # zero-width: the next item consumes the first character
        if name == "BRANCH":
            inner = set()
            for branch in arg[1]:
                found = _firsts(branch.data)
                if found is None:
                    return None
                inner |= found
        elif name == "SUBPATTERN":
            if arg[1] & re.IGNORECASE:
                return None
            inner = _firsts(arg[3].data)
        elif name in ("MAX_REPEAT", "MIN_REPEAT"):
            inner = _firsts(arg[2].data)
            if inner is not None and arg[0] == 0:
                inner.add(_EMPTY)
        else:
            return None  # any character, a back reference, an atomic group…: no skipper
        if inner is None:
            return None
        if _EMPTY not in inner:
            return chars | inner
        chars |= inner - {_EMPTY}
    return chars | {_EMPTY}


def anchor(pattern: re.Pattern[str]) -> tuple[int, frozenset[str]] | None:
    """``(offset, characters)``: every match of ``pattern`` holds one of ``characters`` ``offset`` characters after
    its start (0: it starts with one), read past leading items of a fixed width (``[\u4e00-\u9fff]{2}(?:费|金)``:
    2, 费金). None when no small set is found that way, or a match can be empty."""
    if pattern.flags & re.IGNORECASE:
        return None
    parsed = _parser.parse(pattern.pattern, pattern.flags)
    items = parsed.data
    offset = 0
    for i in range(len(items)):
        found = _firsts(items[i:])
        if found is not None and _EMPTY not in found:
            return offset, frozenset(found)
        low, high = _parser.SubPattern(parsed.state, [items[i]]).getwidth()
        if low != high or low == 0:
            return None
        offset += low
    return None


def first_characters(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """What every match of ``pattern`` starts with; None when that is not a small set (or a match can be empty)."""
    found = anchor(pattern)
    return found[1] if found is not None and found[0] == 0 else None


def skipper(pattern: re.Pattern[str]) -> tuple[int, re.Pattern[str]] | None:
    """``[characters]`` that matches where ``pattern`` matches ``offset`` characters earlier (a lookahead of it,
    inside a lookbehind of ``offset + 1`` characters), with that offset."""
    found = anchor(pattern)
    if found is None:
        return None
    offset, firsts = found
    chars = "".join(re.escape(c) for c in sorted(firsts))
    return offset, re.compile(f"[{chars}](?<=(?=(?:{pattern.pattern}))(?s:.{{{offset + 1}}}))", pattern.flags)


class Leftmost:
    """A pattern and its skipper: :meth:`finditer` gives what ``pattern.finditer`` gives, as a list."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        found = skipper(pattern)
        self.offset = 0 if found is None else found[0]
        self.skip = None if found is None else found[1]

    def finditer(self, text: str) -> list[re.Match[str]]:
        """The leftmost non-overlapping matches: a candidate inside the previous match is passed over."""
        skip = self.skip
        if skip is None:
            return list(self.pattern.finditer(text))
        found: list[re.Match[str]] = []
        end = 0
        for candidate in skip.finditer(text):
            start = candidate.start() - self.offset
            if start >= end:
                match = self.pattern.match(text, start)
                if match is not None:  # always: the skipper looked ahead with this pattern
                    found.append(match)
                    end = match.end()
        return found


def within_test(words: Iterable[str] | None) -> Callable[[str, int, int], bool] | None:
    """``Matcher.within`` over ``words``: whether one lies inside ``text[start:end]``; None without words or method."""
    keys = list(dict.fromkeys(words or ()))
    if not keys or _fastscan is None or not hasattr(_fastscan.Matcher, "within"):
        return None
    return _fastscan.Matcher(keys, [1] * len(keys)).within


class Gated:
    """``pattern.search`` and ``.match``, answered None without a ``re`` call when none of ``words`` lies inside the
    searched window (``words``: one of them is in every match, ``moderation.required.gated`` reads them).

    Why (round 24, speed): most of the rules' searches (a negation or a question in a clause) find nothing, and
    ``re`` pays its call and a test per character for that; one Aho–Corasick pass in C (``Matcher.within``) that
    stops at the first word costs a fraction. Without the method (not built, or built before round 24) or without
    words, every call is searched as it is."""

    def __init__(self, pattern: re.Pattern[str], words: Iterable[str] | None) -> None:
        self.pattern = pattern
        self._within = within_test(words)

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        within = self._within
        if within is not None and not within(text, pos, len(text) if endpos is None else endpos):
            return None
        return self.pattern.search(text, pos) if endpos is None else self.pattern.search(text, pos, endpos)

    def match(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        within = self._within
        if within is not None and not within(text, pos, len(text) if endpos is None else endpos):
            return None
        return self.pattern.match(text, pos) if endpos is None else self.pattern.match(text, pos, endpos)
