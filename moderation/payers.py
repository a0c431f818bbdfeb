"""Round 19's fee read by who pays whom for what, not by the fee's name (就业促进法 §41; 人力资源市场暂行条例 §24:
no fee from a seeker, no deposit, no papers held; standard 5.1.3 c).

Rounds 15–18 listed the names a batch's author gave a fee (内推费, 课包, 口令红包…) and the next author chose new
ones. This reads the transaction instead, whatever the charge is called:

- a payment act by the listener — a pay verb after a modal (先交, 需购买, 要俾, 得先办), a charge the employer
  takes (收你, 每人收, 入职收), a bearer after the charge (三百二自己付, 一次交清), pay first and get it back (先垫后返) —
- bound to a charge: an amount within a few characters (the act's object), or a money noun (诚意金, 激活费);
- or a deduction from the pay (首月工资里扣, 薪水里抵, 工钱先扣着) with an amount or a charge before it;
- not a host's price of goods sold in the stream (直播间价, 拍下, 包邮), unless the message is about work.
Not when the worker chooses (自愿, 不强制). The money is no charge when it is pay or a living, statutory or damage cost (工资, 补贴, 社保, 房租, 伙食, 丢了赔),
or the company pays it (公司给你交). The hit is the payment act, kind ``deposit``: the act
bound to its charge is the demand, though its amount may lie in the next clause (the fee rules still read a refusal,
a question and the seeker's side); a charge the company pays back (…入职后报销) is none, unless only after a stint
(干满三个月返还: a deposit).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Final

from moderation.alternation import compile_words
from moderation.anchored import ends_at
from moderation.buyins import AMOUNT

Raw = tuple[str, str, int, int, str]

MODALS: Final = ("先", "需", "要", "得", "须", "请", "另", "自行", "提前", "预先", "还得")
VERBS: Final = ("交", "缴", "付", "转", "充", "花", "掏", "拿出", "认购", "购买", "买", "办", "租", "垫", "押", "压", "俾")
_TAKES: Final = ("收你", "收大家", "每人收", "一人收", "每个收", "名额收", "入职收", "上岗收", "报名收", "现场收", "另收", "先收")
_BEARERS: Final = ("自理", "自付", "自己付", "自己出", "自费", "自掏", "自己掏", "自己承担", "个人承担", "个人出", "交清", "付清",
            "交齐", "缴清")  # fmt: skip
_OWN_POCKET: Final = ("自掏", "自己掏", "自己出钱", "自己花钱", "自费买", "自费办", "自费购买")
_RETURNED: Final = ("先交后返", "先垫后返", "先付后返", "先缴后返", "先交后退", "先垫后退", "先付后退", "先充后返")
_PAY: Final = ("工资", "工钱", "薪水", "薪资", "月薪", "首月", "头个月", "头一个月", "第一个月")
_DEDUCT: Final = ("扣", "抵", "划走", "划掉", "减掉", "押着", "压着", "押住", "压住")

# what makes a verb another word (交接, 付出, 转正, 办公, 买单, 充电, 花样), per verb (买公司的… is a purchase, 办公 is
# not); 你/给你 after a verb: the employer pays (付你路费, 转给你); 了/过: a past told (交了, 买过)
_OTHER_WORD: Final = MappingProxyType({
    "交": "接|通|流|代|往|易|叉|际|谈|友|换|织|回", "缴": "获|械", "付": "出", "转": "正|岗|发|行|身|型|达|告|化|移|载|动|换",
    "充": "电|满|分|当|足", "花": "样|园", "掏": "空", "买": "单|断|通", "办": "公|事|法", "租": "房", "垫": "底|子",
    "押": "韵|注|运|送", "压": "力|缩|根",
})  # fmt: skip


def _act_pattern() -> str:
    """The payment acts as one alternation per first character (先(?:交(?!…)|缴(?!…)|…|收)|需(?:…)|…), so ``re``
    skips through the text to those characters itself (round 20, speed: the modal-then-verb form started with a group
    and was searched through a skipper that ran the whole pattern at every 要, 得, 一). No two acts can match at one
    position (no modal, verb or listed act starts another), so the matches are those of the modal-then-verb form.
    先交后返 and the other pay-first-get-back acts are left out: their 先交 already matches there, and they stay anchors."""
    acts = {m + v: f"(?!{_OTHER_WORD[v] + '|' if v in _OTHER_WORD else ''}你|给你|给大家|了|过)" for m in MODALS for v in VERBS}
    acts.update((act, "") for act in (*_TAKES, *_OWN_POCKET))
    rests: dict[str, list[str]] = {}
    for act, after in acts.items():
        rests.setdefault(act[0], []).append(act[1:] + after)
    return "|".join(f"{first}(?:{'|'.join(tails)})" for first, tails in rests.items())


_ACT: Final = re.compile(_act_pattern())
_OBJECT: Final = re.compile(f"{AMOUNT}|(?<![奖薪租资浪消免])(?:费|金|款|押金)(?!币|融|额|牌|钱|属|库|店|主|链|条|子|蛋|星)|(?<![赚挣工价值零])钱")
_OBJECT_REACH: Final = 14
_DEDUCTION_REACH: Final = 24
_AMOUNT: Final = re.compile(AMOUNT)
# the bearer found first, its charge looked for before it (a pattern that starts with an amount is tried everywhere)
_BEARER: Final = re.compile("|".join(_BEARERS))  # literals first: ``re`` skips to them itself
_CHARGE_BEFORE_BEARER: Final = re.compile(f"{AMOUNT}|费|金|款")
_BEARER_REACH: Final = 7  # the charge and up to six characters between (三百二，费用自理: 费用自理)
# the object first: 把…保障金打过来, 把激活费交了; a charge per head: 录入费，一人六十
_FRONTED: Final = re.compile(  # starts with 把 and _PER_HEAD with 费金款: ``re`` skips to them itself
    f"把(?:[^|]){{0,12}}?(?:{AMOUNT}(?:[^|]){{0,10}}?|(?:费|金|款|钱))(?:[^|]){{0,2}}?((?:交|缴|付|转|打|垫|充)(?:了|上|清|齐|过来|给我|到))"
)
_PER_HEAD: Final = re.compile(f"(?:费|金|款)((?:一人|每人|每个人|每位|一位)(?:收|交|付)?){AMOUNT}")
_DEDUCTION: Final = re.compile(f"(?:{'|'.join(_PAY)})(?:的)?(?:[^|]){{0,4}}?(?:{'|'.join(_DEDUCT)})")
_WITHHELD: Final = re.compile("(?:工资|工钱|薪水|薪资)(?:[^|]){0,4}?(?:扣着|押着|压着|扣住|押住|压住|扣下)")
# what a deduction may lawfully take (工资支付暂行规定 §15: tax, social insurance; board, lodging, damages, advances)
_LAWFUL: Final = "社保|医保|五险|公积金|个税|税|工会|房租|租金|水电|伙食|饭|餐费|餐补|用餐|工作餐|三餐|住宿费|丢|坏|损|赔|罚|借支|预支|借款|迟到|旷工|请假|话费|油"
_LAWFUL_DEDUCTION: Final = re.compile(_LAWFUL)
_WAGE_BEFORE: Final = re.compile("薪|工资|工钱|保底|收入|月入|日结|提成|补贴|奖")
# pay and those lawful costs: no charge (社保从工资里扣, 伙食费自理, 工具丢了从工资扣, 每天给你转两百补贴)
_NOT_A_CHARGE: Final = re.compile(f"工资|薪|提成|补贴|补助|奖|津贴|报酬|佣金|分红|返佣|收入|日结|路费|车费|路桥|生活费|{_LAWFUL}")
# an act refused right before it (不要押金, 不会先收, 无需缴纳, 不用你先交; not 莫慌嘛，先交): the fee rules read most
# refusals in the clause, not these (嫑, 不要 before a bare 押)
_REFUSED: Final = re.compile("(?:不|没|无|免|别|甭|莫|冇|勿|嫑|覅|未|非)(?:会|要|用|需|必|得|让|叫|用你|让你|叫你|需要|必须|人|有人|有)?$")
_BOUGHT_FROM: Final = re.compile("名下|银行卡|电话卡|手机卡|对公|执照|账户|账号")
_ASKER: Final = re.compile("让你|要你|叫你|逼你|让大家|叫大家|要大家|让人|叫人")
_CLASS: Final = re.compile("的(?:都|一律|全|就是|肯定|准|必|是骗|别|不要|千万|直接|赶紧|快)")
_PAYER: Final = re.compile("(?:公司|厂里|厂家|单位|老板|企业|平台|东家|雇主|客户|机构|我们)(?:给你|帮你|替你|统一|会|来|负责|出钱)?(?:先)?$")
# the two answered by one search of the six characters before the act, behind a test of the last one (round 20,
# speed): a refusal is at most three characters long, so it ends the six as it ends the four
_PAID_OR_REFUSED: Final = re.compile(f"{_PAYER.pattern}|{_REFUSED.pattern}")
_PAID_OR_REFUSED_LAST: Final = frozenset("司里家位板业台主户构们你一会来责钱先不没无免别甭莫冇勿嫑覅未非要用需必得让叫须人有\n")
_WORK: Final = re.compile(
    "入职|上岗|上班|岗|面试|报名|录用|录取|排班|派单|接单|开单|工作|进厂|进组|干活|有活|派活|员工|转正|试用|培训|带教|名额|工位|"
    "任务|兼职|招聘|招人|招工|急招|在招|上户|排车|接线|签约|合同|报到|入驻|干满|做满|跑满|离职|辞工|骑手|司机|普工"
)
# the worker's choice (租车是你自愿的…租的话每月从工资扣三百): a purchase offered, not a condition of the job
_CHOICE_WORDS: Final = ("自愿", "不强制", "非强制", "可选", "选配", "不买也行", "不租也行", "不办也行", "自己决定", "看个人")
_VOLUNTARY: Final = re.compile("|".join(_CHOICE_WORDS))
# a price of goods sold in the stream (直播间价, 拍下, 包邮): no fee unless the message is about work
_SALE_WORDS: Final = ("下单", "拍下", "拍一", "拍两", "链接", "小黄车", "购物车", "包邮", "直播间价", "秒杀", "券后", "库存", "发货", "到手价", "原价",
               "现价", "优惠价", "买一送", "福袋", "上架")  # fmt: skip
_SALE: Final = re.compile("|".join(_SALE_WORDS))
_REPAID_WORDS: Final = ("报销", "报掉", "公司承担", "公司出", "公司报", "厂里报", "厂里出", "公司全额", "实报实销", "我们出", "我们承担")
_REIMBURSED: Final = compile_words(_REPAID_WORDS, not_after="不没无")
# every word that could keep a payment read from being a fee, in one search of the message: most hold none (round 20)
_SETTLING: Final = compile_words((*_SALE_WORDS, *_CHOICE_WORDS, *_REPAID_WORDS))
_STINT: Final = re.compile(
    f"(?:干满|做满|跑满|待满|做完|干完|跑完|满(?:{AMOUNT}|[一两二三四五六七八九十半]+)个?(?:月|天|年|周)|转正|年底|离职|不干|走的时候|辞工|期满)"
    "(?:[^|]){0,10}?(?:退|返|还|报)"
)


def _charge(folded: str, start: int, end: int) -> bool:
    """The money between ``start`` and ``end`` is a charge: not pay, a living, statutory or damage cost."""
    return _NOT_A_CHARGE.search(folded, start, end) is None


def _paid_or_refused(folded: str, start: int) -> bool:
    """The company is the one who pays, right before the act (公司给你交, 厂里统一买), or the act is refused right
    before it (不用你先交)."""
    return ends_at(_PAID_OR_REFUSED, _PAID_OR_REFUSED_LAST, folded, max(0, start - 6), start)


def _described(folded: str, start: int, end: int) -> bool:
    """The act describes those who ask it, to condemn them (让你先掏钱的都走开): no demand of this employer's. The
    kind's 的 is looked for first: most acts have none after them."""
    return (folded.find("的", end, end + 14) >= 0 and _CLASS.search(folded, end, end + 14) is not None
            and _ASKER.search(folded, max(0, start - 4), start) is not None)  # fmt: skip


