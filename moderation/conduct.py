"""Round 23: harassment told by the act, not by an insult word (standard 5.1.3 d; 民法典 §1010; 治安管理处罚法 §42;
妇女权益保障法 §23–25; 个人信息保护法 §10).

Each reader is a construction — who acts on whom, closed classes for its slots, a condition — not a list of lines:

- priced: a body part of the one spoken to appraised (这腰这腿, 你这身材, 脸蛋身段) and, after it, the person's price
  asked or offered (开个价, 给个数, 包月, 什么价位, 哥出两千, 多少钱…约出来) — not a garment's price (价格, 裤, 一件),
  not a model's day rate with no price asked, not a line condemning the askers (举报, 恶心, 别理);
- awaited: the listener's routine or place (你每天, 你几点, 你们宿舍, 你住的…) and, after it, the speaker's presence
  announced (我明天在路口等你, 今晚楼下见, 我亲自上门) — not a warning or a victim's question (提醒, 如果有人, 怎么办),
  not a hiring appointment (带你入职, 报到, 带身份证), not someone else waiting (宿管, 教练, 等大家);
- threatened: a condition on the listener's act (再, 敢, 不把/不结清, 不到账) and harm to the listener's body or
  property after it (把你的车点了, 打断你的腿, 你店门口那块玻璃就别想要了, 让你出门都得小心) — not a lawful step
  (投诉, 仲裁), not a rule of the site (严禁明火), not a report of a threat (有人说要烧, 报警);
- handled: the hiring side's touch in an intimate task — dressing, a fitting, undressing for a check (我帮你穿, 我亲自
  给你量, 我帮你拉链) — or a duty of touching the boss (给老板按摩, 帮老板搓背, 给男主人揉脚); a colleague or nurse doing
  the task, a customer's massage and a patient's care pass; the hiring side only (``EMPLOYER_ONLY``);
- ogled: the speaker's gaze (盯着, 瞄, 看直了, 看她半天, 截了…图) on the listener or a named worker, with a body part or
  arousal beside it (腿, 领口, 屁股真翘, 咽口水) — not another's gaze condemned (有人…猥琐, 房管封他), not the speaker's
  own body (紧张得腿发抖);
- mustered: a crowd called (兄弟们, 大家, 直播间的人都去…) on a person marked by a plate, a name or a place (车牌, 叫…的,
  住…小区, 在…上班) to be confronted (堵他, 收拾他, 去会她, 让她知道厉害) — not a search for a lost person or a thanks,
  not a host calling the police (报警, 别围观);
- silenced: whoever speaks, posts or reports (谁再发…, 哪个敢告…, 谁要是举报…) promised harm (挨顿打, 小心他的腿,
  上门找他, 混不下去, 下一个就是) — not a room rule (移出群聊, 禁言).
The folded text has no punctuation and repeats collapsed (看看 → 看): stretches are counted in characters.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Final

Raw = tuple[str, str, int, int, str]

# a report, a warning, a question or a condemnation of the act (shared by the readers, each adds its own)
_REPORTED: Final = re.compile(
    "有人|有个人|如果有人|要是有人|提醒|报警|举报|违法|犯法|猥琐|恶心|怎么办|咋办|是不是骚扰|骚扰吗|别理|千万别|不要这样|吗$"
)

# ---- priced --------------------------------------------------------------------------------------------------------
_BODY: Final = "腰|腿|胸|屁股|臀|身材|身段|身条|脸蛋|皮肤|小蛮腰|大长腿|美腿|身子|锁骨|脚|嘴唇|奶"
# the person's price asked or offered (开个价格 is a goods price; 价钱 is the worker's own question)
_PRICE: Final = re.compile(
    "(?:开|报|出|给)个(?:价(?!格|钱)|数)|随你开|什么价位|什么价(?!格|钱)|包月|包夜|包(?:你|了)|(?:哥|我|俺|老子)出[0-9一二两三四五六七八九十百千万]"
    "|(?:多少钱|几个钱|[0-9一二两三四五六七八九十百千万]+(?:块|千|万|百))[^|]{0,6}?(?:约|陪|出来|一晚|过夜|睡)"
    "|(?:约|陪|出来|一晚|过夜|睡|出去一趟)[^|]{0,6}?(?:多少钱|几个钱|给你[0-9一二两三四五六七八九十百千万])"
)
_APPRAISED: Final = re.compile(f"(?:这|你这|你的|主播|妹子|小姐|美女)[^|]{{0,3}}?(?:{_BODY})")
_GOODS: Final = re.compile("价格|裤|裙|衣|鞋|款|件|链接|上身|穿上|私教|课|拍摄|日薪|时薪|每小时")


def priced(folded: str) -> Iterator[Raw]:
    """A body part of the listener appraised, then the person's price asked or offered."""
    price = _PRICE.search(folded)
    if price is None:
        return
    body = _APPRAISED.search(folded, max(0, price.start() - 24), price.start() + 2)
    if body is None or _GOODS.search(folded) is not None or _REPORTED.search(folded) is not None:
        return
    yield ("harassment", "block", body.start(), price.end(), "body priced")


