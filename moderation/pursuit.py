"""Round 24: harassment by pursuit and by belittling a person's worth (standard 5.1.3 d; 治安管理处罚法 §42;
民法典 §1010; 妇女权益保障法 §23–25).

Fresh authors' lines name no insult word; each reader is a construction (who acts on whom, a closed class per
slot, a condition), not a list of lines:

- pestered: the listener refused contact (不回, 不接, 拉黑, 屏蔽, 删我, 挂) and the speaker's contact with them goes on
  (给你发, 打给你, 私信你, 加你) with persistence (一直, 接着, 照样, 每晚, 换个号, 再注册, 轮流, 直到你回, 二十遍) —
  not a victim's report (给我发…怎么办), not a follow-up that ends (不打扰了, 不会再), not a warning (如果有人, 报警);
- trailed: the speaker followed a person (我跟着你, 跟了她一路, 偷偷跟到她家, 跟踪了那个…) to a place of her life or to
  knowing it (公交站, 小区, 楼下, 住在, 摸清), or waited at her place for a stretch (我在你小区门口等了…, 蹲在她住的
  楼下, 在地铁口等了你好几天), or rode her route in secret (你坐的那班公交我也坐了) — not someone following the speaker
  (有人跟着我), not a guide or a relative followed (跟着导航, 跟着表姐), not a denial;
- nightcall: a call or video at night (半夜, 深夜, 睡前, 每晚十点后, 躺床上) with the speaker or the boss as the other
  party, tied to the job, a duty or "getting to know you" (想要这份工作, 转正, 考察, 必须接, 不然) — not a night shift
  answering calls, not a call to a family member, not a warning or a victim's question;
- demeaned: the listener's kind (你们这种, 像你这种人, 你这号) sent to a lowly lot (只配, 天生就是…的命, 伺候人,
  当牛做马, 卖苦力, 下等人), or the listener's work called worthless (是个笑话, 狗都…比你好, 三岁孩子都, 也叫歌,
  回娘胎, 回炉重造, 再练十年) — not said of oneself, not quoted to condemn it, not a trainer's correction;
- jeered: northern and dialect insult openers aimed at the listener (你丫 but not 你丫头, 丫挺的, 孙贼, 你个夯货/棒槌)
  and brain idioms the round 14 reader misses (脑子被门挤了, 脑瓜子被驴踢了, 被蛤蟆夹了: a sneer, held for review) —
  not said of oneself (我脑子…), not quoted by the victim (有人骂我…).
The folded text has no punctuation and repeats collapsed (看看 → 看): stretches are counted in characters.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Final

Raw = tuple[str, str, int, int, str]

# a report, a warning, a question or a denial (each reader adds its own)
_REPORTED: Final = re.compile(
    "有人|有个|如果|提醒|注意|报警|举报|怎么办|咋办|该不该|算不算|正常吗|骚扰吗|是骚扰|这是骚扰|不允许|别再|不会再|吗$"
)
_NUM: Final = "[0-9一二两三四五六七八九十几百好多]"

# ---- pestered ------------------------------------------------------------------------------------------------------
_REFUSED: Final = re.compile("不回|没回|不接|没接|不理|不搭理|拉黑|屏蔽|删我|删了我|都挂|就挂|挂我|挂断|能躲|躲着我|躲我")
_CONTACT: Final = re.compile(
    "(?:给|打|找|加|私信|烦|轰炸|打给|发给|call)(?:你|她)(?!们公司)|(?:给|打|找|加|私信|打给)(?:[^|]{0,6}?)(?:你|她)(?:发|打|留言|私信)"
    "|你每条|你评论区|你视频下"
)
_PERSIST: Final = re.compile(
    f"一直|接着|继续|照样|天(?:私信|给|打|发|找|加|留言)|每天|每晚|早晚|风雨无阻|轮流|直到你|再注册|换(?:个|了)?{_NUM}?(?:个)?(?:新)?(?:号|手机|卡)"
    f"|多少次|{_NUM}+(?:条|遍|次|个电话)|看(?:你|她)能躲"
)
_ENDED: Final = re.compile("不打扰|不再打扰|默认放弃|只联系一次|给我发|给我打|打给我")


def pestered(folded: str) -> Iterator[Raw]:
    """Contact refused by the listener, and the speaker's contact kept up."""
    refused = _REFUSED.search(folded)
    if refused is None:
        return
    contact = _CONTACT.search(folded)
    if contact is None or _PERSIST.search(folded) is None:
        return
    if _ENDED.search(folded) is not None or _REPORTED.search(folded) is not None:
        return
    yield ("harassment", "block", min(refused.start(), contact.start()), max(refused.end(), contact.end()),
           "contact kept up")  # fmt: skip


