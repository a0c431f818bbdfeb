"""Round 20: harmful recruiting schemes told by their structure, not their name (standard 5.1.3 c).

Rounds 15–18 listed the names a batch's author gave a scheme; the next author chose others. Each shape here reads
what the scheme makes the worker do, with open slots, so the name does not matter:

- a task ladder: small tasks paid at once, then a rung that takes the worker's money or holds the payout back (an
  advance, a top-up, a "group" or "stage" mission before withdrawal); a click or a help on a link paid per act; an
  order placed and refunded for a commission (刷单: 反电信网络诈骗法 §2; 人力资源市场暂行条例 §24);
- a game that pays out money: a wager or a chance (a bet, a draw, a score bought) next to a cash-out, a top-up or
  the players' losses shared (刑法 §303);
- escort work behind a title: keeping clients company at leisure (drinking, singing, a dinner, a trip) with a mark
  of the trade (night venue, per-client or per-night pay, looks, rooms shared), or a title's own work disowned
  beside a client's private deal (刑法 §359);
- a promise no job can make (a home, a car, a tenured post, an income whatever the results, twenty thousand a month
  to a beginner): held for a person;
- a job handed out with a purchase, a franchise or an investment (加盟就送…岗位; round 21);
- work guaranteed for a fee (学费…保证每月接八场) or a deposit for work abroad (出国…担保金; round 21);
- a certificate without its exam (刑法 §280, §284-1);
- the seeker's card, number, account or licence handed over or sold for pay, or cash carried between accounts
  (刑法 §287-2).
Every shape needs two parts a lawful job does not pair (a commission is paid, but the worker never pays in; a guide
keeps tourists company, not clients at night). Who says it (a question, a warning, a refusal right before it) stays
the policy's; the local checks below read only what a shape's own words refuse.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Final

from moderation.charges import NUMERALS

Raw = tuple[str, str, int, int, str]

_N: Final = f"[{NUMERALS}]"
# a refusal or a warning just before a shape's words (不涉及充值和下注, 不陪酒, 千万不要交给别人)
_REFUSED: Final = re.compile("不涉及|不涉|不碰|不搞|不做|不含|不会|不是|没有|拒绝|禁止|严禁|不能|不要|不准|别|无需陪|不用陪|不陪|不跟|不和")
# a shape's words called false or harmful (…都是假证，别花这个冤枉钱)
_CONDEMNED: Final = re.compile("假证|假的|冤枉钱|查不到|骗|套路|违法|犯法|坐牢|刑事")


def _refused(folded: str, start: int, reach: int = 6) -> bool:
    return _REFUSED.search(folded, max(0, start - reach), start) is not None


def _paired(
    first: re.Pattern[str], reach: int, second: re.Pattern[str], window: int, label: str
) -> Callable[[str], Iterator[Raw]]:
    """A detector: the first match of ``first`` not refused in the ``reach`` characters before it, with ``second``
    within ``window`` characters of it (anywhere in the message when ``window`` is negative)."""

    def detect(folded: str) -> Iterator[Raw]:
        for m in first.finditer(folded):
            if _refused(folded, m.start(), reach):
                continue
            lo, hi = (0, len(folded)) if window < 0 else (max(0, m.start() - window), m.end() + window)
            if second.search(folded, lo, hi) is not None:
                yield ("scam", "block", m.start(), m.end(), label)
                return

    return detect


# --- a task ladder -----------------------------------------------------------------------------------------------
_TASK: Final = re.compile(
    "任务|(?<!简|名|菜|账|清|传|保)单(?![位独身纯调间人车休据])|助力|拼|链接|点赞|关注|截图|练手|体验|红包"
    "|试玩|每玩|一局|每局|打卡|听书|听满|看满"  # round 22: games played or books heard for pay (每玩一局返三十)
)
_PAYOUT: Final = re.compile(f"到账|返|佣金|提成|奖励|结算|转你|给你|提现|收益|工资|秒到|日结|发{_N}|{_N}块")
# the rung that takes the worker's money or holds the payout back
_RUNG: Final = re.compile(
    f"垫|预存|充值激活|先充|要充|需充|充值才|补单|补差|补{_N}|押一笔|押{_N}|本金|解冻|开会员|开通会员|办会员|充会员"
    "|联合任务|组合单|团队单|阶段任务|高级任务|进阶任务|提现前|才能提现|才能提|vip群"
)
# not 冲单 (a rider's rush-hour bonus), 卡单 (a stuck delivery), 周转 or 激活 alone (a company's cash flow, a badge)
RUNG_ANCHORS: Final = ("垫", "预存", "先充", "要充", "需充", "充值激活", "充值才", "补单", "补差", "押一笔", "本金", "解冻",
                "联合任务", "组合单", "团队单", "阶段任务", "高级任务", "进阶任务", "提现前", "才能提",
                "开会员", "开通会员", "办会员", "充会员")  # fmt: skip


def ladders(folded: str) -> Iterator[Raw]:
    """Small tasks paid, then a rung that takes the worker's money or withholds the pay: a task scam."""
    rung = _RUNG.search(folded)
    if rung is None or _refused(folded, rung.start(), 3):
        return
    if _TASK.search(folded) is None or _PAYOUT.search(folded) is None:
        return
    yield ("scam", "block", rung.start(), rung.end(), "task ladder")


