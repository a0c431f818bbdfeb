"""Round 13: ordinary speech that a term or shape misreads, found by running ~500 hand-written clean lines.

Each function answers one mechanism, not one sentence; :mod:`moderation.policy` calls them (it is at its size
limit, so the clause helpers it shares with the engine live here too):

- a term read across a word boundary: 加我 in 参加我们, 私我 in 隐私我们, 0元学 in 时薪20元学生;
- the platform's own features: 站内私信我, 加我们直播间的粉丝团, a question posted to the public chat (发公屏) with
  no contact named before it;
- a job the law closes to women (女职工劳动保护特别规定, 附录 1: 矿山井下作业) named before a men-only limit;
- those who charge described as a kind ("要你交八千学费的那是培训机构"), the payer named by its kind (园方承担);
- a job seeker's own resume describing the writer (本人男，32岁; 已婚已育);
- a seeker telling where something happened to them ("我之前在别的平台被收了300押金");
- the worker's own bank card for the wage (工资卡要用本人名下的银行卡);
- the statutory minimum working age refused (不招十六岁以下的童工: 禁止使用童工规定 §2);
- a precaution before paying anyone (交钱之前先查资质, 付款前一定要核实).

Round 13, a second writer (banks, 社区, canteens, scenic spots, funeral and pet services; dialects):

- a refusal right before the fee ("来了包吃包住不要押金", "不是交钱学技术"), not one that is the condition of it;
- those who charge called another kind with 那是 ("交钱学技术那是培训学校");
- someone else named as the collector, disowned ("你的押金是房东收的，跟我们厂没关系，我们不收");
- a fee named, not asked for, and the next clause calling it unlawful ("…中介费有上限，五万那种是黑中介");
- a courtesy, not a hiring preference ("女士优先上车").
"""

from __future__ import annotations

import re
from typing import Final

from moderation.alternation import compile_words as _any
from moderation.normalize import Folded
from moderation.wording import CONTACT_AFTER, CONTACT_BEFORE

