"""Evasion-resistant text folding with a map back to the original offsets.

Why: people dodge filters with full-width letters, traditional characters, look-alike
Cyrillic/Greek letters, emoji or zero-width characters between the characters of a
word, repeated characters, and digits written as 一三八, 壹, ①, keycaps (standard
5.1.3 d asks for a filter that survives this). Everything is one ``str.translate``
table built once per :class:`Normalizer`, plus one regex for repeated characters,
so the hot path stays in C. Offsets are only computed when something matched.

Folding steps per character: NFKC → casefold → homoglyph (and, round 19, any script's digit → ASCII) →
traditional→simplified
(table generated from OpenCC by ``moderation/tools/build_t2s.py``) → separators
(whitespace, punctuation, symbols, emoji, marks, format characters) deleted.
Chinese and other digit forms are folded to ASCII only in :meth:`number_view`,
so words such as 一分钱 keep their meaning for the lexicon.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from importlib import resources
from itertools import compress
from pathlib import Path
from typing import Final, NamedTuple

# Found through its package, not ``__file__``: this module may be compiled by mypyc (setup.py).
_DATA: Final = Path(str(resources.files("moderation.data")))

# Look-alike letters (Cyrillic, Greek, others) → the Latin letter people mean.
HOMOGLYPHS: Final[dict[str, str]] = {
    "а": "a", "в": "b", "с": "c", "е": "e", "ё": "e", "һ": "h", "і": "i", "ј": "j", "к": "k",
    "м": "m", "н": "h", "о": "o", "р": "p", "ѕ": "s", "т": "t", "у": "y", "х": "x", "ԛ": "q",
    "ԝ": "w", "ѵ": "v", "ү": "y", "ɡ": "g",
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "ω": "w", "μ": "u", "σ": "o", "ς": "s",
    "ⅴ": "v", "ⅹ": "x", "∨": "v", "√": "v", "ˇ": "v",
    "з": "3", "ч": "4", "б": "6",  # Cyrillic letters written for digits (З for 3, Ч for 4, б for 6)
    "+": "加", "➕": "加", "✚": "加", "＋": "加",  # "+v", "➕微" read as 加v, 加微
    "🐴": "马", "🐧": "企鹅",  # emoji read for their sound or name: 你🐴 (你妈), 加我🐧 (企鹅 = QQ)
    "✈": "飞机", "🛩": "飞机", "🛫": "飞机",  # round 19: the plane is Telegram's icon (✈️ 搜 …)
    # round 19 (batch 21 read): Canadian syllabics that look like Latin letters (找ᐯ: 找V)
    "ᐯ": "v", "ᑌ": "u", "ᑎ": "n", "ᑭ": "p", "ᒪ": "l", "ᕼ": "h", "ᔕ": "s", "ᗪ": "d", "ᗷ": "b", "ᖇ": "r",
    "ᗩ": "a", "ᑕ": "c", "ᗰ": "m", "ᗯ": "w",
}  # fmt: skip

# Round 19: die faces count their pips (a number told as dice: ⚀⚂⚄ → 135).
DIE_FACES: Final[dict[str, str]] = {"⚀": "1", "⚁": "2", "⚂": "3", "⚃": "4", "⚄": "5", "⚅": "6"}
# Round 20 (batch 22 read): mahjong tiles count their suit (🀇 一万 … 🀏 九万, bamboos, circles): a number told in tiles.
MAHJONG_TILES: Final[dict[str, str]] = {chr(0x1F007 + i): str(i % 9 + 1) for i in range(27)}


def digit_forms() -> dict[str, str]:
    """Round 19: every Unicode digit NFKC leaves as itself (Arabic-Indic ١٣٨, Devanagari, Thai, negative circled ❶,
    sans-serif circled ➊, Hangzhou 〡〢〣, counting rods …) → its ASCII digit, so a number in any script reads as
    one. Chinese ideographs keep their meaning (一分钱): the number view reads those; so does 〇."""
    forms = {**DIE_FACES, **MAHJONG_TILES}
    for cp in range(_FAST_LIMIT):
        ch = chr(cp)
        if unicodedata.category(ch) not in ("Nd", "No", "Nl") or ch == "〇" or len(unicodedata.normalize("NFKC", ch)) != 1:
            continue
        value = unicodedata.numeric(ch, -1.0)
        if value in (0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0) and not ch.isascii():
            forms[ch] = str(int(value))
    return forms

# Characters people put between the characters of a word that are not categories
# we delete anyway (kept explicit so the intent is visible).
EXTRA_SEPARATORS: Final = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"

# Digit forms folded to ASCII for number detection (幺 = 1, 两 = 2, 洞 = 0, 拐 = 7, 勾 = 9
# are the radio/spoken forms used to dodge phone-number filters).
CJK_DIGITS: Final[dict[str, str]] = {
    "零": "0", "〇": "0", "洞": "0", "一": "1", "幺": "1", "壹": "1", "二": "2", "两": "2",
    "贰": "2", "三": "3", "叁": "3", "四": "4", "肆": "4", "五": "5", "伍": "5", "六": "6",
    "陆": "6", "七": "7", "柒": "7", "拐": "7", "八": "8", "捌": "8", "九": "9", "玖": "9",
    "勾": "9", "o": "0", "l": "1",
}  # fmt: skip
DIGITISH: Final = "0123456789" + "".join(CJK_DIGITS)
# Clause ends in the ORIGINAL text: used for context (negation, question) windows.
CLAUSE_ENDS: Final = frozenset("，。！？；,!?;\n：:…")
QUESTION_ENDS: Final = frozenset("?？")

_DELETE_CATEGORIES: Final = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Co", "Cn", "Cs", "Mn", "Me", "Mc",
                                "Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Sm", "Sc", "Sk", "So"})  # fmt: skip
_FAST_LIMIT: Final = 0x20000
_FAST_MAX: Final = chr(_FAST_LIMIT)
_ASTRAL: Final = re.compile(f"[{_FAST_MAX}-\U0010ffff]")
_SHAPE_DELETED, _SHAPE_KEPT, _SHAPE_MARK, _SHAPE_OTHER = "\x00", "\x01", "\x02", "\x03"
_CLAUSE_RE: Final = re.compile("[" + re.escape("".join(sorted(CLAUSE_ENDS))) + "]")
_COMBINING: Final = frozenset({"Mn", "Me", "Mc"})
_PLANES: Final = ((0x0000, 0x3400), (0xA000, 0x20000))  # CJK ideographs handled by the t2s table


_PLUS_ONE: Final = (1).__add__


def _first(match: re.Match[str]) -> str:
    return match.group(1)


def load_t2s(path: Path | None = None) -> dict[str, str]:
    """Read the precomputed traditional→simplified character table."""
    table: dict[str, str] = {}
    text = (path or _DATA / "t2s.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            trad, simp = line.split("\t")
            table[trad] = simp
    return table


def _fold_char(ch: str, t2s: dict[str, str]) -> str:
    out = []
    for c in unicodedata.normalize("NFKC", ch).casefold():
        if c in HOMOGLYPHS:
            out.append(HOMOGLYPHS[c])
            continue
        c = t2s.get(c, c)
        if c in EXTRA_SEPARATORS or unicodedata.category(c) in _DELETE_CATEGORIES:
            continue
        out.append(c)
    return "".join(out)


class Folded(NamedTuple):
    """A normalised string with, per character, its span in the original text.

    A NamedTuple rather than a frozen dataclass: built once per flagged message on the
    chat hot path, where a frozen dataclass ``__init__`` costs several times more.
    """

    text: str
    starts: list[int]
    ends: list[int]
    original: str
    # :meth:`clauses`' answer when the compiled scanner computed it in its pass (else None)
    clause_marks: tuple[list[int], set[int]] | None = None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original span of normalised ``[start, end)``."""
        return self.starts[start], self.ends[end - 1]

    def clauses(self) -> tuple[list[int], set[int]]:
        """Clause ends in normalised indexes (exclusive), and which clauses end in ``?``.

        Computed on demand: only the fee, diversion and discrimination rules look at clauses.
        """
        if self.clause_marks is not None:
            return self.clause_marks
        starts, text = self.starts, self.original
        clause_ends: list[int] = []
        questions: set[int] = set()
        for m in _CLAUSE_RE.finditer(text):
            kept = bisect_left(starts, m.start())  # normalised characters before it
            if kept and (not clause_ends or clause_ends[-1] != kept):
                clause_ends.append(kept)
            if m.group() in QUESTION_ENDS and clause_ends and clause_ends[-1] == kept:
                questions.add(len(clause_ends) - 1)
        if text and text[-1] in QUESTION_ENDS and self.text:
            if not clause_ends or clause_ends[-1] != len(self.text):
                clause_ends.append(len(self.text))
            questions.add(len(clause_ends) - 1)
        return clause_ends, questions

    def clause(self, pos: int, clauses: tuple[list[int], set[int]] | None = None) -> tuple[int, int, bool]:
        """Normalised ``(start, end, ends_with_question_mark)`` of the clause holding ``pos``."""
        return clause_at(clauses if clauses is not None else self.clauses(), pos, len(self.text))


