"""Round 15's fee shapes: money asked of a job seeker under a name no fee word spells (batch 16, read).

- A charge under a new name: a noun ending in 费/金/款/钱 with an amount right after it (内推费一千二, 稳岗金六百,
  托管费叁佰), or a demand verb and an amount before it (交五百的岗位锁定金, 先转两百意向金, 买一千二的创业礼包).
  Pay, allowances and bills the worker lives with are not charges (加班费, 安家费, 伙食费, 房租, 社保…). Kind
  ``item`` with its amount in the clause (a demand), so the fee rules still read negation, reimbursement (体检费三百五，
  入职后…报销) and the seeker's side.
- Kit bought or rented from the employer: a tool, uniform or vehicle with a price and a sale, rent or deduction
  word (戏服租一天五十从工钱扣, 扫码枪…从首月工资里扣二百六, 刀具厂里统一卖一套一百八); not given free or lost.
- A job sold: a placement guaranteed (保你进, 包入职, 百分百录用, 进不去全额退) is an unfounded promise (review);
  with money paid for it, the payment is a fee and the sale a scam (人力资源市场暂行条例 §27: no profit in the name
  of recruitment; 就业促进法 §41).
- Pyramid selling told by its entry money and its recruits (交三千八入会…每拉一个人奖一千; 禁止传销条例 §7): both a
  scam and a fee, whoever posts it; a lawful referral bonus asks the newcomer for nothing.
- A course paid by a loan in the seeker's name (先学后付, 零首付, 签个借款协议, 消费金融): a fee as well as the
  training-loan scam.
Each runs only when the automaton saw one of its anchors (``ANCHORS``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Final

from moderation.leftmost import Leftmost

Raw = tuple[str, str, int, int, str]

NUMERALS: Final = "0123456789一二两三四五六七八九十百千万几壹贰叁肆伍陆柒捌玖拾佰仟"
_N: Final = f"[{NUMERALS}]"
_AMOUNT: Final = f"{_N}+(?:元|块钱|块|蚊|k|w)?"
# stems of money the worker is paid or pays to live (not a recruitment charge)
_NOT_CHARGE: Final = re.compile(
    "奖|补|津|薪|工资|提成|佣金|加班|高温|夜班|安家|全勤|绩效|分红|伙食|餐|饭|房租|租金|水|电|燃气|网|话费|社保|医保|五险|公积|"
    "养老|保险|个税|税|赔偿|违约|罚|利息|本金|返|押金|学费|物业|停车|油|路桥|过路|交通|差旅|路费|运费|快递|货款|现金|基金|资金盘"
)
_NOUN_AMOUNT: Final = Leftmost(re.compile(f"([\u4e00-\u9fff]{{2}})(?:费|金|款)(?:是|要|为|共|一共|合计|需)?({_AMOUNT})(?![0-9一二两三四五六七八九十]*(?:个|人|天|月|年|小时|次|单|件))"))
_VERB: Final = "俾|交|缴纳|缴|转|付|支付|带|买|购买|收取|另收|收|掏|拿出|拿"
_VERB_AMOUNT: Final = Leftmost(re.compile(f"(?:{_VERB})(?:个|一个|上|齐)?({_AMOUNT})(?:的)?([\u4e00-\u9fff]{{0,6}}?)(?:费|金|款|礼包|押车钱)"))
_PAYER: Final = re.compile("(?:公司|厂里|厂家|单位|老板|企业|我们)(?:给你|帮你|替你|统一|会|来|每月|每年)?$|给你$|给大家$|发你$|奖励|报销|承担")
_DENIED: Final = re.compile("不|没|免|无|别|零")


def _ok_before(folded: str, start: int) -> bool:
    """The company pays, or the charge is denied, right before it ("公司给你交", "不收五百的…")."""
    return _PAYER.search(folded[max(0, start - 6) : start]) is not None or _DENIED.search(folded, max(0, start - 3), start) is not None


_SERVICE_TAKES: Final = Leftmost(re.compile(f"(?:付|交|给)(?:中介|中间人|介绍人)({_AMOUNT})|(?:体检|培训|办证|报名|面试|中介|介绍人|中间人|门诊|诊所)(?:[^|]){{0,10}}?(?:收|交|付|给)(?:个|了)?({_AMOUNT})"))


def renamed_charges(folded: str) -> Iterator[Raw]:
    """A charge by any name, told by its amount: 内推费一千二, 交五百的岗位锁定金 (a fee with its amount)."""
    # round 23: both shapes end their charge in 费/金/款 (or 礼包, 押车钱): without one, neither can match
    named = "费" in folded or "金" in folded or "款" in folded
    if named:
        for m in _NOUN_AMOUNT.finditer(folded):
            stem = m.group(1)
            if (_NOT_CHARGE.search(folded, m.start(), m.start(2)) is None and not stem.endswith(("工", "的"))
                    and not _ok_before(folded, m.start())):  # fmt: skip
                yield ("fee", "item", m.start(), m.end(), "renamed charge")
    if named or "礼包" in folded or "押车钱" in folded:
        for m in _VERB_AMOUNT.finditer(folded):
            if _NOT_CHARGE.search(folded, m.start(), m.end()) is None and not _ok_before(folded, m.start()):
                yield ("fee", "item", m.start(), m.end(), "renamed charge")
    for m in _SERVICE_TAKES.finditer(folded):  # 先付中介三万, 那家门诊收三百八
        if not _ok_before(folded, m.start(1) - 1):
            yield ("fee", "item", m.start(), m.end(), "renamed charge")


_KIT: Final = (
    "扫码枪|巴枪|枪|工服|工衣|工装|制服|戏服|服装|服|鞋|帽|手套|雨衣|头盔|餐箱|箱|电动车|电瓶车|车辆|车|手机|平板|电脑|"
    "工具|刀具|刀|围裙|鞋套|装备|劳保|三件套|耳机|对讲机|胶|工具箱|套装|马甲|保险|险"
)
_SOLD: Final = "租|卖|售|购买|采购|订做|定做|自付|自己出|先掏|掏|扣|不退|(?:在|向|找|跟)(?:公司|厂里|店里|站点|我们)(?:这边|那边|这里)?买"
_KIT_CHARGE: Final = re.compile(f"(?:{_KIT})[^|]{{0,22}}?({_SOLD})")
_KIT_BOUGHT: Final = re.compile(  # round 15: 得先买我们的工作鞋，一双一百五; round 16: a package or course (主播孵化套餐，一千九九)
    f"买(?:我们|公司|厂里|店里|站点)(?:家)?的?[\u4e00-\u9fff]{{0,4}}?({_KIT}|套餐|课程|礼包|资料)")
_MEAL: Final = re.compile("食堂|饭|餐厅|伙食|午餐|晚餐|早餐|工作餐|外卖")
_KIT_FREE: Final = re.compile("免费|不收|不扣|不用|不要钱|报销|公司出|公司承担|以旧换新|丢|坏|赔|损|还回|交回")
KIT_ANCHORS: Final = ("租一", "租金", "租用", "统一租", "统一卖", "统一买", "统一采购", "统一订", "订做", "定做", "自付", "向公司购买",
               "店里买", "厂里卖", "里慢慢扣", "扣掉", "结账时扣", "工资里扣", "工钱里扣", "提成里扣", "先掏", "每人先掏", "不退", "里慢扣",
               "买我们", "买公司的", "买厂里的", "买店里的", "买站点的", "在公司这边买", "在公司买", "向公司买", "找公司买", "在店里买", "在厂里买", "在站点买", "在我们这买", "跟公司买")  # a repeat is folded to one: 慢慢 → 慢  # fmt: skip


def kit_sold(folded: str) -> Iterator[Raw]:
    """Kit the worker buys or rents from the employer, with its price: a fee (就业促进法 §41)."""
    for m in (*_KIT_CHARGE.finditer(folded), *_KIT_BOUGHT.finditer(folded)):
        window = folded[m.start() : m.end() + 14]
        if re.search(f"{_N}{{2,}}|{_N}(?:十|百|千)", window) is None or _KIT_FREE.search(window) is not None:
            continue
        if m.group(1) == "套餐" and _MEAL.search(folded, max(0, m.start() - 6), m.end() + 8) is not None:
            continue  # a canteen's set meal (员工套餐，食堂十五一份), not a package sold
        yield ("fee", "deposit", m.start(1), m.end(1), "kit sold")  # the hit is the sale (its clause holds the price)


_GUARANTEE: Final = re.compile(
    "(?:保证你?|保你|包你|包|保|百分之?百|稳)(?:能|可以)?(?:进(?!厂车|门|货)|入职|录用|录取|上岗|分配到|有编制|拿到(?:[\u4e00-\u9fffa-z]{0,8}?)offer|录(?!音|像)|过(?!年|来|去|节))"
    "|(?:包你|保你|保证你)(?:去|到)[^|]{0,8}?(?:上班|工作|上岗)"
    "|(?:进不去|没考上|考不上|没录上|录不上|没进|没过|不过)(?:就)?(?:全额|全部|全|包)?退"
)
GUARANTEE_ANCHORS: Final = ("保证你进", "保你进", "包你进", "包进", "包入职", "保入职", "包录", "保录", "包过", "保过", "百分百录", "百分之百录",
                     "包上岗", "包你上岗", "保证分配", "保你有编制", "全额退", "全退", "不过退", "保证你拿到", "稳进", "保证你拿", "保证你能", "保你能", "包你能", "保证能",
                     "包你去", "保你去", "保证你去", "包你到", "保你到")  # fmt: skip
# money paid, not a wage told (包过包分配，签约保底月薪一万)
_PAID: Final = re.compile(f"(?:交|给|付|拿|转|花|出)(?:个|了)?{_N}+(?:元|块|万|千|百)|(?<![薪资入底赚挣月年日])(?<!工资){_N}+(?:元|块|万|千)|(?:内推|推荐|打点|通道|运作|中介|服务|介绍|跑腿)费")


def placements_sold(folded: str) -> Iterator[Raw]:
    """A job guaranteed: an unfounded promise; with money paid for it, a fee and a scam (a job sold)."""
    m = _GUARANTEE.search(folded)
    if m is None:
        return
    paid = _PAID.search(folded)
    if paid is None:
        yield ("scam", "review", m.start(), m.end(), "placement guaranteed")
        return
    yield ("scam", "block", m.start(), m.end(), "placement sold")
    yield ("fee", "fraud", paid.start(), paid.end(), "placement sold")


_RECRUIT: Final = re.compile(
    f"(?:拉|带|介绍|发展|推荐|招)(?:满|够|进|来)?{_N}+个(?:人|朋友|新人|下线|代理|会员)?|拉人头|人头|下线|层级|分佣|直推|见点|团队业绩"
    "|下面(?:再)?(?:招|发展)|也来买|亲戚朋友|五级三晋|出局"
    "|(?:下面|下级|下线|团队|你带的)(?:[^|]){0,4}?(?:业绩|提成|收益)(?:都|全)?(?:算|归)你"  # round 19: the downline's sales are yours
)
_ENTRY: Final = re.compile(
    f"(?:交|缴纳?|认购|买|拿出|投|先拿|进货|拿货|首单进货|首单)(?:个|一份|一单)?{_N}+(?:元|块|万|千|百)?{_N}*(?:的货|的产品|入会|入门|加盟|入场|激活|成为|进公司|拿到|就算)?"
    f"|(?:入会|入门|加盟|会员|代理|激活|报名|保证)(?:费|金)?{_N}+"
)
PYRAMID_ANCHORS: Final = ("拉人头", "人头", "下线", "层级", "分佣", "直推", "见点", "团队业绩", "也来买", "五级三晋", "代理下面",
                   *(g + a + v for g in ("业绩", "提成", "收益") for a in ("", "都", "全") for v in ("算你", "归你")),
                   *(v + n for v in ("拉", "带", "介绍", "发展", "推荐") for n in "一两三四五六七八九十满够"))  # fmt: skip


def pyramid_entries(folded: str) -> Iterator[Raw]:
    """Entry money and recruits in one message: pyramid selling, a fee and a scam (禁止传销条例 §7)."""
    recruit = _RECRUIT.search(folded)
    if recruit is None:
        return
    for m in _ENTRY.finditer(folded):
        if any(n in folded[max(0, m.start() - 3) : m.start()] for n in "不没别免"):
            continue
        yield ("scam", "block", recruit.start(), recruit.end(), "pyramid entry")
        yield ("fee", "fraud", m.start(), m.end(), "pyramid entry")
        return


_COURSE: Final = re.compile("学|课|培训|学员|机构|班")
_LOAN: Final = re.compile("先学后付|零首付|借款|贷款合同|消费金融|分期|贷")
_NO_LOAN: Final = re.compile("(?:不|没|无|免|别|不会让你|不用)(?:签|办|有|要|搞|做)?(?:任何)?(?:[^|]){0,4}?(?:分期|贷|借款)")
LOAN_ANCHORS: Final = ("先学后付", "零首付", "借款协议", "借款合同", "借款交", "消费金融", "贷款合同", "办个分期", "分期")


def course_loans(folded: str) -> Iterator[Raw]:
    """A course paid with a loan in the seeker's name: a fee and the training-loan scam."""
    loan = _LOAN.search(folded)
    if loan is None or _COURSE.search(folded) is None or _NO_LOAN.search(folded) is not None:
        return
    yield ("scam", "block", loan.start(), loan.end(), "course loan")
    yield ("fee", "fraud", loan.start(), loan.end(), "course loan")