# ---- trailed -------------------------------------------------------------------------------------------------------
_FOLLOWED: Final = re.compile(
    "(?:我|俺|老子)[^|]{0,24}?(?:跟着|跟到|跟了|跟在|跟上|跟踪了|跟踪|尾随了|尾随)[^|]{0,2}?"
    "(?:你|她|那个|那位|这个|小姑娘|妹子|姑娘|女|人家)(?!们公司)"
    "|(?:我|俺|老子)[^|]{0,6}?(?:开车|骑车|偷偷|悄悄|一路)跟(?:着|了|到|在)?[^|]{0,4}?(?:你|她)"
)
_REACHED: Final = re.compile(
    "公交站|车站|哪站|地铁|小区|楼下|楼|家|宿舍|门口|大门|学校|住|知道|清楚|摸清|记下|记住|门牌|回去|回家|进了"
)
_WAITED: Final = re.compile(
    "(?:我|俺|老子)[^|]{0,8}?(?:在|蹲在|守在|站在|堵在)(?:你|她)(?:们)?(?:住的|家)?[^|]{0,6}?"
    "(?:小区|家|宿舍|楼|单位|厂|店|学校|门口)[^|]{0,6}?(?:等了|站了|蹲了|守了|下面|楼下|等你|等她)"
    f"|(?:我|俺|老子)[^|]{{0,8}}?(?:在|蹲在|守在|站在)[^|]{{0,8}}?(?:等了|守了|蹲了)(?:你|她){_NUM}*(?:天|晚|个晚上|夜|宿)"
    "|你(?:每天|天|平时)?(?:坐|乘|搭|走)的(?:那班|那趟|那路|那条)[^|]{0,8}?(?:我|俺)也(?:坐|乘|搭|走|跟)"
)
_DENIED: Final = re.compile("没有跟|没跟|不会跟|别跟|跟着我|跟踪我|尾随我|等我")


def trailed(folded: str) -> Iterator[Raw]:
    """A person followed by the speaker to a place of her life, or waited for there."""
    found = _WAITED.search(folded)
    if found is None:
        found = _FOLLOWED.search(folded)
        if found is None or _REACHED.search(folded, found.end(), found.end() + 30) is None:
            return
    if _DENIED.search(folded) is not None or _REPORTED.search(folded) is not None:
        return
    yield ("harassment", "block", found.start(), found.end(), "followed told")


# ---- nightcall -----------------------------------------------------------------------------------------------------
_NIGHT: Final = re.compile(
    "半夜|深夜|夜里|凌晨|睡前|睡觉前|躺床上|关了灯|关灯|被窝|每晚|每天晚上|以后晚上"
    "|(?:晚上|今晚|昨晚)?(?:十|11|12|十一|十二|零)点(?:以?后)?"
)
_CALL: Final = re.compile("视频|语音|打电话|打个电话|通话|连麦|连个麦|电话")
# the other party is the speaker or the boss (跟我男朋友 is the caller's own family)
_PARTY: Final = re.compile(
    "(?:跟|给|陪|和|与|接)(?:我|俺)(?!男|女|老公|老婆|爸|妈|家)|(?:我|俺)[^|]{0,4}?(?:打|给|call)你|给你打"
    "|(?:跟|与|和|给)(?:他|老板|老总|经理|领导)"
)
_TIED: Final = re.compile(
    "想要这份|这份工作|想进|想留下|转正|录用|要你|入职|了解你|认识你|培养感情|感情|考察|考核|岗位|必须|就得|得接"
    "|不然|否则|别想|工作内容|要求|需|单独|聊得来"
)
_SHIFT: Final = re.compile("夜班|值班|值夜|客服|接听|病房|呼叫|夜间")


