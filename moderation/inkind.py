"""Round 22's fee paid in kind: the worker gives value to the employer side as the condition of the job, in anything
but a named fee (就业促进法 §41: no deposit, no property from a worker; 人力资源市场暂行条例 §27; standard 5.1.3 c).

Rounds 15–21 read a fee by its name, its payment act or its terms. An employer can also take value the worker
never "pays": each reader below is a construction with open slots — who gives what to whom, under which condition:

- a share of the employer's running cost (machine wear, depreciation, cooling, consumables) put on the worker, or any
  cost put only on the newcomers (…损耗新人每月分担一百, 空调的电是新人包的…一人一月一百二);
- a live-room gift or tip as the price of an interview, a place or a pass (刷个嘉年华就连你的麦, 面试的前提是送…礼物);
- goods the employer side sells, bought to be hired or to start (上岗前认购…厂里的月饼, 进货满三千才算入职);
- a vehicle, machine or tool on a loan or instalments the employer arranges, as the job's condition (…帮你贷款买一台，
  贷下来就给你派活): a fee and a scam (a loan trap, as :mod:`moderation.tolls`);
- a part of the pay kept back as a guarantee (工资留一千…作风险担保, 工钱…替你管着，干满一年再给).

Employer side only, kind ``deposit`` (the fee rules still read a refusal or a question in the hit's clause). Not
what the company pays or provides, not lawful deductions (社保, 个税), not a host thanking for a gift, not a warning.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Final

from moderation.buyins import AMOUNT

Raw = tuple[str, str, int, int, str]

_AMOUNT: Final = re.compile(AMOUNT)
_NEGATED: Final = re.compile("不|没|无|别|甭|莫|免|勿")
_WARNED: Final = re.compile(
    "骗|别信|举报|报警|违法|犯法|合法吗|套路|变相|千万别|别去|小心|警惕|谁让你|有人让你|有人说|有的厂|有的店|没听过|不搞"
)
_COMPANY_PAYS: Final = re.compile(
    "(?<![不没无])(?:公司出|公司承担|公司负责|公司报销|厂里出|店里出|店里承担|由店里|由公司(?:出|承担|负责|支付|报销)|全由|公司提供|公司配|公司发|站点免费|免费发|"
    "免费|公司的成本|生产成本|是公司的|合作社出|不用你|不需要你|不会让)"
)


def _asserted(folded: str, start: int) -> bool:
    """The word at ``start`` is not refused right before it (不用摊, 不扣任何, 不会预留)."""
    return _NEGATED.search(folded, max(0, start - 3), start) is None


def _clear(folded: str) -> bool:
    """No warning, no company paying in the message (asked once a shape is read)."""
    return _WARNED.search(folded) is None and _COMPANY_PAYS.search(folded) is None


# ---- a share of the running cost put on the worker ----
_RUNNING: Final = "损耗|磨损|折旧|耗材|线耗|针头|保养|维护|制冷|窑火|机台|冷机"
_NEWCOMER: Final = "新人|新员工|新来的|新进来的|新手|学徒|新店员|新学徒"
_NEWCOMERS: Final = frozenset(_NEWCOMER.split("|"))
_BEAR: Final = "承担|分担|分摊(?!到)|平摊|均摊|负担|兜着|赔付|包的|包了|摊(?!位|子|开|主|到)|担(?!心|任|当|保)|(?:要|得|自己|来|都)出(?!勤|差|单|货|发|门|来|去|现|师|力|厂|车|活|色|头|口|面)"
_SHARE_WORDS: Final = re.compile(f"(?:{_RUNNING})|(?:{_NEWCOMER})")
_BEARS: Final = re.compile(f"(?:{_BEAR})|(?:工资|薪资|薪水|工钱|计件)(?:里|中)?(?:出|扣|核减|走)|(?:月|预|开始)扣")
_COST_NOUN: Final = re.compile("电|费|钱|成本|开销|开支|损|耗")
_DAMAGE: Final = re.compile("坏|丢|损坏|弄丢|社保|个税|房租|伙食|奖|补贴")
_SHARE_REACH: Final = 18


def costs_shared(folded: str) -> Iterator[Raw]:
    """The employer's running cost, or any cost put only on the newcomers, borne by the worker with a price."""
    for word in _SHARE_WORDS.finditer(folded):
        start, end = max(0, word.start() - _SHARE_REACH), word.end() + _SHARE_REACH
        pos = start
        while (bear := _BEARS.search(folded, pos, end)) is not None:
            pos = bear.end()
            if bear.start() < word.end() and bear.end() > word.start():
                continue
            if not _asserted(folded, bear.start()):
                continue
            if _AMOUNT.search(folded, max(0, bear.start() - 24), bear.end() + 24) is None:
                continue
            if (
                word.group() in _NEWCOMERS
                and _COST_NOUN.search(folded, max(0, bear.start() - 10), bear.end() + 10) is None
            ):
                continue  # 新人承担的工作量少一些: a newcomer bears work, not a cost
            if _DAMAGE.search(folded, max(0, word.start() - 12), bear.end() + 6) is not None or not _clear(
                folded
            ):
                return
            yield ("fee", "deposit", bear.start(), bear.end(), "cost shared")  # the act, its amount beside it
            return


