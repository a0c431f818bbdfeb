"""Round 15's harassment shapes: menace, exposure and leering that no insult word spells (standard 5.1.3 d).

Written from the harm helper's own lines (docs/measurements/2026-12-06-moderation-round15-harm-lines.tsv), by
mechanism:

- The listener's private sphere known or approached (你住哪栋宿舍我清楚得很, 我有你爸妈的电话, 派两个人上你老家门口拜访你爹娘):
  a "你"+home/family/workplace word with a knowledge claim, an approach under a condition, or a menacing end
  (小心点, 抖出来, 横幅) beside it; not "你们公司" (a firm), not "不会联系你家人".
- The listener's way to and from work claimed as known beside a condition (你敢告…你上下班那条路我可熟; round 21).
- Following and watching (我跟了你三天了, 我就在你后面一节车厢, 蹲你家楼下, 别想躲我).
- Harassing until answered (打到你接为止, 你啥时候理俺啥时候停).
- Flooding the room by repetition (天天来你直播间洗版, 每场开播都贴一遍在公屏上, 给你留一百条), under a condition.
- Body shaming: a body trait with mockery (瘸着腿还来应聘, 黑得跟煤球一样); not said of oneself (我比较胖).
- Sexual innuendo: asking to be shown the body, pet names asked for, a body appraised (胸前挺有料, 越紧越好, 哄你入睡).
- Pillory: someone's number posted with a call against them (电话139…，大家记住他; 大家都去问问他, round 21; 扒到这女主播私人手机…随便打); not a
  fraud warning (骗子, 冒充). 个人信息保护法 §10 (no disclosing others' personal data).
Each runs only when the automaton saw one of its anchors (``ANCHORS``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Final

from moderation.harms import NOT_FLOODING

Raw = tuple[str, str, int, int, str]

# The listener's home, family or workplace, right after 你 (not 你们: a firm; not 你家乡: a hometown talked about).
SPHERES: Final = ("家(?!乡)", "住", "宿舍", "老家", "小区", "窗", "闺女", "女儿", "儿子", "孩子", "娃", "爸", "妈", "爹", "父母",
           "老公", "老婆", "媳妇", "对象", "弟", "妹", "家人", "新东家", "现在的单位", "单位", "公司楼下", "公司前台",
           "几点", "车间", "班组", "工位", "部门", "是哪个(?:车间|班组|部门|工位|产线|线)")  # fmt: skip
_SPHERE: Final = "你(?:" + "|".join(SPHERES) + ")"
_KNOWS: Final = "知道|晓得|清楚|摸清|摸透|查到|查出|找得到|找得着|认出|打听到|有(?=你)"
# someone else's daily route or home the speaker claims to know (她每天坐几路公交回家我都晓得): knowledge alone counts
_SPHERE3: Final = "(?:他|她)(?:每天|几点|住|家(?!乡)|宿舍|老家)"
_ACTOR: Final = "我|俺|找人|派人|叫人|让人|派[一两几二三四五]个人|带人"
_APPROACH: Final = "去|上|到|打给|打电话给|堵|蹲|闹|找|拜访|让"
_OMEN: Final = "小心|抖出|抖落|闹|横幅|拜访|讲道理|麻烦|别干了|别想干|保不住|上楼找你|上门找你"
_WHEREABOUTS: Final = re.compile(
    f"(?:{_SPHERE}|{_SPHERE3}).{{0,14}}?(?:{_ACTOR}).{{0,3}}?(?:{_KNOWS})|(?:{_ACTOR}).{{0,3}}?(?:{_KNOWS}).{{0,4}}?{_SPHERE}"
    f"|{_SPHERE}.{{0,20}}?(?:{_OMEN})|(?:{_ACTOR}).{{0,6}}?(?:{_APPROACH}).{{0,4}}?{_SPHERE}"
)
_CONDITION: Final = re.compile("不|再|敢|要是|如果|的话|信不信|试试|等着|删|拉黑|屏蔽|无视|装死|ignore")
_KIND: Final = re.compile(f"(?:{_KNOWS})|(?:{_OMEN})")
_DENIED: Final = re.compile("不会|绝不|不要|别|不用|不得|禁止")


def whereabouts(folded: str) -> Iterator[Raw]:
    """The listener's home or family known, approached under a condition, or named beside a menace."""
    for m in _WHEREABOUTS.finditer(folded):
        if _DENIED.search(folded, max(0, m.start() - 4), m.start() + 2):
            continue  # "背调不会联系你家人", "我们绝不会去你单位"
        if _KIND.search(folded, m.start(), m.end() + 12) is None and _CONDITION.search(folded, 0, m.start()) is None:
            continue  # "明天我去你公司面试": an approach with no condition is a visit
        yield ("harassment", "block", m.start(), m.end(), "whereabouts menace")


