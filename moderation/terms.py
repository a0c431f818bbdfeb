"""Round 20's fee read from the terms of the job, with no pay verb (就业促进法 §41; 人力资源市场暂行条例 §24: no fee,
deposit or property from a seeker; standard 5.1.3 c).

Round 19's :mod:`moderation.payers` reads a payment act (先交, 收你, 工资里扣). An employer can make money the
condition of the job and never say "pay". This reads those terms by their construction, with open slots:

- a condition: something lacked, then the job refused (没…就不排班, 空手来的…不带, 凑不齐…甭来), beside money or a
  gift; or money "in place", then the job granted (…到位，就给你锁岗);
- goods only from the employer: the outside refused (外面买的不让用) or the employer's store required, with a price;
  the employer selling what the job needs, paid at entry (没有的…卖，…入职当天交), or a source the employer names
  with the worker paying (自己买，只认…指定那家; round 21);
- a share of the worker's pay going to someone else (月薪的两成归…, 头个月的工资归…);
- a place priced as a plain figure (一个名额…万, 每人…的占位);
- a charge drawn by a system or a third party (系统自动扣…元, 从你卡上走…);
- the costs of recruiting borne by the recruits (…开销由应聘者负担, 广告钱新人平摊);
- a fee paid as a card's or voucher's code sent to the employer side (…购物卡，拍卡号发我; round 21);
- a charge for each job introduced (介绍一份活收…; round 21).

Employer side only, kind ``deposit`` like round 19's act (the fee rules still read refusals, questions and
warnings). Not living, statutory or damage costs (房租, 伙食, 社保, 个税, 丢了赔; 工资支付暂行规定 §15), not what the
company pays or pays back, not goods sold in a shopping stream.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Final

from moderation.buyins import AMOUNT
from moderation.leftmost import Leftmost

Raw = tuple[str, str, int, int, str]

_AMOUNT: Final = re.compile(AMOUNT)
_MEASURE: Final = re.compile("周|岁|斤|公斤|米|度|分钟|号|期|批|届|级")  # 年满16周岁, 身高160米: a measure, no price
_WAGE: Final = re.compile("薪|工资|工钱|底薪|保底|收入|月入|年入|日结|提成|补贴|津贴|奖|时薪|计件|到手")
_LAWFUL: Final = re.compile("社保|医保|五险|公积金|个税|税|工会|房租|租金|水电|伙食|饭|餐|食堂|宿舍|住宿|丢|坏|损|赔|罚|违章|借支|预支|迟到|旷工|路费|车费")
_COMPANY_PAYS: Final = re.compile("(?<![不没无])(?:免费|报销|公司出|公司承担|公司全额|厂里出|厂方|企业支付|企业承担|用工企业|不收|不要钱|分文不|一分钱都不|不花钱)")
_SALE: Final = re.compile("下单|拍下|链接|小黄车|购物车|包邮|直播间价|秒杀|券后|到手价|福袋|上架")
_WORK: Final = re.compile("入职|上岗|上班|岗|面试|录用|排班|派单|接单|工作|进厂|进组|干活|开工|车间|招|签约|返工|跑单|开播")


def _price(folded: str, start: int, end: int) -> re.Match[str] | None:
    """An amount between ``start`` and ``end`` that is no wage and no fine (月薪六千, 迟到扣五十 are none)."""
    for m in _AMOUNT.finditer(folded, max(0, start), end):
        if _MEASURE.match(folded, m.end()) is not None:
            continue
        wage = _WAGE.search(folded, max(0, m.start() - 3), min(len(folded), m.end() + 2))
        if wage is None and _LAWFUL.search(folded, max(0, m.start() - 3), m.start()) is None:
            return m
    return None


def _clear(folded: str) -> bool:
    """Not paid by the company, not a shopping stream's goods (asked once a shape is read)."""
    return _COMPANY_PAYS.search(folded) is None and (_SALE.search(folded) is None or _WORK.search(folded) is not None)


