"""Round 23: scams and fees told by the act the worker is asked to do, whatever the scheme is called (standard
5.1.3 c; 就业促进法 §41; 劳动合同法 §9; 人力资源市场暂行条例 §24, §27; 禁止传销条例 §7; 刑法 §280, §359; 发票管理办法 §22).

Rounds 15–22 read a fee by its name, its payer or its terms, and a scheme by its structure. Each reader here is
the act itself, with open slots:

- papers handed over: an original identity paper (ID card, household book, bank or wage card, diploma, licence)
  mailed, handed or left with the recruiting side, for a place, procedures or till a stint is served (劳动合同法 §9,
  就业促进法 §41: no holding a worker's documents) — not a copy for the contract, not a paper shown and returned;
- prepaid credit: a fuel card, Q coins, phone credit, game points or a shop card topped up or bought, with its value
  or its code handed to the recruiting side or as the condition of the job or a "test" — not the company paying it;
- goods from the live room's cart (小黄车, 橱窗, a numbered link) bought, the order or its screenshot the condition
  of an interview or a place — not a host selling goods with no job tied;
- pay withheld for the master or the training: the worker's pay (the first months, the first orders) turned into a
  master's fee or tuition — not a lawful apprenticeship paid, not the company paying the master an allowance;
- a buy-in with a reward per member brought in: a share, a franchise, a membership bought with money, and a reward
  for each new member recruited (禁止传销条例 §7: pay by head count for a buy-in);
- escort work as a companion or a guide: a companion title with a price per night or a night spent with the client
  (刑法 §359) — not a carer's night shift, not a tour guide's day;
- documents forged for pay: false invoices, statements, records, seals, or false job posts to collect résumés and
  fees, made as the job (刑法 §280; 发票管理办法 §22; 人力资源市场暂行条例 §24) — not a warning, not a refusal.
The folded text has no punctuation and repeats collapsed: stretches are counted in characters. A warning, a
refusal or the company paying clears a shape; a question stays the policy's. The four fee readers are the
employer's (``EMPLOYER_ONLY``: a seeker's own papers or spending is no fee); the three scam readers read anyone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Final

from moderation.buyins import AMOUNT
from moderation.deceits import FALSE_PAPER

Raw = tuple[str, str, int, int, str]

_AMOUNT: Final = re.compile(AMOUNT)
_NEGATED: Final = re.compile("不|没|无|别|甭|莫|免|勿|禁止|严禁")
_WARNED: Final = re.compile(
    "骗|别信|举报|报警|违法|犯法|坐牢|判刑|合法吗|套路|千万别|千万不要|别去|别接|小心|警惕|谁让你|有人让你|有人说|有人找|冒充|"
    "不要交|不要给|别给|别交|不能扣|传销|12333|劳动监察|不干|不接|不做|拒绝|靠谱吗|正常吗|是不是"
)


def _asserted(folded: str, start: int, reach: int = 3) -> bool:
    """The word at ``start`` is not refused right before it (不用寄, 不扣, 别拍)."""
    return _NEGATED.search(folded, max(0, start - reach), start) is None


def _near(pattern: re.Pattern[str], folded: str, start: int, end: int, reach: int) -> re.Match[str] | None:
    return pattern.search(folded, max(0, start - reach), end + reach)


# ---- original identity papers handed over ----
_PAPER: Final = re.compile("身份证|户口本|户口簿|户籍本|银行卡|工资卡|毕业证|学历证|学位证|护照|驾驶证|驾照|社保卡|证书")
_HAND: Final = re.compile(
    "寄到|寄给|寄过来|寄来|邮寄|快递|交给|交到|交由|交至|上交|押在|押到|押给|放在|留在|统一保管|保管|收走|代管|代领"
)
_ORIGINAL: Final = re.compile("原件")
# a keeping or a release: the paper stays with them (统一保管, 办完再还, 干满…再退)
_KEPT: Final = re.compile("保管|代领|代管|统一|押|收走|再还|再退|才还|才退|归还|发回|还你|退给你|办完|办好|收到")
_PLACE: Final = re.compile("名额|内部|内推|手续|流程|指标|编外|编制|入职|上岗|推荐|安排|办理|走|保管|再还|再退|归还|发回|还你")
_COPY_OR_OWN: Final = re.compile(
    "复印|扫描件|照片|拍照|自己(?:拿|保管|收好|手上|留着|带走|去)|你自己|本人去|当场还|看一眼|核对|刷身份证|刷完|登记完"
)
_PAPER_REACH: Final = 16


def papers_handed(folded: str) -> Iterator[Raw]:
    """An original identity paper mailed or handed to the recruiting side and kept, for a place or procedures."""
    for paper in _PAPER.finditer(folded):
        hand = _near(_HAND, folded, paper.start(), paper.end(), _PAPER_REACH)
        if hand is None or not _asserted(folded, hand.start(), 4) or not _asserted(folded, paper.start(), 4):
            continue
        original = _ORIGINAL.search(folded, max(0, paper.start() - 8), paper.end() + 8) is not None
        mailed = hand.group() in ("寄到", "寄给", "寄过来", "寄来", "邮寄", "快递")
        if not (original or mailed or _KEPT.search(folded, hand.start(), hand.end() + 24) is not None):
            continue  # 把身份证交给前台登记: shown, not kept
        if (_PLACE.search(folded) is None and _KEPT.search(folded) is None) or (_COPY_OR_OWN.search(folded) is not None and not original):
            continue
        if _COPY_OR_OWN.search(folded) is not None and re.search("复印|当场还|看一眼|核对", folded) is not None:
            continue  # 复印件…原件看一眼当场还你: the original only shown
        if _WARNED.search(folded) is None:  # asked last: the one full-text search, only for a shape read
            yield ("fee", "fraud", hand.start(), hand.end(), "papers handed over")
        return


# ---- prepaid credit topped up or bought for the recruiting side ----
_CREDIT: Final = re.compile(
    "加油卡|油卡|q币|话费|点卡|点券|游戏币|京东卡|购物卡|超市卡|礼品卡|会员卡|充值卡|卡密|代金券|储值卡|提货卡|游戏点|苹果卡"
)
_TOPUP: Final = re.compile("充|买|办|购|交|寄|发")
# the value handed over, or the job as its condition
_PRICE: Final = re.compile(f"{AMOUNT}|[0-9一二两三四五六七八九十百千万]+(?:元|块|百|千|万)")  # 三百点卡
_CREDIT_FOR: Final = re.compile(
    "卡密|卡号|截图|指定|这个号|账号上|寄过来|寄给|发给|发我|交给|录用|上岗|入职|排班|工号|审核|考核|测试|面试|报名|试岗|诚意|流程|才能|开工|上车|派单|开车|退"
)
_CREDIT_CLEARED: Final = re.compile(
    "公司(?:充|发|出|承担|报销|给)|补贴|福利|报销|发放|每月发|给员工|负责|处理|业务|给自己|我自己|不用你|不用垫|油卡是公司"
)
_CREDIT_REACH: Final = 14


def credit_topped(folded: str) -> Iterator[Raw]:
    """A prepaid card, coins or credit topped up or bought with a price, handed over or as the job's condition."""
    for credit in _CREDIT.finditer(folded):
        act = _near(_TOPUP, folded, credit.start(), credit.end(), _CREDIT_REACH)
        if act is None or not _asserted(folded, act.start()):
            continue
        if credit.group() != "卡密" and _near(_PRICE, folded, credit.start(), credit.end(), _CREDIT_REACH) is None:
            continue
        if _CREDIT_FOR.search(folded, max(0, credit.start() - 24), credit.end() + 24) is None:
            continue
        if _WARNED.search(folded) is None and _CREDIT_CLEARED.search(folded) is None:
            yield ("fee", "deposit", credit.start(), credit.end(), "prepaid credit")
        return