def _repaid(folded: str, end: int) -> bool:
    """The company pays it back in the end (体检费…入职后报销), unless only after a stint (干满三个月报销: a deposit)."""
    return _REIMBURSED.search(folded, end, end + 24) is not None and _STINT.search(folded, end, end + 24) is None


def _context_ok(folded: str) -> bool:
    """Not a price of goods sold in the stream, nor a purchase the worker chooses (asked once a payment is read)."""
    return (_SALE.search(folded) is None or _WORK.search(folded) is not None) and _VOLUNTARY.search(folded) is None


def _kept(folded: str, end: int) -> bool:
    """A payment read ending at ``end`` is a fee: in a message about work, no choice, not paid back. One search first:
    a message without a sale, choice or repayment word is answered by it."""
    return _SETTLING.search(folded) is None or (_context_ok(folded) and not _repaid(folded, end))


def payments(folded: str) -> Iterator[Raw]:
    """A payment by the listener bound to a charge, in a message about work: a fee by whatever name."""
    pos = 0
    while (act := _ACT.search(folded, pos)) is not None:  # finditer's matches without its iterator
        start, end = act.start(), act.end()
        pos = end
        if _paid_or_refused(folded, start):
            continue
        obj = _OBJECT.search(folded, end, end + _OBJECT_REACH)
        if obj is None or not _charge(folded, start, obj.end()):
            continue
        if folded.find("收", start, end) >= 0 and _BOUGHT_FROM.search(folded, end, obj.end()) is not None:
            continue  # 收你名下的银行卡，每张一千二: the employer buys from the listener (a money mule, not a fee)
        if _described(folded, start, end):
            continue
        if _kept(folded, obj.end()):
            yield ("fee", "deposit", start, end, "payment act")
        return
    pos = 0
    while (bearer := _BEARER.search(folded, pos)) is not None:  # 三百二自己付, 协办费8000一次交清
        pos = bearer.end()
        start = max(0, bearer.start() - _BEARER_REACH)
        if _CHARGE_BEFORE_BEARER.search(folded, start, bearer.start()) is not None:
            if _charge(folded, start, bearer.end()) and _kept(folded, bearer.end()):
                yield ("fee", "deposit", bearer.start(), bearer.end(), "payment act")
            return
    if "把" in folded:
        for m in _FRONTED.finditer(folded):
            if _settled(folded, m):
                yield ("fee", "deposit", m.start(1), m.end(1), "payment act")
                return
    if "人" in folded or "位" in folded:  # every per-head word holds one
        for m in _PER_HEAD.finditer(folded):
            if _settled(folded, m):
                yield ("fee", "deposit", m.start(1), m.end(1), "payment act")
                return