# ---- a condition: something lacked, then the job refused; or money in place, then the job granted ----
_REFUSE_JOB: Final = ("不带", "不给签", "不签", "不安排", "不排", "不给排", "不予录用", "不录用", "当你没来", "不在名单", "甭来",
               "别来", "莫来", "莫想进", "别想进", "办入职", "进不来", "覅来", "唔使嚟", "不让上", "不收你", "不要你", "免谈",
               "不用来", "不给上", "不让进", "进不了厂", "没戏", "排不上", "上不了班", "不给活", "没活干")  # fmt: skip
_REFUSAL: Final = re.compile("|".join(_REFUSE_JOB))
_LACK: Final = re.compile("没|无|冇|伐|莫|未|空手|手空|不齐|不够|不足|拿不出|不认|不拿|不写|不交|不带|不随|不封|不备")
# a gift counted in cartons or bottles and handed to someone (两条…给主任) is a tribute whatever its brand
_GIFT: Final = re.compile("烟|酒|红包|利是|利市|礼|份子|欠条|借条|铜钿|现金|押底|押金|茶钱|好处"
                   "|[一两二三四五六七八九十0-9](?:条|瓶|箱|提|盒)[^|]{0,4}?(?:给|送|孝敬)")
# the lack is a lawful requirement (没健康证的不安排, 没经验的别来, 不带身份证的不给办入职)
_REQUIREMENT: Final = re.compile("证|经验|学历|简历|照片|报告|合同|身份|户口|资格|技能|驾照|岁|年龄|未成年|准时|来的人|到的")
_CONDITION_REACH: Final = 22
_MONEY_REACH: Final = 40
_AFTER_REACH: Final = 16  # 冇…就唔使嚟返工，一套六百八: the price may follow


def conditions(folded: str) -> Iterator[Raw]:
    """Money or a gift, then its lack refusing the job (没随就不在名单上, 凑不齐就甭来了)."""
    for m in _REFUSAL.finditer(folded):
        lack_at = max(0, m.start() - _CONDITION_REACH)
        lack = _LACK.search(folded, lack_at, m.start() + (2 if m.group().startswith("不") else 0))
        if lack is None or _REQUIREMENT.search(folded, lack.start(), m.end()) is not None:
            continue
        before = max(0, m.start() - _MONEY_REACH)
        money = _price(folded, before, m.end() + _AFTER_REACH) or _GIFT.search(folded, before, m.start())
        if money is None or not _clear(folded):
            continue
        # the hit is the money, not the refusal: the fee rules read 不…/冇/甭 in the hit's clause as a fee refused
        yield ("fee", "deposit", money.start(), money.end(), "fee as condition")
        return


_GRANT: Final = re.compile("锁岗|锁定|给你定|给你留|给你安排|给你排|给你办|就能进|就能上|马上安排|就安排|上岗|就上|包进|能进")
_IN_PLACE: Final = re.compile("到位|到账|说话")
_JOB_ACTS: Final = ("面试", "入职", "上岗", "报名", "签约", "排班", "进厂", "上班", "开工", "派单", "接单")
_ONLY_THEN: Final = re.compile(f"(?:方可|才能|才可以|才给|才让|才安排)(?:参加|办理|安排)?(?:{'|'.join(_JOB_ACTS)})")


def grants(folded: str) -> Iterator[Raw]:
    """Money in place, then the job granted (…一万到位，明早就能进; 五千说话，马上给你定), or money held as the only way
    in (持…卡，充值不低于两千方可面试)."""
    only = _ONLY_THEN.search(folded)
    money = None if only is None else _price(folded, only.start() - 24, only.start())
    if money is not None and _clear(folded):
        yield ("fee", "deposit", money.start(), money.end(), "fee as condition")
        return
    for m in _IN_PLACE.finditer(folded):
        grant = _GRANT.search(folded, m.end(), m.end() + 14)
        if grant is None:
            continue
        money = _price(folded, m.start() - 8, m.start()) or _price(folded, grant.end(), grant.end() + 12)
        if money is None:
            continue
        if _clear(folded):
            yield ("fee", "deposit", money.start(), money.end(), "fee as condition")
        return


