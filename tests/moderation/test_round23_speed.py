"""Round 23 (speed): the one-pass word tests answer exactly what the searches they replace answered.

Why: ``_fastscan.Matcher.bits`` (one Aho–Corasick pass) now stands in for the discrimination patterns' required-word
tests (``required.presence``), ``wanted``'s verb alternation and ``disowned``'s cue alternation
(``alternation.contains``); ``charges.renamed_charges`` skips its two named shapes without their closing word. Each
is checked against the old test on random text built from the words themselves (dense in hits and near misses).
"""

from __future__ import annotations

import random
import re

import pytest

from moderation import alternation, charges, detectors, disowned, fast, required, wanted


def _texts(alphabet: str, count: int, seed: int, longest: int = 16) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, longest))) for _ in range(count)]


def _probed(folded: str, group: str) -> int:
    """Round 22's tests, one pattern at a time: bit i when pattern i's probe or ``in`` tests pass (or it has none)."""
    bits = 0
    for i, (_, _, words, probe) in enumerate(detectors.SEARCHES[group]):
        if (probe is None or probe.search(folded) is not None) and (not words or any(w in folded for w in words)):
            bits |= 1 << i
    return bits


def test_matcher_bits_reports_overlapping_and_nested_keys() -> None:
    if not fast.available():
        pytest.skip("_fastscan not built")
    from moderation import _fastscan

    bits = _fastscan.Matcher(["abc", "bc", "c", "xa"], [1, 2, 4, 8]).bits
    assert (bits("abc"), bits("zbc"), bits("xabc"), bits(""), bits("ab")) == (7, 6, 15, 0, 0)


@pytest.mark.parametrize("compiled", [True, False])
def test_presence_is_the_per_pattern_tests(compiled: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if not compiled:
        monkeypatch.setattr(required, "_fastscan", None)  # the ``in`` fallback
    for group, searches in detectors.SEARCHES.items():
        held = required.presence([p.pattern for p, _, _, _ in searches])
        words = set(required.words_of([p.pattern for p, _, _, _ in searches]) or ())
        alphabet = "".join(sorted({c for w in words for c in w})) + "的了1a"
        for text in _texts(alphabet, 3000, seed=len(group)):
            assert held(text) == _probed(text, group), (group, text)


def test_discrimination_uses_the_same_bits() -> None:
    for group in detectors.SEARCHES:
        alphabet = "".join(sorted({c for p, _, _, _ in detectors.SEARCHES[group] for c in p.pattern if "\u4e00" <= c <= "\u9fff"}))
        for text in _texts(alphabet + "0123456789", 1000, seed=7):
            assert detectors._HELD[group](text) == _probed(text, group), (group, text)


@pytest.mark.parametrize("compiled", [True, False])
def test_contains_is_the_tree_search(compiled: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if not compiled:
        monkeypatch.setattr(alternation, "_fastscan", None)
    words = wanted._VERB_WORDS
    found = alternation.contains(words)
    tree = alternation.compile_words(words)
    alphabet = "".join(sorted({c for w in words for c in w}))
    for text in _texts(alphabet, 20000, seed=23, longest=8):
        assert bool(found(text)) == (tree.search(text) is not None), text
    with pytest.raises(ValueError):
        alternation.contains(["a", ""])


def test_disowned_cues_are_round_22s_alternation() -> None:
    cues = re.compile(
        "拉黑|黑名单|踢|禁言|删|封|举报|截图|不推|靠谱|骂一|被|入股|房东|押[一二三1-3]付|财政|考试|考点|应急管理|车管所|疾控|卫健"
        "|教育局|招生办|官网|官方网站|政务|工会|社保|个税|公积金|养老|医保|医疗保险|失业|二维码|不搞|不兴|不整|下井|没|"
        # round 24: another's rule reported and called false or unlawful, a mine's limit with the law named
        "瞎传|谣言|假的|不是真的|违法|犯法|淘汰|报警|莫信|是骗|诈骗|不验|不查|不看|不问|不限|不设|早该|骚扰|骗子|别理|不要理|别上当"
        "|不要信|法律规定|国家规定|法规规定|法律要求|国家要求|"
        + "|".join(wanted.CONDEMN_CUES)
    )
    alphabet = "".join(sorted(set(cues.pattern) - set("|[]-"))) + "四4"
    for text in _texts(alphabet, 20000, seed=5, longest=6):
        assert disowned.cued(text) == (cues.search(text) is not None), text


def _renamed_round22(folded: str) -> list[detectors.Raw]:
    """``charges.renamed_charges`` before the gate."""
    out = []
    for m in charges._NOUN_AMOUNT.finditer(folded):
        if (charges._NOT_CHARGE.search(folded, m.start(), m.start(2)) is None and not m.group(1).endswith(("工", "的"))
                and not charges._ok_before(folded, m.start())):  # fmt: skip
            out.append(("fee", "item", m.start(), m.end(), "renamed charge"))
    for m in charges._VERB_AMOUNT.finditer(folded):
        if charges._NOT_CHARGE.search(folded, m.start(), m.end()) is None and not charges._ok_before(folded, m.start()):
            out.append(("fee", "item", m.start(), m.end(), "renamed charge"))
    for m in charges._SERVICE_TAKES.finditer(folded):
        if not charges._ok_before(folded, m.start(1) - 1):
            out.append(("fee", "item", m.start(), m.end(), "renamed charge"))
    return out


def test_renamed_charges_gate_drops_nothing() -> None:
    """Both named shapes end in 费/金/款 (or 礼包, 押车钱): the gate skips only texts where they cannot match."""
    hits = 0
    for text in _texts("内推岗位锁定交缴转付带买收中介体检五百一千二3的个上费金款礼包押车钱", 20000, seed=11):
        got = list(charges.renamed_charges(text))
        assert got == _renamed_round22(text), text
        hits += bool(got)
    assert hits > 100
    assert [r[4] for r in charges.renamed_charges("交五百的岗位锁定金")] == ["renamed charge"]
