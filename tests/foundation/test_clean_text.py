"""common.clean_text: what counts as unusable text, at any depth of a JSON-like value."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from common.clean_text import find_unusable, unusable


def test_nul_and_lone_surrogates_are_unusable_and_astral_characters_are_fine() -> None:
    assert unusable("a\x00b") and unusable("\ud800") and unusable("x\udfffy")
    assert not unusable("招聘😀𠀀 tab\t newline\n")
    assert find_unusable({"a": [1, {"b": "ok"}, ["deep", "\ud83d"]]}) == "\ud83d"
    assert find_unusable({"k\x00": 1}) == "k\x00"
    assert find_unusable({"a": ["fine", 2, None, True, 1.5]}) is None


@given(st.text())
def test_usable_exactly_when_it_encodes_as_utf8_without_nul(text: str) -> None:
    try:
        text.encode("utf-8")
        encodable = True
    except UnicodeEncodeError:
        encodable = False
    assert unusable(text) == (not encodable or "\x00" in text)