def clause_at(clauses: tuple[list[int], set[int]], pos: int, length: int) -> tuple[int, int, bool]:
    """:meth:`Folded.clause` for a text of ``length`` characters: a native call from compiled callers (a
    NamedTuple's methods are called as Python ones)."""
    clause_ends, questions = clauses
    start = 0
    for i, end in enumerate(clause_ends):
        if pos < end:
            return start, end, i in questions
        start = end
    return start, length, False


class Normalizer:
    """Folds text for matching; the lexicon goes through the same instance."""

    def __init__(self, t2s: dict[str, str] | None = None) -> None:
        t2s = load_t2s() if t2s is None else t2s
        table: dict[int, str | None] = {}
        for low, high in _PLANES:
            for cp in range(low, high):
                ch = chr(cp)
                folded = _fold_char(ch, t2s)
                if folded != ch:
                    table[cp] = folded or None
        for trad, simp in t2s.items():
            table[ord(trad)] = simp
        for ch, latin in HOMOGLYPHS.items():
            table[ord(ch)] = latin
        for ch, digit in digit_forms().items():
            if unicodedata.normalize("NFKC", ch) == ch:  # not ① or ¹: NFKC reads those already
                table[ord(ch)] = digit
        self.table = table
        # A list indexed by code point translates about twice as fast as a dict; code
        # points past its end (rare: CJK extension B+, tag characters) use the dict.
        self._fast_table: list[int | str | None] = [table.get(cp, cp) for cp in range(_FAST_LIMIT)]
        # Per character: kept as one character (\x01), deleted (\x00), deleted
        # combining mark (\x02: extends its base's span), anything else (\x03).
        shape: list[str] = []
        for cp in range(_FAST_LIMIT):
            out = table.get(cp, chr(cp))
            if out is None:
                shape.append(_SHAPE_MARK if unicodedata.category(chr(cp)) in _COMBINING else _SHAPE_DELETED)
            else:
                shape.append(_SHAPE_KEPT if len(out) == 1 else _SHAPE_OTHER)
        self._shape_table = shape
        self._repeat = re.compile(r"([^0-9a-z" + DIGITISH + r"])\1+")
        self._repeat_probe = re.compile(r"([^0-9a-z" + DIGITISH + r"])\1")
        # one probe for both rare cases: a repeated character, or a code point past the list
        self._probe = re.compile(r"([^0-9a-z" + DIGITISH + r"])\1|" + _ASTRAL.pattern)
        self.number_table = str.maketrans(CJK_DIGITS)
        # The same as a list indexed by code point (about 3x faster to translate with than
        # the dict); code points past its end raise LookupError inside translate: kept.
        self._number_list: list[int | str] = list(range(max(map(ord, CJK_DIGITS)) + 1))
        for ch, digit in CJK_DIGITS.items():
            self._number_list[ord(ch)] = digit
        # For callers that inline :meth:`fold`'s fast path (the engine does, per message):
        # ``text.translate(fast_table)`` is the answer whenever ``probe`` finds nothing in it.
        self.fast_table = self._fast_table
        self.probe = self._probe.search

    def fold(self, text: str) -> str:
        """Fast path: the normalised text only (no offsets)."""
        folded = text.translate(self._fast_table)
        if self._probe.search(folded) is None:
            return folded
        if _ASTRAL.search(folded) is not None:  # past the list: redo with the full table
            folded = text.translate(self.table)
        return self._repeat.sub(_first, folded)

    def fold_with_offsets(self, text: str, folded: str | None = None) -> Folded:
        """Only for messages with a hit: the same folding, plus offsets and clauses.

        ``folded`` is :meth:`fold`'s result when the caller has it. Common case in C:
        every character maps to zero or one character and there are no keycaps; then the
        kept positions come from ``itertools.compress`` and repeated runs are merged
        afterwards. Anything else takes :meth:`fold_with_offsets_loop`, the reference.
        """
        shape = text.translate(self._shape_table)
        if not shape.isascii() or _SHAPE_OTHER in shape or _SHAPE_MARK in shape:
            return self.fold_with_offsets_loop(text)  # astral code points, expansions, marks
        if folded is None:
            folded = self.fold(text)
        starts = list(compress(range(len(text)), shape.encode("ascii")))
        ends = list(map(_PLUS_ONE, starts))
        if len(starts) != len(folded):  # repeats were collapsed: fold each run into its first
            for run in reversed(list(self._repeat.finditer(text.translate(self._fast_table)))):
                first, last = run.span()
                ends[first] = ends[last - 1]
                del starts[first + 1 : last], ends[first + 1 : last]
            if len(starts) != len(folded):
                return self.fold_with_offsets_loop(text)
        return Folded(folded, starts, ends, text)

    def fold_with_offsets_loop(self, text: str) -> Folded:
        """Reference implementation, one character at a time."""
        table = self.table
        chars: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        for i, ch in enumerate(text):
            out = table.get(ord(ch), ch)
            if not out:
                if ends and ends[-1] == i and unicodedata.category(ch) in _COMBINING:
                    ends[-1] = i + 1  # a keycap or variation selector belongs to its base
                continue
            for c in out:
                if chars and c == chars[-1] and c not in DIGITISH and not ("a" <= c <= "z"):
                    ends[-1] = i + 1  # repeated character: extend the previous span
                    continue
                chars.append(c)
                starts.append(i)
                ends.append(i + 1)
        return Folded("".join(chars), starts, ends, text)

    def number_view(self, folded: str) -> str:
        """Same length as ``folded``: every digit form (and o/l) as an ASCII digit."""
        return folded.translate(self._number_list)