def _settled(folded: str, m: re.Match[str]) -> bool:
    """A fronted or per-head payment is a fee: a charge, in a message about work, not paid back."""
    return _charge(folded, max(0, m.start() - 4), m.end()) and _kept(folded, m.end())


def _priced_before(folded: str, start: int, end: int) -> bool:
    """A price before the deduction that is no wage (防滑靴一百六，首月…扣除; not 底薪三千，首月工资里…)."""
    for price in _AMOUNT.finditer(folded, start, end):
        if _WAGE_BEFORE.search(folded, max(0, price.start() - 3), price.start()) is None:
            return True
    return False


def deductions(folded: str) -> Iterator[Raw]:
    """A charge taken from the pay (首月工资里扣一百二, 证…在第一个月薪水里抵) or the pay withheld (工钱先扣着); none when
    the worker chooses. The choice is asked last, only of a deduction found (most are lawful ones)."""
    pos = 0
    while (m := _DEDUCTION.search(folded, pos)) is not None:  # finditer's matches without its iterator
        pos = m.end()
        before = max(0, m.start() - _DEDUCTION_REACH)
        if _LAWFUL_DEDUCTION.search(folded, before, m.end() + 10) is not None:
            continue  # 社保从工资里扣, 丢了从工资里扣: the deduction's object is lawful (工资支付暂行规定 §15)
        if _AMOUNT.search(folded, m.end(), m.end() + 10) is None and not _priced_before(folded, before, m.start()):
            continue  # no money taken (工装离职时交回，不然从工资扣 names no price)
        if _VOLUNTARY.search(folded) is None:
            yield ("fee", "deposit", m.start(), m.end(), "pay deduction")
        return
    held = _WITHHELD.search(folded)
    if held is not None and _VOLUNTARY.search(folded) is None:
        yield ("fee", "deposit", held.start(), held.end(), "pay withheld")


