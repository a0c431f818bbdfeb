"""The compiled front end (``moderation/_fastscan.c``) and the tables it is built from.

Why: a clean chat message cost several Python-level steps (translate, a repeat probe,
pyahocorasick's linear root scan, a digit probe) and a message with a hit paid again
for the offset map and clauses. ``_fastscan`` does all of that in one C call with the very
tables :class:`~moderation.normalize.Normalizer` builds, so the pure-Python engine stays the
reference and the fallback: when the extension is not importable (no compiler at install
time) :func:`available` is False and the engine runs the Python path.
"""

from __future__ import annotations

import importlib
import sys
import unicodedata
from array import array
from collections.abc import Callable
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path
from typing import TypeVar, cast

from moderation.normalize import (
    _COMBINING,
    _FAST_LIMIT,
    CJK_DIGITS,
    CLAUSE_ENDS,
    DIGITISH,
    QUESTION_ENDS,
    Normalizer,
)

try:
    from moderation import _fastscan
except ImportError:  # a machine without a C compiler at install time: the Python path
    _fastscan = None  # type: ignore[assignment]

T = TypeVar("T")
Payload = tuple[int, tuple[tuple[str, str, str, bool], ...]]

DELETED = 0xFFFFFFFF
MARK = 0xFFFFFFFE
EXPAND_BASE = 0x80000000
F_DIGITISH, F_NOCOLLAPSE, F_CLAUSE, F_QUESTION, F_AT = 0x01, 0x02, 0x04, 0x08, 0x10


# Modules setup.py compiles with mypyc; their .py files stay the source of truth.
MYPYC_MODULES = (
    "moderation.engine",
    "moderation.policy",
    "moderation.detectors",
    "moderation.normalize",
    "moderation.grounds",
    "moderation.shapes",
    "moderation.evidence",
    "moderation.pinyin",
    "moderation.families",
    "moderation.lawful",
    "moderation.harms",
    "moderation.lures",
    "moderation.homes",
    "moderation.assemble",
    "moderation.anchored",
    "moderation.menace",
    "moderation.benign",
    "moderation.charges",
    "moderation.offsite",
    "moderation.baits",
    "moderation.dialled",
    "moderation.nightly",
    "moderation.payouts",
    "moderation.buyins",
    "moderation.tolls",
    "moderation.spelled",
    "moderation.exposure",
    "moderation.pieces",  # round 18: contacts in split characters, dialect or initials
    "moderation.stalking",  # round 18: watching and doxxing
    "moderation.levies",  # round 18: fees by red packet, head count, agency package, instalments
    "moderation.payers",  # round 19: a fee read by who pays whom for what
    "moderation.terms",  # round 20: a fee in the terms of the job, no pay verb
    "moderation.readings",  # round 19: numbers read from spoken, homophone, place, count and value notations
    "moderation.elsewhere",  # round 19: go-elsewhere shapes, links, Cyrillic app names
    "moderation.classes",  # round 19: protected grounds as open classes
    "moderation.wanted",  # round 19: a ground wanted or refused
    "moderation.shaming",  # round 19: harassment composed of its parts
    "moderation.schemes",  # round 20: harmful schemes told by their structure
    "moderation.contempt",  # round 20: contempt with no insult word
    "moderation.puzzles",  # round 21: contacts written as puzzles
    "moderation.deceits",  # round 22: paid deception, a name used for a cut
    "moderation.abuse",  # round 22: mockery, exposure threats, pretexts
    "moderation.inkind",  # round 22: a fee paid in kind
    "moderation.conduct",  # round 23: harassment told by the act
    "moderation.unequal",  # round 23: discrimination by a condition, a procedure or unequal terms
    "moderation.frauds",  # round 23: scams and fees told by the act asked
    "moderation.asides",  # round 24 (lead): kit summed, a fee told later, a promotion promised, an offline referral
    "moderation.pursuit",  # round 24: harassment by pursuit and by belittling a person's worth
    "moderation.leanings",  # round 24: discrimination as a preference, a hedge or an apology
    "moderation.errands",  # round 24: scams and fees told by the errand run
    "moderation.snares",
    "moderation.disowned",  # round 18: flagged hits named to be refused, blocked or told
    "moderation.learned",  # round 16: the gate and the category of a held message (long texts: the p99)
    "moderation.leftmost",  # round 18: the skipping finditer of the detectors
    "moderation.demands",  # round 18: a fee demanded (behind policy's per-hit memo)
)


