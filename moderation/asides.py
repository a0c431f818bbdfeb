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

_WARNED_ONLY: Final = re.compile("骗|别信|举报|报警|违法|犯法|千万|小心|警惕")
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


# ---- batch 26, read after the round's end figure ----
NAMED_FEE_ANCHORS: Final = ("交", "缴")
# 交 + an amount + a charge with any name (每人交300消毒费): the name is new, the shape is a fee
_NAMED_FEE: Final = re.compile(f"(?:交|缴)(?:{AMOUNT}|[0-9]{{2,}})(?:元|块)?(?:的)?[^|0-9]{{1,4}}?费(?!用由|用公司|用厂)")
_NAMED_FEE_CLEARED: Final = re.compile(f"{_WARNED.pattern}|工会|社保|医保|党费|学费由|话费|电费|水费|燃气|物业|房租|停车")


def named_fees(folded: str) -> Iterator[Raw]:
    """An amount paid by the worker as a charge under any name: a fee."""
    end = folded.find("费")
    while end >= 0:  # only the stretch before each 费 can hold the shape (交 alone is in most fee talk)
        m = _NAMED_FEE.search(folded, max(0, end - 20), end + 1)
        if m is not None:
            if _NAMED_FEE_CLEARED.search(folded) is None:
                yield ("fee", "deposit", m.start(), m.end(), "named charge")
            return
        end = folded.find("费", end + 1)


BOUGHT_ANCHORS: Final = ("拍下", "下单", "买下", "不拍", "不买", "解锁", "才派单", "才能派单", "才接单")
_BOUGHT: Final = re.compile(
    "(?:拍下|下单|买下|购买)[^|]{0,12}?(?:就算|才算|才能|才)(?:报名|录用|安排|上岗|入职)|不(?:拍|买|下单)(?:的)?不(?:安排|录用|给报名|派单)"
    f"|(?:先)?(?:充|冲|交|付)(?:{AMOUNT}|[0-9]{{2,}})(?:元|块)?[^|]{{0,4}}?(?:才|才能|就能)(?:解锁|派单|接单|开通|激活)"
)


def bought_to_start(folded: str) -> Iterator[Raw]:
    """Goods bought or credit topped up as the condition of signing up or getting work: a fee, and a scam."""
    m = _BOUGHT.search(folded)
    if m is not None and _WARNED.search(folded) is None:
        yield ("fee", "deposit", m.start(), m.end(), "bought to start")
        yield ("scam", "block", m.start(), m.end(), "bought to start")


SEARCHED_ANCHORS: Final = ("搜",)
_SEARCHED: Final = re.compile("搜[^|]{0,16}?(?:电话|号码|手机|微信)(?:号)?[^|]{0,3}?(?:就是我|是我本人|是我的|就是本人)"
                              "|搜[^|]{0,16}?(?:有|留了|留着|写着)(?:我的?|本人的?)(?:电话|号码|手机|微信)")


def searched_contacts(folded: str) -> Iterator[Raw]:
    """A place searched on another app where the speaker's own number shows: a contact off the platform."""
    m = _SEARCHED.search(folded)
    if m is not None and _WARNED.search(folded) is None:
        yield ("diversion", "divert", m.start(), m.end(), "contact searched")


HIDDEN_ANCHORS: Final = ("看我手势", "看我比", "看我手", "位就是我", "位是我", "后四位", "后4位")
_HIDDEN: Final = re.compile(
    "(?:号码|电话|手机号?|微信)[^|]{0,4}?看我(?:的)?(?:手势|手|比划|比)"
    "|(?:后面|后|末尾|最后|中间)(?:的)?(?:11|十一|[0-9]{1,2}|[一二三四五六七八九十]{1,2})位(?:就是|是)(?:我的?)(?:号码|电话|手机|微信)"
    "|前(?:[三四七378]|十一)位[^|]{0,16}?后(?:四|4)位"
)


def hidden_numbers(folded: str) -> Iterator[Raw]:
    """The speaker's number hidden in signs or in other numbers (hand signs, a certificate's last 11 digits, a pole
    number as the first seven): a contact."""
    m = _HIDDEN.search(folded)
    if m is not None and _WARNED.search(folded) is None:
        yield ("diversion", "divert", m.start(), m.end(), "number hidden")


TOASTED_ANCHORS: Final = ("敬酒", "喝酒", "陪酒", "干杯")
_TOASTED: Final = re.compile("(?:敬酒|喝酒|陪酒|干杯)[^|]{0,10}?(?:不喝|不陪|不去|不干)[^|]{0,14}?"
                             "(?:不用来了|别来了|不用干了|走人|滚|开除|辞退|卷铺盖|不给面子)")