# ---- goods from the live room's cart bought for an interview ----
_SHOP: Final = re.compile("小黄车|橱窗|购物车|小店|[0-9一二三四五六七八九十]号链接|直播间(?:下单|买|拍)")
# an order placed: not 购 of 购物车 (点购物车图标报名 is the platform's sign-up, batch 13)
_ORDER: Final = re.compile("拍|下单|买|购买|付款|订单|付了|支付")
_CART_SLOT: Final = re.compile("面试|名额|入职|上岗|进厂|录用|资格|进面试|进群|来厂|排班|报名")
_CART_COND: Final = re.compile("截图|凭|前提|才|先|就|没拍|不给|作为|条件|之后|后再|给你安排|记录")
_CART_CLEARED: Final = re.compile(
    "无关|没有关系|没关系|没有任何关系|两码事|不用下单|不用买|不需要买|不用拍|不卖货|自用|自愿|不影响|都一样|喜欢的"
)
_CART_REACH: Final = 28


def cart_for_interview(folded: str) -> Iterator[Raw]:
    """Goods bought from the live room's cart, the order or its screenshot the condition of an interview or a place."""
    for shop in _SHOP.finditer(folded):
        lo, hi = max(0, shop.start() - _CART_REACH), shop.end() + _CART_REACH
        order = _ORDER.search(folded, lo, shop.start()) or _ORDER.search(folded, shop.end(), hi)
        if order is None or not _asserted(folded, order.start()):
            continue
        slots = list(_CART_SLOT.finditer(folded, lo, hi))
        if not slots or _CART_COND.search(folded, lo, hi) is None:
            continue
        # the place bought is the span (the last one): a screenshot sent to the shop's service after the goods
        # (小黄车里的…截图给客服) is no block list disowning them (moderation.disowned)
        if _WARNED.search(folded) is None and _CART_CLEARED.search(folded) is None:
            yield ("fee", "deposit", slots[-1].start(), slots[-1].end(), "cart order for a place")
        return


