"""Normaliser pieces (standard 5.1.3 d: evasion-resistant filtering)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moderation.normalize import Normalizer, load_t2s

pytestmark = pytest.mark.clause("5.1.3 d")


@pytest.fixture(scope="module")
def norm() -> Normalizer:
    return Normalizer()


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("ＶＸ", "vx"),  # full width + case
        ("WeiXin", "weixin"),
        ("加νх", "加vx"),  # Greek nu, Cyrillic ha
        ("Рау", "pay"),  # Cyrillic look-alikes
        ("𝐯𝐱", "vx"),  # mathematical bold
        ("保證金", "保证金"),  # traditional → simplified
        ("報名費", "报名费"),
        ("押 金", "押金"),
        ("押.金", "押金"),
        ("押\u200b金", "押金"),  # zero-width space
        ("押\u200d金", "押金"),  # zero-width joiner
        ("体⭐检⭐费", "体检费"),  # emoji between characters
        ("加 微 ❤️ 信", "加微信"),  # emoji + variation selector
        ("押押押金", "押金"),  # repeated characters
        ("1️⃣3️⃣8️⃣", "138"),  # keycaps
        ("①③⑧", "138"),  # circled digits
        ("１３８", "138"),  # full-width digits
        ("⾦", "金"),  # Kangxi radical
    ],
)
def test_fold(norm: Normalizer, raw: str, folded: str) -> None:
    assert norm.fold(raw) == folded


def test_digit_forms_fold_only_in_number_view(norm: Normalizer) -> None:
    folded = norm.fold("一三八幺两壹贰叁零〇洞拐勾")
    assert folded == "一三八幺两壹贰叁零〇洞拐勾"  # words like 一分钱 keep their meaning
    assert norm.number_view(folded) == "1381212300079"


def test_repeated_digits_are_kept(norm: Normalizer) -> None:
    assert norm.fold("13800138000") == "13800138000"
    assert norm.fold("零零零") == "零零零"
    assert norm.fold("qq") == "qq"


def test_offsets_point_at_original_characters(norm: Normalizer) -> None:
    text = "加 Ｖ ❤ 信，押押金"
    full = norm.fold_with_offsets(text)
    assert full.text == "加v信押金"
    assert full.span(1, 2) == (2, 3)  # the full-width V
    assert full.span(3, 5) == (8, 11)  # 押押金: the repeat is part of the span
    assert text[slice(*full.span(0, 3))] == "加 Ｖ ❤ 信"


def test_clauses_and_question_marks(norm: Normalizer) -> None:
    full = norm.fold_with_offsets("入职要交押金吗？我们不收，放心")
    assert full.clause(0) == (0, 7, True)
    assert full.clause(7)[:2] == (7, 11)
    assert full.clause(12)[2] is False


def test_t2s_table_is_precomputed_data() -> None:
    table = load_t2s()
    assert len(table) > 2000
    assert table["錢"] == "钱" and table["費"] == "费"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_fast_and_slow_paths_agree(norm: Normalizer, text: str) -> None:
    full = norm.fold_with_offsets(text)
    assert full.text == norm.fold(text)
    assert len(full.starts) == len(full.text) == len(full.ends)
    for s, e in zip(full.starts, full.ends, strict=True):
        assert 0 <= s < e <= len(text)



chatty = st.text(alphabet=st.sampled_from(list("押金微信加vVＶх1３八①，。？?！ \u200d⃣️❤好好吗㈱…:")) | st.characters(), max_size=30)


@settings(max_examples=400, deadline=None)
@given(chatty)
def test_fast_offsets_equal_reference_loop(norm: Normalizer, text: str) -> None:
    assert norm.fold_with_offsets(text) == norm.fold_with_offsets_loop(text)