# A term's first character closing a word before it: 参加我们 (not 加我), 隐私我们 (not 私我). Not 添加 (添加我微信).
_WORD_BEFORE: Final = {"加": frozenset("参增更追附外叠施"), "私": frozenset("隐自无公走家")}
_MISREAD_FIRST: Final = "加私0123456789"
# The platform named right before a private message on it ("站内私信我", "直播间私信我就行").
_ON_PLATFORM_BEFORE: Final = re.compile(
    "(?:站内|平台内|平台上|在平台|本平台|平台的|直播间里?|app内|app里)(?:给我|跟我|和我)?$"
)
# round 14: the listener asked to answer (or scolded for not answering) a private message on the platform
_ANSWER_DM: Final = re.compile("(?:回|回复|不回|没回)(?:一下)?(?:我的?)?$")
# The live room's own club and controls right after 加我们 ("加我们直播间的粉丝团").
_ROOM_AFTER: Final = re.compile(
    "(?:们)?(?:的)?(?:直播间|粉丝团|灯牌|粉丝灯牌)(?!的?(?:粉丝)?群)"
)  # not 直播间粉丝群
# A payment or a cashier's job named before 扫码 ("停车场收费员现在基本是扫码了", "结账的时候扫码就行").
_PAYING: Final = re.compile("收费|付款|付钱|支付|缴费|结账|买单|收银|停车费|车费|饭钱")
_JOINS: Final = re.compile("[^|，。]{0,3}?(?:进|入|加|关注|联系|添加|拉|领)")  # not "付款后扫码进群"
# A contact posted to the public chat: what is posted must be one ("电话号码发公屏", "手机尾号打在公屏").
# 号 not after 工单学编房, its lookbehind written after the 号 (round 21 speed): a branch that starts with a lookbehind keeps
# ``re`` from skipping to the first characters; (?<![…]号) after 号 tests the same character before it (none at 0).
_CONTACT_NOUN: Final = re.compile("电话|号码|手机|尾号|联系方式|微信|vx|wx|qq|号(?<![工单学编房]号)|地址|二维码")
# 矿山井下作业 is closed to women by law; the job must be named within a few characters before the limit.
_CLOSED_TO_WOMEN: Final = re.compile("井下|下井|矿井")
# "要你交八千学费的那是培训机构": those who charge, described as a kind (not "要你交两百押金的是我们人事").
_KIND: Final = "(?:要你|让你|叫你|找你|跟你)(?:先)?(?:交|缴|付|出|掏)[^|]{0,10}?的(?:那|这|都|就|全|一律|统统){0,2}(?:不是|不算|是|叫|属于)(?!我们|公司|人事|本|咱)"
# The employer named by its kind pays ("体检费园方承担", "培训费院方全额承担"): read only when the clause is not
# already cleared (a table of every payer and verb in wording.FEE_NEGATION cost every fee clause a longer scan).
_PAYER: Final = "(?:园方|院方|校方|店里|店方|单位|医院|学校|酒店|厂方|项目部)(?:全额)?(?:承担|报销|负责|买单|出钱|来出|给报)"
_PAYER_VERBS: Final = ("承担", "报销", "负责", "买单", "出钱", "来出", "给报")
# A precaution before paying anyone: "交钱之前先查资质", "付款前一定要核实" (not "交钱之前先填个表", nor a look at
# what the speaker sells: "交钱之前先看一下我们的课程").
_CHECK_FIRST: Final = (
    "(?:交|付|缴|转|打)(?:钱|费|款|账)(?:之前|以前|前)(?:一定|务必|最好|千万)?(?:要|得)?先?(?:"
    "(?:核实|核对|核查|查证)|(?:查|看|问|确认|看清|问清|查清|查看)(?:清楚)?(?:一下)?(?:对方|公司|资质|执照|营业执照"
    "|合同|真假|是否正规|有没有资质|劳务资质|经营资格|备案))"
)
# Round 13b: "交钱学技术那是培训学校" — the distal 那是 sets those who charge apart (not "那是我们的培训学校").
_KIND_THAT: Final = "(?:交|缴|付|掏)[^|]{0,8}?的?那(?:是|叫|属于|都是)(?!我们|咱|公司|本)[^|]{0,4}?(?:培训|骗|诈|传销|中介|黑|技校|职校|学校|驾校)"
_CLEARED: Final = re.compile(f"{_KIND}|{_KIND_THAT}|{_PAYER}|{_CHECK_FIRST}")  # one scan: each regex call costs the clause a pass
# A seeker telling what happened, and where: "我之前在别的平台被收了300押金".
_TOLD: Final = re.compile(
    "(?:之前|以前|上次|去年|前年|原来|之前在|有次)[^|]*?(?:被|让我|叫我|要我|交了|交过|收了|骗了)"
)
# The worker's own card for the wage ("工资卡需要本人名下的银行卡"), not one bought, rented or lent.
_OWN: Final = re.compile("(?:本人|自己|你自己|员工本人|员工自己)$")
_CARD_TRADE: Final = re.compile("收|买|租|借|卖|回收|出售|高价|一张")
# Refusing workers under the statutory minimum age (禁止使用童工规定 §2: under 16).
# round 22: minors too (未成年人不招, 十八岁以下不收): the law bars them from mines, heights and toxic work
# (劳动法 §64, 未成年工特殊保护规定 §3), and no employer must take a minor
_MINOR: Final = "童工|未成年|(?:十六|16|十八|18)周?岁以下|未满(?:十六|16|十八|18)|不满(?:十六|16|十八|18)"
_CHILD_LABOUR_REFUSED: Final = re.compile(
    f"(?:不招|不收|不要|不用|不雇|禁止|严禁|不得|不能)[^|]{{0,8}}?(?:{_MINOR})"
    # round 21: the age first (不满16周岁的我们不能招)
    f"|(?:{_MINOR})[^|]{{0,10}}?(?:不招|不收|不要|不用|不雇|不能|不得)"
)
# Paid back in a later clause: "体检费三百五，入职后随第一个月工资报销" (not 不报销; not a deposit: 押金…干满三个月退);
# round 22: an advance repaid against the receipt (先垫上，拿发票找财务，七天内原数给你). Read by the policy.
REIMBURSED: Final = _any(("报销", "公司承担", "公司出", "公司报", "厂里报", "厂里出", "公司全额", "实报实销", "我们出", "我们承担",
                          "原数给你", "原数还你", "找财务报", "凭发票报", "拿发票找财务"), "不没无")  # fmt: skip