# ---- goods only from the employer, with a price ----
_OUTSIDE: Final = ("外面", "外头", "外边", "别处", "别家", "别的地方", "其他地方", "出面", "淘宝", "网上", "自己带", "自带", "自己配",
            "自己弄", "自己买", "其他品牌", "其他型号", "其他手机", "其它")  # fmt: skip
_OUTSIDE_REFUSED: Final = re.compile(
    f"(?:{'|'.join(_OUTSIDE)})(?:[^|]){{0,8}}?(?:不让|不能|不算|作废|进不了|不得|莫得用|唔俾|不俾|不予|要罚|不派|无效|不准|不认|用不了|不允许|一律)"
)
_ONLY: Final = ("只能", "必须", "统一", "只认", "一定要", "都要", "都得", "只可以")
_ONLY_HERE: Final = re.compile(
    f"(?:{'|'.join(_ONLY)})(?:在|找|用|从|喺|去|拿|领|配)(?:[^|]){{0,6}}?(?:我们|公司|站点|厂里|库房|小卖部|门店|我这|本公司|店里|这边|咱们|咱)"
)
_GOODS_LAWFUL: Final = re.compile("饭|伙食|餐费|用餐|三餐|食堂|宿舍|住宿|住房|房租|租房|水电|车位|停车")


# the employer as the seller of what the job needs, paid at entry or out of pocket (没有的厂里卖…入职当天交)
_SELLER: Final = "厂里|公司|站点|站里|店里|项目部|车间|单位|我们这|我们|我这|咱们|咱这|队里|工地"
_EMPLOYER_SELLS: Final = re.compile(f"(?:{_SELLER})(?:统一|这边|那边)?(?:有)?(?:卖|售|发售|出售|代购|代买)")
_ENTRY_PAY: Final = re.compile("报到|入职|上岗|开工|第一天|头一天|当天交|先交|交齐|交钱|掏钱|自己掏|自掏|自费|自己出|自己付|个人出|个人承担")
# a source the employer names, with the worker paying (…自己买，只认公司指定那家): 指定 alone is no fee (指定医院体检，公司报销)
_DESIGNATED: Final = re.compile("只认|指定|认准")
_OWN_PURSE: Final = re.compile("自己买|自己出|自费|自掏|自己掏|个人出|个人承担|自己交|自己付|自己承担|你出|你们出|员工出|本人承担")


def exclusive(folded: str) -> Iterator[Raw]:
    """Goods the worker may get only from the employer, at a price (外面买的不让上工, 只能在我们库房拿…一套四百,
    没有的厂里卖…入职当天交, 自己买…只认公司指定那家)."""
    only = _OUTSIDE_REFUSED.search(folded) or _ONLY_HERE.search(folded)
    if only is None:
        sells = _EMPLOYER_SELLS.search(folded)
        if sells is not None:
            only = _ENTRY_PAY.search(folded)
        elif _DESIGNATED.search(folded) is not None:
            only = _OWN_PURSE.search(folded)
    if only is None or _GOODS_LAWFUL.search(folded) is not None:
        return
    price = _price(folded, 0, len(folded))
    if price is not None and _clear(folded):  # the hit is the price (the refusal of the outside reads as a fee refused)
        yield ("fee", "deposit", price.start(), price.end(), "goods only from the employer")


# ---- a charge for each job introduced (介绍一份活收一百五) ----
_INTRODUCE: Final = "介绍|推荐|帮找|帮你找|给你找|找|安排|牵线"
_PER_JOB: Final = re.compile(f"(?:{_INTRODUCE})(?:一份|一个|一单|个|份)(?:活|工作|工|岗位|差事|事做|厂)[^|]{{0,4}}?(?:收|要|交|抽|费用|收费)")


