"""Round 22: harassment by mockery, exposure threats and pretexts for contact (standard 5.1.3 d; 民法典 §1010;
治安管理处罚法 §42).

Each shape is read as a construction with open slots, not as a list of phrases:

- mockery: a trait of the one spoken to (speech, looks, body, origin or home region) and a jeer beside it
  (laughter, 土/丑/难听, a simile, a jeering consequence: 镜头都装不下, 照照镜子), with the listener named
  (你, 主播, 楼上…) — not said of oneself (我普通话不好), not praise (河南话听着亲切; 像个明星), not condemned
  (别笑话人家);
- exposure: a place or group of the listener's life (家长群, 你们村, 车间主任, 你现在的单位…), something about them
  to be shown or told there (截图, 录音, 你的事, 说你…) by the speaker or for all to see, and a condition or a
  demand (不…就, 再…, 要是) — not a warning quoting it (有人威胁…报警), not a job post naming a school;
- pretext: body contact offered by the speaker to the listener (我给你按按肩膀, 让我抱一下, 坐我腿上) within a
  hiring frame (面试, 工服, 试镜…) or a private setting, or an invitation to the speaker's private room with the
  privacy stressed (只有我一个人, 就咱俩) — not a job that massages customers, not a colleague measuring a uniform,
  not a warning; the hiring side only (``EMPLOYER_ONLY``).
The folded text has no punctuation and repeats collapsed (讲讲 → 讲): stretches are counted in characters.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Final

from moderation.grounds import PROVINCES

Raw = tuple[str, str, int, int, str]

# ---- mockery ------------------------------------------------------------------------------------------------------
_REGIONS: Final = "|".join(
    (
        *PROVINCES,
        "东北",
        "河南",
        "甘肃",
        "贵州",
        "广西",
        "新疆",
        "西藏",
        "温州",
        "闽南",
        "客家",
        "上海",
        "广东",
    )
)
_TRAIT: Final = re.compile(
    f"口音|腔|普通话|方言|土话|乡音|调调|嗓门|嗓子|{_REGIONS}"
    "|脸|鼻子|鼻梁|牙|眼睛|嘴|头发|发型|皮肤|肤色|个子|个头|矮|身材|身板|腿|腰|胖|长得|长相|模样|样子|五官|额头|脖子"
    "|身高|一米[0-9一二三四五六七八九]|黑成|黑得|土样"
    "|山里|大山|山沟|乡下|村里|农村|农民|进城|小地方|县城"
)
# the jeer: laughter, scorn, a simile, a jeering consequence
JEERS: Final = ("笑死", "笑翻", "笑得", "笑喷", "笑掉", "笑尿", "笑抽", "直乐", "乐死", "乐得", "乐坏", "好笑", "可笑", "搞笑",
         "土得", "土样", "土气", "土味", "土包子", "掉渣", "冒烟", "难听", "刺耳", "听着就烦", "听着难受", "磕碜",
         "寒碜", "辣眼", "丑得", "丑死", "真丑", "好丑", "太丑", "难看", "像个", "活像", "像只", "像头", "像根", "像坨",
         "似的", "一样", "成这样", "成那样", "装不下", "绕着走", "逗谁呢", "逗我呢", "照镜子吧", "照镜子去", "照镜子再",
         "丢脸", "别凑近", "回去练", "播去吧", "待着去吧", "种地去吧", "还以为是小孩", "吓跑", "吓哭", "没法看")  # fmt: skip
_JEER: Final = re.compile("|".join(JEERS))
# a simile needs its comparison word and a looks or speech trait (你们山东的工资跟我们一样吗 compares no person)
_SIMILE: Final = re.compile("(?:跟|像|和|同)[^|]{1,8}?$")
_REGION_ONLY: Final = re.compile(f"(?:{_REGIONS}|山里|大山|山沟|乡下|村里|农村|农民|进城|小地方|县城)$")
_NEGATED: Final = re.compile("(?:不|没|别|没那么|不算)$")
_ADDRESSEE: Final = re.compile("你|主播|楼上|这位|老铁")
# praise, or the speaker kind: the trait is no jeer's target (河南话听着亲切, 口音没关系)
_PRAISED: Final = re.compile(
    "亲切|好听|可爱|喜欢|好玩|地道|正宗|有特色|有味道|没关系|没事|不影响|挺好|欢迎|优先|加分|羡慕|厉害|好看|漂亮|有意思"
    "|太逗|有趣|上头|魔性|带感|爱听|听不够|教我|再来一句|再说一句"
)
# a simile's flattering vehicle or end (像个明星, 跟播音员一样标准)
_FLATTERED: Final = re.compile(
    "明星|模特|演员|网红|仙女|公主|老师傅|行家|专家|大学生|播音员|主持人|本地人|一家人|亲人|男神|女神|帅哥|美女|专业|领导|老板"
    "|干部|运动员|学生|画里"
    "|^(?:又|那么|这么)?(?:白|嫩|美|帅|标准|清楚|流利|甜|好)"
)
_CONDEMNED: Final = re.compile(
    "别笑|不要笑|莫笑|不许笑|笑话别人|笑话人家|有人笑|有人说|被人笑|被笑|被说|过分|尊重|举报|歧视|别学|不好笑|不礼貌|地域黑"
)


def mocked(folded: str) -> Iterator[Raw]:
    """A trait of the one spoken to beside a jeer, not praise, not condemned, not of oneself."""
    for m in _JEER.finditer(folded):
        if m.group() == "笑死" and folded[m.end() :] == "我了":
            continue  # …口音笑死我了 at the end: the speaker amused (round 22 lead: a clean line of batch 10)
        trait = _TRAIT.search(folded, max(0, m.start() - 18), m.end() + 10)
        if trait is None:
            continue
        lo, hi = min(trait.start(), m.start()), max(trait.end(), m.end())
        if _ADDRESSEE.search(folded, max(0, lo - 16), hi + 12) is None:
            continue
        if _FLATTERED.search(folded[m.end() : m.end() + 6]) is not None or _NEGATED.search(
            folded, 0, m.start()
        ):
            continue  # 像个明星, 一点都不土
        if m.group() in ("一样", "似的"):
            simile = _SIMILE.search(folded, max(0, m.start() - 9), m.start())
            if simile is None or simile.group()[1] in "我你大" or _REGION_ONLY.fullmatch(trait.group()):
                continue  # 跟我一样黑, 你们山东跟我们一样
        if _PRAISED.search(folded) is not None or _CONDEMNED.search(folded) is not None:
            return
        yield ("harassment", "block", lo, hi, "trait mocked to the listener")
        return


# ---- exposure ------------------------------------------------------------------------------------------------------
_GROUPS: Final = ("家长", "业主", "老乡", "家族", "工会", "同学", "工友", "广场舞", "班级", "亲戚")
_PEOPLE: Final = ("班主任", "辅导员", "车间主任", "领导", "老板", "人事", "主管", "同事", "邻居", "村里人", "全村", "全班", "家长",
           "老师", "亲戚")  # fmt: skip
_PLACES: Final = ("学校", "幼儿园", "小学", "中学", "教室", "班门口", "单位", "厂里", "前台", "村里", "镇上", "老家")
_AUDIENCE: Final = re.compile(
    f"(?:{'|'.join(_GROUPS)}|村|镇|厂|小区|单位|公司)(?:的)?(?:微信)?群|同城|朋友圈"
    f"|{'|'.join(_PEOPLE)}|{'|'.join(_PLACES)}"
)
# shown or told there: by the speaker (发到, 念给, 跟他说说, 给…说你) or for all to see (都能看到, 就有你的)
_TOLD: Final = re.compile(
    "(?:发|贴|寄|传|挂|念|捅|抖)(?:到|给|在|进|上)|发(?:你们|他们|她们|群)"
    "|(?:跟|和|给|告诉|找)[^|]{0,10}?(?:说|讲|聊|汇报|反映)"
    "|让[^|]{0,8}?(?:看|知道|评评理|评理|瞧)"
)
_SEEN_BY_ALL: Final = re.compile("都(?:会)?(?:知道|看到|能看到|看得到|晓得)|就有你")
# what about the listener is shown: a record, a picture, their doings
_MATERIAL: Final = re.compile(
    "截图|聊天记录|记录|录音|录屏|录了|录下|视频|照片|黑料|欠条|借条|小作文|的事|为人|底细|人品|欠钱|欠款|说你|讲你"
    "|干啥的|干什么的"
)
# a hostile condition or demand (要是你不会操作 is help, not a demand)
_IF: Final = re.compile(
    "敢|再|不然|否则|试试|别以为|拉黑|删|躲|也行|不(?:把|还|退|道歉|撤|回|给|交|签|接受|跟|来|理|见|结|赔|听)"
)
# a victim's report, a question or a warning quoting the threat
_REPORTED: Final = re.compile("有人|有个|威胁|敲诈|勒索|报警|违法|犯法|怎么办|别怕|吗$|被")
_DENIED: Final = re.compile("不会|绝不|不要|别")
_SPEAKER: Final = re.compile("我|俺")
_THEIRS: Final = re.compile("群$|同城|朋友圈|全班|全村|村里人")
# the firm's own people (你们老板) told of a refund or wage owed: a customer's complaint, not an exposure
_FIRM: Final = re.compile("你们(?:公司)?(?:的)?(?:老板|领导|前台|人事|主管|经理)$")
_OWED: Final = re.compile("退款|退钱|退押金|退费|工资|押金|赔偿|投诉|维权|欠薪")


def exposed(folded: str) -> Iterator[Raw]:
    """Something about the listener to be shown to a place or group of their life, under a condition."""
    if "你" not in folded:
        return
    place = None
    for a in _AUDIENCE.finditer(folded):
        if (
            _FIRM.search(folded, max(0, a.start() - 6), a.end()) is not None
            and _OWED.search(folded) is not None
        ):
            continue
        if _THEIRS.search(a.group()) is not None or "你" in folded[max(0, a.start() - 12) : a.start()]:
            place = a  # a group of the listener's life, or a place or person named as theirs (你女儿班主任)
            break
    if place is None:
        return
    shown = _MATERIAL.search(folded)
    if shown is None:
        return
    window = folded[max(0, shown.start() - 6) : shown.start()]
    if "我的" in window and "你" not in window:
        return  # the speaker's own record (我的简历截图)
    for pattern, by_speaker in ((_TOLD, True), (_SEEN_BY_ALL, False)):
        for told in pattern.finditer(folded):
            if abs(told.start() - place.start()) > 40 or _IF.search(folded, 0, told.start()) is None:
                continue
            if by_speaker and _SPEAKER.search(folded, max(0, told.start() - 14), told.start() + 2) is None:
                continue
            if _REPORTED.search(folded) is not None or _DENIED.search(
                folded, max(0, told.start() - 4), told.start()
            ):
                return
            yield (
                "harassment",
                "block",
                min(place.start(), told.start()),
                max(place.end(), told.end()),
                "exposure threatened",
            )
            return


# ---- pretext -------------------------------------------------------------------------------------------------------
_BODY: Final = "你|腰|腿|胸|屁股|后背|背|肩|脖子|手|脸"
_CONTACT: Final = re.compile(
    "(?:我|俺|哥|面试官|老板|主管|经理|姐)[^|]{0,6}?(?:给你|帮你|替你)[^|]{0,6}?"
    "(?:按(?:摩|肩|背|腿|腰|脖|头|一下|下)|推拿|松(?:筋|骨|一下|下)|(?:捏|揉|捂|暖|摸|抱|搓)"
    "(?!宝|手宝|气|水袋|贴|箱|货|东西|孩子|娃|个|件|份|底|清|透|索|鱼|不))"
    f"|让我(?:摸|抱|揉|捏|亲)(?!孩子|娃|箱|货|底)|我(?:来|先|得|要)?(?:摸|抱|揉|捏)(?!底|清|透|索|鱼|不)(?:一下|一把)?[^|]{{0,3}}?(?:{_BODY})"
    "|(?:坐|躺)(?:到|在)?我(?:的)?(?:腿|怀里|身上|床上)|手(?:伸进|放进|给我|放我)"
    "|(?:脱了|脱掉|脱下|脱光)[^|]{0,4}?(?:我看|给我看|让我|我瞧)"
    "|(?:贴身|亲手)[^|]{0,3}?量|(?:我来|我给你|我帮你)量[^|]{0,3}?(?:三围|胸围|臀围|腰围|腿围|身体)"
    "|(?:胸围|臀围|三围|腰围)[^|]{0,4}?(?:我来|我给你|我帮你|我亲手)"
)
_INVITED: Final = re.compile("(?:来|到|去|上)我(?:的)?(?:宿舍|房间|家|车上|车里|住处|办公室|休息室)")
_LODGING: Final = re.compile(
    "宿舍|房间|家|车|住处"
)  # the speaker's own lodging: a frame and a night or 私下 suffice
_FRAME: Final = re.compile(
    "面试|复试|二面|试工|试岗|试镜|试播|入职|培训|上岗|录用|转正|工服|工作服|制服|工装|服装|体检|岗|工作|前台|助播|填表|合同|应聘"
)
_PRIVATE: Final = re.compile(
    "只有我|就咱俩|就我们俩|只有我们|没人打扰|别跟别人说|别告诉别人|不用害羞|别害羞|锁上|锁门|关上门|门我|外面人多|没有别人"
    "|不会有人|私下|今晚|晚上|单独"
)
_STRONG_PRIVATE: Final = re.compile(
    "只有我|就咱俩|就我们俩|只有我们|没人打扰|别跟别人说|别告诉别人|不用害羞|别害羞|锁上|锁门|关上门|门我|外面人多|没有别人"
    "|不会有人"
)
_WARNED: Final = re.compile("有人|骚扰|警惕|小心|举报|报警|别去|马上走|正常吗|吗$|怎么办|骗|违法|提醒")


def pretext(folded: str) -> Iterator[Raw]:
    """Body contact offered to the listener in a hiring frame or in private, or a private room with privacy stressed."""
    m = _CONTACT.search(folded)
    if m is not None and (_FRAME.search(folded) is None and _PRIVATE.search(folded) is None):
        m = None
    if m is None:
        m = _INVITED.search(folded)
        if m is None:
            return
        lodging = _LODGING.search(m.group()) is not None and _FRAME.search(folded) is not None
        if _STRONG_PRIVATE.search(folded) is None and not (lodging and _PRIVATE.search(folded) is not None):
            return
    if (
        _WARNED.search(folded) is not None
        or _DENIED.search(folded, max(0, m.start() - 4), m.start()) is not None
    ):
        return
    yield ("harassment", "block", m.start(), m.end(), "contact pretext")


_PRETEXT_VERBS: Final = ("按", "捏", "揉", "捂", "暖", "摸", "抱", "搓")
PRETEXT_ANCHORS: Final = (
    *(a + v for a in ("给你", "帮你", "替你") for v in _PRETEXT_VERBS),
    *(a + v for a in ("让我", "我") for v in ("摸", "抱", "揉", "捏")),
    "按摩", "推拿", "坐我", "躺我", "坐在我", "躺在我", "坐到我", "手伸进", "手放进", "手给我", "手放我", "脱了", "脱掉",
    "脱下", "脱光", "贴身量", "亲手", "胸围", "臀围", "三围", "腰围",
    *(v + "我" + p for v in ("来", "到", "去", "上") for p in ("宿舍", "房间", "家", "车", "办公室", "休息室", "住处", "的")),
)  # fmt: skip
EXPOSURE_ANCHORS: Final = (
    *(g + "群" for g in _GROUPS), "广场舞", "村的", "村群", "镇上", "同城", "朋友圈", "班主任", "辅导员", "车间主任",
    "村里人", "全村", "全班", "班门口", "教室",
    *("你" + w for w in ("们老板", "们领导", "们公司", "们厂", "们村", "们镇", "们学校", "们小区", "们单位", "们车间", "现在的",
                         "前公司", "单位", "老家", "打工", "上班的", "老公", "老婆", "儿子", "女儿", "孩子", "弟", "妹", "妈", "爸")),
)  # fmt: skip

ANCHORS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {"mocked": JEERS, "exposed": EXPOSURE_ANCHORS, "pretext": PRETEXT_ANCHORS}
)
DETECTORS: Final[Mapping[str, Callable[[str], Iterator[Raw]]]] = MappingProxyType(
    {"mocked": mocked, "exposed": exposed, "pretext": pretext}
)
DOUBLES: Final[Mapping[str, str]] = MappingProxyType(
    {"mocked": "harassment", "exposed": "harassment", "pretext": "harassment"}
)
#: a pretext is the hiring side's offer (a seeker's own words are read by the other shapes)
EMPLOYER_ONLY: Final[frozenset[str]] = frozenset(("pretext",))
LABELS: Final[frozenset[str]] = frozenset(("trait mocked to the listener", "exposure threatened", "contact pretext"))