_CONTACT_BEFORE_RE: Final = _any(CONTACT_BEFORE)
_CONTACT_AFTER_RE: Final = _any(CONTACT_AFTER)
_CONTACT_FAR_RE: Final = re.compile(
    "搜|都加|加一下|加我|有群|有我们的群|招聘号"
)  # not 找我, 私信我: on-platform talk


def misread(folded: str, start: int, term: str) -> bool:
    """The term's first character belongs to the word before it, or its leading 0 to a longer number."""
    if start == 0 or not term or term[0] not in _MISREAD_FIRST:  # most hits: one membership test
        return False
    before = folded[start - 1]
    if term[0].isdigit():
        return before.isdigit()  # 时薪20元学生: no 0元学
    closers = _WORD_BEFORE.get(term[0])
    return closers is not None and before in closers


_LEAVE_REFUSED: Final = ("不", "别", "不要", "不能", "不准", "不许", "禁止", "请勿", "严禁", "不可以", "不用", "不必")
# What makes a refusal the condition of a demand: "不要押金不行", "不留电话的不给安排".
_CONDITION: Final = "不行|不能|不让|没法|无法|别想|不可以|不给"
_LEAVE_CONDITION: Final = re.compile(f"[^|]{{0,4}}?(?:的(?:不|别|没|免)|{_CONDITION}|就不)")


# Round 24: apps named by a doubled character fold to one (球球 → 球, 钉钉 → 钉): a single one is a ball or a nail
_DOUBLED_APPS: Final = frozenset("球钉陌探脉")
_APP_USED: Final = ("上找", "上联系", "上加", "上私", "上聊", "上搜", "里找", "号")


def not_a_contact(view: Folded, start: int, end: int, term: str) -> bool:
    """A diversion term misread across a word, a private message on the platform, the room's own club, a post to
    the public chat naming no contact, leaving a contact refused ("不留手机号"), or a doubled app name met single (its
    original span in ``view``; another's approach reported is :mod:`moderation.disowned`'s)."""
    folded = view.text
    if misread(folded, start, term):
        return True
    single = end - start == 1 and term in _DOUBLED_APPS and view.ends[start] - view.starts[start] < 2
    if single and not folded.startswith(_APP_USED, end):
        return True  # round 24: 球进了, 钉了个钉 (the apps are 球球, 钉钉); not 钉上找我
    if "私" in term and (_ON_PLATFORM_BEFORE.search(folded, max(0, start - 7), start) or _ANSWER_DM.search(folded, max(0, start - 4), start)):
        return True  # round 14: "你不回我私信", "看到了回我一下私信": answering a private message on the platform
    if term.startswith("加我") and _ROOM_AFTER.match(folded, end) is not None:
        return True
    if term.startswith("留") and (before := folded[max(0, start - 3) : start]).endswith(_LEAVE_REFUSED):
        # round 13, batch 15 read: a rule told, "这边规矩是不留手机号的"; not "留不留", nor "不留电话的不要"
        return not before.endswith("留不") and _LEAVE_CONDITION.match(folded, end) is None
    if term == "扫码" and _PAYING.search(folded, max(0, start - 12), start) and not _JOINS.match(folded, end):
        return True  # round 13b: "停车场收费员现在基本是扫码了": paying by a code, no contact
    return "公屏" in term and _CONTACT_NOUN.search(folded, max(0, start - 10), start) is None


# round 14: another job listed with the mine's (井下、机修、调度都只要男的; 下井的和地面选煤的): the limit is not the law's
_ANOTHER_JOB: Final = re.compile("[、，,/和跟与及]|还有|以及|地面|地上|井上|办公|文员|后勤|食堂|仓管|会计|化验")


def closed_to_women(folded: Folded, start: int) -> bool:
    """A men-only limit right after a job the law closes to women ("煤矿井下岗位只招男的", "井下掘进工：限男性";
    not "井下岗位招满了，地面文员只招男的", nor a list of jobs: "井下、机修、调度都只要男的")."""
    # round 14: 16 characters back ("井下采煤岗按国家规定只招男性"); a comma or another job between still ends it
    mine = _CLOSED_TO_WOMEN.search(folded.text, max(0, start - 16), start)
    if mine is None:
        return False
    between = folded.original[folded.starts[mine.end()] : folded.starts[start]] if start < len(folded.starts) else ""
    return _ANOTHER_JOB.search(between) is None