def per_job(folded: str) -> Iterator[Raw]:
    """A charge for each job an intermediary finds the seeker (介绍一份活收…; 人力资源市场暂行条例 §24: no fee)."""
    m = _PER_JOB.search(folded)
    if m is None:
        return
    price = _price(folded, m.end(), m.end() + 8)
    if price is not None and _clear(folded):
        yield ("fee", "deposit", m.start(), price.end(), "charge per job")


# ---- a fee paid in a stored-value code sent to the employer side ----
_CODE: Final = "卡号|卡密|兑换码|券码|充值码|激活码|礼品码"
_SENT_TO_ME: Final = "发我|发给我|报给我|私我|拍给我|给我|发过来|传给我"
_MEANS_REFUSED: Final = re.compile("(?:不收|不要|不走|不用)(?:现金|转账|微信|支付宝|红包|刷卡)")  # a means refused, not the fee
_VOUCHER: Final = re.compile(f"(?:{_CODE})(?:[^|]){{0,8}}?(?:{_SENT_TO_ME})|(?:{_SENT_TO_ME})(?:[^|]){{0,4}}?(?:{_CODE})")


def vouchers(folded: str) -> Iterator[Raw]:
    """A card's or a voucher's code sent to the employer side with a price (买张两百的购物卡，拍卡号发我): the money
    leaves as a code, however the fee is named or whatever means is refused (不收现金)."""
    sent = _VOUCHER.search(folded)
    if sent is None or _WAGE.search(folded) is not None:
        return  # 工资卡卡号发我: the worker's own account for pay
    price = _price(folded, 0, len(folded))
    if price is not None and _clear(_MEANS_REFUSED.sub("", folded)):
        yield ("fee", "deposit", sent.start(), sent.end(), "fee in a code")


# ---- a share of the worker's pay taken by someone else ----
_PAY: Final = "工资|薪水|薪资|薪酬|月薪|年薪|工钱|到手的钱|收入"
_FRACTION: Final = "[一两二三四五六七八九]成|一半|对半|百分之[一二三四五六七八九十]+|[一二三四五]分之一|[0-9]{1,2}(?![0-9])"
_TAKER: Final = "我|线长|组长|中介|介绍人|老乡|师傅|派遣方|机构|公司|本机构|经纪|带班|领班|老板|他|她"
_SHARE: Final = Leftmost(re.compile(
    f"(?:{_PAY})(?:的)?(?:[^|]){{0,3}}?(?:{_FRACTION})(?:[^|]){{0,4}}?(?:归|分给|分|交给|划给|给|作为|算作|抵作|押在|压在|扣在|留在)(?!你|自己)"
    f"|(?:{_PAY})(?:的)?(?:[^|]){{0,3}}?(?:要|得|须)?(?:分|抽|划)(?:出)?(?:{_FRACTION})(?:[^|]){{0,2}}?给"
    f"|(?:头|第一|前|首)[一两二三四五六]?个?月的?(?:工资|薪水|薪资|工钱)(?:全)?(?:归|给|交给|算)(?!你|自己)"
    f"|(?:{_TAKER})(?:先|每月|每个月)?(?:拿走|抽走|抽|分走|扣走|拿)(?:{_FRACTION})"
))
_SHARE_LAWFUL: Final = re.compile("社保|公积金|个税|税|国家|五险")
_DENIED: Final = re.compile("不|没|别|无|免")


def shares(folded: str) -> Iterator[Raw]:
    """A share of the worker's pay as the price of the place (月薪的两成归推荐人, 头个月工资归线长)."""
    for m in _SHARE.finditer(folded):
        if _SHARE_LAWFUL.search(folded, m.start(), m.end() + 6) is None and _DENIED.search(folded, max(0, m.start() - 3), m.start()) is None:
            yield ("fee", "deposit", m.start(), m.end(), "pay shared out")
            return