# ---- the worker's pay turned into a master's fee or tuition ----
_MASTER: Final = re.compile(
    "拜师|带徒费|带班费|带教费|学费|培训费|师傅拿|给师傅|归师傅|打给师傅|师父拿|给师父|归老师|给老师|老师拿|师傅的"
)
_WAGE: Final = re.compile("工资|工钱|薪水|薪资|提成|收入|工费")
_TAKE: Final = re.compile("抵|扣|作为|作|当|算|归|打给|拿|交|给")
_MASTER_CLEARED: Final = re.compile(
    "公司出|公司承担|公司负责|免费|不收|照发|津贴|额外给|补贴给师傅|不用交|不交|最低工资|正常发放|一分不能少"
)
_MASTER_REACH: Final = 18


def pay_to_master(folded: str) -> Iterator[Raw]:
    """The worker's pay of a first stretch kept as the master's fee or the tuition (头三个月工资全抵拜师钱)."""
    for master in _MASTER.finditer(folded):
        if not _asserted(folded, master.start(), 4):
            continue
        wage = _near(_WAGE, folded, master.start(), master.end(), _MASTER_REACH)
        if wage is None:
            continue
        lo, hi = min(wage.start(), master.start()), max(wage.end(), master.end())
        take = _TAKE.search(folded, lo, hi + 4)
        if take is None or not _asserted(folded, take.start()):
            continue
        if _WARNED.search(folded) is None and _MASTER_CLEARED.search(folded) is None:
            yield ("fee", "deposit", master.start(), master.end(), "pay kept for the master")
        return


# ---- a buy-in with a reward per member brought in ----
_BUYIN: Final = re.compile("入股|股份|一股|认股|份额|入伙|加盟|入会|会员|合伙人|代理|认购|入社|股东")  # lead, batch 25: 招股东
_PER_HEAD: Final = re.compile(
    "(?:每|再|多)(?:拉|带|推荐|介绍|发展|邀请|招)(?:进来|进|来)?(?:一|1)?(?:个|位|名)?"
    "|(?:拉|带|推荐|介绍|发展)(?:进来|进)?(?:一|1)(?:个|位|名)"
)
_REWARD: Final = re.compile("奖|返|提成|分成|佣金|分红|给你|拿|抽")
_SHARE_REACH: Final = 20