def fee_cleared(clause: str) -> bool:
    """The clause describes those who charge as a kind ("要你交八千学费的那是培训机构"), names the employer by its
    kind as the payer ("体检费园方承担") or tells a precaution before paying ("交钱之前先查资质")."""
    if "你" not in clause and "前" not in clause and "那" not in clause and not any(v in clause for v in _PAYER_VERBS):
        return False  # most fee clauses: no regex call
    return _CLEARED.search(clause) is not None


def told_past(clause: str) -> bool:
    """A seeker's clause telling something that happened to them."""
    return _TOLD.search(clause) is not None


def own_card(folded: str, start: int, clause: str) -> bool:
    """The worker's own bank card named for the wage: "工资卡要用自己名下的银行卡" (not "收购本人名下的银行卡")."""
    return _OWN.search(folded, max(0, start - 5), start) is not None and _CARD_TRADE.search(clause) is None


def child_labour_refused(folded: str) -> bool:
    """The message refuses workers under the legal minimum age: the learned stage's age n-grams do not count."""
    return _CHILD_LABOUR_REFUSED.search(folded) is not None


def a_not_a(clause: str) -> bool:
    """The A-not-A question form: 招不招, 收不收, 能不能."""
    i = clause.find("不", 1)
    while 0 < i < len(clause) - 1:
        if clause[i - 1] == clause[i + 1]:
            return True
        i = clause.find("不", i + 1)
    return False


def contact_cue(folded: str, start: int, end: int) -> bool:
    """A contact app next to an add/contact verb: 加微信, 微信号, 绿泡泡找我, 抖音上搜我."""
    if folded.startswith(("上", "里"), end):
        end += 1  # 抖音上搜我名字, 微信里联系
    elif folded.startswith(("下面", "底下"), end):
        end += 2  # 微博下面留言
    return (
        _CONTACT_BEFORE_RE.search(folded, max(0, start - 6), start) is not None
        or _CONTACT_AFTER_RE.match(folded, end) is not None
        or (
            end - start > 1 and _CONTACT_FAR_RE.search(folded, end, end + 14) is not None
        )  # round 11: 企业微信里…都加一下
    )


# Round 13b: a refusal right before the fee ("不要押金", "不是交钱学技术", "不要任何费用"), unless the fee is then
# made the condition ("不要押金不行" is no refusal).
_REFUSALS: Final = ("不要", "不是", "不用", "不需要", "无需", "不收", "不用交", "不要交", "不要求", "不会让", "不会要求")  # round 17: 不要求主播自己掏钱
# round 13, batch 15 read: who would be asked, or the kind, between them ("不是叫你们交钱", "不是那种交钱学技术的")
_FILLERS: Final = ("任何", "什么", "一分", "那种", "这种", "叫你们", "叫你", "让你们", "让你", "要你们", "要你", "叫大家", "让大家",
            "主播", "员工", "学员", "新人", "求职者", "大家", "自己")  # round 17: the person between (不要求主播自己掏钱买样品)
_CONDITION_AFTER: Final = re.compile(f"[^|]{{0,3}}?(?:{_CONDITION})")


def fee_refused_before(folded: str, start: int, end: int) -> bool:
    """The words right before a fee refuse it: "来了包吃包住不要押金", "不是交钱学技术"."""
    before = folded[max(0, start - 7) : start]  # endswith, not a regex: this runs before every fee hit
    if "不" not in before and "无" not in before:
        return False  # every refusal holds one: most fee hits stop here
    for _ in range(2):  # round 17: the person, then 自己 (不要求主播自己掏钱买样品)
        if before.endswith(_FILLERS):
            before = before[: -next(len(f) for f in _FILLERS if before.endswith(f))]
    if not before.endswith(_REFUSALS):
        return False
    for word in _REFUSALS:  # not the A-not-A question: 要不要押金, 是不是交钱, 需不需要, 用不用交
        if before.endswith(word):
            n = len(word)
            if word[0] == "不" and len(before) > n and before[-n - 1] == word[1]:
                return False
    return _CONDITION_AFTER.match(folded, end) is None


# Someone else named as the one who collects ("押金是房东收的"), the employer disowning it in the message.
_OTHER_COLLECTS: Final = re.compile(
    "(?:是|由|归|给)(?:房东|中介|物业|驾校|培训机构|第三方|骗子|外面的人|别人)(?:收|收取|代收|拿)"
)
_DISOWNED: Final = re.compile("没关系|无关|没有关系|不是我们|我们不收|我们不要|我们从来不|公司不收|厂里不收")