# ---- a place priced as a plain figure ----
_PLACE: Final = "名额|位置|位子|坑位|坑|指标|座儿|编制|工位|占位|席位|号位"
_PLACE_PRICE: Final = Leftmost(re.compile(
    f"(?<![车床铺摊停展])(?:{_PLACE})(?:费|价|价格|费用|行情价|现价|的价)?(?:现在|目前|要|是|收|就)?(?:一个|每个|一位)?(?:{AMOUNT})"
    f"|(?<![车床铺摊停展])(?:{_PLACE})(?:[^|]){{0,5}}?价(?:[^|]){{0,2}}?(?:{AMOUNT})"
    f"|(?:一个|每个|单个|一人|每人)(?:[^|]){{0,2}}?(?:{_PLACE})(?:[^|]){{0,4}}?(?:{AMOUNT})"
    f"|(?:一人|每人|每个|一个){AMOUNT}(?:元|块)?的?(?:{_PLACE})"
))


_PERIOD: Final = re.compile("月|天|晚|年|周|小时")
_CODE_NUMBER: Final = re.compile("(?<![0-9])0[0-9]")  # a place by the month is rent (车位一个月三百)


def places(folded: str) -> Iterator[Raw]:
    """A place, a quota or a seat priced (一个名额两万八, 每人六百的占位), not a wage and not rent by the month."""
    for m in _PLACE_PRICE.finditer(folded):
        if _WAGE.search(folded, max(0, m.start() - 2), m.end()) is not None or _PERIOD.search(m.group()) is not None:
            continue
        if _CODE_NUMBER.search(m.group()) is not None:
            continue  # round 24: 工位0013 is a code, a price never starts with 0
        if _clear(folded):
            yield ("fee", "deposit", m.start(), m.end(), "place priced")
        return


# ---- a charge drawn by a system or a third party ----
_AGENTS: Final = ("系统", "后台", "app", "软件", "小程序", "第三方", "中介", "保险公司")
_DRAW: Final = Leftmost(re.compile(
    "(?:自动|直接|顺带|顺手|顺便)(?:扣|划|走一)"
    f"|(?:{'|'.join(_AGENTS)})(?:[^|]){{0,8}}?(?:扣除|扣减|划扣|划走|扣)"
    "|从(?:你|您|个人|员工)(?:的)?(?:[^|]){0,6}?(?:卡|账户|余额|薪酬|工资|薪水|钱包)(?:上|里|中)?(?:[^|]){0,3}?(?:扣|划|走|抽)"
))


def drawn(folded: str) -> Iterator[Raw]:
    """A charge a system or a third party draws from the worker (系统自动扣…元, 从你卡上走两千)."""
    for m in _DRAW.finditer(folded):
        if _DENIED.search(folded, max(0, m.start() - 3), m.end()) is not None:
            continue
        if _LAWFUL.search(folded, max(0, m.start() - 12), m.end() + 12) is not None:
            continue
        if _price(folded, m.start() - 16, m.end() + 16) is not None and _clear(folded):
            yield ("fee", "deposit", m.start(), m.end(), "charge drawn")
        return


# ---- the costs of recruiting borne by the recruits ----
_COST: Final = "开销|成本|开支|费用|花销|花费|支出|差旅|钱|费"
_RECRUIT: Final = "应聘者|应聘人|候选人|求职者|新人|新员工|学员|录取人员|录用人员|入职人员|你们|你自己|你|本人|员工|个人|大家|各位|报名者|学徒"
_BEAR: Final = "承担|负担|分担|分摊|平摊|均摊|摊|出|掏|负责|买单|支付|自理"
_BORNE: Final = Leftmost(re.compile(
    f"(?:{_COST})(?:[^|]){{0,3}}?(?:由|归)(?:[^|]){{0,4}}?(?:{_RECRUIT})(?:[^|]){{0,5}}?(?:{_BEAR})"
    f"|(?:{_COST})(?:[^|]){{0,10}}?(?:平摊|均摊|分摊|分担|一人摊|每人摊)"
))