_FOLLOW: Final = re.compile(
    "(?:我|俺).{0,14}?(?:跟了你(?:[0-9一二两三四五六七八九十几好]+)(?:天|晚|路)|一路跟着你|在你(?:后面|身后)|偷看你|偷拍你|看你一会)"
    "|(?:蹲|堵|守)(?:在)?你(?:家|楼下|公司|宿舍|单位|小区|门口)|(?:我|俺).{0,12}?堵你"
    "|(?:别想|休想)躲|躲不掉|你躲得了|iknowwhereyoulive|知道你(?:住哪|住在哪|家在哪)"
    "|别怪我没(?:提醒|警告|说)|(?:有人|找人|叫人)找你麻烦|(?:小心|夜路|回家|晚上).{0,10}?多看(?:后面|身后)"
)
FOLLOW_ANCHORS: Final = ("跟了你", "跟着你", "在你后面", "在你身后", "偷看你", "偷拍你", "看你一会", "蹲你", "堵你", "守你",
                  "别想躲", "休想躲", "躲不掉", "躲得了", "iknowwhereyoulive", "知道你住", "知道你家",
                  "别怪我没", "找你麻烦", "看后面", "看身后")  # fmt: skip


def following(folded: str) -> Iterator[Raw]:
    """Following or lying in wait for the listener ("我跟了你三天了", "天天蹲你家楼下", "别想躲我")."""
    for m in _FOLLOW.finditer(folded):
        if not _DENIED.search(folded, max(0, m.start() - 3), m.start()):
            yield ("harassment", "block", m.start(), m.end(), "following")


# round 21: the listener's daily route or outing claimed as known, with a condition or a warning anywhere in the
# message (你敢告…你上下班那条路我可熟; 你昨天下班去了哪…我都知道，别装没看见); a route known and a lift offered is none
_ROUTE: Final = re.compile(
    "你(?:每天|天天|平时|昨天|前天|晚上)?(?:骑车|开车|坐车|骑电动车|骑电瓶车)?(?:上下班|下班|上班|回家|放学)"
    "(?:走的|的|那条|走哪条)?(?:路|道)?[^|]{0,10}?(?:我|俺)[^|]{0,3}?(?:熟|知道|清楚|晓得|门儿清)"
)
ROUTE_ANCHORS: Final = ("你上下班", "你下班", "你上班", "你回家", "你每天", "你天天", "你平时", "你昨天", "你前天", "你晚上", "你骑",
                 "你开车", "你坐车")  # fmt: skip
_ROUTE_CONDITION: Final = re.compile("敢|要是|如果|的话|信不信|试试|等着|别装|别躲|告|投诉|举报|小心|注意点|装没看见|拉黑|不回")


def route_known(folded: str) -> Iterator[Raw]:
    """The listener's way to and from work claimed as known, beside a condition or a warning."""
    m = _ROUTE.search(folded)
    if m is None or _ROUTE_CONDITION.search(folded) is None:
        return
    if not _DENIED.search(folded, max(0, m.start() - 4), m.start()):
        yield ("harassment", "block", m.start(), m.end(), "whereabouts menace")


_UNTIL: Final = re.compile(
    "(?:刷|发|打|洗|喊|骂|闹|贴|call|轰炸)到你.{0,6}?(?:为止|开口|受不了|崩溃|停播|下播|服软)"
    "|(?:啥时候|什么时候|哪天)(?:理|回|搭理|回复)(?:我|俺)(?:啥时候|什么时候|哪天)(?:停|走|罢休|算完)"
)
UNTIL_ANCHORS: Final = ("为止", "开口", "受不了", "崩溃", "停播", "时候停", "时候走", "时候罢休", "天停")


def until(folded: str) -> Iterator[Raw]:
    """Harassing until answered: "打到你接为止", "你啥时候理俺啥时候停"."""
    for m in _UNTIL.finditer(folded):
        yield ("harassment", "block", m.start(), m.end(), "until answered")