def _amount_anchors() -> tuple[str, ...]:
    """A fee noun's last character then a numeral (托管费叁佰), a demand verb then a numeral (交五百的…金)."""
    ends = tuple(e + n for e in "费金款" for n in NUMERALS)
    # not 带/收/付 + a numeral nor 缴纳 (带两个人, 收一下, 付一次, 缴纳社保: common, and each anchor costs a message the C
    # scan's fast path); a fee noun's suffix + numeral still opens the group for 另收托管费叁佰
    verbs = tuple(v + n for v in ("交", "缴", "转", "买", "掏", "拿出", "俾") for n in NUMERALS)
    return (*ends, *verbs, "交个", "付中介", "给中介", "给中间人", "给介绍人")


#: anchor group → its anchors (merged into lexicon.ANCHORS) and detector (merged into detectors.BY_GROUP).
ANCHORS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType({
    "renamed": _amount_anchors(), "kitsold": KIT_ANCHORS, "placement": GUARANTEE_ANCHORS,
    "pyramid2": PYRAMID_ANCHORS, "courseloan": LOAN_ANCHORS,
})  # fmt: skip
DETECTORS: Final[Mapping[str, Callable[[str], Iterator[Raw]]]] = MappingProxyType({
    "renamed": renamed_charges, "kitsold": kit_sold, "placement": placements_sold,
    "pyramid2": pyramid_entries, "courseloan": course_loans,
})  # fmt: skip
#: Not a double of "fee" (skipped when a fee term is there): that saves a third of this round's cost (callgrind) but
#: loses the renamed charge beside a fee word the rules clear (先交一笔“展业启动金”两千, 不是押金，叫稳岗金六百).
LABELS: Final = frozenset(("renamed charge", "kit sold", "placement guaranteed", "placement sold", "pyramid entry", "course loan"))