def borne(folded: str) -> Iterator[Raw]:
    """What recruiting costs is borne by the recruits (背调开销由应聘者负担, 广告钱新人平摊)."""
    for m in _BORNE.finditer(folded):
        if _LAWFUL.search(folded, max(0, m.start() - 10), m.end()) is not None or "免费" in m.group():
            continue
        if _clear(folded):
            yield ("fee", "deposit", m.start(), m.end(), "recruiting cost borne")
        return


# 名额 alone stands in one employer message of eight (名额有限, 名额不多): only with what can price it after or before
_PLACE_ANCHORS: Final = (*(p for p in _PLACE.split("|") if p != "名额"), *("名额" + c for c in "费价的现目要是收就一二两三四五六七八九十每0123456789"),
                  *(c + "名额" for c in "个人的元块十百千万"))  # fmt: skip
_RECRUIT_ANCHORS: Final = ("应聘", "候选", "求职者", "新人", "新员工", "学员", "录取", "录用人员", "入职人员", "你们", "你自己",
                    "本人", "员工", "个人", "大家", "各位", "报名者", "学徒")  # fmt: skip
#: anchor group → its anchors (merged into lexicon.ANCHORS) and detector (merged into detectors.BY_GROUP).
ANCHORS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType({
    "condition": _REFUSE_JOB,
    "grant": ("到位", "到账", "说话", *(c + j for c in ("方可", "才能", "才可以", "才给", "才让", "才安排") for j in ("参加", "办理", "安排", *_JOB_ACTS))),
    "exclusive": (*_OUTSIDE, *(o + v for o in _ONLY for v in ("在", "找", "用", "从", "喺", "去", "拿", "领", "配")),
                  *(s + v for s in _SELLER.split("|") for v in ("卖", "有卖", "统一卖", "售", "出售", "代购")), "只认", "指定", "认准"),
    "share": (*(p + s for p in _PAY.split("|") for s in ("的", "归", "对半", "要分", "分")), "拿走", "抽走", "分走", "扣走",
              "抽一成", "抽两成", "抽成", "拿一成", "拿两成"),
    "place": _PLACE_ANCHORS,
    "drawn": ("自动扣", "自动划", "直接扣", "直接划", "顺带", "顺手扣", "顺便扣", "划扣", "划走", "扣除", "扣减", "从你", "从您",
              "从个人", "从员工", "自动走", *_AGENTS),
    "borne": (*("由" + r for r in _RECRUIT_ANCHORS), "由你", "归你", "平摊", "均摊", "分摊", "分担"),
    "voucher": tuple(_CODE.split("|")),
    "per_job": tuple(i + n for i in _INTRODUCE.split("|") for n in ("一份", "一个", "一单", "个", "份")),
})  # fmt: skip
DETECTORS: Final[Mapping[str, Callable[[str], Iterator[Raw]]]] = MappingProxyType({
    "condition": conditions, "grant": grants, "exclusive": exclusive, "share": shares, "place": places,
    "drawn": drawn, "borne": borne, "voucher": vouchers, "per_job": per_job,
})  # fmt: skip
# a priced place mostly doubles a named fee (名额费99): skipped when a fee is already found (a second overlapping
# ruling costs the multi-ruling path and changes nothing)
DOUBLES: Final[Mapping[str, str]] = MappingProxyType({"place": "fee"})
LABELS: Final[frozenset[str]] = frozenset(("fee as condition", "goods only from the employer", "pay shared out", "place priced",
                                    "charge drawn", "recruiting cost borne", "fee in a code",
                                    "charge per job"))  # fmt: skip
EMPLOYER_ONLY: Final[frozenset[str]] = frozenset(ANCHORS)  # a seeker's own spending is no fee (§41 binds employers)
#: run after the family shapes, as round 19's payment act (detectors.grouped); a double runs with the shapes instead
LATE: Final[frozenset[str]] = EMPLOYER_ONLY - frozenset(DOUBLES)
