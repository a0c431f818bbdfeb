"""Round 15 (speed): the required-word prechecks answer "no match" only where the bare search finds none."""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from moderation import detectors
from moderation.required import precheck, required_words

ALL_PATTERNS = [(group, p) for group, patterns in detectors._PATTERNS.items() for p, _ in patterns]


@pytest.mark.parametrize(("pattern", "words"), [
    ("不(?:能|得)结婚", {"不能结婚", "不得结婚"}),  # re factors the common 不 out; the words join it back
    ("(?:只招|仅限).{0,6}?男", {"只招", "仅限"}),  # a word set beats a single character
    (".{0,6}?优先", {"优先"}),  # a leading wildcard needs no word; the literal after it does
    ("a?bc(?:d|e)?", {"bc"}),  # optional parts are not required
    ("(?:x|yz)+w*", {"x", "yz"}),
    ("[扣抠]号", {"扣号", "抠号"}),  # a small class joins like literals
    ("[^a]b", {"b"}),
])
def test_required_words_from_the_parse(pattern: str, words: set[str]) -> None:
    assert required_words(pattern) == words


@pytest.mark.parametrize("pattern", [".{0,6}", "[^a]+", "(?i)abc", "(?i:ab)", "a|.", "(?:ab)?", "[0-9a-z]"])
def test_no_words_when_a_match_needs_none(pattern: str) -> None:
    assert required_words(pattern) is None
    assert precheck(["优先", pattern]) is None  # one pattern without words: the group keeps the bare probe


def test_every_discrimination_group_has_a_precheck() -> None:
    """Not a correctness condition (a group without one runs its probe as before) but the speed of round 15: a
    pattern edit that leaves a group without required words shows here."""
    assert [g for g, pre in detectors.PRECHECKS.items() if pre is None] == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(data=st.data())
def test_every_match_holds_a_required_word(data: st.DataObject) -> None:
    """For each discrimination pattern, strings that match it (hypothesis builds them from the regex) contain one
    of its required words, and the group's precheck finds something in them."""
    group, pattern = data.draw(st.sampled_from(ALL_PATTERNS))
    text = data.draw(st.from_regex(pattern))
    words = required_words(pattern)
    assert words is not None
    assert any(w in text for w in words), (pattern, text, words)
    pre = detectors.PRECHECKS[group]
    assert pre is not None and pre.search(text) is not None


@pytest.mark.parametrize("group", sorted(detectors._PATTERNS))
def test_precheck_then_probe_answers_as_the_probe_on_random_text(group: str) -> None:
    """Random text over the group's own characters (plus digits and fillers): the probe never finds a match where
    the precheck found nothing, and some of the texts do match (the test can fail)."""
    probe, pre = detectors.PROBES[group], detectors.PRECHECKS[group]
    assert pre is not None
    source = "".join(p for p, _ in detectors._PATTERNS[group])
    tokens = sorted(set(re.findall(r"[\u4e00-\u9fff]+|[0-9]+", source))) + list("，的人2a")
    rng = random.Random(15)
    matched = 0
    for _ in range(4000):
        pieces = [rng.choice(tokens) for _ in range(rng.randint(0, 6))]
        text = "".join(p[rng.randrange(len(p)):] if rng.random() < 0.3 else p for p in pieces)  # whole or a tail
        found = probe.search(text) is not None
        matched += found
        assert not found or pre.search(text) is not None, text
    assert matched > 0 or group in ("looks", "elder")  # two groups whose long phrases random text never spells


@pytest.mark.parametrize(("clean", "violating", "role"), [
    ("男女不限，18岁以上", "只招男生，18岁以上", "recruiter"),  # 就业促进法 §27: gender
    ("不查乙肝", "乙肝携带者不要", "recruiter"),  # 就业促进法 §30: HBV carriers
    ("欢迎少数民族朋友", "少数民族的不要", "recruiter"),  # 就业促进法 §28: ethnic
    ("已婚未婚都可以", "已婚的不要", "recruiter"),  # 妇女权益保障法 §43: marital status
    ("年龄不限，有经验优先", "35岁以上的不要", "recruiter"),  # 就业促进法 §3: age as an exclusion
])
def test_discrimination_shapes_still_found_beside_clean_neighbours(clean: str, violating: str, role: str) -> None:
    from moderation.engine import Moderator

    m = Moderator(cache_size=0, learned=False)
    assert "discrimination" in m.moderate(violating, role=role).categories
    assert "discrimination" not in m.moderate(clean, role=role).categories