# a click, a help or a join on a link, paid per act (点进去帮忙拼一下就给你五块, 帮我点链接助力一下就有钱拿)
_CLICK: Final = re.compile(
    f"(?:助力|拼一下|帮忙拼|点链接|点进去|点一下|帮我点|帮他点|拼单|拼团|点几个)[^|]{{0,10}}?"
    f"(?:就给你?{_N}|就有钱|就能拿钱|就给钱|每次{_N}|一次{_N}|一个{_N}|给{_N}|有钱拿|立刻转|转你|返{_N})"
)
CLICK_ANCHORS: Final = ("助力", "拼一下", "帮忙拼", "点链接", "点进去", "点一下", "帮我点", "帮他点", "拼单", "拼团", "点几个")
# an order placed by the worker and refunded, for a commission (给指定店铺下单再退款…另加提成)
_ORDER: Final = re.compile(
    "(?:给[^|]{0,8}?下单|下单再|先下单|自己下单|完成[^|]{0,6}?订单|垫付订单|预付款订单)[^|]{0,16}?(?:退款|退回|退还|返还|返)"
)
ORDER_ANCHORS: Final = ("下单", "订单")
_COMMISSION: Final = re.compile("提成|佣金|返点|收益|另加|报酬")


def clicks(folded: str) -> Iterator[Raw]:
    """A click or a help on a link paid per act: order-brushing by another name."""
    for m in _CLICK.finditer(folded):
        if not _refused(folded, m.start(), 4):
            yield ("scam", "block", m.start(), m.end(), "paid clicks")
            return


def orders(folded: str) -> Iterator[Raw]:
    """An order the worker places and gets back, with a commission on top: order-brushing."""
    m = _ORDER.search(folded)
    if m is not None and _COMMISSION.search(folded) is not None and not _refused(folded, m.start(), 4):
        yield ("scam", "block", m.start(), m.end(), "orders refunded")


# --- a game that pays out money ----------------------------------------------------------------------------------
_CHANCE: Final = re.compile(
    "下注|投注|押大小|押中|压中|赔率|上分|买分|竞猜|开奖|老虎机|拉杆|斗地主|麻将|打牌|牌局|刮奖|刮刮乐|输赢|赢了|赢的|输的"
    "|开一期|每期|抽奖|摇奖|转盘|押注|上桌|稳赢|包赢"  # round 22: a win promised
)
CHANCE_ANCHORS: Final = ("下注", "投注", "押大小", "押中", "压中", "赔率", "上分", "买分", "竞猜", "开奖", "老虎机", "拉杆", "斗地主",
                  "麻将", "打牌", "牌局", "刮奖", "刮刮乐", "输赢", "赢了", "赢的", "输的", "开一期", "每期", "抽奖", "摇奖",
                  "转盘", "押注", "上桌", "稳赢", "包赢")  # fmt: skip
# money out of the game, or into it with the worker's cut
_CASH: Final = re.compile(
    "提现|秒提|换现金|兑现|兑成|换成钱|换回钱|换钱|折现|回收|抽水|抽佣|流水|充值|充钱|多充|买分|投币|输的钱|输的算|赢钱"
    "|提到(?:支付宝|微信|卡|银行卡)|人民币|现金|当工资|算工资|算你工资|当收入"  # round 22: winnings paid as the wage
    f"|充{_N}+"  # round 22: a top-up by its sum (充一百送一百)
)


