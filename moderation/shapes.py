"""Two family shapes of round 11 that a word list spells only one wording at a time.

- A career threat: "让你/叫你…(以后/这辈子)…进不去/找不到工作/混不下去" — whatever the trade or the place named between
  (哪家医院, 这个圈子, 整个工业园). Standard 5.1.3 d.
- A training loan: a course fee, then a loan or instalment word a few characters later ("学费两万分期",
  "培训费可以走花呗"). The hit covers the loan word, so a refusal right before it (不贷款, 不分期) clears it as any
  scheme's. 人力资源市场暂行条例 §27 (no profit in the name of recruitment); anti-fraud notices on 培训贷.
- Kit the worker pays for: a thing a job needs, then "自己买/自理/自费/自己掏" a few characters later
  ("防寒服、劳保鞋自己买", "对讲机耳机自费"): a fee item, so the fee rules read its negation and demand (就业促进法 §41).
- Pay first, get paid back later ("先充三百，做完再返", "先垫付，任务完成后提现"): a task scam's step.
- A job for a private meeting (quid pro quo, 妇女权益保障法 §23): a job benefit (转正, 名额, 录用…) within sixteen
  characters of a private place or company asked for (陪我, 来我房间, 开房…), in either order.
Each runs only when the automaton saw one of its anchors (lexicon.ANCHORS "career", "loan", "selfpay", "payfirst",
"favour").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

CAREER_ENDS: Final = ("进不去", "找不到工作", "混不下去", "干不下去", "待不下去", "没饭吃", "找不到活", "没人敢要", "进不了厂",
               "播不下去", "没人要", "没厂要", "找不到一份", "找不到工")  # fmt: skip
# round 14: 贷 alone (学费贷, 信用贷, 先贷后还: every loan word holds it; 贷款 and 网贷 are two of them)
LOAN_WORDS: Final = ("分期", "贷", "月供", "花呗", "借呗", "白条")
# Not advice: "叫你以后别熬夜，不然…找不到工作" (别/不要/不然/否则 between the two). Round 14: the speaker threatening
# whoever comes ("谁敢来我就让他在这片混不下去"); not a told past ("老板让他混不下去").
_CAREER: Final = re.compile(
    "(?<!不会)(?<!不是)(?<!不想)(?:(?:让|叫|保证|保管)你|(?<=[我就子])(?:让|叫)[他她]们?)(?:以后|这辈子|再也|从此)?(?:(?!别|不要|不然|否则)[^，。！？]){0,10}?(?:"
    + "|".join(CAREER_ENDS)
    + ")(?!的话|全额|全部|全退|就退|退)"  # round 15: "保证你进字节，进不去全额退" sells a job, threatens none
)
_FEE_BEFORE: Final = re.compile("(?:学费|培训费|课程费|课时费|报名费|考证费|学费用|费用)[^。！？]{0,10}?$")


def career_threats(folded: str) -> Iterator[tuple[str, str, int, int, str]]:
    """ "我让你以后哪家医院都进不去": a threat to the person's livelihood."""
    for m in _CAREER.finditer(folded):
        yield ("harassment", "block", m.start(), m.end(), "career threat")


def training_loans(folded: str) -> Iterator[tuple[str, str, int, int, str]]:
    """A course fee financed: the loan word after a fee word within ten characters."""
    for word in LOAN_WORDS:
        start = folded.find(word)
        while start >= 0:
            if _FEE_BEFORE.search(folded, max(0, start - 14), start) is not None:
                yield ("scam", "block", start, start + len(word), "training loan")
            start = folded.find(word, start + 1)


SELF_PAY: Final = (
    "自己买",
    "自己出钱买",
    "自己掏钱买",
    "自费",
    "自理",
    "自己掏",
    "自掏腰包",
)  # not 自己配/自己准备: bring your own
_KIT_BEFORE: Final = re.compile(
    "(?:服|鞋|帽|手套|雨衣|头盔|工具|装备|设备|耳机|对讲机|平板|电脑|保险|意外险|证|箱|包|制服|工牌|胸牌)"
    "((?:(?!公司|厂里|发|配|提供|报销)[^，。！？]){0,5})$"
)
# anchored on the payback (再返, 后提现…): 先交/先付 fill clean lines ("先交简历") and would cost them the fast path;
# round 14: the payback right after the task's end (做完返, 完成立返) and 先开通/先拍 as the payment; not 一起返 or 统一返
# (a deposit given back: "先交一千的稳岗金，半年后一起返给你" is a fee, not a task scam)
_BACK: Final = "再|后|才|就|完|立"
PAY_FIRST: Final = tuple(a + b for a in _BACK.split("|") for b in ("返", "提现", "结算", "解冻", "给你返", "双倍"))
_PAY_FIRST: Final = re.compile(
    f"先(?:充|垫|交|付|转|刷|开通|拍|下单|自己付)[^，。！？]{{0,14}}?(?:{_BACK})(?:返|提现|结算|解冻|给你返|双倍)"
)


