"""Round 16's payments with no fee word (就业促进法 §41; 人力资源市场暂行条例 §27; 禁止传销条例 §7).

- A buy-in: points, shares, a place or a membership bought to get work (认购积分一千起, 入股三千, 买一个名额八百,
  一股五百): money taken for a job, the way pyramids take it. Fee (kind ``fraud``) and scam.
- A bundle: several costs added up and asked for (体检服装住宿一共八百先转过来, 三样加起来六百交了就上岗, 资料照片体检
  打包三百): a fee told by its total. Kind ``item``: the fee rules still read a denial, the company paying, a
  reimbursement and the seeker's side.
- A certificate or card the speaker sells (保安员证来我这里弄三百八一本, 电工证包办一千二, 推荐金卡一百九九一张): the
  job's paperwork as the employer's business. Kind ``deposit`` like round 15's kit sold: the sale is the demand
  (never held against a seeker).
Not asked (吗), refused (不用, 不收, 免费) or warned against (骗, 传销). Each runs only when the automaton saw one of
its anchors (``ANCHORS``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Final

Raw = tuple[str, str, int, int, str]

_N: Final = "[0-9一二两三四五六七八九十百千万几壹贰叁肆伍陆柒捌玖拾佰仟]"
# money: two digits or more, or numerals with a magnitude (八百八, 一千二, 六十八); not a count (一张, C1本)
AMOUNT: Final = "(?:(?<![0-9a-z])[0-9]{2,}|[一二两三四五六七八九几壹贰叁肆伍陆柒捌玖]*[十百千万拾佰仟][零一二两三四五六七八九十百千万]*)(?!个|人|天|小时|点|号|岁|年|名|条|单|栋|楼|[0-9])"
_REFUSED: Final = re.compile("(?:不用|不需要|不要|无需)(?:任何)?(?:钱|交|花|付|出|掏|买|认购|入股)|不收|没有|免费|不花|不出|骗|传销|别信|吗|？|\\?|是不是|公司出|公司统一|公司帮|自愿|不强制")

# the buying words, not 名额 or 积分 alone ("名额不多" closes half the hosts' lines)
BUY_ANCHORS: Final = ("认购", "入股", "买名额", "买个名额", "买一个名额", "就能买", "花钱买", "原始股", "一股", "每股", "会员权益", "算力",
               "买积分", "充积分", "积分激活", "名额费", "工位费")  # fmt: skip
_GOODS: Final = "积分|股份|原始股|股|名额|会员权益|权益|算力|工位"
_BUY: Final = re.compile(
    f"(?:认购|购买|买|充|花|认领)(?:[^|]){{0,4}}?(?:{_GOODS})(?:[^|]){{0,6}}?{AMOUNT}|入股(?:[^|]){{0,6}}?{AMOUNT}|{AMOUNT}(?:元|块)?入股"
    f"|(?:认购|购买|买|充|花)(?:{AMOUNT})(?:元|块)?(?:[^|]){{0,6}}?(?:{_GOODS})"
    f"|(?:名额|积分|股份|一股|每股|每份|会员权益)(?:[^|]){{0,8}}?(?:{AMOUNT}(?:元|块)|(?:每个|一个|一股|每份|一份|花|交|付){AMOUNT}|{AMOUNT}(?:起|一个|一份|每个|一股))"
)
_BOUGHT: Final = re.compile("认购|购买|买|入股|充|花|一股|每股|每份|按股")


def buy_ins(folded: str) -> Iterator[Raw]:
    """Points, shares or a place bought for money to get work: a fee and a scam."""
    if _BOUGHT.search(folded) is None:
        return
    for m in _BUY.finditer(folded):
        if _BOUGHT.search(folded, max(0, m.start() - 6), m.end() + 8) is None:
            continue  # "名额还剩三十个": a count, nothing bought
        if _REFUSED.search(folded) is not None:
            return
        yield ("fee", "fraud", m.start(), m.end(), "buy-in")
        yield ("scam", "block", m.start(), m.end(), "buy-in")
        return


BUNDLE_ANCHORS: Final = ("一共", "合计", "共计", "加起来", "加一块", "合起来", "算下来", "打包", "总共", "一起是", "三样", "几样", "几项", "三项")
_TOTAL: Final = re.compile(f"(?:一共|合计|共计|加起来|加一块|合起来|算下来|打包|总共|一起是)(?:是|就|才)?{AMOUNT}")
_ASKED: Final = re.compile("(?<![提社外公])交(?![通流接班往警叉易])|先转|转我|转给我|转过来|转账|交了|先交|交钱|一起交|统一收|先付|付了|先给钱|结清|打过来|给我|现场交|现金|备好|先打")
_NOT_COSTS: Final = re.compile("工资|补贴|奖金|提成|岗位|名额|报销|退给你|打到你")


def bundles(folded: str) -> Iterator[Raw]:
    """Several costs told as one total and asked for."""
    m = _TOTAL.search(folded)
    if m is None or _ASKED.search(folded) is None or _NOT_COSTS.search(folded) is not None:
        return
    yield ("fee", "item", m.start(), m.end(), "costs bundled")


CERT_ANCHORS: Final = ("我这", "我们这", "我们帮", "帮你办", "代办", "包办", "我们跑", "交给我们", "找我办", "开个", "办个", "办张", "金卡", "推荐卡", "优先卡")
_PAPER: Final = "证|卡|会员|vip"
_SOLD: Final = re.compile(
    f"(?:{_PAPER})(?:[^|]){{0,8}}?(?:我这|我们这|我们帮|帮你办|代办|包办|我们跑|交给我们|找我办|来我这)(?:[^|]){{0,10}}?{AMOUNT}"
    f"|(?:找我办|在我这办|我这办|开个|办个|办张)(?:[^|]){{0,8}}?(?:{_PAPER})(?:[^|]){{0,8}}?{AMOUNT}"
    f"|(?:推荐|优先)(?:[^|]){{0,2}}?(?:卡|会员|vip)(?:[^|]){{0,4}}?{AMOUNT}"
)


def papers_sold(folded: str) -> Iterator[Raw]:
    """A certificate, card or membership the speaker sells for work."""
    if "证" not in folded and "卡" not in folded and "会员" not in folded and "vip" not in folded:
        return
    m = _SOLD.search(folded)
    if m is None or _REFUSED.search(folded) is not None or "报销" in folded:
        return
    yield ("fee", "deposit", m.start(), m.end(), "papers sold")  # the sale is the demand, as charges' kit sold


#: anchor group → its anchors (merged into lexicon.ANCHORS) and detector (merged into detectors.BY_GROUP).
ANCHORS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType({"buyin": BUY_ANCHORS, "bundle": BUNDLE_ANCHORS, "papers": CERT_ANCHORS})
DETECTORS: Final[Mapping[str, Callable[[str], Iterator[Raw]]]] = MappingProxyType({"buyin": buy_ins, "bundle": bundles, "papers": papers_sold})
DOUBLES: Final[Mapping[str, str]] = MappingProxyType({"buyin": "fee", "bundle": "fee", "papers": "fee"})  # buyin: a fee read already
LABELS: Final[frozenset[str]] = frozenset(("buy-in", "costs bundled", "papers sold"))