def other_collects(folded: str, clause: str) -> bool:
    """The fee's clause names another collector and the message disowns it: "你的押金是房东收的，跟我们厂没关系"."""
    return _OTHER_COLLECTS.search(clause) is not None and _DISOWNED.search(folded) is not None


# A fee called unlawful in the next clause ("国家规定中介费有上限，五万那种大概率是黑中介"); not 不违法. Lead, at the
# merge: or a rumour, when someone else said it or it was not demanded ("有人说我们收押金，那是同行造谣"; not 不是造谣).
_CALLED_UNLAWFUL: Final = _any(("黑中介", "违法", "犯法", "不合法", "是诈骗", "是骗局", "骗子", "骗人", "电诈",
                         "造谣", "谣言", "谣传", "污蔑", "抹黑", "假消息"), "不没无")  # fmt: skip


def called_unlawful(folded: str, start: int, end: int) -> bool:
    """The clause from start to end calls what it names unlawful, a fraud or a rumour."""
    return _CALLED_UNLAWFUL.search(folded, start, end) is not None


# 女士优先 as a courtesy: a movement or a seat comes right after it ("女士优先上车", "女士优先入场"), not a job.
_COURTESY_AFTER: Final = re.compile("(?:先)?(?:上车|下车|上船|登机|入场|进场|进门|进电梯|出电梯|就座|入座|落座|坐|用餐|点餐|取餐|排队|通行|选座|拍照|合影)")


def courtesy(folded: str, end: int) -> bool:
    """A ladies-first courtesy ("女士优先上车，排队有序"), not a hiring preference ("女士优先，男的别投")."""
    return _COURTESY_AFTER.match(folded, end) is not None


# Round 14, batch 15 read: a scheme described inside its refusal ("不是那种交钱学技术包分配的培训班", "不搞收费包分配那一套"):
# the refusal opens a description and the description closes on the kind refused, within the clause.
_DESCRIBED_OPEN: Final = re.compile("(?:不是|并非|非|不做|不搞|不干|不属于|不像)(?:那种|那些|这种|这些|什么|所谓的?|一般的?)?")
_DESCRIBED_CLOSE: Final = re.compile(
    "(?:[^|]){0,8}?(?:的?(?:培训班|培训|中介|黑中介|机构|学校|公司|骗子|群|速成班|平台|项目|坑|骗局|单位|套路)|的班|那一?套)"
)


DESCRIBED_REACH: Final = 14  # how far before the hit a refusal may open its description
# Round 20: a list refused as a whole ("不涉及陪唱陪酒", "不涉及任何充值和下注"), or stock the worker need not buy
# ("不用自己囤货"): the refusal reaches the second item of its list, not past five characters
_LIST_REFUSED: Final = re.compile("(?:不涉及|不涉|不碰|不接)(?:任何|什么)?[^|]{0,5}$|不用自己$")


def refusal_within_reach(folded: str, start: int) -> bool:
    """:func:`described_refused`'s first test before the clause is known: a 不 or 非 within reach of the hit."""
    before = folded[max(0, start - DESCRIBED_REACH) : start]
    return "不" in before or "非" in before


def described_refused(folded: str, start: int, end: int, clause_start: int, clause_end: int) -> bool:
    """The hit lies in a description the clause refuses: "不是那种先交钱再包分配的中介"; not "我们不是那种小作坊，学完包分配"
    (the description ended at the comma) nor "不是吹，交钱学完包分配到大厂" (nothing closes it)."""
    lo = max(clause_start, start - DESCRIBED_REACH)
    before = folded[lo:start]
    if "不" not in before and "非" not in before:  # most fee and scam hits: no regex call
        return False
    if _LIST_REFUSED.search(folded, max(lo, start - 10), start) is not None:
        return True
    return _DESCRIBED_OPEN.search(folded, lo, start) is not None and _DESCRIBED_CLOSE.match(folded, end, clause_end) is not None


