"""Round 17 (speed): each shortcut answers what the longer computation it skips would answer."""

from __future__ import annotations

import bisect

from hypothesis import given, settings
from hypothesis import strategies as st

from moderation import lawful
from moderation.normalize import Folded, clause_at

# The characters the refusals and fillers are made of, a clause end and a few others: short random texts hit the
# refusals often enough to test both answers.
_ALPHABET = "不要是用需无收交任何什么一分那种叫你们让大家要押金费行能，。？非做搞的班中介a1"
texts = st.text(alphabet=_ALPHABET, max_size=24)


def _fee_refused_before_reference(folded: str, start: int, end: int) -> bool:
    """Round 16's fee_refused_before, without the 不/无 precheck."""
    before = folded[max(0, start - 7) : start]
    if before.endswith(lawful._FILLERS):
        before = before[: -next(len(f) for f in lawful._FILLERS if before.endswith(f))]
    if not before.endswith(lawful._REFUSALS):
        return False
    for word in lawful._REFUSALS:
        if before.endswith(word):
            n = len(word)
            if word[0] == "不" and len(before) > n and before[-n - 1] == word[1]:
                return False
    return lawful._CONDITION_AFTER.match(folded, end) is None


@settings(max_examples=400, deadline=None)
@given(texts, st.data())
def test_fee_refused_before_precheck_answers_as_before(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert lawful.fee_refused_before(text, start, end) == _fee_refused_before_reference(text, start, end)


def test_every_refusal_holds_the_precheck_characters() -> None:
    """fee_refused_before's precheck holds while every refusal has a 不 or a 无."""
    assert all("不" in w or "无" in w for w in lawful._REFUSALS)


@settings(max_examples=400, deadline=None)
@given(texts, st.data())
def test_described_refused_only_within_reach(text: str, data: st.DataObject) -> None:
    """Context.scheme_refused skips the clause when refusal_within_reach says no: described_refused must then be
    False whatever the clause."""
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    clause_start = data.draw(st.integers(0, start))
    clause_end = data.draw(st.integers(end, len(text)))
    if lawful.described_refused(text, start, end, clause_start, clause_end):
        assert lawful.refusal_within_reach(text, start)


def _clause_reference(clauses: tuple[list[int], set[int]], pos: int, length: int) -> tuple[int, int, bool]:
    """The clause holding ``pos`` by bisection over the ends: written apart from ``clause_at``'s loop."""
    ends, questions = clauses
    i = bisect.bisect_right(ends, pos)
    if i == len(ends):
        return (ends[-1] if ends else 0), length, False
    return (ends[i - 1] if i else 0), ends[i], i in questions


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab，。？?", max_size=16), st.data())
def test_clause_at_is_folded_clause(text: str, data: st.DataObject) -> None:
    folded = Folded(text, list(range(len(text))), list(range(1, len(text) + 1)), text)
    clauses = folded.clauses()
    pos = data.draw(st.integers(0, len(text)))
    assert clause_at(clauses, pos, len(text)) == folded.clause(pos) == _clause_reference(clauses, pos, len(text))