#: a wager or a draw beside a cash-out, a top-up or the losses shared: gambling dressed as a game
wagers: Final = _paired(_CHANCE, 8, _CASH, 24, "game pays out")


# --- escort work behind a title ----------------------------------------------------------------------------------
_CLIENT: Final = "客人|客户|老板|老总|贵宾|大哥|男士|领导|金主|vip"
_LEISURE: Final = (
    "喝|酒|唱|k歌|k房|饭局|吃饭|宵夜|聊天|品茶|出游|旅游|游玩|消遣|应酬|玩|过夜|住|跳舞|蹦迪|色子|骰子|划拳|按摩|出差"
)
_COMPANY: Final = re.compile(
    f"(?:陪着?[^|]{{0,5}}?|(?:跟|和|同|坐在|坐到|挨着)(?:新来的|单身)?)(?:{_CLIENT})(?:们)?(?:身边|旁边)?[^|]{{0,8}}?"
    f"(?:{_LEISURE})"
)
# 陪 alone (the client may follow a few words later: 陪外地来的老板们), the other verbs right before the client
COMPANY_ANCHORS: Final = (*(v + c for v in ("跟", "和", "同", "在", "到")
                      for c in ("客人", "客户", "老板", "老总", "贵宾", "大哥", "男士", "领导", "金主", "vip")),
                   "陪", "挨着", "单身男士")  # fmt: skip
# the trade's marks: a night venue, pay per client or per night, looks, a room shared
_TRADE: Final = re.compile(
    "晚上|夜场|凌晨|包厢|包间|k房|卡座|会所|夜总会|一晚|一场|出台|加钟|点你|小费|钟点|按钟|开台|开的酒|红包|满意|形象|放得开|短裙"
    "|颜值|身材|住在一起|吃住都跟|安排在一起|同住|懂的|日薪|提成"
)


#: clients kept company at leisure with a mark of the trade anywhere in the message: escort work behind a title
companions: Final = _paired(_COMPANY, 3, _TRADE, -1, "clients kept company")


# a title's own work disowned (不用会手法, 其实不用接待, 拍照是顺带的) beside a client's private deal or pay
_GUISE: Final = re.compile("不用会|不需要会|其实不用|是顺带的|顺带的|名义上|表面上|挂个名|不用走秀")
GUISE_ANCHORS: Final = ("不用会", "不需要会", "其实不用", "顺带的", "名义上", "表面上", "挂个名", "不用走秀")
_PRIVATE_DEAL: Final = re.compile(
    f"(?:{_CLIENT})[^|]{{0,16}}?(?:自己谈|私下谈|加钟|点你|出台|项目|陪|饭局|k房)|(?:出台|加钟|陪酒|陪睡|过夜)"
)


def guises(folded: str) -> Iterator[Raw]:
    """A title whose work is said not to be the work, beside what the client is sold: escort work."""
    m = _GUISE.search(folded)
    if m is not None and _PRIVATE_DEAL.search(folded, m.end(), m.end() + 40) is not None:
        yield ("scam", "block", m.start(), m.end(), "title disowned")


# --- a promise no job can make -----------------------------------------------------------------------------------
_ASSET: Final = "房|车|两居|三居|奔驰|宝马|别墅|楼|奥迪|保时捷"
# a ride or a stair is no asset: 开车送你, 送你上车, 送你下楼 (round 20, batch 22 read)
_OWNED: Final = f"(?<![开坐搭打骑上下])(?:{_ASSET})"
_GIFT: Final = re.compile(
    f"(?:送你?|白送|奖你|分你|给你(?:买|配)|帮你(?:在[^|]{{0,6}}?)?(?:落户)?买|让你(?:提|开|住|买)|提)(?:一|1)?(?:套|辆|栋|台)?"
    f"[^|]{{0,3}}?{_OWNED}"
    f"|{_OWNED}[^|]{{0,4}}?(?:白送|过户给你|送你|写你(?:的)?名字)"
    "|(?:首付|房贷|车贷)(?:公司|我们|老板)(?:出|付|包|还)|老家盖楼|回家盖房"
    # round 22: the listener made able to buy one (干满一年，保你在昆明买得起房)
    f"|(?:保你|包你|保证你|让你)[^|]{{0,8}}?(?:买得起|买上|买|供得起)(?:一|1)?(?:套|辆|栋)?[^|]{{0,2}}?{_OWNED}"
)
GIFT_ANCHORS: Final = ("送你", "白送", "奖你", "分你", "给你买", "给你配", "帮你", "让你提", "让你开", "让你住", "让你买", "提一辆",
                "过户给你", "写你名字", "写你的名字", "首付", "房贷", "车贷", "盖楼", "盖房", "保你", "包你", "保证你")  # fmt: skip
