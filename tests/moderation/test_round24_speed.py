"""Round 24 (speed): a pattern behind its required-word gate answers exactly what the bare pattern answers.

Why: ``leftmost.Gated`` (the policy's clause searches, ``elsewhere``'s shapes and warnings, two of
``detectors.cash``'s words) skips ``re`` when ``_fastscan.Matcher.within`` finds none of the words every match holds
(``required.words_of``) inside the searched window, and the matcher now skips root characters no key starts with.
Each gated pattern is checked against its bare search on the readable corpus, folded, and on random text built from
its own characters (dense in hits and near misses), with random windows, some past either end; every ``Leftmost``
still gives ``pattern.finditer``'s matches (its gate was measured and taken out: kept as a check).
"""

from __future__ import annotations

import random
import re
import sys
from collections.abc import Iterator

import pytest

from bench.corpus import load
from moderation import detectors, elsewhere, fast, leftmost, policy, required
from moderation.engine import Moderator
from moderation.leftmost import Gated, Leftmost


def _texts(alphabet: str, count: int, seed: int, longest: int = 24) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, longest))) for _ in range(count)]


def _windows(text: str, rnd: random.Random) -> Iterator[tuple[int, int]]:
    n = len(text)
    yield 0, n
    for _ in range(3):
        start = rnd.randint(-2, n + 2)
        yield start, rnd.randint(start - 2, n + 3)


def _span(m: re.Match[str] | None) -> tuple[int, int, str] | None:
    return None if m is None else (m.start(), m.end(), m.group())


def _gated() -> list[tuple[str, Gated]]:
    modules = (policy, elsewhere, detectors)
    return [(f"{m.__name__}.{name}", value) for m in modules for name, value in vars(m).items() if isinstance(value, Gated)]


def _leftmosts() -> list[tuple[str, Leftmost]]:
    found: dict[int, tuple[str, Leftmost]] = {}
    for module_name, module in list(sys.modules.items()):
        if module_name.startswith("moderation.") and module is not None:
            for name, value in vars(module).items():
                if isinstance(value, Leftmost):
                    found[id(value)] = (f"{module_name}.{name}", value)
    return list(found.values())


@pytest.fixture(scope="module")
def folded_corpus() -> list[str]:
    fold = Moderator(cache_size=0, learned=False).fold
    return [fold(line.text) for line in load()]


def test_within_finds_a_key_inside_the_window_only() -> None:
    if not fast.available():
        pytest.skip("_fastscan not built")
    from moderation import _fastscan

    if not hasattr(_fastscan.Matcher, "within"):
        pytest.skip("_fastscan built before round 24")
    keys = ["abc", "bc", "不收", "c"]
    within = _fastscan.Matcher(keys, [1] * len(keys)).within
    rnd = random.Random(24)
    for text in _texts("abcx不收钱", 3000, seed=24):
        for start, end in _windows(text, rnd):
            lo = min(max(start, 0), len(text))
            window = text[lo : max(lo, min(end, len(text)))]
            assert within(text, start, end) == any(k in window for k in keys), (text, start, end)
        assert within(text) == any(k in text for k in keys)
    assert _fastscan.Matcher([], []).within("abc") is False
    # first characters sharing their low byte (a, \u0161, \U00010061) and astral keys: the root's set only says maybe
    keys2 = ["a\u0161", "\U00010061b", "\u0161\u0161"]
    matcher = _fastscan.Matcher(keys2, [1, 2, 4])
    for text in _texts("ab\u0161\U00010061\u0162", 3000, seed=25):
        assert matcher.within(text) == any(k in text for k in keys2), text
        assert matcher.bits(text) == sum(1 << i for i, k in enumerate(keys2) if k in text), text
    with pytest.raises(TypeError):
        within(b"abc")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        within()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        within("abc", "0")  # type: ignore[arg-type]
    with pytest.raises(OverflowError):
        within("abc", 0, 1 << 70)


def test_the_rules_gate_their_searches() -> None:
    gated = _gated()
    assert len(gated) >= 25
    if fast.available() and hasattr(sys.modules["moderation._fastscan"].Matcher, "within"):
        assert all(g._within is not None for _, g in gated), [n for n, g in gated if g._within is None]


def test_gated_patterns_answer_as_the_bare_ones(folded_corpus: list[str]) -> None:
    rnd = random.Random(7)
    for name, gate in _gated():
        alphabet = "".join(sorted({c for c in gate.pattern.pattern if "\u4e00" <= c <= "\u9fff"})) + "的了1a"
        for text in folded_corpus + _texts(alphabet, 1500, seed=len(name)):
            for start, end in _windows(text, rnd):
                assert _span(gate.search(text, start, end)) == _span(gate.pattern.search(text, start, end)), (name, text)
                assert _span(gate.match(text, start, end)) == _span(gate.pattern.match(text, start, end)), (name, text)
            assert _span(gate.search(text, start)) == _span(gate.pattern.search(text, start)), (name, text)
            assert _span(gate.search(text)) == _span(gate.pattern.search(text)), (name, text)


def test_leftmost_gate_gives_the_same_matches(folded_corpus: list[str]) -> None:
    found = _leftmosts()
    assert len(found) >= 8
    for name, left in found:
        alphabet = "".join(sorted({c for c in left.pattern.pattern if "\u4e00" <= c <= "\u9fff"})) + "0123456789的"
        for text in folded_corpus + _texts(alphabet, 1500, seed=len(name)):
            got = [_span(m) for m in left.finditer(text)]
            assert got == [_span(m) for m in left.pattern.finditer(text)], (name, text)


def test_no_gate_without_words_or_method(monkeypatch: pytest.MonkeyPatch) -> None:
    assert required.gated(re.compile("ab|cd", re.IGNORECASE))._within is None  # case-blind: no words as written
    assert required.gated(re.compile(".{2}x?"))._within is None  # every match needs no literal word
    monkeypatch.setattr(leftmost, "_fastscan", None)  # not built: searched as it is
    gate = required.gated(re.compile("不收|免费"))
    assert gate._within is None
    assert _span(gate.search("我们不收钱", 1, 4)) == (2, 4, "不收")
