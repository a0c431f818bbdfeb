"""Round 18's money taken from a seeker by a channel or a name no fee word covers (就业促进法 §41; 人力资源市场暂行条例
§24, §27; 刑法 §266).

- A red packet as the fee (发个支付宝口令红包给我，金额188…收到就算报上了; 进群前先给我发个88的拼手气红包): a payment
  with the sign-up as its condition; not a host's giveaway (抽口令红包, 领着玩) nor a warning.
- A head fee paid by the worker (导游先交人头费, 每个客人你先垫四十人头钱, 按人头先交三十): a fee; not a subsidy paid to
  the worker (按人头拿补贴) nor one the company pays (公司付给地接社).
- A package sold to a model or a host as the way to work (拍摄建档费3980…接通告, 模卡拍摄一套两千四…推剧组, 买我们的
  流量包…上热门, 推流套餐): a fee and a scam (false promise of work); not paid by the company (公司全出, 公司承担).
- Tuition in numbered instalments (学费6800可以分12期, 能分二十四个月还): a training loan, scam beside the fee.
- Round 23: a cut of the worker's pay for the placement (按你头一个月薪水抽成), money left at the desk against damage
  (先在前台放点钱), a cost the worker advances with its repayment left to the employer's mood (自己先垫…看情况).
Each runs only when the automaton saw one of its anchors (``ANCHORS``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Final

from moderation.buyins import AMOUNT

Raw = tuple[str, str, int, int, str]

_WARNED: Final = "骗|别信|举报|报警|违法|犯法|千万|小心|警惕|不收|不用|不需要|免费|吗|？|\\?"
_AMOUNT_RE: Final = re.compile(AMOUNT)
_WARNED_RE: Final = re.compile(_WARNED)

PACKET_ANCHORS: Final = ("口令红包", "拼手气红包", "发个红包", "发红包", "转个红包", "包个红包", "红包给我")
_PACKET: Final = re.compile("(?:口令|拼手气|转账)?红包")
_PACKET_FOR: Final = re.compile("报名|报上|上岗|进群|安排|名额|录用|录取|面试|入职|算数|收到就|不发不|才给|才能|占位|留位")
_PACKET_CLEARED: Final = re.compile(f"{_WARNED}|抽|领|抢|送|福利|发给大家|给大家发|过年|节日")


def packet_fees(folded: str) -> Iterator[Raw]:
    """A red packet asked as the condition of signing up: the fee under another channel."""
    m = _PACKET.search(folded)
    if m is None or _PACKET_FOR.search(folded) is None or _PACKET_CLEARED.search(folded) is not None:
        return
    if "金额" not in folded and _AMOUNT_RE.search(folded) is None:
        return
    yield ("fee", "deposit", m.start(), m.end(), "red packet fee")


HEAD_ANCHORS: Final = ("人头费", "人头钱", "按人头")
_HEAD: Final = re.compile("(?:先交|交|先垫|垫|先付|缴|上交)(?:[^|]){0,6}?人头(?:费|钱)|按人头(?:先)?(?:交|付|垫|缴)|人头(?:费|钱)(?:先)?(?:自己|你)?(?:交|垫|出)")
_HEAD_CLEARED: Final = re.compile(f"{_WARNED}|补贴|公司付|公司出|付给|给你|拿|没关系|报销")


def head_fees(folded: str) -> Iterator[Raw]:
    """A head fee the worker pays per customer (导游先交人头费): a fee, whatever the commission said to repay it."""
    m = _HEAD.search(folded)
    if m is not None and _HEAD_CLEARED.search(folded) is None:
        yield ("fee", "deposit", m.start(), m.end(), "head fee")


PACKAGE_ANCHORS: Final = ("建档费", "拍摄费", "模卡", "包装费", "推流套餐", "流量包", "热门位", "上热门", "涨粉套餐", "定妆照费",
                   "形象照费", "艺人卡", "资料卡", "投流费", "dou+")  # fmt: skip
_PACKAGE: Final = re.compile("|".join(PACKAGE_ANCHORS).replace("+", "\\+"))
_AGENCY: Final = re.compile("经纪|签约|签了|签我们|模特|艺人|主播|演员|网红|通告|剧组|涨粉|出道|接戏|捧")
_PAID: Final = re.compile("买|交|充|付|掏|花")
_PACKAGE_CLEARED: Final = re.compile(f"{_WARNED}|不会|走开|公司出|公司全出|公司承担|公司包|报销|负责|运营|预算")


def agency_packages(folded: str) -> Iterator[Raw]:
    """A shoot, a file or traffic sold to a model or a host as the way to work: a fee and a scam."""
    m = _PACKAGE.search(folded)
    if m is None or _AGENCY.search(folded) is None or _PACKAGE_CLEARED.search(folded) is not None:
        return
    if _AMOUNT_RE.search(folded) is None and _PAID.search(folded) is None:
        return
    yield ("fee", "fraud", m.start(), m.end(), "agency package")
    yield ("scam", "block", m.start(), m.end(), "agency package")


INSTALMENT_ANCHORS: Final = tuple("分" + d for d in "123456789一二三四五六七八九十两")
_INSTALMENT: Final = re.compile(
    "(?:学费|培训费|课费|报名费|学徒费|拜师费)(?:[^|]){0,10}?分(?:[0-9]{1,2}|[一二三四五六七八九十两]{1,3})(?:期|个月)"
)
_INSTALMENT_CLEARED: Final = re.compile(f"{_WARNED}|培训贷|公司出|报销")


def numbered_instalments(folded: str) -> Iterator[Raw]:
    """Tuition split into a number of instalments (学费6800可以分12期): a training loan, the scam beside the fee."""
    m = _INSTALMENT.search(folded)
    if m is not None and _INSTALMENT_CLEARED.search(folded) is None:
        yield ("scam", "block", m.start(), m.end(), "numbered instalments")


# round 23: a cut of the worker's pay taken by the side that places them (按你头一个月薪水抽成; 工资每月抽一成给我们)
CUT_ANCHORS: Final = ("抽成", "抽佣", "抽水", "抽一成", "抽两成", "抽三成", "抽头")
_WAGE: Final = "工资|薪水|薪资|月薪|工钱|底薪"
_CUT: Final = re.compile(f"(?:{_WAGE})[^|]{{0,10}}?(?:抽成|抽佣|抽水|抽[一两二三]成|抽头)|(?:抽成|抽佣|抽水|抽头)[^|]{{0,6}}?(?:{_WAGE})")
_CUT_WORKER: Final = re.compile("你|每人|每个人|大家|新人|学员|员工|工人")
_CUT_CLEARED: Final = re.compile(f"{_WARNED}|不抽|零抽|没有抽|无抽|归你|你拿|给你|你的提成|你抽|拿提成|有提成|销售")


def wage_cuts(folded: str) -> Iterator[Raw]:
    """A share of the worker's pay taken for the placement: the fee, taken later."""
    m = _CUT.search(folded)
    if m is not None and _CUT_WORKER.search(folded) is not None and _CUT_CLEARED.search(folded) is None:
        yield ("fee", "deposit", m.start(), m.end(), "wage cut")