# a prize for the best, a company car to be returned, a subsidy applied for: lawful
_EARNED: Final = re.compile("冠军|第一名|前三名|评比|评选|补贴|归还|公司用车|申请")


def gifts(folded: str) -> Iterator[Raw]:
    """A home or a car promised to the listener: no job can promise it (held for a person)."""
    m = _GIFT.search(folded)
    if m is None or _refused(folded, m.start(), 3) or _EARNED.search(folded) is not None:
        return
    yield ("scam", "review", m.start(), m.end(), "asset promised")


# an income whatever the results, a tenured post for certain
_INCOME: Final = re.compile(f"(?:月入|年薪|收入|月薪|到手|年入)[^|]{{0,6}}?(?:{_N}+万|[0-9]{{5,}})")
_WHATEVER: Final = re.compile("补齐|补足|不管业绩|无论业绩|不看业绩|不论业绩|写进合同|业绩不管")
WHATEVER_ANCHORS: Final = ("补齐", "补足", "不管业绩", "无论业绩", "不看业绩", "不论业绩", "写进合同", "业绩不管")
_TENURE: Final = re.compile(
    "(?:百分之百|百分百|保证|包|直接安排|稳进|必进)[^|]{0,6}?(?:编制|入编|铁饭碗)|(?:编制|入编)[^|]{0,3}?(?:包|保证)"
    "|保送[^|]{0,4}?(?:出国|国外|国企|央企|编制|名校)|保送你?(?:去|进|到)"
)
TENURE_ANCHORS: Final = ("编制", "入编", "铁饭碗", "保送")
# round 21: a monthly income of twenty thousand or more promised, after it, to someone with no skill (零基础…月薪两万起;
# 老师傅月薪两万，新手…三千五 pays the skilled)
BEGINNER_ANCHORS: Final = ("零基础", "没基础", "无基础", "零经验", "没经验", "无经验", "小白", "不会也行", "包学会", "包教会",
                    "包教包会", "从零学")  # fmt: skip
_BEGINNER: Final = re.compile("|".join(BEGINNER_ANCHORS))
_HIGH_MONTHLY: Final = re.compile(
    "(?:月入|月薪|月收入|每月|一个月|每个月|月均)[^|]{0,4}?(?:[两二三四五六七八九2-9]|[1-9][0-9]|十)万"
    "|(?:月入|月薪|月收入|每月|一个月|每个月)[^|]{0,4}?(?:[2-9][0-9]{4}|[1-9][0-9]{5})(?![0-9])"
)


def certainties(folded: str) -> Iterator[Raw]:
    """A high income whatever the results, or a tenured post for certain: held for a person."""
    whatever = _WHATEVER.search(folded)
    if whatever is not None:
        income = _INCOME.search(folded, max(0, whatever.start() - 24), whatever.end() + 24)
        if income is not None and not _refused(folded, income.start(), 3):
            yield ("scam", "review", income.start(), income.end(), "income whatever")
            return
    m = _TENURE.search(folded)
    if m is not None and not _refused(folded, m.start(), 3):
        yield ("scam", "review", m.start(), m.end(), "tenure promised")
        return
    beginner = _BEGINNER.search(folded)
    high = None if beginner is None else _HIGH_MONTHLY.search(folded, beginner.end(), beginner.end() + 30)
    if high is not None and not _refused(folded, high.start(), 3):
        yield ("scam", "review", high.start(), high.end(), "income for a beginner")


# --- a job given for a purchase (round 21) -------------------------------------------------------------------------
_BUYS: Final = "加盟|购买|认购|买|订|进货|拿货|囤货|投资|入股|预存|办卡"
_JOB_GIVEN: Final = re.compile(
    f"(?:{_BUYS})[^|]{{0,10}}?(?:就|即|便)?(?:送|安排|包)(?:你)?[^|]{{0,6}}?(?:岗位|工作|上班|进厂|入职|编制|职位)"
)
BOUGHT_ANCHORS: Final = tuple(b + g for b in ("就", "即", "便") for g in ("送", "安排", "包"))


