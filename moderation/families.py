"""Round 12's family shapes: mechanisms a fresh author used that no term list spells (batch 13, read after its end).

Each is written for the mechanism and its clean neighbours, not for one line:

- A wage deduction for kit (被褥床垫…每人从第一个月工资扣二百四): a fee item with no fee word (就业促进法 §41); not
  meals, rent or social insurance, which are lawful deductions, nor damages (丢了, 坏了).
- Papers kept by a person until a condition (身份证交给线长收着，发了工资再给你): holding ID cards (§41), said
  without 押; not a copy, nor 不要交给.
- A contact handle behind a homophone of 微 (…直招-薇dg8899): diversion in a display name (standard 5.1.3 d).
- A phone number "on my card / in my profile" (打我名片上那个电话), and a number told by its first or last digits
  next to a contact app (微信138开头的那个): diversion by topic.
- A threat to publish a person's papers or photos (把你身份证照片挂到网上): harassment, not diversion.
- A mild insult without an insult word (你们这些人真是笨): held for review.
- Pyramid selling by its steps (交三千六拿货, 带三个人升经理), paid tasks (看视频点赞就能挣钱), border runs paid
  per trip (跑一趟边境，一趟两万), and cards or accounts bought from people (不用的手机卡卖给我): 禁止传销条例 §7,
  刑法 §287-2, §322.
Each runs only when the automaton saw one of its anchors (``ANCHORS``, merged into lexicon.ANCHORS).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Final

Raw = tuple[str, str, int, int, str]


def _every(pattern: re.Pattern[str], category: str, kind: str, label: str) -> Callable[[str], Iterator[Raw]]:
    """A detector that reports every match of one pattern (the families whose match needs no further check)."""

    def detect(folded: str) -> Iterator[Raw]:
        for m in pattern.finditer(folded):
            yield (category, kind, m.start(), m.end(), label)

    return detect


_N: Final = "[0-9一二两三四五六七八九十百千几]"

_KIT: Final = "被褥|床垫|床上用品|被子|棉被|枕头|工服|工衣|工装|制服|保安服|劳保|工鞋|安全帽|头盔|工具|工牌|胸牌|门禁卡|体检|健康证|培训|资料|服装|鞋子|雨衣|餐箱"  # fmt: skip
_WAGE_CUT: Final = re.compile(
    f"(?:{_KIT})[^。！？]{{0,18}}?((?:工资|工钱|薪水|薪资|每人|每个人|一人)(?:里面|里头|里|中|内|的时候|时)?(?:扣除|抵扣|扣))"
)
_NOT_A_CHARGE: Final = re.compile(
    "不|没|无|免|别|勿|丢|坏|损|赔|掉|补办|遗失|伙食|饭|房租|水电|社保|五险|公积金|个税"
)
# the last character before 扣/抵扣 of every form the pattern reads (工资扣, 每人扣, 工资里面扣, 发工资的时候扣): 22 anchors, not
# the 112 spelled-out forms (each anchor is one more automaton entry every message's scan pays for in cache)
WAGE_ANCHORS: Final = tuple(e + c for e in "资钱水人面头里中内候时" for c in ("扣", "抵扣"))


def wage_cut(folded: str) -> Iterator[Raw]:
    """Kit paid for out of the wage: a fee item, so the fee rules read its negation and demand."""
    for m in _WAGE_CUT.finditer(folded):
        if _NOT_A_CHARGE.search(m.group()) is None:
            # the hit is the deduction (its clause holds the amount); taken from the wage, it is charged, as 押+amount
            yield ("fee", "deposit", m.start(1), m.end(1), "kit from the wage")


_PAPERS: Final = "身份证|毕业证|学历证|学位证|户口本|驾驶证|护照"
_KEEPER: Final = "我|线长|组长|班长|拉长|主管|领班|宿管|老板|人事|队长|经理|师傅|中介|工头|包工头|舍管|厂里|公司|我们|财务|门卫"  # fmt: skip
_PAPERS_KEPT: Final = re.compile(
    f"(?:{_PAPERS})(?:原件)?[^。！？]{{0,6}}?(?:交给|给|放在|放到|留在|留给|押在|交到)(?:{_KEEPER})[^。！？]{{0,6}}?"
    "(?:收着|扣着|押着|管着|保管|扣下|留着|放着)?[^。！？]{0,16}?"
    "(?:再给你|再还你|再还|才还|才给你|才给|再退给你|再拿回|再发还|才能拿回|再交还|才退|再退)"
)

# anchored on the giving back (再给你, 才还…): the papers' names fill ordinary lines (身份证带上), and each anchor
# costs a message the C scan's fast path
KEPT_ANCHORS: Final = ("再给你", "再还", "才还", "才给", "再退", "再拿回", "再发还", "才能拿回", "再交还", "才退")


def papers_kept(folded: str) -> Iterator[Raw]:
    """ID papers handed to a person and given back only later: holding them (§41), whoever keeps them."""
    for m in _PAPERS_KEPT.finditer(folded):
        before = folded[max(0, m.start() - 3) : m.start()]
        if "复印" in m.group() or "复印" in before or any(n in before for n in "不别勿"):
            continue
        yield ("fee", "fraud", m.start(), m.end(), "papers kept")


_SOUND_WEI: Final = "薇威维葳嶶崴巍"
_NAME_HANDLE: Final = re.compile(
    f"[{_SOUND_WEI}](?:信|芯|心|星)?([a-z]{{1,10}}[0-9_]{{3,12}}|[0-9]{{6,12}})(?![0-9a-z])"
)
# the pattern's optional 信/芯/心/星 too ("威心jz5520"): an anchor per form the pattern reads, or it never runs on them
NAME_ANCHORS: Final = tuple(w + c for w in _SOUND_WEI for c in "abcdefghijklmnopqrstuvwxyz0123456789信芯心星")


def name_handles(folded: str) -> Iterator[Raw]:
    """A handle right after a homophone of 微 (薇dg8899, 威123456): a contact, as after 微信; not a name, a title and
    a year (小薇hr2024)."""
    for m in _NAME_HANDLE.finditer(folded):
        digits = m.group(1).lstrip("abcdefghijklmnopqrstuvwxyz_")
        if len(digits) == 4 and digits.startswith(("19", "20")):
            continue
        yield ("diversion", "divert", m.start(), m.end(), "homophone+handle")


_WHERE: Final = "名片|主页|简介|头像|签名|个签|资料卡|个人资料|背景图|置顶|橱窗"
_ON_CARD: Final = re.compile(
    f"(?:{_WHERE})(?:上面|里面|上|里|中)?(?:有|留了|留的|写了|写的|挂的|上的|的|那个|那)?(?:我的?|我们的?)?(?:电话|号码|手机号|手机|联系方式|座机|热线)(?!费|卡|套|壳)"
)
_DIGITS_TOLD: Final = re.compile(
    "(?:微信|电话|手机|号码|vx|wx|qq|v信)[^。！？]{0,8}?(1[3-9][0-9]{1,2}(?:开头|打头)|尾号(?:是)?[0-9]{4})"
)
_TAIL_VERIFIED: Final = re.compile("验证码|订单|下单|取件|快递|物流|登录|登不上|挪车|车牌")
CARD_ANCHORS: Final = (
    "名片",
    "主页",
    "简介",
    "头像",
    "签名",
    "个签",
    "资料卡",
    "个人资料",
    "背景图",
    "置顶",
    "橱窗",
    "开头",
    "打头",
    "尾号",
)


_SOMEONE_ELSES: Final = ("主播", "他", "她", "你", "人家", "对方", "老板", "中介")
_SOMEONE_ELSES_OWN: Final = (*_SOMEONE_ELSES, *(w + "的" for w in _SOMEONE_ELSES))


def number_pointers(folded: str) -> Iterator[Raw]:
    """The number is elsewhere: "打我名片上那个电话", "负责人微信138开头的那个，加他"; not someone else's card told
    about ("主播简介里的电话打不通")."""
    for m in _ON_CARD.finditer(folded):
        if folded.endswith(_SOMEONE_ELSES_OWN, 0, m.start()):
            continue
        yield ("diversion", "divert", m.start(), m.end(), "number on the card")
    for m in _DIGITS_TOLD.finditer(folded):
        if m.group(1).startswith("尾号") and _TAIL_VERIFIED.search(folded) is not None:
            continue  # round 24: a tail told to verify an order or a login (我下单的手机尾号0912, 验证码发到尾号8000)
        yield (
            "diversion",
            "divert",
            m.start(1),
            m.end(1),
            "number told by its digits",
        )  # not on the app word: resolved apart


_SENSITIVE: Final = (
    "身份证|住址|家庭住址|家里地址|家庭地址|电话号码|手机号|丑事|聊天记录|欠条|裸照|私照|户口本|家里人|地址|电话|真名"
)
_ORDINARY: Final = "照片|视频|信息|名字|脸|资料|头像"
# round 15: a group or a crowd a few words after the verb (发到老乡群里, 发给所有合作厂, 贴满论坛)
_PUBLISH: Final = ("(?:挂|发|贴|传|放)(?:到|在|给|满)?[^。！？]{0,6}?(?:网上|群里|朋友圈|抖音|快手|微博|厂门口|网络|公屏|直播间|论坛|所有|全厂)"
            "|曝光|公开|人肉|(?:挂|贴)出[去来]")  # fmt: skip
_DOX: Final = re.compile(
    f"(?:把你|将你|你的)(?:的)?[^。！？]{{0,8}}?(?:({_SENSITIVE})|{_ORDINARY})[^。！？]{{0,12}}?(?:{_PUBLISH})"
)
_THREAT_MARK: Final = re.compile("敢|要是|如果|再|信不信|等着|不然|否则|小心|让你|的话")
DOX_ANCHORS: Final = ("网上", "群里", "朋友圈", "曝光", "公开", "人肉", "厂门口", "挂到", "挂在", "挂出去", "贴出去", "挂出来", "贴出来",  # round 14: 挂出去; 15: 挂出来
               "发给所有", "贴满", "全厂")  # fmt: skip


def doxxing(folded: str) -> Iterator[Raw]:
    """A threat to publish someone's papers or photos; ordinary photos only with a threat's condition."""
    for m in _DOX.finditer(folded):
        before = folded[max(0, m.start() - 4) : m.start()]
        if any(n in before for n in ("不会", "不把", "不将", "不要", "不能", "不得", "别", "勿", "禁止", "绝不")):  # not 再不理我就
            continue  # "我们绝不会把你的身份证信息发到网上"
        if m.group(1) is None and _THREAT_MARK.search(folded, 0, m.start()) is None:
            continue  # "把你的作品视频发到抖音上" is a promotion, not a threat
        yield ("harassment", "block", m.start(), m.end(), "doxxing threat")


_DULL: Final = "笨|蠢|懒(?!得)|没用|不中用|废物|猪脑子|死脑筋|没脑子|脑子不好使|木头脑袋"
_MILD: Final = re.compile(
    f"(?<!不是)(?<!别说)(?<!谁说)(?<!没说)你(?:们)?(?:这些人|这帮人|这群人|这种人|这人|几个)?"
    f"(?:真是|真的|真|太|就是|咋这么|怎么这么|这么|那么|是不是|也太|可真)(?:{_DULL})"
    "(?![了啦啊呀吧]{0,2}(?:哈|嘿|嘻|hh|开玩笑|逗你))"  # round 13: teasing laughed off ("你太懒了哈哈": repeats fold to 哈)
)
MILD_ANCHORS: Final = tuple(i + d for i in ("真是", "真的", "真", "太", "就是", "这么", "那么", "是不是", "可真")
                     for d in ("笨", "蠢", "懒", "没用", "不中用", "废物", "猪脑子", "死脑筋", "没脑子", "脑子不好使"))  # fmt: skip


# Calling the listener dull or lazy without an insult word: held for a person to judge.
mild_insults: Final = _every(_MILD, "harassment", "review", "mild insult")


_BUY_IN: Final = re.compile(
    f"(?:交|付|拿|出|花|投)(?:钱|{_N}+(?:元|块|千|万|百)?{_N}*)((?:(?!不|没|别)[^。！？]){{0,4}}?)(?:拿货|进货|囤货|提货)"
)
_HEADS_UP: Final = re.compile(
    f"(?:带|拉|发展|招|推荐|介绍)(?:满|够|进|来)?{_N}+个?(?:(?:人|朋友)[^。！？]{{0,6}}?(?:就|即可|就能|就可以|马上)|"
    "(?:下线|代理|会员)[^。！？]{0,6}?)(?:升|晋升|当|成为|做|升级)(?:为|成)?(?:经理|总监|主任|代理|董事|合伙人|高级|钻石|皇冠|总代|大区)"
)
PYRAMID_ANCHORS: Final = ("拿货", "进货", "囤货", "提货", "升经理", "升总监", "升主任", "当经理", "升代理", "当代理", "升级为",
                   "升董事", "升合伙人", "成为合伙人", "升为", "升高级", "升钻石", "升总代", "当总监", "晋升经理", "晋升为")  # fmt: skip


def pyramid_steps(folded: str) -> Iterator[Raw]:
    """Pay to take stock, or recruit N people to rise a rank: pyramid selling told by its steps."""
    for m in _BUY_IN.finditer(folded):
        if any(n in folded[max(0, m.start() - 3) : m.start()] for n in "不没别"):
            continue  # "我们不用你交钱，也不用你拿货"
        yield ("scam", "block", m.start(), m.end(), "pay for stock")
        yield ("fee", "deposit", m.start(), m.end(), "pay for stock")  # the payment is the demand
    for m in _HEADS_UP.finditer(folded):
        yield ("scam", "block", m.start(), m.end(), "recruits for a rank")


_TASKS: Final = "点赞|看视频|刷视频|看广告|转发|挂机|听歌|答题|刷抖音|看小说|打字|关注|评论|收藏|看直播"
_PAID_TASK: Final = re.compile(
    f"(?:{_TASKS})(?:一下|一个|一次|视频|作品|主播)?(?:((?:(?!学|不|没)[^。！？]){{0,4}}?))"
    "(?:挣钱|赚钱|挣|赚|来钱|拿钱|领钱|有钱拿|返现|提现|佣金|日结|有收益|有收入)"
)
TASK_ANCHORS: Final = (
    "点赞",
    "看视频",
    "刷视频",
    "看广告",
    "转发",
    "挂机",
    "听歌",
    "答题",
    "刷抖音",
    "看小说",
    "打字",
)


# Money for likes, views or ads: the task scam's bait (not 看视频学技术，学会了能赚钱).
paid_tasks: Final = _every(_PAID_TASK, "scam", "block", "paid task")


_BORDER: Final = "边境|边界|过境|出境|过关|过海关|境外|口岸|缅北|缅甸|老挝|柬埔寨|越南那边"
_TRIP_PAY: Final = f"(?:一趟|一次|跑一次|走一次|来回|每趟|每次|每回)(?:就|能|给|赚|挣|有|就给|就有|能赚|能挣)?{_N}+(?:千|万|k|w)"
# round 22: cards carried in bulk to a border (帮公司带二十张手机卡去云南边境): a fraud den's supply line
_COURIER: Final = (
    "(?:带|送|运|寄|捎|背)(?:[0-9]{2,}|[一二两三四五六七八九几]?十[一二三四五六七八九]?|几十|上百|一批|一包|一箱|一沓|一袋|一摞)张?"
    "(?:手机卡|电话卡|银行卡|流量卡|实名卡|sim卡|u盾)[^。！？]{0,10}?(?:" + _BORDER + ")"
)
_BORDER_RUN: Final = re.compile(
    f"(?:{_BORDER})[^。！？]{{0,12}}?{_TRIP_PAY}|{_TRIP_PAY}[^。！？]{{0,12}}?(?:{_BORDER})|{_COURIER}"
)
# not 境外 alone: it fills gambling lines a term already finds, and each anchor costs the C scan's fast path
BORDER_ANCHORS: Final = ("边境", "边界", "过境", "出境", "过关", "口岸", "缅北", "缅甸", "老挝", "柬埔寨")


# A trip across a border paid by the trip (跑一趟边境，一趟两万): smuggling or a fraud den's bait.
border_runs: Final = _every(_BORDER_RUN, "scam", "block", "border run")


_CARDS: Final = "手机卡|电话卡|银行卡|流量卡|实名卡|微信号|支付宝|qq号|对公账户|营业执照|u盾|网银|收款码|电话号|抖音号|快手号"
_CARD_DEAL: Final = re.compile(
    f"(?:{_CARDS})(?!复印|号码|信息|照片)[^。！？]{{0,10}}?(?:卖给我|卖我|卖给咱|出给我|借我用|借给我|租给我|转给我|给我用|我收|我们收|都收|我高价收)"
    f"|(?:{_CARDS})(?!复印|号码|信息|照片)(?:一张|一个|一套|每张|每个){_N}+(?:块|元|百|十)?"
    f"|(?:回收|收购|高价收|求购|大量收|长期收|收你的|收大家的|租你的|借你的)(?:不用的|闲置的|多余的|旧的)?(?:{_CARDS})(?!复印|号码|信息|照片)"
    f"|(?:{_CARDS})(?!复印|号码|信息|照片)[^。！？]{{0,14}}?(?:一张|每张|一个|每个)收(?=[，。！？,!?]|$|有多少|长期|大量)"  # round 14
)
# anchored on the deal, not the card (工资卡用本人的银行卡 is ordinary): a buyer's verb, or a price per card
_CARD_ENDS: Final = ("卡", "号", "码", "照", "户", "宝", "盾", "银")
CARD_DEAL_ANCHORS: Final = (
    *(
        "卖给我",
        "卖我",
        "卖给咱",
        "出给我",
        "借我用",
        "借给我",
        "租给我",
        "转给我",
        "给我用",
        "我们收",
        "高价收",
    ),
    *("回收", "收购", "求购", "大量收", "长期收", "收你的", "收大家的", "租你的", "借你的"),
    *(e + w for e in _CARD_ENDS for w in ("我收", "都收", "一张", "一个", "一套", "每张", "每个")),
    *("一张收", "每张收", "一个收", "每个收"),  # round 14: a price per card before the buyer's verb (两百一张收)
)


# Cards or accounts bought, rented or borrowed from people: the money mule's supply (刑法 §287-2).
card_deals: Final = _every(_CARD_DEAL, "scam", "block", "cards bought")


#: anchor group → its anchors (merged into lexicon.ANCHORS) and detector (merged into detectors.BY_GROUP).
ANCHORS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType({
    "wagecut": WAGE_ANCHORS, "kept": KEPT_ANCHORS,
    "namehandle": NAME_ANCHORS, "oncard": CARD_ANCHORS, "dox": DOX_ANCHORS, "mild": MILD_ANCHORS,
    "pyramid": PYRAMID_ANCHORS, "task": TASK_ANCHORS, "border": BORDER_ANCHORS, "cards": CARD_DEAL_ANCHORS,
})  # fmt: skip
DETECTORS: Final[Mapping[str, Callable[[str], Iterator[Raw]]]] = MappingProxyType({
    "wagecut": wage_cut, "kept": papers_kept, "namehandle": name_handles, "oncard": number_pointers,
    "dox": doxxing, "mild": mild_insults, "pyramid": pyramid_steps, "task": paid_tasks, "border": border_runs,
    "cards": card_deals,
})  # fmt: skip
#: the category that makes a family redundant when a term or an earlier detector already found it (speed); not the
#: diversion families: an app word's hit counts as seen before an app without a contact cue is dropped.
DOUBLES: Final[Mapping[str, str]] = MappingProxyType({
    "wagecut": "fee", "kept": "fee", "dox": "harassment",
    "mild": "harassment", "pyramid": "scam", "task": "scam", "border": "scam", "cards": "scam",
})  # fmt: skip
#: what the family hits are called: cleared, they are thin evidence (moderation/evidence.py), like a far refusal.
LABELS: Final = frozenset(("kit from the wage", "papers kept", "homophone+handle", "number on the card", "number told by its digits",
                    "doxxing threat", "mild insult", "pay for stock", "recruits for a rank", "paid task", "border run",
                    "cards bought"))  # fmt: skip
