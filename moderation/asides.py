"""Round 24 (lead): shapes fresh authors used that no earlier reader covers, each told by what is asked of the seeker.

- Kit listed and summed as one payment (报到时交工衣、帽子、口罩钱共180): a fee (就业促进法 §40-41); the single
  items are lexicon terms (工衣钱), a list of them closed by one total is not.
- A fee whose amount is told later (到了厂里人事会跟你说收多少, 收多少到了再说): a fee kept vague to draw the seeker in
  (人力资源市场暂行条例 §27).
- A promotion promised to whoever joins (干满一年保你当车间主任): an unfounded promise, held for a person like 包就业
  (standard 5.1.3; 广告法 §4 false promises).
- The post handed out offline by name (直接去…找看门的老周，报我名字就有岗): the application taken off the platform
  (standard 5.1.3 d, 导流).
- A local number without its area code given to be dialled (七三三零二六九一，打这个; 座机73302691): a contact.
Each runs only when the automaton saw one of its anchors (``ANCHORS``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Final

from moderation.buyins import AMOUNT

Raw = tuple[str, str, int, int, str]

_WARNED: Final = re.compile("骗|别信|举报|报警|违法|犯法|千万|小心|警惕|不收|不用|不需要|免费|不要交|别交|公司出|厂里出|公司承担|报销|包吃包住")

KIT_ANCHORS: Final = ("钱共", "钱一共", "钱总共", "钱合计", "费共", "费一共", "费总共", "费合计")
# 交 + two or more items (the folded text has lost the 、 between them) + 钱/费 + one total
_KIT: Final = re.compile(f"(?:交|缴|付|掏)(?:齐|清|上)?[^|交缴付掏]{{4,14}}?(?:钱|费)(?:共|一共|总共|合计)(?:{AMOUNT}|[0-9]{{2,}})")
_KIT_ITEM: Final = re.compile("衣|服|帽|鞋|口罩|手套|被|床|饭卡|工牌|柜|锁|体检|照片|押金|材料|工具")


def kit_sums(folded: str) -> Iterator[Raw]:
    """Several kit items paid by the seeker as one total: a fee."""
    m = _KIT.search(folded)
    if m is not None and len(_KIT_ITEM.findall(m.group())) >= 2 and _WARNED.search(folded) is None:
        yield ("fee", "deposit", m.start(), m.end(), "kit summed")


LATER_ANCHORS: Final = ("收多少",)
_LATER: Final = re.compile("收多少(?:钱)?(?:到了|到厂|来了|到时|当面|见面|面试时|入职时)?(?:再说|再谈|再讲|再告诉|就知道)"
                           "|(?:到了|到厂|到时候|来了|报到|入职时|面试时|见面)[^|]{0,10}?(?:会)?(?:跟你|和你|给你|同你)(?:说|讲|讲清楚|说清楚)"
                           "(?:要)?收多少")  # fmt: skip
_LATER_CLEARED: Final = re.compile(f"{_WARNED.pattern}|工资|薪|发多少|给多少|能拿")


def fees_told_later(folded: str) -> Iterator[Raw]:
    """A charge announced with its amount kept for later: a fee."""
    m = _LATER.search(folded)
    if m is not None and _LATER_CLEARED.search(folded) is None:
        yield ("fee", "deposit", m.start(), m.end(), "fee told later")


PROMOTED_ANCHORS: Final = ("保你", "包你", "保证你")
_RANK: Final = "主任|组长|主管|经理|领班|店长|班长|拉长|线长|厂长|总监|管理层|干部|师傅|股东|合伙人"
_PROMOTED: Final = re.compile(f"(?:保|包|保证)你(?:(?!吃|住|宿|食|满意|到账|学会|工资)[^|]){{0,5}}?(?:当|升|做到)(?:上)?[^|]{{0,4}}?(?:{_RANK})")
_PROMOTED_CLEARED: Final = re.compile("骗|别信|不可能|不能保证|没人能保|谁敢保|吗|不保证|不承诺|假的")


def promotions_promised(folded: str) -> Iterator[Raw]:
    """A rank guaranteed in advance: an unfounded promise a person should check (review)."""
    m = _PROMOTED.search(folded)
    if m is not None and _PROMOTED_CLEARED.search(folded) is None:
        yield ("scam", "review", m.start(), m.end(), "promotion promised")


REFERRAL_ANCHORS: Final = ("报我名字", "报我的名字", "提我名字", "提我的名字", "说是我介绍", "说我介绍", "报我名")
_REFERRAL: Final = re.compile("直接(?:去|到|来|上)[^|]{0,24}?(?:找|问)[^|]{0,10}?(?:报|提|说)(?:是)?我(?:的)?(?:名字?|介绍)")
_REFERRAL_CLEARED: Final = re.compile("骗|别信|举报|报警|不要去|别去|千万别|平台上|预约|投递|面试|前台|人事部|hr")


def offline_referrals(folded: str) -> Iterator[Raw]:
    """Go straight to a person off the platform and drop the speaker's name: the post handed out offline."""
    m = _REFERRAL.search(folded)
    if m is not None and _REFERRAL_CLEARED.search(folded) is None:
        yield ("diversion", "divert", m.start(), m.end(), "offline referral")


LOCAL_ANCHORS: Final = ("打这个", "拨这个", "打这", "座机", "固话")
_DIGIT: Final = "[0-9零〇一二三四五六七八九幺两洞拐]"
_LOCAL: Final = re.compile(
    f"(?<!{_DIGIT})({_DIGIT}{{7,8}})(?!{_DIGIT})(?:号|号码|电话)?(?:就)?(?:打这个|拨这个|打这)(?!卡|字|结|包|折|钩|球|比方|工|孔|洞)"
    f"|(?:打这个|拨这个|座机|固话)(?:号|号码|电话)?(?:是)?(?<!{_DIGIT})({_DIGIT}{{7,8}})(?!{_DIGIT})"
)


_CODE_BEFORE: Final = re.compile("工号|编号|单号|订单|批号|货号|型号|卡号|学号|车牌|房号|工位")


def local_numbers(folded: str) -> Iterator[Raw]:
    """A local number of seven or eight digits (no area code) given to be dialled: a contact off the platform."""
    m = _LOCAL.search(folded)
    if m is not None and _WARNED.search(folded) is None:
        group = 1 if m.group(1) is not None else 2
        if _CODE_BEFORE.search(folded, max(0, m.start(group) - 4), m.start(group)) is not None:
            return  # a staff, order or batch number (工号12345678)
        yield ("diversion", "divert", m.start(group), m.end(group), "local number")


#: anchor group → its anchors (merged into lexicon.ANCHORS) and detector (merged into detectors.BY_GROUP).
ANCHORS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType({
    "kitsum": KIT_ANCHORS, "feelater": LATER_ANCHORS, "promoted": PROMOTED_ANCHORS, "referral": REFERRAL_ANCHORS,
    "localnumber": LOCAL_ANCHORS,
})  # fmt: skip
DETECTORS: Final[Mapping[str, Callable[[str], Iterator[Raw]]]] = MappingProxyType({
    "kitsum": kit_sums, "feelater": fees_told_later, "promoted": promotions_promised, "referral": offline_referrals,
    "localnumber": local_numbers,
})  # fmt: skip
LABELS: Final[frozenset[str]] = frozenset(("kit summed", "fee told later", "promotion promised", "offline referral", "local number"))
