"""Round 16's pay lures with no scheme and no fee word (人力资源市场暂行条例 §24: job information must be true).

- Trafficking abroad by pay alone: a place abroad known for fraud compounds (柬埔寨, 缅北, 迪拜, 西港 … or plain 境外,
  出国), pay of ten thousand a month or more (月薪三万, 日薪一千, 年薪四十万) and no skill asked (只要会打字, 零基础,
  不看学历) or the trip paid (包机票, 护照我们办, 边境有人接): the bait of the compounds (刑法 §240, §318; the
  police's warnings name exactly this). Blocked.
- Pay guaranteed for nothing: money promised with no work or risk (保底一万什么都不用干, 不干活也有工资, 睡着觉都有钱进账,
  只挣不亏, 啥门槛都没有一个月两万到手), or a floor of ten thousand or more with nothing asked (保底两万五，不看学历不看证):
  unfounded, held for a person like 包就业. A floor in a contract with a skill asked (试用期保底五千) is none.
- Cards bought or transfers made for a cut (高价回收一类卡八百一张, 闲着的电话卡拿来给我一张三百, 帮我转几笔账每笔
  抽两个点): a money mule's job (刑法 §287-2), as round 15's accounts lent.
None when the message warns (骗, 警惕, 别去) or asks (吗, 是不是). Each runs only when the automaton saw one of its
anchors (``ANCHORS``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Final

Raw = tuple[str, str, int, int, str]

_N: Final = "[0-9一二两三四五六七八九十几]"
ABROAD: Final = ("柬埔寨", "缅甸", "缅北", "迪拜", "泰国", "老挝", "菲律宾", "马尼拉", "金边", "西港", "妙瓦底", "越南", "马来西亚",
          "境外", "海外", "国外", "出国", "出境", "中东", "阿联酋", "印尼", "边境", "东南亚", "护照")  # fmt: skip
_ABROAD: Final = re.compile("|".join(ABROAD))
_HIGH: Final = re.compile(
    f"{_N}+(?:\\.[0-9])?万|(?<![0-9])[1-9][0-9]{{4,5}}(?![0-9])|[1-9]w|(?:日薪|日入|日赚|一天)(?:{_N}*千|[5-9]百|[5-9][0-9]{{2}}(?![0-9]))"
)
_FIVE: Final = re.compile("[0-9]{5}")
_UNSKILLED: Final = re.compile(
    "会打字|打字即可|会拼音|不用经验|不要经验|无经验|零基础|小白|不要任何|不需要|不看学历|无学历|不用会|会用电脑|会用手机"
    "|只要会|会聊天|什么都不用|键盘会敲|没有要求|无要求|不要求|不限学历|有手就行|不用懂|不懂也|不会也"
)
_TRIP: Final = re.compile("包机票|机票(?:全|包|报|公司|我们)|包来回|路费全包|路费我们|免费出境|手续我们|签证不用|护照我们|边境有人|落地就有人|直接飞|带你过去|偷渡")
_WARNED: Final = re.compile("骗|警惕|小心|别去|不要去|千万|警方|提醒|谨防|诈骗|是不是|吗|？|\\?|不做|不去")


def trafficking(folded: str) -> Iterator[Raw]:
    """A job abroad offered by its pay alone: no skill asked, or the trip paid."""
    if "万" not in folded and "千" not in folded and "百" not in folded and "w" not in folded and _FIVE.search(folded) is None:
        return  # no pay that high: literal checks before the patterns
    place = _ABROAD.search(folded)
    if place is None or _HIGH.search(folded) is None:
        return
    if _UNSKILLED.search(folded) is None and _TRIP.search(folded) is None:
        return
    if _WARNED.search(folded) is not None:
        return
    yield ("scam", "block", place.start(), place.end(), "trafficking abroad")


# no work, no risk, no threshold
EFFORTLESS: Final = ("什么都不用干", "啥都不用干", "什么都不用做", "啥也不用干", "不干活", "不用干活", "不上班", "睡着", "睡觉都",
              "躺着", "躺拿", "躺平", "只挣不", "只赚不", "包赚", "包挣", "稳赚", "稳挣", "零风险", "无风险", "门槛都没有",
              "零门槛", "无门槛", "没有门槛", "动动手指", "刷手机", "点一点")  # fmt: skip
_EFFORTLESS: Final = re.compile("|".join(EFFORTLESS))
_MONEY: Final = re.compile(f"保底|到手|月入|日入|日薪|工资|有钱|进账|收益|拿钱|钱就到|{_N}+(?:万|千|百)")
_NOT_PROMISED: Final = re.compile("骗|别信|不要信|不可能|这种|广告|划走|靠谱|能信|吗|？|\\?|是不是|不存在|没有这种|哪有")


# a high floor with nothing asked (护士岗月薪保底两万五，不看学历不看证)
_FLOOR: Final = re.compile(f"保底(?:[^|]){{0,4}}?(?:{_N}+(?:\\.[0-9])?万|[1-9][0-9]{{4,5}}(?![0-9]))")


def guaranteed(folded: str) -> Iterator[Raw]:
    """Money promised for no work and no risk, or a high floor with nothing asked: held for a person."""
    if _NOT_PROMISED.search(folded) is not None:
        return
    floor = _FLOOR.search(folded) if "保底" in folded else None
    if floor is not None and _UNSKILLED.search(folded) is not None:
        yield ("scam", "review", floor.start(), floor.end(), "pay guaranteed")
        return
    if _EFFORTLESS.search(folded) is None:
        return
    money = _MONEY.search(folded)
    if money is not None:  # the hit is the money, so "什么都不用干" is not read as a denial of it
        yield ("scam", "review", money.start(), money.end(), "pay guaranteed")


_CARD: Final = "银行卡|电话卡|手机卡|一类卡|二类卡|储蓄卡|对公账户|u盾|网银|卡"
_CARDS: Final = re.compile(
    f"(?:回收|高价收|收)(?:[^|]){{0,6}}?(?:{_CARD})|(?:{_CARD})(?:[^|]){{0,8}}?(?:卖我|卖给我|拿来给我|给我收)"
    "|转(?:几|一|两|三)?笔账(?:[^|]){0,6}?(?:抽|给|返)|(?:每笔|一笔)(?:抽|给你|返)"
)
CARD_ANCHORS: Final = ("回收", "高价收", "收银行卡", "收电话卡", "收手机卡", "收一类卡", "卖我", "卖给我", "拿来给我", "笔账", "每笔", "一笔给")
_PRICED: Final = re.compile(f"{_N}+(?:元|块|百|千|个点|张)|每笔|一张给|一张{_N}")


def cards_collected(folded: str) -> Iterator[Raw]:
    """Bank or phone cards bought from strangers, or transfers made for a cut: a money mule's job (刑法 §287-2)."""
    m = _CARDS.search(folded)
    if m is None or _PRICED.search(folded) is None or _WARNED.search(folded) is not None:
        return
    yield ("scam", "block", m.start(), m.end(), "cards collected")


#: anchor group → its anchors (merged into lexicon.ANCHORS) and detector (merged into detectors.BY_GROUP).
ANCHORS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {"abroad": ABROAD, "effortless": (*EFFORTLESS, "保底"), "mules": CARD_ANCHORS}
)
DETECTORS: Final[Mapping[str, Callable[[str], Iterator[Raw]]]] = MappingProxyType({"abroad": trafficking, "effortless": guaranteed, "mules": cards_collected})
DOUBLES: Final[Mapping[str, str]] = MappingProxyType({"effortless": "scam", "abroad": "scam", "mules": "scam"})
LABELS: Final[frozenset[str]] = frozenset(("trafficking abroad", "pay guaranteed", "cards collected"))