# ---- awaited -------------------------------------------------------------------------------------------------------
_ROUTINE: Final = re.compile(
    "(?:你|主播|她)(?:们)?(?:每天|天天|每周|每晚|几点|上下班|下班|下播|出门|晚班|早班|夜班|上课|住的|住在|住哪|宿舍|家在|平时)"
)
_PRESENT: Final = re.compile(
    "(?:我|俺|老子)[^我你|]{0,8}?(?:在|到|去|来|过去)[^我|]{0,8}?(?:等你|等着|候着|守着|堵你|会你|会会你|找你|那儿|那里|那边|见你)"
    "|(?:我|俺|老子)[^我你|]{0,6}?上门|(?:今晚|明天|下次|周末|改天|回头)[^我你|]{0,4}?(?:楼下|门口|路口|厂门口)见"
)
_APPOINTED: Final = re.compile("入职|报到|面试|身份证|签合同|培训|上岗|熟悉环境|领工服|带你去|班车|接你上班|宿管|试工")


def awaited(folded: str) -> Iterator[Raw]:
    """The listener's routine or place told, then the speaker's presence there announced."""
    routine = _ROUTINE.search(folded)
    if routine is None:
        return
    present = _PRESENT.search(folded, routine.end())
    if present is None or present.start() - routine.end() > 40:
        return
    if _APPOINTED.search(folded) is not None or _REPORTED.search(folded) is not None:
        return
    yield ("harassment", "block", routine.start(), present.end(), "presence announced")


# ---- threatened ----------------------------------------------------------------------------------------------------
# a condition on the listener's act against the speaker
_CONDITION: Final = re.compile(
    "再|敢|要是|如果|不(?:把|给|结|还|退|回|发|赔)|不到账|没到账|拖|辞退|开除|拉黑"
)
# harm to the listener's body or property: after a thing of theirs (你的车…点了) or before them (打断你的腿)
_HARM: Final = "点了|烧了|烧掉|一把火|放火|砸了|砸烂|砸碎|被砸|泼油漆|泼粪|扎了|划了|划花|卸了|拆了|掀了|炸了|别想要了|保不住"
_HARMED: Final = re.compile(
    f"你(?:的|那|家|们)?[^|]{{0,10}}?(?:{_HARM})"
    "|(?:打断|弄死|废了|捅|砍|卸|揍|收拾|打残|打折)你(?!电话|手机)|让你[^|]{0,6}?(?:都得小心|得小心|不得安生|不得好过|没好日子|后悔一辈子)"
)
_LAWFUL: Final = re.compile("投诉|仲裁|起诉|劳动局|监察|12345|法院|依法|律师|严禁|负责|火灾|消防")


def threatened(folded: str) -> Iterator[Raw]:
    """A condition on the listener's act, then harm to their body or property."""
    harm = _HARMED.search(folded)
    if harm is None:
        return
    if _CONDITION.search(folded, max(0, harm.start() - 30), harm.start()) is None:
        return
    if _LAWFUL.search(folded) is not None or _REPORTED.search(folded) is not None:
        return
    yield ("harassment", "block", harm.start(), harm.end(), "harm on a condition")


# ---- handled -------------------------------------------------------------------------------------------------------
_HANDS: Final = re.compile(
    "(?:我|俺|老板|哥|经理|主管|店长|老总)[^你|]{0,6}?(?:帮你|给你|替你|上手)[^|]{0,3}?"
    "(?:穿|换|脱|拉|扣|调|贴|量|检查|系|整理|擦|洗|抹)"
)
_INTIMATE: Final = re.compile("衣|服|裤|裙|内衣|胸|尺寸|拉链|扣子|上衣|脱|浴|身子|身体|三围")
_DUTY: Final = re.compile(
    "(?:给|帮|替|陪)(?:老板|男主人|领导|经理|老总|主管|男雇主|店长)[^|]{0,4}?"
    "(?:按摩|搓背|揉脚|洗脚|捶背|捏脚|泡温泉|洗澡|按脚|擦身|暖床|陪睡|揉肩|捏肩)"
)


