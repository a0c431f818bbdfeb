"""Round 18 (speed): each shortcut answers what the computation it replaces would answer."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from moderation import charges, demands, detectors
from moderation.leftmost import Leftmost, anchor, first_characters
from moderation.wording import FEE_DEMAND


def _search_loop(pattern: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], tuple[str | None, ...]]]:
    """Leftmost, non-overlapping matches by definition: search, then search again from the end of the match."""
    found = []
    pos = 0
    while (match := pattern.search(text, pos)) is not None:
        found.append((match.span(), match.groups()))
        if match.end() == match.start():
            return [(m.span(), m.groups()) for m in pattern.finditer(text)]  # empty matches: finditer's own rules
        pos = match.end()
    return found


def _wrapped() -> list[tuple[str, Leftmost]]:
    """Every pattern the detectors run through Leftmost (a new one is tested without being listed here)."""
    return [(f"{module.__name__}.{name}", value) for module in (detectors, charges)
            for name, value in vars(module).items() if isinstance(value, Leftmost)]


def test_the_hot_patterns_get_a_skipper() -> None:
    """Round 18 wrapped these for the skipper; without one, Leftmost is plain finditer (correct, not faster)."""
    names = {name for name, leftmost in _wrapped() if leftmost.skip is not None}
    assert {"moderation.detectors._CASH", "moderation.detectors._ID_HELD", "moderation.detectors._DEMAND",
            "moderation.detectors._DEPOSIT", "moderation.charges._SERVICE_TAKES", "moderation.charges._NOUN_AMOUNT"} <= names


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_wrapped_detector_patterns_find_what_finditer_finds(data: st.DataObject) -> None:
    """On texts made of each pattern's own characters (so matches are frequent) and a few others."""
    for name, leftmost in _wrapped():
        alphabet = "".join(sorted({c for c in leftmost.pattern.pattern if ord(c) > 127 or c.isdigit()})) + "，。 |a"
        text = data.draw(st.text(alphabet=alphabet, max_size=40), label=name)
        got = [(m.span(), m.groups()) for m in leftmost.finditer(text)]
        assert got == _search_loop(leftmost.pattern, text), name


# Small regular expressions from the constructs the first-character reading handles or refuses.
_ATOMS = st.sampled_from(["a", "b", "ab", "[ab]", "[a-z]{2}", "[\u4e00-\u9fff]", "[^a]", ".", "1", "[0-9]", "\\d", "(?=a)", "(?!b)", "(?<=a)", "^",
                          "$", "\\b", "(?:)"])


def _regex(atoms: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.tuples(inner, inner).map("".join),
            st.tuples(inner, inner).map("|".join),
            st.tuples(inner, st.sampled_from(["?", "*", "+", "{0,2}", "{1,3}", "*?", "+?"])).map(lambda p: f"(?:{p[0]}){p[1]}"),
            inner.map(lambda p: f"({p})"),
        )
    return st.recursive(atoms, extend, max_leaves=6)


@settings(max_examples=600, deadline=None)
@given(_regex(_ATOMS), st.lists(st.text(alphabet="ab1 \n", max_size=12), min_size=1, max_size=4))
def test_leftmost_equals_finditer_on_random_patterns(source: str, texts: list[str]) -> None:
    pattern = re.compile(source)
    leftmost = Leftmost(pattern)
    for text in texts:
        assert [(m.span(), m.groups()) for m in leftmost.finditer(text)] == _search_loop(pattern, text), (source, text)
        found = anchor(pattern)
        if found is not None:  # every match holds one of them at the offset, and none is empty
            offset, chars = found
            assert all(m.end() > m.start() + offset and text[m.start() + offset] in chars for m in pattern.finditer(text))


def test_first_characters_read_through_groups_options_and_lookarounds() -> None:
    assert first_characters(re.compile("(?<=工资)[押压]|押金")) == frozenset("押压")
    assert first_characters(re.compile("(?:带上?|凑)?([0-9]+)元")) == frozenset("带凑0123456789")
    assert first_characters(re.compile("a?")) is None  # a match can be empty
    assert first_characters(re.compile("[\u4e00-\u9fff]{2}费")) is None  # a whole script: no gain…
    assert anchor(re.compile("[\u4e00-\u9fff]{2}(?:费|金)")) == (2, frozenset("费金"))  # …but 费 two characters on
    assert anchor(re.compile("[\u4e00-\u9fff]{1,2}费")) is None  # not a fixed width
    assert first_characters(re.compile("[^a]b")) is None
    assert first_characters(re.compile("ab", re.IGNORECASE)) is None


def _demanded_reference(text: str, start: int, end: int, clause_start: int, clause_end: int) -> bool:
    """Round 17's form: both windows cut out, joined by a character no demand word holds, searched once."""
    words = sorted(FEE_DEMAND, key=len, reverse=True)
    window = text[max(clause_start, start - 6) : start] + "|" + text[end : min(clause_end, end + 8)]
    return any(w in window for w in words)


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet="交缴付支收转先需要准备带自理费己出买贷元块百0123，押金|ab", max_size=30), st.data())
def test_demanded_near_searches_the_windows_in_place(text: str, data: st.DataObject) -> None:
    """Also when the hit straddles its clause's end (the window after it is then empty)."""
    clause_start = data.draw(st.integers(0, len(text)))
    start = data.draw(st.integers(clause_start, len(text)))
    end = data.draw(st.integers(start, len(text)))
    clause_end = data.draw(st.integers(start, len(text)))
    assert demands.demanded_near(text, start, end, clause_start, clause_end) == _demanded_reference(
        text, start, end, clause_start, clause_end)
