"""Round 20 (speed): the payment acts read with fewer searches answer what round 19's reading answered.

The reference below is round 19's ``payers.payments`` and ``payers.deductions`` as they were written (the modal-then-verb
act through ``Leftmost``, the refusal and payer windows as slices, the sale, choice and repayment searches one by one),
built on the module's own unchanged patterns; the module must give the same raws on every text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from hypothesis import given, settings
from hypothesis import strategies as st

from moderation import payers
from moderation.leftmost import Leftmost

_VERB = "|".join(
    f"{v}(?!{payers._OTHER_WORD[v] + '|' if v in payers._OTHER_WORD else ''}你|给你|给大家|了|过)" for v in payers.VERBS
)
_ACT = Leftmost(re.compile(f"(?:{'|'.join(payers.MODALS)})(?:{_VERB})|{'|'.join(payers._TAKES)}|{'|'.join(payers._RETURNED)}"
                           f"|{'|'.join(payers._OWN_POCKET)}"))  # fmt: skip
_REFUSED = re.compile("(?:不|没|无|免|别|甭|莫|冇|勿|嫑|覅|未|非)(?:会|要|用|需|必|得|让|叫|用你|让你|叫你|需要|必须|人|有人|有)?$")
_PAYER = re.compile("(?:公司|厂里|厂家|单位|老板|企业|平台|东家|雇主|客户|机构|我们)(?:给你|帮你|替你|统一|会|来|负责|出钱)?(?:先)?$")
_REIMBURSED = re.compile("(?<![不没无])(?:报销|报掉|公司承担|公司出|公司报|厂里报|厂里出|公司全额|实报实销|我们出|我们承担)")
_VOLUNTARY = re.compile("自愿|不强制|非强制|可选|选配|不买也行|不租也行|不办也行|自己决定|看个人")
_SALE = re.compile("下单|拍下|拍一|拍两|链接|小黄车|购物车|包邮|直播间价|秒杀|券后|库存|发货|到手价|原价|现价|优惠价|买一送|福袋|上架")

Raw = tuple[str, str, int, int, str]


def _charge(folded: str, start: int, end: int) -> bool:
    return payers._NOT_A_CHARGE.search(folded, start, end) is None


def _ok_and_kept(folded: str, end: int) -> bool:
    context = (_SALE.search(folded) is None or payers._WORK.search(folded) is not None) and _VOLUNTARY.search(folded) is None
    repaid = _REIMBURSED.search(folded, end, end + 24) is not None and payers._STINT.search(folded, end, end + 24) is None
    return context and not repaid


def reference_payments(folded: str) -> Iterator[Raw]:
    """Round 19's ``payments``."""
    for act in _ACT.finditer(folded):
        obj = payers._OBJECT.search(folded, act.end(), act.end() + 14)
        if obj is None or not _charge(folded, act.start(), obj.end()):
            continue
        if _PAYER.search(folded[max(0, act.start() - 6) : act.start()]) is not None:
            continue
        if "收" in act.group() and payers._BOUGHT_FROM.search(folded, act.end(), obj.end()) is not None:
            continue
        if _REFUSED.search(folded[max(0, act.start() - 4) : act.start()]) is not None:
            continue
        if (payers._ASKER.search(folded, max(0, act.start() - 4), act.start()) is not None
                and payers._CLASS.search(folded, act.end(), act.end() + 14) is not None):  # fmt: skip
            continue
        if _ok_and_kept(folded, obj.end()):
            yield ("fee", "deposit", act.start(), act.end(), "payment act")
        return
    for bearer in payers._BEARER.finditer(folded):
        start = max(0, bearer.start() - 7)
        if payers._CHARGE_BEFORE_BEARER.search(folded, start, bearer.start()) is not None:
            if _charge(folded, start, bearer.end()) and _ok_and_kept(folded, bearer.end()):
                yield ("fee", "deposit", bearer.start(), bearer.end(), "payment act")
            return
    for m in (*(payers._FRONTED.finditer(folded) if "把" in folded else ()), *payers._PER_HEAD.finditer(folded)):
        if _charge(folded, max(0, m.start() - 4), m.end()) and _ok_and_kept(folded, m.end()):
            yield ("fee", "deposit", m.start(1), m.end(1), "payment act")
            return