# Members' top-ups named as the job's duty ("负责会员充值问题解答", "处理玩家充值和提款"): someone else pays someone else.
_PAYERS: Final = re.compile("(?:会员|玩家|用户|买家|客户|顾客|话费)(?:卡)?(?:[^|]){0,3}$")
_DUTY_AFTER: Final = ("客服", "专员", "审核", "对接", "引导", "问题", "咨询", "业务", "和售后", "和提款", "和提现", "退款")
_AMOUNT_AFTER: Final = re.compile("[0-9一二两三四五六七八九十百千]")  # "会员充值两百才能接单" is the seeker paying


def members_pay(folded: str, start: int, end: int, term: str) -> bool:
    """A top-up word whose payers are the job's customers, or named as a duty ("充值客服")."""
    if term != "充值" or _AMOUNT_AFTER.match(folded, end) is not None:
        return False
    return folded.startswith(_DUTY_AFTER, end) or _PAYERS.search(folded, max(0, start - 8), start) is not None


# A seeker's telling that ends in an offer to bring others ("我朋友在夜场坐台…谁想去我给你推荐"): passing it on.
_OFFER: Final = re.compile("我帮你|我带你|我给你(?:们)?(?:推荐|介绍|问)|我拉你|找我|私我|跟我说|联系我|我介绍|我帮大家|带你们|扣1"
                    "|(?:介绍|拉|带)[一二两三四五六七八九十0-9]+个(?:朋友|人)(?:进来)?(?:返|奖|给你)")  # round 15: pay per recruit


def offers(folded: str) -> bool:
    """The message offers to bring the reader in."""
    return _OFFER.search(folded) is not None


# An insult to one's own head said by the speaker ("我脑子进水了才会去那个黑厂", "感觉我在这行混不下去了").
_SELF_BEFORE: Final = re.compile("(?:我|俺)(?!们)(?:[^你他她|]){0,6}$")


_ILLNESS_BEFORE: Final = re.compile("甲状腺|心脏|肝|肺|肾|胃|腰|颈椎|腿|眼睛|耳朵|牙|皮肤|血压|身体|关节")


def self_said(folded: str, start: int, term: str) -> bool:
    """A brain or career idiom the speaker says of themself (not "我让你在这行混不下去")."""
    if term == "有毛病" and _ILLNESS_BEFORE.search(folded, max(0, start - 4), start) is not None:
        return True  # batch 26: 我以前甲状腺有毛病 (an illness, not an insult)
    if "脑" not in term and "混" not in term:
        return False
    return _SELF_BEFORE.search(folded, max(0, start - 8), start) is not None


# Moved from moderation.policy in round 14 (its size limit): a pitch asked as a question ("有想赚外快的吗 我这有个投资平台":
# the asking is the recruiting; round 14: 有没有想挣快钱的小姐妹, 谁想去我给你推荐), and an ID-shaped order number.
_PITCH_ASK: Final = re.compile("(?:有没有|有|谁)(?:想|要)(?:赚|挣|做|干|找|来|去)[^|]{0,8}?(?:的吗|的嘛|的么|的没|的不|的扣"
                        "|的(?:妹子|姐妹|小姐妹|兄弟|老铁|宝妈|美女|小姐姐))|谁(?:想|要)(?:去|来|做|干)的?(?:[^|]){0,2}?(?:我|找我|私我)"
                        "|有多少(?:要|收)多少|(?:有没有|谁)[^|]{0,3}?(?:想|要)(?:做|干|在家|赚|挣)[^|]{1,8}?的(?=.)"
                        "|(?:有没有|谁)[^|]{0,3}?想[^|]{0,3}?(?:赚|挣)(?:个|点|些)?(?:零花钱|外快|快钱|生活费)"
                        "|谁(?:有|手上有|家有)[^|]{0,16}?(?:高价收|收购|我来?收|我这边?收)")  # round 20: earn pocket money, a buyer  # round 15: 有没有想做菠菜推广的，拉人注册…  # round 14; a buyer's "有多少要多少" asks nothing (batch 16 read)
_ORDER_RE: Final = re.compile("(?:订单|单号|运单|快递|物流|流水|编号|工号|批号|条码|序列号|票号|卡号|账单)(?:号|号码)?(?:是|为)?$")


def pitched(folded: str) -> bool:
    """A pitch asked as a question; searched only once a question is seen."""
    return _PITCH_ASK.search(folded) is not None


def order_number(folded: str, start: int) -> bool:
    """The number is named as an order, waybill or serial number just before it."""
    return _ORDER_RE.search(folded, max(0, start - 6), start) is not None