# ---- a live-room gift as the price of a place ----
_GIFTS: Final = "嘉年华|火箭|灯牌|粉丝团|礼物|小飞机|舰长|音浪|玫瑰|小心心|穿云箭|跑车|游艇|飞艇|周榜|贡献榜|看贡献"
_GIFT: Final = re.compile(f"(?:刷|送|打赏|点亮|上个|上|投)(?:[^|]){{0,6}}?(?:{_GIFTS})|(?:{_GIFTS})|打赏|刷满|刷够")
_SLOT: Final = "面试|连你的麦|名额|内推|初试|复试|笔试|上岗|进厂|报上|录用|入职|资格|给你过|帮你过|直接过"
_GIFT_THEN_SLOT: Final = re.compile(f"(?:就|直接|优先|才|即可|便|给你|帮你|算|可以)(?:[^|]){{0,8}}?(?:{_SLOT})")
_SLOT_THEN_GIFT: Final = re.compile(f"(?:{_SLOT})(?:[^|]){{0,6}}?(?:前提|条件|资格|门槛|看|要|得|需)")
_GIFT_CLEARED: Final = re.compile(
    "不用刷|不需要刷|不用送|不用打赏|不刷|刷不刷|无关|没关系|没有任何关系|不影响|都一样|两码事|自愿|不看|谢谢|感谢"
)


def gifts_for_place(folded: str) -> Iterator[Raw]:
    """A gift or a tip in the live room, then the place it buys (刷个嘉年华…就连你的麦), or the place, then the gift as
    its condition (面试通过的前提是…送出…礼物)."""
    for gift in _GIFT.finditer(folded):
        if not _asserted(folded, gift.start()):
            continue
        slot = _GIFT_THEN_SLOT.search(folded, gift.end(), gift.end() + 14)
        if slot is None:
            before = _SLOT_THEN_GIFT.search(folded, max(0, gift.start() - 16), gift.start())
            if before is None or not _asserted(folded, before.start()):
                continue
        if _GIFT_CLEARED.search(folded) is None and _clear(folded):
            yield ("fee", "deposit", gift.start(), gift.end(), "gift for a place")
        return


# ---- goods the employer side sells, bought to be hired ----
_BUY: Final = re.compile(
    "认购|进货|购买|买下|先买|先订|订购|先拿|下单一|(?:买|订|拿|领)(?:一台|一部|一套|一批|[0-9两二三四五六七八九十几]+(?:箱|盒|饼|套|台|件))|货款"
)
_JOB: Final = "入职|上岗|开工|录用|排班|上播|工号|派件|派单|接单|自己人|团队|门槛|条件|前提|才能卖|才算|不买不要|不拿不给|不买的话|上班|代理"
_FOR_JOB: Final = re.compile(_JOB)
_GOODS_CLEARED: Final = re.compile(
    "不用买|不需要买|不用订|不买也|不用交|半价|特价|员工价|内部价|内购|折扣|福利|自愿|拍下|包邮"
)
_DUTY_OR_CHOICE: Final = re.compile("负责|可以|可选|建议|帮客户|给客户")
_WAGE: Final = re.compile("薪|工资|底薪|保底|收入|月入|提成|补贴|奖|到手")
_GOODS_REACH: Final = 30