def buyin_per_head(folded: str) -> Iterator[Raw]:
    """A share, franchise or membership bought with money, and a reward for each new member brought in: a scam, and a
    fee (the buy-in the worker pays)."""
    for head in _PER_HEAD.finditer(folded):
        if not _asserted(folded, head.start()) or _REWARD.search(folded, head.end(), head.end() + 16) is None:
            continue
        buy = _near(_BUYIN, folded, head.start(), head.end(), _SHARE_REACH)
        if buy is None or _near(_AMOUNT, folded, buy.start(), buy.end(), 12) is None:
            continue
        if _WARNED.search(folded) is None:
            yield ("scam", "block", head.start(), head.end(), "buy-in per head")
            yield ("fee", "fraud", buy.start(), buy.end(), "buy-in per head")  # lead, batch 25: the buy-in is paid
        return


# ---- escort work as a companion or guide, priced by the night ----
_TITLE: Final = re.compile("陪同|陪伴|伴游|旅伴|地陪|导游|陪护|助理|陪聊|秘书|女伴|旅游搭子|私人管家")
_NIGHT: Final = re.compile("一晚|每晚|按晚|一夜|每夜|按夜|包夜|过夜|住一起|住客人|陪住|同住|到酒店|去酒店|酒店陪|晚上陪")
_CLIENT: Final = re.compile("客人|客户|老板|男客|老总|大哥|金主|男士|贵宾")
_CARE: Final = re.compile("照顾|病人|患者|住院|老人|护理|夜班补贴|夜班费")
_NIGHT_REACH: Final = 10


def nights_priced(folded: str) -> Iterator[Raw]:
    """A companion or guide title, a night with the client, and a price per night: escort work (刑法 §359)."""
    for night in _NIGHT.finditer(folded):
        if not _asserted(folded, night.start()) or _TITLE.search(folded) is None:
            continue
        client = _CLIENT.search(folded) is not None
        if _CARE.search(folded) is not None and re.search("不是照顾|不用照顾", folded) is None:
            return  # a carer's night shift
        priced = _near(_AMOUNT, folded, night.start(), night.end(), _NIGHT_REACH) is not None
        if priced or (client and re.search("结算|计费|报酬|一结|另加", folded) is not None):
            if _WARNED.search(folded) is None and (client or re.search("住|酒店|过夜|包夜", folded) is not None):
                yield ("scam", "block", night.start(), night.end(), "nights priced")
            return


# ---- documents forged for pay ----
_FORGE: Final = re.compile(
    "假(?:的)?(?:工资|工作|收入|银行)?(?:发票|票|流水|病历|诊断|证明|合同|公章|章|学历|文凭|证书|招聘|岗位|帖子|简历|报告)"
    "|虚假(?:的)?(?:岗位|招聘|信息|帖子|发票|流水)|伪造|造假|做假|编假|代开(?:增值税)?(?:专用)?(?:发票|票)|刻章|套牌"
)
_FOR_PAY: Final = re.compile("提成|分成|点数|日结|月薪|工资|报酬|给你|一张|一份|一单|一本|一个|每份|每张|每单|每个|招|兼职|业务员|负责")
_FORGE_CLEARED: Final = re.compile("税务局|税务机关|识别|辨别|鉴别|打假|查处|防范")
_FORGE_REACH: Final = 24


def forged_for_pay(folded: str) -> Iterator[Raw]:
    """False invoices, statements, records, seals or job posts made as paid work (招兼职开票员，帮公司开假发票)."""
    for forge in _FORGE.finditer(folded):
        if not _asserted(folded, forge.start()):
            continue
        if _near(_FOR_PAY, folded, forge.start(), forge.end(), _FORGE_REACH) is None:
            continue
        # 假的 is the goods made here, not a warning: the policy's exception for a false paper sold (round 22)
        if _WARNED.search(folded) is None and _FORGE_CLEARED.search(folded) is None:
            yield ("scam", "block", forge.start(), forge.end(), FALSE_PAPER)
        return