def nightcall(folded: str) -> Iterator[Raw]:
    """A call or video with the speaker or the boss at night, tied to the job or to getting to know the listener."""
    night = _NIGHT.search(folded)
    if night is None:
        return
    call = _CALL.search(folded, max(0, night.start() - 16), night.end() + 16)
    if call is None or _PARTY.search(folded) is None:
        return
    if _TIED.search(folded) is None or _SHIFT.search(folded) is not None or _REPORTED.search(folded) is not None:
        return
    yield ("harassment", "block", min(night.start(), call.start()), max(night.end(), call.end()), "night call demanded")


# ---- demeaned ------------------------------------------------------------------------------------------------------
_KIND: Final = re.compile("(?:像)?你(?:们)?(?:这种|这号|这些|这样的|这类|这路)(?!人才)")
_LOT: Final = re.compile(
    "只配|就配|也配|才配|天生就是|生来就是|活该|贱命|的命|下人|下等|当牛做马|卖苦力|底层|伺候人|端屎|扫厕所"
    "|还会干啥|还能干啥|还会干什么"
)
_WORK: Final = re.compile(
    "你(?:这|那)?(?:点)?(?:做|写|剪|唱|画|干|弄|拍|修|焊|缝|切|跳|讲)的|你(?:这|那)(?:点)?(?:手艺|水平|作品|活|东西)|就你"
)
_WORTHLESS: Final = re.compile(
    "(?:是|像|就是)(?:个|一个)?笑话|垃圾|狗屎|一坨|丢人现眼|狗都|猪都|三岁(?:小孩|孩子|小孩子)都|小学生都|也叫(?!做|作)"
    "|白长|白吃|回娘胎|回炉重造|重新投胎|再练(?:个)?(?:十|二十|八|一百)年|练(?:个)?十年"
)
_QUOTED: Final = re.compile("有人说|有人骂|老板说|他说|她说|别这么说|伤人|太过分|不分高低贵贱|尊重")


def demeaned(folded: str) -> Iterator[Raw]:
    """The listener's kind sent to a lowly lot, or the listener's work called worthless."""
    kind = _KIND.search(folded)
    verdict = None if kind is None else _LOT.search(folded, kind.end(), kind.end() + 24)
    if kind is None or verdict is None:
        kind = _WORK.search(folded)
        verdict = None if kind is None else _WORTHLESS.search(folded, max(0, kind.start() - 10), kind.end() + 20)
        if kind is None or verdict is None:
            return
    if _QUOTED.search(folded) is not None or _REPORTED.search(folded) is not None:
        return
    yield ("harassment", "block", min(kind.start(), verdict.start()), max(kind.end(), verdict.end()), "worth belittled")


# ---- jeered --------------------------------------------------------------------------------------------------------
_OPENER: Final = re.compile(
    "你丫(?!头|鬟|环|丫|蛋)|丫挺|孙贼|你(?:这)?个(?:夯货|棒槌|憨货|憨包|瓜怂|二货|傻缺|怂包|怂货|犊子|兔崽子|瘪三|土包子|废柴)"
)
_BRAIN: Final = re.compile(
    "(?:脑子|脑袋|脑壳|脑瓜子|脑瓜|脑仁)[^|]{0,4}?(?:被|让|叫|给)[^|]{0,3}?(?:挤|夹|踢|撞|压)(?:了|扁|坏|过|的)"
)
_SELF: Final = re.compile("我|俺|自己")
_VICTIM: Final = re.compile("有人|骂我|别骂|禁言|吗$|处理")