def bought(folded: str) -> Iterator[Raw]:
    """A job handed out with a purchase, a franchise or an investment (加盟就送…岗位): the job is the bait of a sale."""
    m = _JOB_GIVEN.search(folded)
    if m is not None and not _refused(folded, m.start(), 3):
        yield ("scam", "block", m.start(), m.end(), "job given for a purchase")


# --- work guaranteed for a fee, a deposit for work abroad (round 21) ----------------------------------------------
_PAID: Final = "学费|培训费|课程费|报名费|担保金|保证金|押金|服务费|中介费"
_PROMISED_WORK: Final = re.compile(
    f"(?P<paid>{_PAID})[^|]{{0,24}}?(?P<vow>保证|承诺|确保|包你|稳)(?:每月|每个月|每周|每天|你)?"
    "(?:接|派|分配|上岗|就业|进厂|拿到|有活)"
)
_ABROAD_DEPOSIT: Final = re.compile(  # round 22: a service or visa fee before landing (海外…先交三万六服务费，落地就上岗)
    "(?:出国|国外|海外|境外|出境)[^|]{0,24}?(?P<paid>担保金|保证金|押金|服务费|办签费|中介费|手续费)"
)
_DENIED: Final = re.compile("[不免无没零别]")  # 不收学费, 不交任何押金, 也不保证就业: refused, not sold
_LICENSED: Final = re.compile("正规|资质|使馆|国家规定|明码标价|备案|合同里写")  # round 22: a licensed agency's terms
_BY_COMPANY: Final = re.compile("公司(?:交|出|付|垫)|企业(?:交|出|付)|厂里(?:交|出)")
PROMISED_ANCHORS: Final = tuple(_PAID.split("|"))


def promised_work(folded: str) -> Iterator[Raw]:
    """Money paid, then work guaranteed (学费…结业保证每月接八场), or a deposit for work abroad (出国…担保金): the
    guarantee sells the course or the visa, and no employer may take the money (人力资源市场暂行条例 §24)."""
    m = _PROMISED_WORK.search(folded)
    if m is None:  # a licensed agency's terms clear a fee abroad only, never a job guaranteed for a course
        m = _ABROAD_DEPOSIT.search(folded)
        if m is None or _LICENSED.search(folded) is not None:
            return
    if _BY_COMPANY.search(folded) is not None:
        return
    paid = m.start("paid")
    if _DENIED.search(folded, max(0, paid - 4), paid) is not None:
        return
    if "vow" in m.re.groupindex and _DENIED.search(folded, m.start("vow") - 1, m.start("vow")) is not None:
        return
    yield ("scam", "block", m.start(), m.end(), "work guaranteed for a fee")


# --- a certificate without its exam ------------------------------------------------------------------------------
_BYPASS: Final = re.compile(
    "不用考|不考试|免考|不用去考场|不用笔试|不用面试|无需考试|不用上课|包过|包拿|考场有人|内部渠道|直接拿证|交钱拿证|寄到家"
    "|保证通过|保证一次通过|稳过|代考|替考"
)
BYPASS_ANCHORS: Final = ("不用考", "不考试", "免考", "不用去考场", "不用笔试", "不用面试", "无需考试", "不用上课", "包过", "包拿",
                  "考场有人", "内部渠道", "直接拿证", "交钱拿证", "寄到家", "保证通过", "稳过", "代考", "替考")  # fmt: skip
_CERT: Final = re.compile("证|资格|文凭|学历|本科|大专|职称|学位")


def papers(folded: str) -> Iterator[Raw]:
    """A certificate or a degree had without its exam: a forged or cheated paper."""
    m = _BYPASS.search(folded)
    if m is None or _CONDEMNED.search(folded) is not None:
        return
    if _CERT.search(folded, max(0, m.start() - 20), m.end() + 20) is not None:
        yield ("scam", "block", m.start(), m.end(), "paper without exam")


