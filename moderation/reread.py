"""A second reading of a message the learned stage scored just under its cut: evasions read back (issue 14, round 16).

Why: the model reads the folded text, so look-alike letters, full width, traditional characters and separators are
already undone; two evasions are not. A digit written as a look-alike letter ("2ОО" for 200: Cyrillic О folds to the
letter o) leaves the model "2oo" where it learned "200", and a word written in pinyin ("ya金", "shua单") leaves it
Latin letters where it learned characters, or initials ("yj" for 押金). The rules read the first two
(``normalize.CJK_DIGITS`` in the number view, ``moderation.pinyin``'s syllable view); here the model gets the same
reading: letters o and l inside a digit run become 0 and 1, and a Latin run that splits into whole syllables, or
into syllables and the initials of a listed term (the terms ``moderation.pinyin`` reads), becomes characters (for
each piece the reading whose n-grams with its neighbours the model knows best, i.e. the likeliest text, not the
most damning one). Only a message within ``MARGIN`` logits under the cut that holds such a spot is read again, so the
common message pays for nothing; the second reading's hold still passes the same gate.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Sequence
from typing import Final

from moderation.lexicon import Entry
from moderation.pinyin import CATEGORIES, SKIP_KINDS, load_readings

#: How far under the cut (in logits) a message is read again: chosen on the spent batches' lines rewritten by the
#: bench's evasions (``moderation.tools.adversarial``), not on the test split's.
MARGIN: Final = 3.0
_DIGIT_RUN = re.compile("(?<![a-z])[0-9ol]*[0-9][0-9ol]*(?![a-z])")  # a number with look-alike letters, not a word's
_LATIN_RUN = re.compile("[a-z]{2,}")
_LATIN = re.compile("[a-z]")
_AS_DIGITS = str.maketrans("ol", "01")
_LONGEST = 6  # the longest toneless syllable ("zhuang"); a listed term's initials are at most 4 letters


class Rereader:
    """The pinyin readings inverted: a syllable, or a listed term's initials, → the texts that read so (in order)."""

    def __init__(self, entries: Iterable[Entry], readings: dict[str, str] | None = None) -> None:
        table = load_readings() if readings is None else readings
        self.chars: dict[str, list[str]] = {}
        for char, syllable in table.items():
            if syllable.isascii() and syllable.isalpha() and not char.isascii():
                self.chars.setdefault(syllable, []).append(char)
        self.initials: dict[str, list[str]] = {}
        for e in entries:  # the terms moderation.pinyin reads, by their initials: 押金 → yj, 服装费 → fzf
            if _read(e) and 2 <= len(e.term) <= 4 and all(table.get(c, "").isalpha() for c in e.term):
                key = "".join(table[c][0] for c in e.term)
                if key not in self.chars and e.term not in self.initials.get(key, ()):  # "an", "ai": syllables
                    self.initials.setdefault(key, []).append(e.term)

    def text(self, folded: str, known: Container[str]) -> str | None:
        """``folded`` with its digit look-alikes and pinyin read back, or None when it has neither."""
        if _LATIN.search(folded) is None:
            return None
        out = _DIGIT_RUN.sub(lambda m: m.group(0).translate(_AS_DIGITS), folded)
        out = _LATIN_RUN.sub(lambda m: self._word(m, known), out)
        return out if out != folded else None

    def _word(self, match: re.Match[str], known: Container[str]) -> str:
        word, text = match.group(0), match.string
        syllables = self._split(word)
        if syllables is None:
            return word
        before = text[match.start() - 1] if match.start() > 0 else ""
        after = text[match.end()] if match.end() < len(text) else ""
        out: list[str] = []
        for i, piece in enumerate(syllables):
            left = out[-1][-1:] if out else before
            right = after if i == len(syllables) - 1 else ""
            candidates = self.chars.get(piece) or self.initials[piece]
            out.append(max(candidates, key=lambda c: (left + c[0] in known) + (c[-1] + right in known)))  # first on ties
        return "".join(out)

    def _split(self, word: str) -> Sequence[str] | None:
        """``word`` as the fewest whole syllables or listed terms' initials, or None (English, handles: "java")."""
        best: list[list[str] | None] = [[]] + [None] * len(word)
        for end in range(1, len(word) + 1):
            for start in range(max(0, end - _LONGEST), end):
                head, piece = best[start], word[start:end]
                if head is None or (piece not in self.chars and piece not in self.initials):
                    continue
                if best[end] is None or len(head) + 1 < len(best[end] or ()):
                    best[end] = [*head, piece]
        return best[-1]


def _read(e: Entry) -> bool:
    """A term ``moderation.pinyin`` reads (its categories, not an app name, not a review-only word)."""
    return e.category in CATEGORIES and (e.category, e.kind) not in SKIP_KINDS and e.kind != "review"