def handled(folded: str) -> Iterator[Raw]:
    """The hiring side's touch in an intimate task, or a duty of touching the boss."""
    m = _DUTY.search(folded)
    if m is None:
        m = _HANDS.search(folded)
        if m is None or _INTIMATE.search(folded) is None:
            return
    if _REPORTED.search(folded) is not None:
        return
    yield ("harassment", "block", m.start(), m.end(), "intimate touch imposed")


# ---- ogled ---------------------------------------------------------------------------------------------------------
_GAZE: Final = re.compile(
    "盯着|瞄|偷看|偷瞄|直勾勾|看直|看呆|看傻|看得我|全看见|都看见|全看到|截了|站着看|蹲那看|蹲着看|一直看|目不转睛|看入迷|看不够"
    "|看(?:你|她)?(?:半天|一下午|一晚上|好久|一整天)"
)
_SEER: Final = re.compile("我|俺|老子|哥")
_SEEN: Final = re.compile("你|她|妹子|小妹|姑娘|美女|小姐姐|女的|主播")
_ALLURE: Final = re.compile(
    f"(?:{_BODY}|领口|领子|裙|大腿|胸口)(?!发抖|疼|酸|软|受伤)|真翘|好翘|细的|咽口水|流口水|口水|受不了|心痒|馋|绝了"
)


def ogled(folded: str) -> Iterator[Raw]:
    """The speaker's gaze on the listener or a named worker, beside a body part or arousal."""
    for gaze in _GAZE.finditer(folded):
        if _SEER.search(folded, max(0, gaze.start() - 8), gaze.start()) is None:
            continue
        if _SEEN.search(folded, max(0, gaze.start() - 24), gaze.end() + 4) is None:
            continue
        allure = _ALLURE.search(folded, max(0, gaze.start() - 16), gaze.end() + 12)
        if allure is None or folded[max(0, allure.start() - 1) : allure.start()] == "我":
            continue
        if _REPORTED.search(folded) is not None:
            return
        yield ("harassment", "block", min(gaze.start(), allure.start()), max(gaze.end(), allure.end()), "leering told")
        return


# ---- mustered ------------------------------------------------------------------------------------------------------
_CROWD: Final = re.compile(
    "兄弟们|弟兄们|家人们|工友们|老铁们|姐妹们|粉丝们|老乡们|网友们|哥几个|大伙|大家|各位|直播间的人|都来|都去|一起去"
    "|谁碰见|谁看到|谁见到|谁遇到"
)
_MARKED: Final = re.compile(
    "车牌|尾号|叫[^|]{1,4}?的|姓[^|]|住|上班|这张脸|片区|小区|店|厂|工业区|公司|工地|骑手|司机|组长|主管"
)
_CONFRONT: Final = re.compile(
    "(?:收拾|教训|揍|堵|围|拦下|修理|会|整)(?:一下|一顿)?(?:他|她|这人|这货|那人)|往死里|让(?:他|她)(?:知道厉害|好看)"
    "|找(?:他|她)(?:麻烦|算账)|去[^|]{0,4}?问候(?:他|她)|打(?:他|她)(?!电话|手机|的电话)"
)
_HELPED: Final = re.compile("送锦旗|感谢|好评|走失|派出所|别围观|不支持|不要去|别去")


def mustered(folded: str) -> Iterator[Raw]:
    """A crowd called on a person marked by a plate, a name or a place, to confront them."""
    act = _CONFRONT.search(folded)
    if act is None:
        return
    crowd = _CROWD.search(folded, 0, act.start())
    if crowd is None or _MARKED.search(folded) is None:
        return
    if _HELPED.search(folded) is not None or _REPORTED.search(folded) is not None:
        return
    yield ("harassment", "block", crowd.start(), act.end(), "crowd called on a person")


# ---- silenced ------------------------------------------------------------------------------------------------------
_WHOEVER: Final = re.compile(
    "(?:(?:谁|哪个|哪位|哪一个)(?:要是|敢|再|还|在)|(?:你|你们)(?:要是|敢|再)|(?:再|要是|如果)有人)[^|]{0,12}?"  # batch 25
    "(?:发|说|告|举报|投诉|曝光|爆料|带节奏|乱讲|往外|帮(?:他|她)|录|拍|刷屏)"
)
_PROMISED: Final = re.compile(
    "让(?:他|她)(?:好看|后悔|知道厉害|滚|吃不了)|挨(?:顿|一顿)?(?:打|揍)|小心(?:他|她)|(?:他|她)的腿|不客气|上门找"
    "|混不下去|下一个就是|后果自负|等着瞧|走着瞧|收拾(?:他|她)|找(?:他|她)算账|饶不了|没好果子|废了(?:他|她)"
    "|后果自己|看(?:你|他|她)以后"  # batch 25 read: 你要是去劳动局告，后果自己想清楚; …看你以后卖给谁
)

