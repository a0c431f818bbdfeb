"""Fuzzing: any text gives a Decision with sane offsets (no exception on the chat hot path)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.corpus import load
from moderation.decision import ACTIONS, CATEGORIES, MASK_CHAR
from moderation.engine import ROLES, Moderator

FRAGMENTS = [x.text for x in load()] + ["押", "金", "微", "信", "v", "x", "1", "3", "8", "一", "⃣", "\u200d", "？", "，"]
mixed = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=4), max_size=8).map("".join)


def _check(moderator: Moderator, text: str, role: str, context: str) -> None:
    d = moderator.moderate(text, role=role, context=context)
    assert d.action in ACTIONS
    assert set(d.categories) <= set(CATEGORIES)
    assert (d.action == "allow") == (not d.matches) == (not d.categories)
    for m in d.matches:
        assert 0 <= m.start < m.end <= len(text)
        assert m.category in d.categories
    assert len(d.text) == len(text)
    for i, (a, b) in enumerate(zip(text, d.text, strict=True)):
        if a != b:
            assert b == MASK_CHAR and any(m.start <= i < m.end for m in d.matches)
    d.to_json()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(), st.sampled_from(ROLES), st.sampled_from(("chat", "job")))
def test_any_unicode(moderator: Moderator, text: str, role: str, context: str) -> None:
    _check(moderator, text, role, context)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mixed, st.sampled_from(ROLES), st.sampled_from(("chat", "job")))
def test_corpus_fragments_mixed_with_noise(moderator: Moderator, text: str, role: str, context: str) -> None:
    _check(moderator, text, role, context)