def kit_self_paid(folded: str) -> Iterator[tuple[str, str, int, int, str]]:
    """Kit the worker must pay for (a fee item: cleared by 不用/公司… like any fee word)."""
    for word in SELF_PAY:
        start = folded.find(word)
        while start >= 0:
            kit = _KIT_BEFORE.search(folded, max(0, start - 8), start)
            if kit is not None:
                yield ("fee", "item", kit.start(), start + len(word), "kit self-paid")
            start = folded.find(word, start + 1)


def pay_first(folded: str) -> Iterator[tuple[str, str, int, int, str]]:
    """Pay (or advance) first, get it back later: the step every task scam asks for."""
    for m in _PAY_FIRST.finditer(folded):
        yield ("scam", "block", m.start(), m.end(), "pay first, paid back later")


# not 到我车上, 泡温泉, 就你和我, 去酒店: a carpool, a team outing, a shift of two, a hotel job (hand tests)
FAVOURS: Final = ("陪我", "来我房间", "到我房间", "去我房间", "来我家", "去我家", "开房", "跟我住一间", "和我住一间", "单独陪",
           # round 15: a private room, a kiss, a toast of lovers, a partner asked for, obedience at night
           "到我屋", "来我屋", "来我宿舍", "到我宿舍", "关起门", "交杯酒", "亲一下", "亲一口", "抱一下", "做我女朋友",
           "做我女人", "girlfriend", "陪老板", "陪领导", "够不够听话", "乖不乖", "听不听话")  # fmt: skip
_BENEFIT: Final = (
    "转正|留用|录用|名额|升职|加薪|工作的事|岗位的事|兼职的事|面试的事|入职的事|好岗位|轻松的岗|offer|试用期"
    "|班长|组长|奖金|位子|续签|加工资|涨工资|工资的事"
)
_FAVOUR: Final = "|".join(FAVOURS)
_QUID: Final = re.compile(
    f"(?:{_BENEFIT})[^。！？]{{0,16}}?(?:{_FAVOUR})|(?:{_FAVOUR})[^。！？]{{0,16}}?(?:{_BENEFIT})"
)


_OWN_JOB: Final = re.compile("转正|试用期|奖金|加薪|升职|班长|组长|续签|加工资|涨工资|留用|位子")


def quid_pro_quo(folded: str) -> Iterator[tuple[str, str, int, int, str]]:
    """A job benefit traded for a private meeting: "想转正就周五晚上到我车上来聊"."""
    for m in _QUID.finditer(folded):
        if ("陪老板" in m.group() or "陪领导" in m.group()) and _OWN_JOB.search(m.group()) is None:
            continue  # round 15: "招女伴，陪老板应酬出差…名额不多" is an escort ad (scam), not a favour for one's own job
        yield ("harassment", "block", m.start(), m.end(), "job for a private meeting")


AMOUNT: Final = "(?:[0-9]+|[一二两三四五六七八九十][一二两三四五六七八九十百千万]*)"
NOT_COUNT: Final = ("(?![0-9一二两三四五六七八九十百千万]|套|件|个|张|次|天|月|年|号|人|份|双|条|单|批|周|期|班|位|名|轮|起|样|种|项|律|般"
             "|道|题|门|科|节|课|小时|分|场|遍|届|家|所|处|间|层|站|趟|回|顿|餐|季|级|段|步|部分)")  # 健康证一单26天: a count
EACH: Final = "(?:每套|一套|每件|一件|每个|每张|一张)"
# round 13: course books and exams with a price or a total ("课本和考试一共二百四"; the 加我 of 参加我们 had been its
# only hit), a group of its own so the cash anchors keep their scan; 考试一共三门 is a count (the total word is read
# before a numeral may start).
_TOTALS: Final = "一共|总共|共计|合计"
_COURSE: Final = re.compile(f"(?:课本|教材|书本|考试|考证|课程|培训)费?(?:{EACH}|{_TOTALS}|(?!{_TOTALS})){AMOUNT}(?:元|块)?{NOT_COUNT}")
COURSE_ANCHORS: Final[tuple[str, ...]] = (
    "课本", "教材", "书本", *(c + f + t for c in ("考试", "考证", "课程", "培训") for f in ("", "费") for t in _TOTALS.split("|"))
)  # fmt: skip


def course_kit(folded: str) -> Iterator[tuple[str, str, int, int, str]]:
    """Course books or exams with a price: a fee item with its amount (kind ``deposit``: the amount is the demand)."""
    for m in _COURSE.finditer(folded):
        yield ("fee", "deposit", m.start(), m.end(), "course+amount")