def available() -> bool:
    """True when the compiled scanner was built and imports."""
    return _fastscan is not None


def compiled_modules() -> list[str]:
    """Which of :data:`MYPYC_MODULES` run compiled (loaded from a shared library)."""
    return [name for name in MYPYC_MODULES if _origin(name).endswith(".so")]


def stale_modules() -> list[str]:
    """Compiled modules whose .py source changed after the build: the interpreter runs the
    OLD compiled code until ``scripts/install`` (``pip install -e .``) rebuilds it."""
    package = Path(__file__).resolve().parent  # not the compiled modules' __file__: mypyc garbles it
    stale = []
    for name in compiled_modules():
        leaf = name.rpartition(".")[2]
        source = package / f"{leaf}.py"
        for suffix in EXTENSION_SUFFIXES:
            built = package / f"{leaf}{suffix}"
            if built.exists() and source.exists() and source.stat().st_mtime > built.stat().st_mtime:
                stale.append(name)
    return stale


def _origin(name: str) -> str:
    module = sys.modules.get(name) or importlib.import_module(name)
    return getattr(module, "__file__", None) or ""


def _entry(cp: int, out: str | None, pool: array[int]) -> int:
    if not out:
        return MARK if unicodedata.category(chr(cp)) in _COMBINING else DELETED
    if len(out) == 1:
        return ord(out)
    at = len(pool)
    pool.append(len(out))
    pool.extend(map(ord, out))
    return EXPAND_BASE + at


def tables(normalizer: Normalizer) -> tuple[bytes, bytes, bytes, bytes, bytes, bytes]:
    """``(table, astral_keys, astral_values, pool, flags, digits)`` for ``_fastscan.Folder``:
    the normaliser's translate table flattened to uint32 entries, per-character flags and
    the number view's digits (see the C file's header)."""
    pool = array("I")
    table = array("I", range(_FAST_LIMIT))
    assert table.itemsize == 4
    mapping = normalizer.table
    for cp, out in enumerate(normalizer.fast_table):
        if not isinstance(out, int):
            table[cp] = _entry(cp, out, pool)
    astral = sorted(cp for cp in mapping if cp >= _FAST_LIMIT)
    keys = array("I", astral)
    values = array("I", (_entry(cp, mapping[cp], pool) for cp in astral))
    flags = bytearray(_FAST_LIMIT)
    for ch in DIGITISH:
        flags[ord(ch)] |= F_DIGITISH | F_NOCOLLAPSE
    for ch in "abcdefghijklmnopqrstuvwxyz":
        flags[ord(ch)] |= F_NOCOLLAPSE
    for ch in CLAUSE_ENDS:
        flags[ord(ch)] |= F_CLAUSE
    for ch in QUESTION_ENDS:
        flags[ord(ch)] |= F_QUESTION
    for ch in "@＠":
        flags[ord(ch)] |= F_AT
    digits = bytearray(_FAST_LIMIT)  # 1 + the digit in Normalizer.number_view, 0 = none
    for ch in DIGITISH:
        digits[ord(ch)] = 1 + int(CJK_DIGITS.get(ch, ch))
    return table.tobytes(), keys.tobytes(), values.tobytes(), pool.tobytes(), bytes(flags), bytes(digits)


def folder(normalizer: Normalizer) -> _fastscan.Folder:
    """A ``_fastscan.Folder`` for this normaliser (the extension must be available)."""
    assert _fastscan is not None
    return _fastscan.Folder(*tables(normalizer))


def tuple_maker(cls: Callable[..., T], size: int, defaults: tuple[object, ...] = ()) -> Callable[..., T]:
    """``cls`` itself, or a C builder of its instances (``_fastscan.TupleRecord``): a NamedTuple's ``__new__`` is
    an interpreted function, and compiled callers build several per flagged message (``size`` = its field count,
    ``defaults`` = its trailing fields' defaults; both checked against the class)."""
    if _fastscan is None:
        return cls
    return cast("Callable[..., T]", _fastscan.TupleRecord(cast("type", cls), size, defaults).make)


def matcher(keys: list[str], payloads: list[Payload]) -> _fastscan.Matcher:
    """A ``_fastscan.Matcher``: Aho–Corasick over normalised keys, payloads as given."""
    assert _fastscan is not None
    return _fastscan.Matcher(keys, payloads)
