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
    assert precheck(["优先", pattern]) is None  # one pattern without words: no word search for the set


def test_every_discrimination_pattern_has_words() -> None:
    """Not a correctness condition (a pattern without words is searched as before) but the speed of round 15: a
    pattern edit that leaves a pattern without required words shows here."""
    assert [(g, p.pattern) for g, searches in detectors.SEARCHES.items() for p, _, w, probe in searches if not w and probe is None] == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(data=st.data())
def test_every_match_holds_a_required_word(data: st.DataObject) -> None:
    """For each discrimination pattern, strings that match it (hypothesis builds them from the regex) contain one
    of its required words, and its word search finds one."""
    group, i = data.draw(st.sampled_from([(g, i) for g, patterns in detectors._PATTERNS.items() for i in range(len(patterns))]))
    pattern = detectors.DISCRIMINATION[group][i][0]
    text = data.draw(st.from_regex(pattern))
    words = required_words(pattern.pattern)
    assert words is not None
    assert any(w in text for w in words), (pattern.pattern, text, words)
    m = pattern.search(text)
    _, _, few, search = detectors.SEARCHES[group][i]  # round 16: a few words are tested with ``in``
    assert m is not None and (any(w in text for w in few) if few else search is not None and search.search(text) is not None)


def _bare(folded: str, group: str) -> list[detectors.Raw]:
    """Round 14's discrimination detector: the group's alternation searched first, then every pattern."""
    out: list[detectors.Raw] = []
    if re.search("|".join(f"(?:{p})" for p, _ in detectors._PATTERNS[group]), folded) is None:
        return out
    for pattern, kind in detectors.DISCRIMINATION[group]:
        for m in pattern.finditer(folded):
            if (m.start() > 0 and folded[m.start() - 1] in "不无") or folded[max(0, m.start() - 2) : m.start()] in (
                "不是", "并非", "绝非", "并不"):  # fmt: skip
                continue
            if kind == "block":
                out.append(("discrimination", "block", m.start(), m.end(), m.group()))
            elif detectors._age(m.group(1)) < detectors.AGE_REVIEW_BELOW:
                out.append(("discrimination", "review", m.start(), m.end(), m.group()))
    return out


@pytest.mark.parametrize("group", sorted(detectors._PATTERNS))
def test_same_findings_as_the_bare_searches_on_random_text(group: str) -> None:
    """Random text spliced from the group's own words (whole or a tail), digits and fillers: the detector finds
    exactly what round 14's did, and some texts have findings (the test can fail)."""
    source = "".join(p for p, _ in detectors._PATTERNS[group])
    tokens = sorted(set(re.findall(r"[\u4e00-\u9fff]+|[0-9]+", source))) + list("，的人2a不") + ["40", "35"]
    rng = random.Random(15)
    found = 0
    for _ in range(3000):
        pieces = [rng.choice(tokens) for _ in range(rng.randint(0, 6))]
        text = "".join(p[rng.randrange(len(p)):] if rng.random() < 0.3 else p for p in pieces)
        want = _bare(text, group)
        found += bool(want)
        assert list(detectors.discrimination(text, group)) == want, text
    assert found > 0 or group in ("looks", "elder")  # two groups whose long phrases random text never spells


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