# a threat quoted or refused (举报 is the act threatened here, so the shared clear is not used)
_QUOTED: Final = re.compile("有人说|有人发|别怕|报警|违法|犯法|不要这样|怎么办|咋办|吗$|威胁")


def silenced(folded: str) -> Iterator[Raw]:
    """Whoever speaks, posts or reports promised harm."""
    who = _WHOEVER.search(folded)
    if who is None:
        return
    harm = _PROMISED.search(folded, who.end(), who.end() + 30)
    if harm is None or _QUOTED.search(folded) is not None:
        return
    yield ("harassment", "block", who.start(), harm.end(), "speaking up threatened")


PRICE_ANCHORS: Final = (
    "个价", "个数", "随你开", "价位", "包月", "包夜", "包你", "包了", "多少钱", "几个钱", "出去一趟",
    *("这" + b for b in ("腰", "腿", "身材", "胸", "屁股", "皮肤", "身段", "脸蛋", "小蛮腰", "大长腿")),
)  # fmt: skip
AWAIT_ANCHORS: Final = (
    *(p + r for p in ("你", "主播", "她") for r in ("每天", "天天", "每周", "每晚", "几点", "上下班", "下播", "晚班",
                                                  "早班", "夜班", "上课", "住的", "宿舍", "平时")),
    "你们宿舍",
)  # fmt: skip
HARM_ANCHORS: Final = (
    "点了", "烧了", "烧掉", "一把火", "放火", "砸了", "砸烂", "砸碎", "被砸", "泼油漆", "泼粪", "扎了", "划了", "卸了",
    "别想要了", "保不住", "打断你", "弄死你", "废了你", "捅你", "砍你", "卸你", "得小心", "不得安生", "不得好过",
    "没好日子", "后悔一辈子", "划花", "拆了", "掀了", "炸了", "揍你", "收拾你", "打残你", "打折你",
)  # fmt: skip
HANDLE_ANCHORS: Final = (
    *(a + v for a in ("帮你", "给你", "替你", "上手") for v in ("穿", "换", "脱", "拉", "扣", "调", "贴", "量", "检查", "系")),
    "按摩", "搓背", "揉脚", "洗脚", "捶背", "捏脚", "泡温泉", "暖床", "陪睡", "揉肩", "捏肩",
)  # fmt: skip
GAZE_ANCHORS: Final = (
    "盯着", "瞄", "偷看", "偷瞄", "直勾勾", "看直", "看呆", "看傻", "看得我", "全看见", "都看见", "全看到", "截了",
    "站着看", "蹲那看", "蹲着看", "一直看", "目不转睛", "看入迷", "看不够", "半天", "一下午", "看一晚上", "看她好久", "看你好久",
)  # fmt: skip
MUSTER_ANCHORS: Final = (
    *(v + o for v in ("收拾", "教训", "揍", "堵", "围", "拦下", "修理", "会", "整") for o in ("他", "她")),
    "往死里", "知道厉害", "好看", "找他麻烦", "找她麻烦", "找他算账", "找她算账", "问候",
)  # fmt: skip
SILENCE_ANCHORS: Final = ("谁要是", "谁敢", "谁再", "谁还", "哪个敢", "哪个再", "哪个要是", "哪位敢", "哪位再", "哪一个",
                          "后果自己", "看你以后", "看他以后", "看她以后")  # fmt: skip  # batch 25: the consequence named

ANCHORS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType({
    "priced": PRICE_ANCHORS, "awaited": AWAIT_ANCHORS, "threatened": HARM_ANCHORS, "handled": HANDLE_ANCHORS,
    "ogled": GAZE_ANCHORS, "mustered": MUSTER_ANCHORS, "silenced": SILENCE_ANCHORS,
})  # fmt: skip
DETECTORS: Final[Mapping[str, Callable[[str], Iterator[Raw]]]] = MappingProxyType({
    "priced": priced, "awaited": awaited, "threatened": threatened, "handled": handled, "ogled": ogled,
    "mustered": mustered, "silenced": silenced,
})  # fmt: skip
#: each reader is skipped when harassment is already found (detectors.grouped)
DOUBLES: Final[Mapping[str, str]] = MappingProxyType({g: "harassment" for g in DETECTORS})
#: touch in an intimate task is the hiring side's (a seeker's or viewer's own words are read by the other readers)
EMPLOYER_ONLY: Final[frozenset[str]] = frozenset(("handled",))
LABELS: Final[frozenset[str]] = frozenset((
    "body priced", "presence announced", "harm on a condition", "intimate touch imposed", "leering told",
    "crowd called on a person", "speaking up threatened",
))  # fmt: skip
