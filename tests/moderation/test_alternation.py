"""moderation.alternation: the prefix-tree regex finds what the longest-first alternation finds."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moderation import wording
from moderation.alternation import compile_words, pattern

_ALPHABET = "不没无是会报销公司出承担骗子诈ab."  # few characters: words overlap and prefix each other


def _sorted_alternation(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _spans(regex: re.Pattern[str], text: str) -> list[tuple[int, int] | None]:
    out: list[tuple[int, int] | None] = []
    for i in range(len(text) + 1):
        m = regex.search(text, i)
        out.append(None if m is None else m.span())
    return out


_WORD_LISTS = [
    getattr(wording, n)
    for n in dir(wording)
    if n.isupper()
    and isinstance(getattr(wording, n), tuple)
    and all(isinstance(w, str) and w for w in getattr(wording, n))
]


@given(
    words=st.lists(st.text(_ALPHABET, min_size=1, max_size=4), min_size=1, max_size=12),
    text=st.text(_ALPHABET, max_size=24),
)
@settings(max_examples=400)
def test_same_spans_as_the_sorted_alternation(words: list[str], text: str) -> None:
    ws = tuple(words)
    old, new = re.compile(_sorted_alternation(ws)), compile_words(ws)
    assert _spans(new, text) == _spans(old, text)
    # with something after the list the backtracking order matters too
    old_after = re.compile("(?:" + old.pattern + ")(?!a)[^.]*?b$")
    new_after = re.compile("(?:" + new.pattern + ")(?!a)[^.]*?b$")
    assert _spans(new_after, text) == _spans(old_after, text)


@given(
    words=st.lists(st.text(_ALPHABET, min_size=1, max_size=4), min_size=1, max_size=12),
    not_after=st.lists(st.text(_ALPHABET, min_size=1, max_size=2), max_size=3),
    text=st.text(_ALPHABET, max_size=24),
)
@settings(max_examples=400)
def test_not_after_is_a_lookbehind_on_the_start(words: list[str], not_after: list[str], text: str) -> None:
    guard = "".join(f"(?<!{re.escape(s)})" for s in not_after)
    old = re.compile(guard + "(?:" + _sorted_alternation(tuple(words)) + ")")
    assert _spans(compile_words(words, not_after), text) == _spans(old, text)


@pytest.mark.parametrize("words", _WORD_LISTS, ids=lambda ws: f"{len(ws)}-words")
def test_the_shipped_word_lists(words: tuple[str, ...]) -> None:
    old, new = re.compile(_sorted_alternation(words)), compile_words(words)
    for text in [*words, "".join(words), "不" + "，".join(words[::-1]) + "吗"]:
        assert _spans(new, text) == _spans(old, text)


def test_a_tree_is_what_re_scans() -> None:
    assert pattern(("不用", "不要", "不要相信", "别")) == "(?:不(?:用|要(?:相信)?)|别)"
    assert pattern(("报销", "报"), "不没") == "报(?<!不报)(?<!没报)(?:销)?"


def test_no_empty_word() -> None:
    with pytest.raises(ValueError):
        pattern(("a", ""))
    with pytest.raises(ValueError):
        pattern(())