def jeered(folded: str) -> Iterator[Raw]:
    """An insult opener aimed at the listener, or a brain idiom (a sneer) the round 14 reader misses."""
    if _VICTIM.search(folded) is not None:
        return
    opener = _OPENER.search(folded)
    if opener is not None:
        yield ("harassment", "block", opener.start(), opener.end(), "insult opener")
        return
    brain = _BRAIN.search(folded)
    if brain is not None and _SELF.search(folded, max(0, brain.start() - 6), brain.start()) is None:
        yield ("harassment", "review", brain.start(), brain.end(), "brain sneer")


PESTER_ANCHORS: Final = ("不回", "没回", "不接", "没接", "不理", "搭理", "拉黑", "屏蔽", "删我", "删了我", "都挂", "就挂", "挂我",
                         "挂断", "能躲", "躲着我", "躲我")  # fmt: skip
TRAIL_ANCHORS: Final = (
    "跟着你", "跟着她", "跟着那", "跟到", "跟了你", "跟了她", "跟在", "跟上", "跟踪", "尾随", "开车跟", "骑车跟", "偷偷跟",
    "悄悄跟", "一路跟", "等了你", "等了她", "守了你", "守了她", "蹲在", "守在", "堵在", "站在你", "站在她", "我也坐",
    "我也乘", "我也搭", "我也走", "我也跟",
    *(p + w for p in ("在你", "在她", "在你们") for w in ("小区", "家", "宿舍", "楼", "单位", "厂", "店", "学校", "门口", "住")),
)  # fmt: skip
NIGHT_ANCHORS: Final = ("半夜", "深夜", "夜里", "凌晨", "睡前", "睡觉前", "躺床上", "关了灯", "关灯", "被窝", "每晚",
                        "每天晚上", "以后晚上", "十点", "11点", "12点", "十一点", "十二点", "零点")  # fmt: skip
DEMEAN_ANCHORS: Final = (
    "你这种", "你们这种", "你这号", "你们这号", "你这些", "你们这些", "你这样的", "你们这样的", "你这类", "你们这类", "你这路",
    "笑话", "垃圾", "狗屎", "一坨", "丢人现眼", "狗都", "猪都", "小孩都", "孩子都", "小学生都", "也叫", "白长", "白吃",
    "回娘胎", "回炉", "投胎", "十年", "二十年", "八年", "一百年",
)  # fmt: skip
JEER_ANCHORS: Final = ("你丫", "丫挺", "孙贼", "夯货", "棒槌", "憨货", "憨包", "瓜怂", "二货", "傻缺", "怂包", "怂货", "犊子",
                       "兔崽子", "瘪三", "土包子", "废柴", "脑子", "脑袋", "脑壳", "脑瓜", "脑仁")  # fmt: skip

ANCHORS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType({
    "pestered": PESTER_ANCHORS, "trailed": TRAIL_ANCHORS, "nightcall": NIGHT_ANCHORS, "demeaned": DEMEAN_ANCHORS,
    "jeered": JEER_ANCHORS,
})  # fmt: skip
DETECTORS: Final[Mapping[str, Callable[[str], Iterator[Raw]]]] = MappingProxyType({
    "pestered": pestered, "trailed": trailed, "nightcall": nightcall, "demeaned": demeaned, "jeered": jeered,
})  # fmt: skip
#: each reader is skipped when harassment is already found (detectors.grouped)
DOUBLES: Final[Mapping[str, str]] = MappingProxyType({g: "harassment" for g in DETECTORS})
#: no group is the hiring side's only: a viewer pursues and belittles as well
EMPLOYER_ONLY: Final[frozenset[str]] = frozenset()
LABELS: Final[frozenset[str]] = frozenset((
    "contact kept up", "followed told", "night call demanded", "worth belittled", "insult opener", "brain sneer",
))  # fmt: skip