# --- the seeker's instruments handed over ------------------------------------------------------------------------
_INSTRUMENT: Final = re.compile(
    "身份证|手机卡|电话卡|号码|卡片|银行卡|储蓄卡|u盾|收款码|支付宝|账户|账号|抖音号|营业执照|对公户|法人|实名|卡和|手机号"
    "|名下|店铺|网店|声纹|人脸|指纹|虹膜|面部|声音样本"  # round 22: biometrics sold
)
_HAND: Final = re.compile(
    "交给公司|交给带队|交给我们|交给我|一起上交|上交|给我们用|卖给我们|卖给我|挂靠|挂到|挂你名下|我们拿走|归公司|高价收|收购"
    "|帮公司接收|接收转账|借给我们|租给我们"
)
HAND_ANCHORS: Final = ("交给公司", "交给带队", "交给我们", "交给我", "上交", "给我们用", "卖给我们", "卖给我", "挂靠", "挂到",
                "挂你名下", "我们拿走", "归公司", "高价收", "收购", "帮公司接收", "接收转账", "借给我们", "租给我们")  # fmt: skip
_FOR_PAY: Final = re.compile(f"(?:每|一)(?:张|个|套|台|部|号|次)[^|]{{0,2}}?{_N}|给你|当场结|结{_N}|按金额|拿百分之|一趟|{_N}+(?:块|元)")
# a copy for the files, papers checked, a lost card found: no sale
_KEPT: Final = re.compile("复印件|备案|核对|核验|原件|捡到|失物|丢了")
_RUNNER: Final = re.compile(f"(?:取现|取现金|取钱)[^|]{{0,10}}?(?:存到|存进|转到|交给|送到)[^|]{{0,12}}?(?:一趟|每次|一次){_N}")
RUNNER_ANCHORS: Final = ("取现", "取钱")


def handovers(folded: str) -> Iterator[Raw]:
    """The seeker's card, number, account or licence handed over for pay, or cash carried between accounts."""
    m = _RUNNER.search(folded)
    if m is not None and not _refused(folded, m.start(), 4):
        yield ("scam", "block", m.start(), m.end(), "cash carried")
        return
    for hand in _HAND.finditer(folded):
        if _refused(folded, hand.start(), 4):
            continue
        if _INSTRUMENT.search(folded, max(0, hand.start() - 20), hand.end() + 16) is None:
            continue
        if _FOR_PAY.search(folded) is not None and _KEPT.search(folded) is None:
            yield ("scam", "block", hand.start(), hand.end(), "instruments handed over")
            return


#: anchor group → its anchors (merged into lexicon.ANCHORS through snares) and detector (detectors.BY_GROUP); the
#: names carry the module's prefix, since a group name reused silently replaces another module's detector
ANCHORS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType({
    "scheme_ladder": RUNG_ANCHORS, "scheme_clicks": CLICK_ANCHORS, "scheme_orders": ORDER_ANCHORS,
    "scheme_wager": CHANCE_ANCHORS, "scheme_company": COMPANY_ANCHORS, "scheme_guise": GUISE_ANCHORS,
    "scheme_gift": GIFT_ANCHORS, "scheme_whatever": WHATEVER_ANCHORS + TENURE_ANCHORS + BEGINNER_ANCHORS,
    "scheme_papers": BYPASS_ANCHORS, "scheme_handover": HAND_ANCHORS + RUNNER_ANCHORS, "scheme_bought": BOUGHT_ANCHORS,
    "scheme_promised": (*PROMISED_ANCHORS, "出国", "国外", "海外", "境外", "出境"),
})  # fmt: skip
DETECTORS: Final[Mapping[str, Callable[[str], Iterator[Raw]]]] = MappingProxyType({
    "scheme_ladder": ladders, "scheme_clicks": clicks, "scheme_orders": orders, "scheme_wager": wagers,
    "scheme_company": companions, "scheme_guise": guises, "scheme_gift": gifts, "scheme_whatever": certainties,
    "scheme_papers": papers, "scheme_handover": handovers, "scheme_bought": bought,
    "scheme_promised": promised_work,
})  # fmt: skip
#: a shape whose category a term already found is skipped (detectors.grouped): one scam ruling is enough
DOUBLES: Final[Mapping[str, str]] = MappingProxyType({group: "scam" for group in ANCHORS})
LABELS: Final[frozenset[str]] = frozenset(
    ("task ladder", "paid clicks", "orders refunded", "game pays out", "clients kept company", "title disowned",
     "asset promised", "income whatever", "tenure promised", "income for a beginner", "paper without exam",
     "instruments handed over", "cash carried", "job given for a purchase",
     "work guaranteed for a fee")
)