_ROOM: Final = "公屏|弹幕|评论区|直播间|你这儿|你这里"
_SPAM: Final = "刷|发|贴|喊|骂|霸|占|轰炸|洗|闹|留"
_AGAIN: Final = "每场|每一场|(?<![今明昨后前几])天|每天|一直|连着|轮流|一个月|每次|每回|换一个号"
_ROOM_FLOOD: Final = re.compile(
    f"(?:{_AGAIN}).{{0,12}}?(?:{_ROOM}).{{0,6}}?(?:{_SPAM})|(?:{_AGAIN}).{{0,10}}?(?:{_SPAM}).{{0,8}}?(?:{_ROOM})"
    "|(?:留|发|刷)(?:一百|几百|上百|一千|几千)条|(?:霸屏|洗版|洗屏|轰炸你|刷满|贴满|占满)"
)
# a room word right before a spam verb (not 直播间留言 nor 在公屏上问: hosts say them all day, and an anchor costs each
# message holding it the C scan's fast path), or a repeat told before it (贴一遍在公屏上)
ROOM_ANCHORS: Final = (*(r + v for r in _ROOM.split("|") for v in _SPAM.split("|") if v != "留"),
                *(f"遍在{r}" for r in ("公屏", "弹幕", "评论区", "直播间")),
                "一百条", "几百条", "上百条", "一千条", "几千条", "霸屏", "洗版", "洗屏", "轰炸你", "刷满", "贴满", "占满")  # fmt: skip
_NOT_FLOOD: Final = re.compile("|".join((*NOT_FLOODING, "谁在", "房管")))  # harms' room rules and complaints, and a moderator's


def room_floods(folded: str) -> Iterator[Raw]:
    """The room flooded by repetition as a threat ("天天来你直播间洗版", "我一天就在评论区给你留一百条")."""
    for m in _ROOM_FLOOD.finditer(folded):
        if _CONDITION.search(folded) is None:
            continue  # "我每天都来你直播间刷一刷岗位" has no condition: no threat
        if _NOT_FLOOD.search(folded, max(0, m.start() - 6), m.end()) or not re.search("我|俺|叫|找|让|带", folded[: m.end()]):
            continue  # "有人一直在公屏重复发广告", "请大家不要一直在公屏发": a complaint or a room rule
        yield ("harassment", "block", m.start(), m.end(), "room flood")


TRAITS: Final = ("胖", "肥猪", "肥婆", "肥成", "这么肥", "那么肥", "太肥", "肥得", "体重", "矮", "丑", "黑得", "秃", "掉光", "瘸", "聋", "瞎", "痘", "龅牙", "大饼脸", "水桶", "腰粗",
          "一米四", "一米五", "个子", "个头")  # fmt: skip
_MOCK: Final = ("笑死|辣眼睛|吓人|吓死|嫌|还好意思|还来|还敢|还想|添乱|占地方|减个肥|减肥再|像个|看着像|煤球|没法看|恶心|谁愿意"
         "|客人看了|都要跑|扣不上|丢人|磕碜|寒碜|别逗了|也配")  # fmt: skip
_TRAIT: Final = "|".join(TRAITS)
_BODY: Final = re.compile(f"(?:{_TRAIT}).{{0,16}}?(?:{_MOCK})|(?:{_MOCK}).{{0,10}}?(?:{_TRAIT})")
_SELF: Final = re.compile("我|俺|自己|本人")
# round 20: a thing judged, not a body (这个工服也太丑了吧，像个大麻袋): the thing named right before the trait
_THING: Final = re.compile("(?:工服|衣服|制服|工装|鞋|帽|包|配色|颜色|设计|海报|logo|图|字体|宿舍|房子|车|手机|屏幕|包装|头盔|工牌"
                    "|椅子|桌子|界面|封面|背景|款式|布料)[^|]{0,3}$")


def body_shaming(folded: str) -> Iterator[Raw]:
    """A body trait mocked ("瘸着腿还来应聘仓管", "你这体重来干保洁都嫌占地方"); not said of oneself nor of a thing."""
    for m in _BODY.finditer(folded):
        if _SELF.search(folded, max(0, m.start() - 4), m.start() + 1) is None and _THING.search(
            folded, max(0, m.start() - 7), m.start()
        ) is None:
            yield ("harassment", "block", m.start(), m.end(), "body shaming")