# not 打到 (工资打到卡上) nor a bare 每人 (每人每月发): 把 opens nothing, its verb's end does
_FRONTED_ANCHORS: Final = (*(v + e for v in ("交", "缴", "付", "转", "垫") for e in ("了", "上", "清", "齐", "过来", "给我", "到")), "打过来", "打给我",
                    *(e + p for e in "费金款" for p in ("一人", "每人", "每个人", "每位", "一位")))  # fmt: skip
# not 要转 (不要转账) nor 交上 (交上来): anchors that open the group on warnings and paperwork and find no payment
ACT_ANCHORS: Final = (*(m + v for m in MODALS for v in VERBS if m + v != "要转"), *_TAKES, *_RETURNED, *_BEARERS, *_OWN_POCKET,
               *(a for a in _FRONTED_ANCHORS if a != "交上"))  # fmt: skip
DEDUCTION_ANCHORS: Final = (*(p + d for p in _PAY for d in _DEDUCT), *(p + w for p in _PAY for w in ("里", "中", "内", "先")),
                     "扣着", "押着", "压着", "扣住", "押住", "压住", "扣下")  # fmt: skip

#: anchor group → its anchors (merged into lexicon.ANCHORS) and detector (merged into detectors.BY_GROUP).
ANCHORS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType({"payact": ACT_ANCHORS, "deduction": DEDUCTION_ANCHORS})
DETECTORS: Final[Mapping[str, Callable[[str], Iterator[Raw]]]] = MappingProxyType({"payact": payments, "deduction": deductions})
DOUBLES: Final[Mapping[str, str]] = MappingProxyType({})
LABELS: Final[frozenset[str]] = frozenset(("payment act", "pay deduction", "pay withheld"))
EMPLOYER_ONLY: Final[frozenset[str]] = frozenset(ANCHORS)  # a seeker's own spending is no fee (§41 binds employers): never run for a viewer
