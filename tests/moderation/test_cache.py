"""The decision cache: bounded, invalidated by ``add_terms``, and never changes a decision."""

from __future__ import annotations

from bench.corpus import load
from moderation.engine import Moderator
from moderation.lexicon import Entry, Lexicon


def test_cache_off_and_on_decide_the_same(moderator: Moderator) -> None:
    uncached = Moderator(moderator.lexicon, cache_size=0)
    for line in load():
        for _ in range(2):  # the second call is served from the cache
            got = moderator.moderate(line.text, role=line.role, context=line.context)
            assert got == uncached.moderate(line.text, role=line.role, context=line.context), line.text


def test_repeats_are_hits_and_the_key_includes_role_context_and_org() -> None:
    moderator = Moderator(Lexicon([Entry("fee", "item", "押金")]))
    assert moderator.moderate("入职交押金", role="host").action == "block"
    assert moderator.moderate("入职交押金", role="host").action == "block"
    assert moderator.cache_stats() == (1, 1)
    assert moderator.moderate("入职交押金", role="viewer").action == "allow"  # 就业促进法 §41 binds the employer
    assert moderator.moderate("入职交押金", role="viewer", context="job").action == "block"
    assert moderator.moderate("入职交押金", role="host", org="acme").action == "block"
    assert moderator.cache_stats() == (1, 4)


def test_add_terms_clears_the_cache() -> None:
    moderator = Moderator(Lexicon())
    assert moderator.moderate("内部黑话", org="acme").action == "allow"
    moderator.add_terms("harassment", ["内部黑话"], org="acme")
    assert moderator.moderate("内部黑话", org="acme").action == "block"
    moderator.add_terms("harassment", ["新词"])
    assert moderator.moderate("新词").action == "block"


def test_cache_is_bounded_in_entries_and_message_length() -> None:
    moderator = Moderator(Lexicon(), cache_size=2, cache_max_chars=4)
    for text in ("a", "b", "c", "a"):  # "a" was evicted by "c"
        moderator.moderate(text)
    assert moderator.cache_stats() == (0, 4)
    moderator.moderate("c")
    assert moderator.cache_stats() == (1, 4)
    moderator.moderate("12345")
    moderator.moderate("12345")  # longer than cache_max_chars: decided afresh, not counted
    assert moderator.cache_stats() == (1, 4)


def test_cache_can_be_turned_off() -> None:
    moderator = Moderator(Lexicon(), cache_size=0)
    moderator.moderate("a")
    moderator.moderate("a")
    assert moderator.cache_stats() == (0, 0)
