"""The last-character test in front of the `$`-anchored window patterns answers as the bare search does."""

from __future__ import annotations

import random
import re
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

import pytest

from moderation import anchored
from moderation.anchored import ends_at

PATTERNS = [
    (anchored.APP_REFUSED, anchored.APP_REFUSED_LAST),
    (anchored.SCHEME_REFUSED, anchored.SCHEME_REFUSED_LAST),
    (anchored.NOT_ASKED, anchored.NOT_ASKED_LAST),
]


def _last(items: Any) -> tuple[set[str] | None, bool]:
    """Possible last characters of a parsed sequence (None: any) and whether it can match empty."""
    chars: set[str] = set()
    for op, arg in reversed(list(items)):
        name = str(op)
        if name in ("AT", "ASSERT_NOT", "ASSERT"):
            continue  # zero width
        if name == "LITERAL":
            chars.add(chr(arg))
            return chars, False
        if name == "IN":
            if any(str(o) != "LITERAL" for o, _ in arg):
                return None, False
            chars.update(chr(a) for _, a in arg)
            return chars, False
        if name == "SUBPATTERN":
            sub, empty = _last(arg[-1])
        elif name == "BRANCH":
            sub, empty = set(), False
            for branch in arg[1]:
                got, e = _last(branch)
                if got is None:
                    return None, False
                sub |= got
                empty = empty or e
        elif name in ("MAX_REPEAT", "MIN_REPEAT"):
            low, _, body = arg
            sub, empty = _last(body)
            empty = empty or low == 0
        else:
            return None, False
        if sub is None:
            return None, False
        chars |= sub
        if not empty:
            return chars, False
    return chars, True


@pytest.mark.parametrize(("pattern", "last"), PATTERNS)
def test_every_possible_last_character_is_let_through(pattern: re.Pattern[str], last: frozenset[str]) -> None:
    chars, empty = _last(sre_parse.parse(pattern.pattern))
    assert chars is not None and not empty
    assert chars | {"\n"} <= last  # `$` also matches before a final newline


@pytest.mark.parametrize(("pattern", "last"), PATTERNS)
def test_same_answer_as_the_search_on_every_window(pattern: re.Pattern[str], last: frozenset[str]) -> None:
    alphabet = sorted(set(re.sub(r"[^\u4e00-\u9fff]", "", pattern.pattern))) + list("ab，,|\n微信")
    rng = random.Random(14)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        for end in range(len(text) + 1):
            for width in (4, 6, 12):
                start = max(0, end - width)
                assert ends_at(pattern, last, text, start, end) == (pattern.search(text, start, end) is not None), text


@pytest.mark.parametrize(("refused", "violating"), [
    ("报名不用加微信", "报名加微信"),  # APP_REFUSED
    ("不陪酒", "陪酒"),  # SCHEME_REFUSED
    ("面试不会问婚育情况", "面试会问婚育情况"),  # NOT_ASKED
])
def test_refusals_still_clear_and_close_violations_still_flagged(refused: str, violating: str) -> None:
    from moderation.engine import Moderator

    m = Moderator(cache_size=0, learned=False)
    assert m.moderate(refused, role="recruiter").action == "allow"
    assert m.moderate(violating, role="recruiter").action != "allow"