_SHOWN: Final = "(?:让|给)(?:我们|我|哥|兄弟们|大家)(?:看|瞧|摸)"
_BODY_WORD: Final = "腰|腿|胸|身材|裙|下面|屁股|紧身|穿|镜头|脱"
_LEER: Final = re.compile(
    f"(?:{_BODY_WORD}).{{0,8}}?{_SHOWN}|{_SHOWN}.{{0,4}}?(?:腰|腿|胸|屁股|身材|下面)|叫(?:一)?声(?:老公|哥|亲爱的|宝贝)"
    "|(?:胸|胸前|屁股|腿|腰|身材|嘴唇).{0,3}?(?:有料|真翘|好翘|性感|带劲|诱人|够味)|看得(?:我)?(?:心痒|上火|流口水)"
    "|勾人|勾引人|越(?:紧|短|透|少|露)越好|哄你(?:入)?睡|陪你睡|暖床|暖被窝"
    "|(?<![透披暴揭显])露(?:一点|点儿|多点)|多露点|不穿(?:外套|衣服|内衣)"  # round 15 (batch 17 read)
)
LEER_ANCHORS: Final = (*(f"{a}{w}{v}" for a in ("让", "给") for w in ("我们", "我", "哥", "兄弟们", "大家") for v in "看瞧摸"),
                "叫声", "叫一声", "有料", "真翘", "好翘", "性感", "带劲", "诱人", "够味", "看得心痒", "看得我心痒", "看得上火",
                "看得流口水", "勾人", "勾引人", "越紧越好", "越短越好", "越透越好", "越少越好", "越露越好", "哄你睡",
                "哄你入睡", "陪你睡", "暖床", "暖被窝", "露一点", "露点儿", "露多点", "多露点", "不穿外套", "不穿衣服",
                "不穿内衣")  # fmt: skip

def leering(folded: str) -> Iterator[Raw]:
    """Sexual innuendo with no insult word: "弯个腰让我们看看呗", "胸前挺有料啊", "越紧越好"."""
    for m in _LEER.finditer(folded):
        if _DENIED.search(folded, max(0, m.start() - 3), m.start()):
            continue
        yield ("harassment", "block", m.start(), m.end(), "innuendo")


PILLORY: Final = ("记住他", "记住她", "记住这个", "避开她", "避开他", "避开", "避雷", "去堵", "随便打", "想骂", "报个信", "扒出", "扒到",
           "人肉", "挂出来", "曝光", "别用他", "别用她", "别要他", "别要她", "别招他", "别招她",
           "吱一声", "谁见过")  # fmt: skip  # round 16: 她卷钱跑了 谁见过她吱一声
_PILLORY: Final = re.compile("|".join(PILLORY))
# round 21: the crowd sent at them (大家都去问问他, folded 问他; 兄弟们打爆她): the crowd named, then an act on him or her
_CROWD_ACTS: Final = ("问候", "问", "打给", "打爆", "轰炸", "呼", "骂", "找", "教育", "招呼")
_CROWD_CALL: Final = re.compile(f"(?:大家|大伙|兄弟们|姐妹们|家人们|各位|老铁们)(?:都|一起)?(?:去|来)?(?:{'|'.join(_CROWD_ACTS)})(?:一下)?(?:他|她)")
CROWD_ANCHORS: Final = tuple(a + p for a in _CROWD_ACTS for p in ("他", "她", "一下他", "一下她"))
_NUMBER: Final = re.compile("[0-9]{7,}")
_FRAUD: Final = re.compile("骗子|冒充|诈骗|假冒|骗钱|不是我们")


def pillory(folded: str) -> Iterator[Raw]:
    """Someone's number posted with a call against them: personal data turned into harassment (个人信息保护法 §10)."""
    m = _PILLORY.search(folded) or _CROWD_CALL.search(folded)
    if m is not None and _NUMBER.search(folded) is not None and _FRAUD.search(folded) is None:
        yield ("harassment", "block", m.start(), m.end(), "pillory")


WHEREABOUTS_ANCHORS: Final = (*("你" + s.split("(")[0] for s in SPHERES), *(p + s for p in "他她" for s in ("每天", "几点", "住", "家", "宿舍", "老家")))

#: anchor group → anchors (merged into lexicon.ANCHORS) and detector (merged into detectors.BY_GROUP).
ANCHORS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType({
    "whereabouts": WHEREABOUTS_ANCHORS, "follow": FOLLOW_ANCHORS, "until": UNTIL_ANCHORS, "roomflood": ROOM_ANCHORS,
    "body": TRAITS, "leer": LEER_ANCHORS, "pillory": (*PILLORY, *CROWD_ANCHORS), "route": ROUTE_ANCHORS,
})  # fmt: skip
DETECTORS: Final[Mapping[str, Callable[[str], Iterator[Raw]]]] = MappingProxyType({
    "whereabouts": whereabouts, "follow": following, "until": until, "roomflood": room_floods,
    "body": body_shaming, "leer": leering, "pillory": pillory, "route": route_known,
})  # fmt: skip
LABELS: Final = frozenset(("whereabouts menace", "following", "until answered", "room flood", "body shaming", "innuendo",
                    "pillory"))  # fmt: skip