# no bare 银行卡 or 工资卡 (money mules and wage cards: 315 lines of the bench mix): a card with its hand-over or keeping
PAPER_ANCHORS: Final = ("原件", "户口本", "户口簿", "户籍本", "毕业证", "学历证", "学位证", "驾驶证", "社保卡", "身份证寄", "身份证快递",
                 "身份证邮寄", "寄身份证", "快递身份证", "邮寄身份证", "身份证交给", "卡交给", "卡一起交", "卡交到", "卡押", "卡由",
                 "代领", "代管", "卡寄")  # fmt: skip
CREDIT_ANCHORS: Final = ("加油卡", "油卡", "q币", "话费", "点卡", "点券", "游戏币", "京东卡", "购物卡", "超市卡", "礼品卡", "会员卡",
                  "充值卡", "卡密", "代金券", "储值卡", "提货卡", "游戏点", "苹果卡")  # fmt: skip
CART_ANCHORS: Final = ("小黄车", "橱窗", "购物车", "小店", "号链接", "直播间下单", "直播间买", "直播间拍")
MASTER_ANCHORS: Final = ("拜师", "带徒费", "带班费", "带教费", "师傅拿", "给师傅", "归师傅", "打给师傅", "师父拿", "给师父", "归老师",
                  "老师拿", "抵学费", "抵培训费", "作培训费", "作学费", "当学费", "当培训费", "算学费", "算培训费")  # fmt: skip
HEAD_ANCHORS: Final = (*(a + v for a in ("每", "再", "多") for v in ("拉", "带", "推荐", "介绍", "发展", "邀请")),
                "拉进一", "带进一", "拉进来一", "带进来一", "推荐一", "介绍一", "发展一")  # fmt: skip
NIGHT_ANCHORS: Final = ("一晚", "每晚", "按晚", "一夜", "每夜", "按夜", "包夜", "过夜", "住一起", "住客人", "陪住", "同住", "到酒店",
                 "去酒店", "酒店陪", "晚上陪")  # fmt: skip
FORGE_ANCHORS: Final = ("假发票", "假票", "假流水", "假病历", "假诊断", "假证明", "假合同", "假公章", "假章", "假学历", "假文凭",
                 "假招聘", "假岗位", "假帖子", "假的工", "假的收", "假工资", "假收入", "假银行", "虚假", "伪造", "造假", "做假",
                 "编假", "代开", "刻章")  # fmt: skip

#: anchor group → its anchors (merged into lexicon.ANCHORS) and detector (merged into detectors.BY_GROUP).
ANCHORS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType({
    "actpapers": PAPER_ANCHORS, "actcredit": CREDIT_ANCHORS, "actcart": CART_ANCHORS, "actmaster": MASTER_ANCHORS,
    "acthead": HEAD_ANCHORS, "actnight": NIGHT_ANCHORS, "actforge": FORGE_ANCHORS,
})  # fmt: skip
DETECTORS: Final[Mapping[str, Callable[[str], Iterator[Raw]]]] = MappingProxyType({
    "actpapers": papers_handed, "actcredit": credit_topped, "actcart": cart_for_interview, "actmaster": pay_to_master,
    "acthead": buyin_per_head, "actnight": nights_priced, "actforge": forged_for_pay,
})  # fmt: skip
#: the scam readers run with the shapes, skipped when a scam is found already (a second ruling changes nothing)
# (not the buy-in: a scam term found beside it, 每拉一个, leaves its fee to be read; lead, batch 25)
DOUBLES: Final[Mapping[str, str]] = MappingProxyType({"actnight": "scam", "actforge": "scam"})
LABELS: Final[frozenset[str]] = frozenset(
    ("papers handed over", "prepaid credit", "cart order for a place", "pay kept for the master", "buy-in per head",
     "nights priced")
)  # fmt: skip
#: a seeker's own papers, credit, orders or apprenticeship is no fee (§41 binds employers)
EMPLOYER_ONLY: Final[frozenset[str]] = frozenset(("actpapers", "actcredit", "actcart", "actmaster"))
#: the fee readers run late (detectors.grouped), as round 22's: a fee word another reader found and the policy
#: clears (岗前培训课…) must not keep the act from being read
LATE: Final[frozenset[str]] = EMPLOYER_ONLY
