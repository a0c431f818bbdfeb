"""Pinyin evasions of listed terms, found on a pinyin view of the message (moderation/pinyin.py)."""

from __future__ import annotations

import pytest

from moderation.engine import Moderator
from moderation.lexicon import Entry, Lexicon
from moderation.pinyin import CATEGORIES, PinyinMatcher, load_readings

pytestmark = pytest.mark.clause("5.1.3 d")


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("入职先交两百ya金", "fee"),  # 押金, one syllable in pinyin
        ("入职先交两百押jin", "fee"),
        ("先交钱才能上gang，pei训fei三百", "fee"),  # 培训费 in a mix
        ("想做的来jia微xin", "diversion"),  # 加微信 with two of three in pinyin
        ("招shua单兼职，一单一结", "fee"),
        ("ｙａ金先交两百", "fee"),  # full width folds to Latin first
    ],
)
def test_terms_written_partly_in_pinyin_are_caught(moderator: Moderator, text: str, category: str) -> None:
    decision = moderator.moderate(text, role="host")
    assert category in decision.categories, (text, decision)


@pytest.mark.parametrize(
    "text",
    [
        "wo yao bao ming",  # a seeker writing pinyin
        "jia you jia you",
        "jiaban多吗",
        "shenzhen的岗位有吗",
        "会用Excel表格，HR小王面试",
        "鸭子店招学徒",  # plain characters: homophones never match on the view
    ],
)
def test_clean_pinyin_and_plain_homophones_pass(text: str) -> None:
    rules = Moderator(cache_size=0, learned=False)
    assert rules.moderate(text, role="host").action == "allow", text


def test_a_match_needs_a_latin_letter_and_word_boundaries() -> None:
    matcher = PinyinMatcher([Entry("fee", "item", "押金")], {"押": "ya", "金": "jin", "鸭": "ya"})
    assert matcher.hits("鸭金") == []  # plain characters: the ordinary automaton's business
    assert [(h.start, h.end) for h in matcher.hits("交ya金")] == [(1, 4)]  # folded coordinates
    assert matcher.hits("xyajin") == []  # inside a longer Latin word
    assert matcher.hits("yajinx") == []
    assert [h.term for h in matcher.hits("交yajin")] == ["押金"]


def test_every_character_of_the_listed_terms_has_a_reading() -> None:
    """build_pinyin writes data/pinyin.tsv from the lexicons: re-run it after adding terms."""
    readings = load_readings()
    missing = {
        c
        for e in Lexicon.from_directory().entries(None)
        if e.category in CATEGORIES and e.kind != "app"
        for c in e.term
        if "\u4e00" <= c <= "\u9fff" and c not in readings
    }
    assert not missing, sorted(missing)[:20]


def test_added_terms_are_matched_in_pinyin_too() -> None:
    moderator = Moderator(cache_size=0, learned=False)
    assert "fee" not in moderator.moderate("先交门jin", role="host").categories
    moderator.add_terms("fee", ["门金"])
    assert "fee" in moderator.moderate("先交门jin", role="host").categories
