"""Round 14's scam and contact shapes: lures fresh writers used that no scheme word spells (batch 15, read).

- An investment pitched with its return (投一万年化三十个点, 投两万每个月返一千五, 跟着我投…一个月翻一倍): money
  taken in the name of a job (人力资源市场暂行条例 §27; 网络招聘服务管理规定 §15: no false information). A job
  ad that names a licence and a wage but no return (理财经理，需持基金从业资格证) is none.
- A pay promise said as a certainty (渔船跑一趟稳稳二十万，包你回家盖房子; 包你发财): unfounded, held for review
  like 包就业.
- A gambling platform named by its euphemism (娱乐城, 棋牌平台, 真人视讯, BC平台) with its members' top-ups or an
  overseas or online setting (刑法 §303), so "会员充值" reads as the casino's job, not a fee.
- A contact number in Chinese numerals after an app or its nickname (扣扣三三四四五二零, 企鹅九九八七六五四三二):
  diversion as in ASCII digits (standard 5.1.3 d).
Each runs only when the automaton saw one of its anchors (``ANCHORS``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Final

Raw = tuple[str, str, int, int, str]

_N: Final = "[0-9一二两三四五六七八九十百千万几]"
# the return, anchored: 返 alone fills ordinary lines (返厂, 返费), so only "每月返"-like forms
RETURNS: Final = ("年化", "月化", "月息", "日息", "利息", "收益", "回报", "分红", "拿回", "翻倍", "翻一倍", "翻一番", "倍翻", "回本",
           "月返", "天返", "年返", "保本", "保息")  # fmt: skip
_INVEST: Final = "投|入股|存到|存进|存入|理财|基金|认购|认筹"
_RETURN: Final = "|".join(RETURNS)
_PITCH: Final = re.compile(f"(?:{_INVEST})(?:[^|]){{0,16}}?(?:{_RETURN})")
_NOT_PITCH: Final = re.compile("不是|不搞|不做|不向|不承诺|不保证|没有|没什么|无")  # 不是投资, 不承诺收益


def investments(folded: str) -> Iterator[Raw]:
    """Money to invest, with the return it will bring: a pitch, whatever the product."""
    for m in _PITCH.finditer(folded):
        if _NOT_PITCH.search(folded, max(0, m.start() - 3), m.end()) is not None:
            continue
        yield ("scam", "block", m.start(), m.end(), "investment pitch")


PROMISES: Final = ("包你", "保你", "保证你", "稳稳", "稳拿", "稳挣", "稳赚")
_PROMISE: Final = re.compile(
    "(?:包你|保你|保证你)(?:[^|]){0,8}?(?:发财|暴富|致富|赚|挣|买房|买车|盖|翻身|回本|娶|肥年|不愁|火(?!车)|带" + _N + "+万)"
    f"|(?:稳稳|稳拿|稳挣|稳赚)(?:的|地)?(?:过|赚|挣|拿)?{_N}+(?:千|万|w|k)|{_N}+(?:千|万)稳稳"
)


def promises(folded: str) -> Iterator[Raw]:
    """A big pay said to be certain ("稳稳二十万", "包你发财"): unfounded, held for a person (kind review)."""
    for m in _PROMISE.finditer(folded):
        yield ("scam", "review", m.start(), m.end(), "pay promised")


CASINOS: Final = ("娱乐城", "娱乐场", "娱乐平台", "棋牌平台", "真人视讯", "视讯平台", "bc平台", "体育平台", "线上体育", "菠菜平台")
# players' money moved in as the job, abroad: "海外平台招运营，主要是拉玩家充值" (a game studio's 充值客服 at home is none)
TOP_UPS: Final = ("玩家充值", "会员充值", "拉玩家", "上分", "下分")
_CASINO: Final = re.compile("|".join((*CASINOS, *TOP_UPS)))
_ABROAD: Final = "海外|境外|国外|菲律宾|柬埔寨|迪拜|东南亚|缅甸|老挝|金边|马尼拉|美金|包机票"
_CASINO_JOB: Final = re.compile(f"充值|上分|下分|提款|下注|投注|线上|网上|{_ABROAD}")
_ABROAD_RE: Final = re.compile(_ABROAD)


def casinos(folded: str) -> Iterator[Raw]:
    """A gambling platform by its euphemism with top-ups or an online setting, or players' top-ups as the job
    abroad: a gambling job."""
    m = _CASINO.search(folded)
    if m is None:
        return
    if (_CASINO_JOB if m.group() in CASINOS else _ABROAD_RE).search(folded) is not None:
        yield ("scam", "block", m.start(), m.end(), "casino platform")


_NUMERALS: Final = "零〇一二三四五六七八九幺两壹贰叁肆伍陆柒捌玖"  # 大写 since round 15
_APPS: Final = ("扣", "企鹅", "qq", "q", "威信", "微信", "v信", "vx", "wx", "薇信")
_HANDLE_NUMERALS: Final = re.compile(
    f"(?:{'|'.join(sorted(_APPS, key=len, reverse=True))})(?:群号|号码|号是|号|群|是|搜|为)?([{_NUMERALS}]{{5,12}})"
)
# the app and the first numeral, with the commonest word between (the regex reads more): 390 anchors, not 650
NUMERAL_ANCHORS: Final = tuple(a + s + n for a in _APPS for s in ("", "号", "搜") for n in _NUMERALS)


def numeral_handles(folded: str) -> Iterator[Raw]:
    """A QQ or WeChat number spelled in Chinese numerals right after the app (扣扣三三四四五二零)."""
    for m in _HANDLE_NUMERALS.finditer(folded):
        yield ("diversion", "divert", m.start(), m.end(), "numeral handle")


#: anchor group → its anchors (merged into lexicon.ANCHORS) and detector (merged into detectors.BY_GROUP).
ANCHORS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType({
    "invest": RETURNS, "promise": PROMISES, "casino": (*CASINOS, *TOP_UPS), "numeral": NUMERAL_ANCHORS,
})  # fmt: skip
DETECTORS: Final[Mapping[str, Callable[[str], Iterator[Raw]]]] = MappingProxyType({
    "invest": investments, "promise": promises, "casino": casinos, "numeral": numeral_handles,
})  # fmt: skip
#: skipped when a term already found the category (speed), as detectors' doubles: only the review-kind promise; the
#: block shapes run beside a review-kind word (保证), and an app word's hit counts as seen before it is dropped.
DOUBLES: Final[Mapping[str, str]] = MappingProxyType({"promise": "scam"})
LABELS: Final = frozenset(("investment pitch", "pay promised", "casino platform", "numeral handle"))
