"""Detectors: ID checksum (GB 11643, ISO 7064 MOD 11-2), phones, emails, addresses,
discriminatory patterns (就业促进法 §26-31, 人力资源市场暂行条例 §24)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moderation import detectors
from moderation.normalize import Normalizer


@pytest.fixture(scope="module")
def norm() -> Normalizer:
    return Normalizer()


@pytest.mark.parametrize("number", ["11010519491231002X", "440304199003074510", "11010519491231002x"])
@pytest.mark.clause("4.4.1 c")
def test_valid_id_numbers(number: str) -> None:
    assert detectors.id_checksum_ok(number.lower())


@pytest.mark.parametrize(
    "number",
    [
        "110105194912310021",  # wrong check digit
        "440304199003074511",  # wrong check digit
        "440304199013074517",  # month 13
        "44030419900307451",  # 17 digits
        "44030418900307451a",
    ],
)
@pytest.mark.clause("4.4.1 c")
def test_invalid_id_numbers(number: str) -> None:
    assert not detectors.id_checksum_ok(number)


def _numbers(norm: Normalizer, text: str) -> list[tuple[str, str]]:
    folded = norm.fold(text)
    return [(kind, folded[s:e]) for _, kind, s, e, _ in detectors.numbers(folded, norm.number_view(folded))]


@pytest.mark.parametrize(
    "text",
    ["13812345678", "138 1234 5678", "138-1234-5678", "一三八一二三四五六七八", "幺三八幺两三四五六七八",
     "壹叁捌壹贰叁肆伍陆柒捌", "①③⑧①②③④⑤⑥⑦⑧", "１３８１２３４５６７８", "1️⃣3️⃣8️⃣1️⃣2️⃣3️⃣4️⃣5️⃣6️⃣7️⃣8️⃣",
     "138o1234567", "电话：138 1234 5678。"],
)  # fmt: skip
@pytest.mark.clause("4.4.1 c")
def test_phone_in_every_digit_form(norm: Normalizer, text: str) -> None:
    assert [k for k, _ in _numbers(norm, text)] == ["phone"]


@pytest.mark.parametrize(
    "text",
    ["月薪8000-12000", "2024年3月15日", "12345678901", "138123456789", "工号1024", "订单号440304199013074511",
     "一二三四五", "10086"],
)  # fmt: skip
@pytest.mark.clause("4.4.1 c")
def test_numbers_that_are_not_pii(norm: Normalizer, text: str) -> None:
    assert _numbers(norm, text) == []


@pytest.mark.clause("4.4.1 c")
def test_id_number_found_with_a_wrong_check_character_too(norm: Normalizer) -> None:
    """Issue 14: a mistyped check character still exposes a person's ID number; the shape
    (region digit, birth date) decides, so a month 13 is not an ID number."""
    assert _numbers(norm, "身份证11010519491231002X") == [("id", "11010519491231002x")]
    assert _numbers(norm, "身份证110105194912310021") == [("id", "110105194912310021")]
    assert _numbers(norm, "身份证110105194913310021") == []


@pytest.mark.clause("4.4.1 c")
def test_email_in_original_text() -> None:
    found = list(detectors.emails("简历发 hr.zhang@163.com 谢谢"))
    assert [(s, e) for _, _, s, e, _ in found] == [(4, 20)]


@pytest.mark.clause("4.4.1 c")
def test_home_address_after_first_person_cue(norm: Normalizer) -> None:
    folded = norm.fold("我家住幸福小区3栋2单元501室")
    spans = [folded[s:e] for *_, s, e, _ in detectors.addresses(folded)]
    assert spans == ["幸福小区3栋2单元501室"]
    assert list(detectors.addresses(norm.fold("工厂地址在青阳北路88号"))) == []


@pytest.mark.parametrize(
    ("text", "group", "kind"),
    [
        ("限男性", "gender", "block"),
        ("男性优先", "gender", "block"),
        ("女士勿扰", "gender", "block"),
        ("乙肝勿扰", "hbv", "block"),
        ("少数民族勿扰", "ethnic", "block"),
        ("河南人勿扰", "region", "block"),
        ("限本地户口", "region", "block"),
        ("怀孕的不要", "marital", "block"),
        ("35岁以上勿扰", "age", "block"),
        ("年龄18-35岁", "age", "review"),
        ("35周岁以下", "age", "review"),
    ],
)
@pytest.mark.clause("5.1.3 c")
def test_discrimination_patterns(norm: Normalizer, text: str, group: str, kind: str) -> None:
    found = list(detectors.discrimination(norm.fold(text), group))
    assert [k for _, k, *_ in found] == [kind]


@pytest.mark.parametrize(
    ("text", "group"),
    [("不限男女", "gender"), ("男女不限", "gender"), ("不查乙肝", "hbv"), ("18-55周岁", "age"),
     ("16岁以下不招", "age"), ("不限户籍", "region"), ("外地的朋友有大巴接送", "region")],
)  # fmt: skip
@pytest.mark.clause("5.1.3 c")
def test_inclusive_wording_is_not_discrimination(norm: Normalizer, text: str, group: str) -> None:
    assert list(detectors.discrimination(norm.fold(text), group)) == []


_PLAIN_AGE = r"([2-6][0-9]|[二三四五六]十[一二三四五六七八九]?)"
_AGE_ALPHABET = [*"0123456789一二三四五六七八九十周岁以上之下内的勿扰不要到至后限x", "勿扰", "以上", "以下", "之间"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_AGE_ALPHABET), max_size=14).map("".join))
@pytest.mark.clause("5.1.3 c")
def test_age_patterns_match_their_plain_form(text: str) -> None:
    """The age patterns are written for speed (one leading character class); they must find
    exactly what the plain form finds: same spans, same age group (人力资源市场暂行条例 §24)."""
    refuse = detectors._REFUSE
    plain = [
        # round 18: up to four words between the bound and the refusal (以上的嗲嗲婆婆莫来)
        f"{_PLAIN_AGE}周?岁?(?:以上|之上)(?:的)?[^，。！？,.!?]{{0,4}}?{refuse}{detectors._NOT_WORRY}",
        f"(?:超过|大于|高于|满){_PLAIN_AGE}周?岁?(?:的)?{refuse}",
        f"{detectors._LIMIT}[0-9]{{2}}后",
        r"(?<![0-9])(?:1[6-9]|2[0-9])(?:到|至)?" + _PLAIN_AGE + "周?岁",
        f"(?<![0-9]){_PLAIN_AGE}周?岁(?:以下|以内|之内|之下)",
        # round 14: a range in numerals, or with 岁 after each bound, or closed by 之间
        f"(?:十[六七八九]|[二三四]十[一二三四五六七八九]?)(?:周?岁)?(?:到|至){_PLAIN_AGE}(?:周?岁|之间)",
        f"(?<![0-9])(?:1[6-9]|[2-4][0-9])(?:周?岁(?:到|至)|(?:到|至)?(?=[0-9]{{2}}之间)){_PLAIN_AGE}(?:周?岁|之间)",
    ]
    for (fast, _), slow in zip(detectors.DISCRIMINATION["age"], plain, strict=True):
        got = [(m.span(), m.groups()) for m in fast.finditer(text)]
        assert got == [(m.span(), m.groups()) for m in re.finditer(slow, text)]


def test_every_gated_requirement_holds_a_gate_word() -> None:
    """The engine skips the gated groups' regexes when the automaton saw no gate word
    (lexicon.ANCHORS["gate"]): that is only safe if no pattern of theirs can match without one.
    Random strings from the patterns' own vocabulary try to make one match without a gate word."""
    import random

    from moderation.lexicon import ANCHORS, GATED

    gates = ANCHORS["gate"]
    pieces = ("男", "女", "性", "生", "士", "的", "人", "乙肝", "小三阳", "携带者", "两对半", "回族", "汉族", "维族", "河南",
              "东北", "外地", "本地", "户口", "户籍", "籍贯", "孕妇", "怀孕", "哺乳期", "已婚", "未婚", "已育", "离异", "单身",
              "孩子", "生过", "没生", "985", "211", "统招", "名校", "第一学历", "残疾", "残障", "3", "5", "年", "岁", "就",
              "都", "一律", "统统", "姑娘", "小伙", "宝妈", "以上", "院校", "毕业", "必须", "需", "刷掉", "勿投", "我们", "招",
              "可以", "好", "欢迎", "来", "做", "工", "不", "只", "仅", "勿", "扰", "要", "收", "别", "优", "先", "检", "拒",
              "谢", "绝", "免", "谈", "考虑", "行", "除", "外", "才", "非", "无", "没", "能", "得", "许", "准", "内", "是",
              "信教", "回民", "口音", "带娃", "太瘦", "专科", "往上的", "了", "别投", "莫来", "过不了", "进不去", "想要",
              "录不")  # fmt: skip
    rng = random.Random(14)
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(2, 9)))
        if any(w in text for w in gates):
            continue
        for group in GATED:  # "refusal" opens the ground group (round 11); it has no detector of its own
            assert not list(detectors.grouped(text, {group, "refusal"})), (group, text)