def _priced(folded: str, start: int, end: int) -> bool:
    """An amount between ``start`` and ``end`` that is no wage (月薪六千 is none)."""
    return any(
        _WAGE.search(folded, max(0, m.start() - 3), m.end() + 2) is None
        for m in _AMOUNT.finditer(folded, start, end)
    )


def goods_bought(folded: str) -> Iterator[Raw]:
    """Goods bought from the employer side with a price, as the way to be hired or to start (上岗前…认购…厂里的月饼)."""
    for buy in _BUY.finditer(folded):
        if not _asserted(folded, buy.start()):
            continue
        lo, hi = max(0, buy.start() - _GOODS_REACH), buy.end() + _GOODS_REACH
        if _DUTY_OR_CHOICE.search(
            folded, max(0, buy.start() - 4), buy.start()
        ) is not None or folded.startswith("员", buy.end()):
            continue  # 负责门店进货, 可以买一台, 进货员: the job's duty or the worker's choice
        if _FOR_JOB.search(folded, lo, hi) is None or not _priced(folded, lo, hi):
            continue
        if _GOODS_CLEARED.search(folded) is None and _clear(folded):
            yield ("fee", "deposit", buy.start(), buy.end(), "goods bought to work")
        return


# ---- a vehicle, machine or tool on a loan the employer arranges ----
_LOAN: Final = re.compile("贷款|分期|按揭|月供|车贷|以租代购|以租代买|帮你贷|贷下来|首付")
_KIT: Final = re.compile("车|三轮|挖机|机器|设备|工具|厢货|收割机|手机|电脑|摩托|叉车")
_LOAN_JOB: Final = re.compile(
    "上岗|派单|派活|派件|接单|排班|排线|活干|有活|签约|录用|入职|就能上|才能|才给|就给|办完|办好|贷下来|跑"
)
_LOAN_CLEARED: Final = re.compile(
    "不用|不会|不帮|不负责|没有|吗|自己分期|我自己|还没还完|专员|经理|业务员|信贷|审核|催收|销售"
)
_ARRANGED: Final = re.compile("帮你|给你|帮|我们|公司|合作|渠道|本店|店里|厂家|须|需|先|条件")
_LOAN_REACH: Final = 16


def loans_for_kit(folded: str) -> Iterator[Raw]:
    """A vehicle, machine or tool bought on a loan or instalments, the job its condition: a fee and a scam."""
    for loan in _LOAN.finditer(folded):
        if not _asserted(folded, loan.start()):
            continue
        lo, hi = max(0, loan.start() - _LOAN_REACH), loan.end() + _LOAN_REACH
        if _KIT.search(folded, lo, hi) is None or _LOAN_JOB.search(folded, lo, hi + 8) is None:
            continue
        if _ARRANGED.search(folded, max(0, loan.start() - 12), loan.end() + 4) is None:
            continue  # 很多师傅是贷款买的车: the worker's own loan, not arranged as the job's condition
        if _LOAN_CLEARED.search(folded) is None and _clear(folded):
            yield ("fee", "fraud", loan.start(), loan.end(), "loan for kit")
            yield ("scam", "block", loan.start(), loan.end(), "loan for kit")
        return


# ---- a part of the pay kept back as a guarantee ----
_PAY: Final = "工资|工钱|薪资|薪水|月薪|薪酬"
_GUARD: Final = re.compile("担保|保证|押工|押底|稳定金|诚信金|风险金|履约")
_HOLD: Final = re.compile(
    "留|存|押|压|扣|管着|保管|少发|只发|另一半|作为|算作|当作|(?<![相适应])当(?![天月日地时场面晚])"
)
_PAY_OR_PART: Final = re.compile(f"{_PAY}|{AMOUNT}|[一两二三四五]成|一半|[0-9]{{1,2}}%")
_PAY_HELD: Final = re.compile(f"(?:{_PAY})(?:[^|]){{0,12}}?(?:留|存|押|压|扣|管着|保管|替你)")
_RELEASE: Final = re.compile(
    "(?:干满|做满|干够|满[一两三四五六七八九十半0-9]+个?[月年]|年底|合格|考核过|服务期满|离职时|走的时候)(?:[^|]){0,8}?(?:再|才|一起)(?:给|发|还|结|退|返|拿)"
    "|不退|不予返还|自动放弃|视为放弃"
)
_LAWFUL: Final = re.compile("社保|医保|五险|公积金|个税|税|工会")
_GUARD_REACH: Final = 24


