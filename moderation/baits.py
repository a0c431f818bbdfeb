"""Round 15's scam shapes: baits told by what the worker is asked to do or promised, not by a scheme word.

- An account lent or rented for pay (对公账户租一个月给八千, 把支付宝借出去用一天一百, 借你的银行卡走一下账): a money
  mule's job (刑法 §287-2).
- Reviews or ranks paid per piece (给淘宝商品写好评一单返八块, 给主播打榜就能领工资): order-brushing's task.
- A wage said to be certain (保证你年入三十万, 百分百到手八千, 稳稳月入三万, 三个月让你月薪过两万): unfounded, held for
  a person like 包就业 (人力资源市场暂行条例 §24: job information must be true).
- A typing or service job in a compound abroad (泰国园区招打字员): a fraud den's bait.
- Drinking with the customers as the job (跟客人拼酒划拳): escort work (刑法 §359).
Each runs only when the automaton saw one of its anchors (``ANCHORS``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Final

Raw = tuple[str, str, int, int, str]

_N: Final = "[0-9一二两三四五六七八九十百千万几]"
_ACCOUNT: Final = "对公账户|公户|银行卡|储蓄卡|支付宝|微信号|收款码|账户|账号|卡"
_LENT: Final = re.compile(
    f"(?:{_ACCOUNT})(?:[^|]){{0,6}}?((?:借出去|借给|租给|出租|租一|借用|借我|借一下|走一下账|走账|过一下账)(?:[^|]){{0,10}}?{_N}+)"
    f"|((?:借|租)(?:你的|你|一下你的)(?:{_ACCOUNT})(?:[^|]){{0,10}}?{_N}+"
    f"|(?:出借|出租|借出|租出)(?:{_N}张|你的)?(?:[^|]){{0,3}}?(?:{_ACCOUNT})(?:[^|]){{0,14}}?{_N}+)"
)
LENT_ANCHORS: Final = ("出借", "借出去", "借给", "租给", "出租", "租一个月", "借用", "走一下账", "走账", "过一下账", "借你的", "租你的", "借一下你")


def accounts_lent(folded: str) -> Iterator[Raw]:
    """An account lent or rented for money: a money mule's job."""
    for m in _LENT.finditer(folded):
        if any(n in folded[max(0, m.start() - 4) : m.start()] for n in ("别", "不要", "千万", "不能")):
            continue
        lent = 1 if m.group(1) is not None else 2  # the hit is the lending, so a question before it ("你们有对公账户吗？") stays apart
        yield ("scam", "block", m.start(lent), m.end(lent), "account lent")


_PIECE: Final = re.compile(f"(?:写好评|好评|五星|打榜|刷榜|评价|点评|收藏加购|加购|收藏)(?:[^|]){{0,8}}?(?:返|领工资|领钱|一单|一条|一个|每条|每单|日结)(?:[^|]){{0,4}}?{_N}+")
PIECE_ANCHORS: Final = ("写好评", "好评", "五星", "打榜", "刷榜", "评价", "点评", "加购", "收藏")


def reviews_paid(folded: str) -> Iterator[Raw]:
    """Reviews or ranks paid per piece: order-brushing."""
    for m in _PIECE.finditer(folded):
        if "不" in folded[max(0, m.start() - 3) : m.start()] or "禁止" in folded[m.end() : m.end() + 8]:
            continue
        yield ("scam", "block", m.start(), m.end(), "reviews paid")


_CERTAIN: Final = re.compile(
    f"(?<!说)(?<!那种)(?:保证你?|包你|稳|稳拿|百分百|百分之百|让你)(?:的|地|能)?(?:到手|月入|年入|月薪|日入|日赚|拿|挣|赚)(?:过|破|上)?{_N}+"
)
CERTAIN_ANCHORS: Final = tuple(p + w for p in ("保证你", "保证", "包你", "稳", "百分百", "百分之百", "让你")  # 稳稳 folds to 稳
                        for w in ("到手", "月入", "年入", "月薪", "日入", "日赚"))  # fmt: skip


def pay_certain(folded: str) -> Iterator[Raw]:
    """A wage promised as certain: held for a person."""
    for m in _CERTAIN.finditer(folded):
        yield ("scam", "review", m.start(), m.end(), "pay certain")


_ABROAD: Final = "泰国|缅甸|柬埔寨|老挝|迪拜|西港|妙瓦底|菲律宾|马尼拉|金边|越南"
_COMPOUND: Final = re.compile(f"(?:{_ABROAD})(?:[^|]){{0,4}}?园区(?:[^|]){{0,6}}?(?:打字员|客服|业务员|推广)")
COMPOUND_ANCHORS: Final = ("园区",)


def compounds(folded: str) -> Iterator[Raw]:
    """A typing or service job in a compound abroad."""
    for m in _COMPOUND.finditer(folded):
        yield ("scam", "block", m.start(), m.end(), "compound abroad")


_DRINK: Final = re.compile("(?:陪|跟|和|给)(?:客人|客户|老板们|大哥)(?:[^|]){0,2}?(?:喝酒|拼酒|划拳|劝酒|喝|唱)")
DRINK_ANCHORS: Final = ("跟客人", "陪客人", "和客人", "给客人", "陪客户", "跟客户")


def drinking(folded: str) -> Iterator[Raw]:
    """Drinking with the customers as the job: escort work."""
    for m in _DRINK.finditer(folded):
        if any(n in folded[max(0, m.start() - 3) : m.start()] for n in "不无免"):
            continue
        yield ("scam", "block", m.start(), m.end(), "drinking with customers")


#: anchor group → its anchors (merged into lexicon.ANCHORS) and detector (merged into detectors.BY_GROUP).
ANCHORS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType({
    "lent": LENT_ANCHORS, "piece": PIECE_ANCHORS, "certain": CERTAIN_ANCHORS, "compound": COMPOUND_ANCHORS,
    "drink": DRINK_ANCHORS,
})  # fmt: skip
DETECTORS: Final[Mapping[str, Callable[[str], Iterator[Raw]]]] = MappingProxyType({
    "lent": accounts_lent, "piece": reviews_paid, "certain": pay_certain, "compound": compounds, "drink": drinking,
})  # fmt: skip
DOUBLES: Final[Mapping[str, str]] = MappingProxyType({"certain": "scam"})
LABELS: Final = frozenset(("account lent", "reviews paid", "pay certain", "compound abroad", "drinking with customers"))