# round 23: money left at the desk against damage or leaving (服装弄坏了照价赔，先在前台放点钱也行): a deposit by another name
DESK_ANCHORS: Final = ("放点钱", "押点钱", "压点钱", "留点钱", "放些钱", "押些钱", "放一点钱", "押一点钱", "压一点钱", "留一点钱")
_DESK: Final = re.compile("(?:前台|柜台|财务|收银|店里|公司|厂里|我这|我这里|我们这|老板那|老板这)(?:先)?(?:放|押|压|留)(?:一)?(?:点|些)钱")
_DESK_CLEARED: Final = re.compile(f"{_WARNED}|不要|别|没必要")


def desk_money(folded: str) -> Iterator[Raw]:
    """Money left with the employer side before work: a deposit."""
    m = _DESK.search(folded)
    if m is not None and _DESK_CLEARED.search(folded) is None:
        yield ("fee", "deposit", m.start(), m.end(), "desk money")


# round 23: a cost the worker advances, its repayment left open (体检一般是自己先垫，有时候公司报，看情况吧)
ADVANCE_ANCHORS: Final = ("先垫", "自己垫", "自个垫", "个人垫", "垫着")
_ADVANCE: Final = re.compile("(?:自己|自个|个人|你)(?:先)?垫|先垫(?:付|着)?|垫着")
_HEDGE: Final = re.compile("看情况|不一定|有时候|有时|看老板|看表现|说不准|不好说|看心情|看领导|看运气|看公司")
_ADVANCE_CLEARED: Final = re.compile(f"{_WARNED}|公司先垫|厂里先垫|公司垫|我们先垫|我们垫|帮你垫|给你垫|替你垫|全额|都报|一定报|肯定报")


def hedged_advances(folded: str) -> Iterator[Raw]:
    """The worker pays first and repayment depends on the employer's mood: the cost is the worker's (the hedge is
    the hit, so a repayment told in the clause before it does not clear the fee)."""
    m = _ADVANCE.search(folded)
    # the last hedge: an earlier one may stand in the clause that tells the repayment
    hedge = max(_HEDGE.finditer(folded, m.end()), key=lambda h: h.start(), default=None) if m is not None else None
    if hedge is not None and _ADVANCE_CLEARED.search(folded) is None:
        yield ("fee", "deposit", hedge.start(), hedge.end(), "hedged advance")