def pay_held(folded: str) -> Iterator[Raw]:
    """A part of the pay kept back as a guarantee (工资留一千…作风险担保) or till a stint is served (工钱…替你管着，
    干满一年再给)."""
    if _LAWFUL.search(folded) is not None:
        return
    for guard in _GUARD.finditer(folded):
        lo = max(0, guard.start() - _GUARD_REACH)
        hold = _HOLD.search(folded, lo, guard.start())
        if (
            hold is None
            or not _asserted(folded, hold.start())
            or _PAY_OR_PART.search(folded, lo, guard.start()) is None
        ):
            continue
        if _clear(folded):
            yield ("fee", "deposit", guard.start(), guard.end(), "pay held as guarantee")
        return
    for held in _PAY_HELD.finditer(folded):
        last = held.end() - 1 if not held.group().endswith("替你") else held.end() - 2
        if not _asserted(folded, last):
            continue
        if _RELEASE.search(folded, held.end(), held.end() + 30) is not None and _clear(folded):
            yield ("fee", "deposit", held.start(), held.end(), "pay held as guarantee")
        return


_NEW: Final = ("新人", "新员工", "新来的", "新手", "学徒")
SHARE_ANCHORS: Final = (
    *_RUNNING.split("|"),
    *(n + b for n in _NEW for b in ("包", "摊", "分摊", "分担", "承担", "负担", "兜着")),
)
GIFT_ANCHORS: Final = (*_GIFTS.split("|"), "打赏", "刷满", "刷够")
GOODS_ANCHORS: Final = ("认购", "进货", "购买", "买下", "先买", "先订", "订购", "先拿", "下单一", "买一台", "买一部", "买一套", "买一批",
                 "拿一批", "领一批", "货款")  # fmt: skip
LOAN_ANCHORS: Final = ("贷款", "分期", "按揭", "月供", "车贷", "以租代购", "以租代买", "帮你贷", "贷下来", "首付")
HOLD_ANCHORS: Final = ("担保", "当保证", "作为保证", "的保证", "算保证", "做保证", "押工", "押底", "稳定金", "诚信金", "风险金", "履约", "替你存", "替你管",
                "替你保管")  # fmt: skip

#: anchor group → its anchors (merged into lexicon.ANCHORS) and detector (merged into detectors.BY_GROUP).
ANCHORS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType({
    "kindshare": SHARE_ANCHORS, "kindgift": GIFT_ANCHORS, "kindgoods": GOODS_ANCHORS, "kindloan": LOAN_ANCHORS,
    "kindhold": HOLD_ANCHORS,
})  # fmt: skip
DETECTORS: Final[Mapping[str, Callable[[str], Iterator[Raw]]]] = MappingProxyType({
    "kindshare": costs_shared, "kindgift": gifts_for_place, "kindgoods": goods_bought, "kindloan": loans_for_kit,
    "kindhold": pay_held,
})  # fmt: skip
# a loan read already as a scam (tolls' loan to apply, shapes' training loan) needs no second reading
DOUBLES: Final[Mapping[str, str]] = MappingProxyType({"kindloan": "scam"})
LABELS: Final[frozenset[str]] = frozenset(
    ("cost shared", "gift for a place", "goods bought to work", "loan for kit", "pay held as guarantee")
)
EMPLOYER_ONLY: Final[frozenset[str]] = frozenset(ANCHORS)  # a seeker's own spending is no fee (§41 binds employers)
#: run after the family shapes, as round 20's terms (detectors.grouped); the double runs with the shapes instead
LATE: Final[frozenset[str]] = EMPLOYER_ONLY - frozenset(DOUBLES)