def drinks_forced(folded: str) -> Iterator[Raw]:
    """A drink refused and the job taken away for it: coercion (harassment)."""
    m = _TOASTED.search(folded)
    if m is not None and _WARNED_ONLY.search(folded) is None:
        yield ("harassment", "block", m.start(), m.end(), "drink forced")


THREAT_ANCHORS: Final = ("别逼我", "再逼我", "逼急了", "带人上门", "带人去", "叫人上门", "找人上门")
_THREAT: Final = re.compile(
    "(?:别逼我|再逼我|逼急了我?)[^|]{0,10}?(?:说你的事|把你的事|曝光|抖出来|发出去|挂你|说出去)"
    "|(?:再|敢|要是|还)[^|]{0,8}?(?:我|老子)(?:就)?(?:带人|叫人|找人)(?:上门|去你家|到你家|去找你|去你那)"
)


def threats(folded: str) -> Iterator[Raw]:
    """Exposure or a visit with others threatened on a condition: harassment (治安管理处罚法 §42)."""
    m = _THREAT.search(folded)
    if m is not None and _WARNED_ONLY.search(folded) is None:
        yield ("harassment", "block", m.start(), m.end(), "threat")


POST_ANCHORS: Final = ("编制",)
_POST: Final = re.compile("编制[^|]{0,12}?(?:内部推荐|内推|内部名额|内部指标|找关系|走关系)|(?:内部推荐|内推|内部名额|走关系)[^|]{0,12}?(?:转编|编制|入编)")
_POST_CLEARED: Final = re.compile(f"{_WARNED.pattern}|考试|笔试|公告|公开招聘")


def posts_inside(folded: str) -> Iterator[Raw]:
    """A state post (编制) promised through an inside recommendation: the paid-placement scam, held for a person."""
    m = _POST.search(folded)
    if m is not None and _POST_CLEARED.search(folded) is None:
        yield ("scam", "review", m.start(), m.end(), "state post inside")


PASSPORT_ANCHORS: Final = ("护照",)
_PASSPORT: Final = re.compile("护照(?:原件)?[^|]{0,3}?(?:交给|上交|统一交|给|收走|收上来|收着)(?:主管|公司|领队|老板|我们|经理|园区|管理)?")
_PASSPORT_CLEARED: Final = re.compile(f"{_WARNED.pattern}|自己保管|自己拿着|不收|不扣|当场还|复印|办签证|签证")


def passports_taken(folded: str) -> Iterator[Raw]:
    """A passport handed to the employer on arrival abroad: the trafficking scam's first step (护照法 §4)."""
    m = _PASSPORT.search(folded)
    if m is not None and _PASSPORT_CLEARED.search(folded) is None:
        yield ("scam", "block", m.start(), m.end(), "passport taken")


#: anchor group → its anchors (merged into lexicon.ANCHORS) and detector (merged into detectors.BY_GROUP).
ANCHORS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType({
    "kitsum": KIT_ANCHORS, "feelater": LATER_ANCHORS, "promoted": PROMOTED_ANCHORS, "referral": REFERRAL_ANCHORS,
    "localnumber": LOCAL_ANCHORS, "namedfee": NAMED_FEE_ANCHORS, "boughtstart": BOUGHT_ANCHORS,
    "searched": SEARCHED_ANCHORS, "hiddennumber": HIDDEN_ANCHORS, "toasted": TOASTED_ANCHORS, "asidethreat": THREAT_ANCHORS,
    "postinside": POST_ANCHORS, "passport": PASSPORT_ANCHORS,
})  # fmt: skip
DETECTORS: Final[Mapping[str, Callable[[str], Iterator[Raw]]]] = MappingProxyType({
    "kitsum": kit_sums, "feelater": fees_told_later, "promoted": promotions_promised, "referral": offline_referrals,
    "localnumber": local_numbers, "namedfee": named_fees, "boughtstart": bought_to_start, "searched": searched_contacts,
    "hiddennumber": hidden_numbers, "toasted": drinks_forced, "asidethreat": threats, "postinside": posts_inside,
    "passport": passports_taken,
})  # fmt: skip
LABELS: Final[frozenset[str]] = frozenset((
    "kit summed", "fee told later", "promotion promised", "offline referral", "local number", "named charge", "bought to start",
    "contact searched", "number hidden", "drink forced", "threat", "state post inside", "passport taken",
))