# batch 25 read: a payment, then the hiring step promised on it (代付一笔399的工装，付完马上给你安排面试; 付完发你入职通知;
# 拍了的才给安排面试): the job sold for the payment, a scam beside the fee
PAID_ANCHORS: Final = ("付完", "交完", "拍完", "充完", "转完", "买完", "拍了的", "交了的", "付了的", "充了的", "代付")
_PAID_THEN: Final = re.compile(
    "(?:付|交|拍|充|转|买|缴)(?:完|了的|了)(?:之后|以后|后)?(?:马上|立马|立刻|就|才|再|我)?(?:给你|帮你|给|能|可以)?"
    "(?:安排|发你|发|排|办|给|开)(?:你的?)?(?:面试|入职|上岗|名额|offer|录用|工牌|合同|岗位|工号)"
)
_PAID_CLEARED: Final = re.compile(f"{_WARNED}|没有|不会|从来|报销|退给你|公司出")
_MONEY: Final = re.compile("钱|费|币|款|代付|付款|礼包|充值|红包")


def paid_then_hired(folded: str) -> Iterator[Raw]:
    """The hiring step promised once the worker has paid: the post is sold (a scam beside the fee the payment is)."""
    m = _PAID_THEN.search(folded)
    if m is None or _PAID_CLEARED.search(folded) is not None:
        return
    if _AMOUNT_RE.search(folded, 0, m.start()) is not None or _MONEY.search(folded, 0, m.start()) is not None:
        yield ("scam", "block", m.start(), m.end(), "paid then hired")  # money, not papers (资料交完了就给你安排面试)


# batch 25 read: handwork sent home against a deposit (玩具外发手工…先交500材料保证金，材料快递到家): the classic
# outwork scam, beside the fee the deposit is
HOMEWORK_ANCHORS: Final = ("外发", "手工活", "在家做", "在家组装", "快递到家", "寄到家", "材料保证金", "材料押金", "原材料押金")
_HOMEWORK: Final = re.compile("外发|手工活|在家(?:做|组装|加工|串|穿|缝)|(?:快递|寄|发)到家")
_HOMEWORK_DEPOSIT: Final = re.compile("保证金|押金|材料费|定金|订金|风险金|加盟费")
_NO_DEPOSIT: Final = re.compile("不要|一分不|不用|无需|没有|不收|全免|免|零|退")


def outwork_deposits(folded: str) -> Iterator[Raw]:
    """Handwork done at home, paid for first by a deposit on the material: a scam."""
    m = _HOMEWORK.search(folded)
    if m is None or _WARNED_RE.search(folded) is not None:
        return
    deposit = _HOMEWORK_DEPOSIT.search(folded)
    if deposit is not None and _NO_DEPOSIT.search(folded, max(0, deposit.start() - 6), deposit.end() + 6) is None:
        yield ("scam", "block", deposit.start(), deposit.end(), "outwork deposit")


# batch 25 read: a place sold by whoever can get one (给我1500保你进去，进不去全退): a fee for the post, from anyone
PLACED_ANCHORS: Final = ("保你进", "包你进", "保你入职", "包你入职", "保你录", "包你录", "保你上岗", "包你上岗")
_PLACED: Final = re.compile(
    f"给我(?:{AMOUNT})[^|]{{0,4}}?(?:保你|包你)(?:进|入职|录|上岗)|(?:保你|包你)(?:进|入职|录|上岗)[^|]{{0,6}}?给我(?:{AMOUNT})"
)


def places_sold(folded: str) -> Iterator[Raw]:
    """Money to the speaker for a place guaranteed: a fee for the post, whoever asks it (kind fraud)."""
    m = _PLACED.search(folded)
    if m is not None and _WARNED_RE.search(folded) is None:
        yield ("fee", "fraud", m.start(), m.end(), "place sold")


#: anchor group → its anchors (merged into lexicon.ANCHORS) and detector (merged into detectors.BY_GROUP).
ANCHORS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType({
    "packetfee": PACKET_ANCHORS, "headfee": HEAD_ANCHORS, "package": PACKAGE_ANCHORS, "instalment": INSTALMENT_ANCHORS,
    "paycut": CUT_ANCHORS, "deskmoney": DESK_ANCHORS, "advance": ADVANCE_ANCHORS, "paidfirst": PAID_ANCHORS,
    "outwork": HOMEWORK_ANCHORS, "placesold": PLACED_ANCHORS,
})  # fmt: skip
DETECTORS: Final[Mapping[str, Callable[[str], Iterator[Raw]]]] = MappingProxyType({
    "packetfee": packet_fees, "headfee": head_fees, "package": agency_packages, "instalment": numbered_instalments,
    "paycut": wage_cuts, "deskmoney": desk_money, "advance": hedged_advances, "paidfirst": paid_then_hired,
    "outwork": outwork_deposits, "placesold": places_sold,
})  # fmt: skip
DOUBLES: Final[Mapping[str, str]] = MappingProxyType({"instalment": "scam"})
LABELS: Final[frozenset[str]] = frozenset(("red packet fee", "head fee", "agency package", "numbered instalments", "wage cut",
                                           "desk money", "hedged advance", "paid then hired", "outwork deposit",
                                           "place sold"))
