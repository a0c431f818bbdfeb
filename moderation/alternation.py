"""A word list as one regex that ``re`` scans fast: the words folded into a prefix tree.

``re`` tries the alternatives of ``A|B|C…`` one after another at every candidate position, so a list of
sixty negation or question words costs sixty literal tests wherever its first characters occur, on every
flagged message (round 12's profile: these searches were the largest share of the rules' time). The tree
form (``不(?:用|要(?:相信)?)|…``) tests each character once.

The match is the one ``"|".join(sorted(words, key=len, reverse=True))`` finds: at a position, every word
that matches is a prefix of the text there, so all of them lie on one path of the tree, and the greedy
``(?:…)?`` of a word that goes on tries the longer words first, as the sorted alternation does; a pattern
that goes on after the list (a lookahead, ``$``) backtracks through the same candidates in the same order.

``not_after`` is a negative lookbehind on the match's start (``(?<![不没无])(?:…)``), written after the
first character (``报(?<![不没无]报)销``) so that the pattern still starts with a literal: ``re`` then skips
ahead to the characters that can start a word instead of testing the lookbehind at every position.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

try:
    from moderation import _fastscan
except ImportError:  # no compiler at install time: contains() searches the tree regex
    _fastscan = None  # type: ignore[assignment]


class _Node:
    """One prefix: the characters that continue it (in first-seen order) and whether a word ends here."""

    __slots__ = ("children", "word")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.word = False


def pattern(words: Iterable[str], not_after: Iterable[str] = ()) -> str:
    """The tree regex (source) of ``words``; matches what their longest-first alternation matches, at a
    start that no string of ``not_after`` ends before."""
    root = _Node()
    for w in words:
        if not w:
            raise ValueError("an empty word would match everywhere")
        node = root
        for ch in w:
            node = node.children.setdefault(ch, _Node())
        node.word = True
    if not root.children:
        raise ValueError("no words: the alternation would match everywhere")
    guards = tuple(re.escape(s) for s in not_after)
    parts = []
    for ch, child in root.children.items():
        first = re.escape(ch)
        guard = "".join(f"(?<!{g}{first})" for g in guards)
        parts.append(first + guard + (_tail(child) if child.children else ""))
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"


def compile_words(words: Iterable[str], not_after: Iterable[str] = ()) -> re.Pattern[str]:
    """``re.compile(pattern(words, not_after))``: the drop-in for a longest-first ``|``-join of escaped words
    (behind ``(?<!…)`` guards)."""
    return re.compile(pattern(words, not_after))


def contains(words: Iterable[str]) -> Callable[[str], int]:
    """A test, nonzero iff one of ``words`` is a substring of the text: what ``compile_words(words).search(text) is
    not None`` says (with no ``not_after``, the tree matches at a position iff a word starts there).

    Why (round 23, speed): ``re`` pays about 5k instructions to search a tree of thousands of words
    (``wanted._ANY_VERB``); one Aho–Corasick pass in C (``_fastscan.Matcher.bits``) answers the same question."""
    keys = list(dict.fromkeys(words))
    tree = compile_words(keys)  # checks the words as compile_words does (none empty, at least one)
    if _fastscan is None or not hasattr(_fastscan.Matcher, "bits"):  # not built, or built before round 23
        return lambda text: tree.search(text) is not None
    return _fastscan.Matcher(keys, [1] * len(keys)).bits


def _tail(node: _Node) -> str:
    """What may follow ``node``'s prefix: its continuations, optional (longer first) when a word ends there."""
    parts = [
        re.escape(ch) + _tail(child) if child.children else re.escape(ch)
        for ch, child in node.children.items()
    ]
    body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
    return "(?:" + body + ")?" if node.word else body