def reference_deductions(folded: str) -> Iterator[Raw]:
    """Round 19's ``deductions``."""
    if _VOLUNTARY.search(folded) is not None:
        return
    for m in payers._DEDUCTION.finditer(folded):
        before = max(0, m.start() - 24)
        if payers._LAWFUL_DEDUCTION.search(folded, before, m.end() + 10) is not None:
            continue
        if payers._AMOUNT.search(folded, m.end(), m.end() + 10) is None and not payers._priced_before(folded, before, m.start()):
            continue
        yield ("fee", "deposit", m.start(), m.end(), "pay deduction")
        return
    held = payers._WITHHELD.search(folded)
    if held is not None:
        yield ("fee", "deposit", held.start(), held.end(), "pay withheld")


# the words the shapes are made of, so that random texts hold acts, objects, refusals, payers and clearances
_PIECES = sorted({*payers.ACT_ANCHORS, *payers.DEDUCTION_ANCHORS, *payers._REPAID_WORDS, *payers._SALE_WORDS,
                  *payers._CHOICE_WORDS, "三百", "200", "一千二", "押金", "激活费", "钱", "不用", "没人", "公司", "厂里统一", "让你",
                  "的都", "干满三个月", "入职", "工资", "社保", "你", "了", "给你", "接", "一人", "每人", "把", "名下", "银行卡",
                  "，", "。", "\n", "|", "a", "的"})  # fmt: skip


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=9).map("".join))
def test_payments_and_deductions_answer_as_round_19(text: str) -> None:
    assert list(payers.payments(text)) == list(reference_payments(text))
    assert list(payers.deductions(text)) == list(reference_deductions(text))


_CHARS = "".join(sorted({c for w in _PIECES for c in w}))


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=_CHARS, max_size=30))
def test_same_answers_on_texts_of_their_characters(text: str) -> None:
    assert list(payers.payments(text)) == list(reference_payments(text))
    assert list(payers.deductions(text)) == list(reference_deductions(text))


def test_the_acts_are_found_where_the_modal_then_verb_form_finds_them() -> None:
    """No two acts match at one position, so the per-first-character form needs no order among them."""
    for text in ("预先交三百", "还得交两百", "提前付五百", "先交后返，交了就退", "自费购买工服", "每人收一百", "先交接一下", "要转正的"):
        assert [m.span() for m in payers._ACT.finditer(text)] == [m.span() for m in _ACT.finditer(text)], text


def test_the_last_characters_let_every_payer_and_refusal_through() -> None:
    """``_PAID_OR_REFUSED_LAST`` holds every character a payer or a refusal can end with (and ``\\n``: ``$``)."""
    ends = {w[-1] for w in ("公司", "厂里", "厂家", "单位", "老板", "企业", "平台", "东家", "雇主", "客户", "机构", "我们",
                            "给你", "帮你", "替你", "统一", "会", "来", "负责", "出钱", "先")}  # fmt: skip
    ends |= set("不没无免别甭莫冇勿嫑覅未非") | {w[-1] for w in ("会", "要", "用", "需", "必", "得", "让", "叫", "用你", "让你", "叫你",
                                                                  "需要", "必须", "人", "有人", "有")}  # fmt: skip
    assert ends | {"\n"} <= payers._PAID_OR_REFUSED_LAST
    for text in ("公司统一先交三百", "厂里给你办", "不用你先交", "没人先收", "我们会先垫", "不\n先交"):
        for start in range(len(text) + 1):
            expected = (_PAYER.search(text[max(0, start - 6) : start]) is not None
                        or _REFUSED.search(text[max(0, start - 4) : start]) is not None)  # fmt: skip
            assert payers._paid_or_refused(text, start) == expected, (text, start)
