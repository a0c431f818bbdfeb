"""Round 18's harassment by watching and exposing a person (standard 5.1.3 c/d; 个人信息保护法 §10; 治安管理处罚法 §42:
threats, harassing a person's private life).

- The listener's address told back with a claim to know it (你住…花园3栋我都知道, 我知道你家在…5栋): the threat is read by
  :func:`moderation.menace.whereabouts`; the address itself is personal data disclosed, a ``pii`` hit here.
- Watching a person (天天在她宿舍楼下等, 跟在那个前台妹妹后面, 蹲了她三个晚上, 她住哪我一清二楚, 我天天盯着呢,
  你在哪个厂上班我摸得门儿清); not the speaker's own wait (我每天在宿舍楼下等厂车), nor a victim asking (…跟着我，怎么办).
- Doxxing threatened (查你IP, 人肉出你的住址, 开盒, 定位你手机); not denied (我们不会去查你们的IP), not told of oneself
  (有人说要查我IP) nor a job (负责查IP溯源).
Each runs only when the automaton saw one of its anchors (``ANCHORS``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Final

Raw = tuple[str, str, int, int, str]

_VICTIM: Final = re.compile("怎么办|报警|举报|截图|如果有人|要是有人|有人说|该咋|咋办|吗|？|\\?")
_DENIED: Final = re.compile("不会|绝不|不要|别|不用|不得|禁止|从不|没有")

_KNOWN: Final = "知道|晓得|清楚|门儿清|门清|摸清|摸透|查到|查出|打听到|找得到"
ADDRESS_ANCHORS: Final = ("你住", "你家住", "你家在", "你家就在", "你们家在", "你家是")
# an address's numbered parts (…花园3栋2单元), the group every address pattern here captures
_HOME: Final = "((?:[^0-9]{0,24}?(?:[0-9]+|[一二三四五六七八九十]+)(?:栋|幢|号楼|号院|单元|室|弄|组|号|楼|层|户|座|门))+)"
_ADDRESS: Final = re.compile(f"你(?:们)?(?:家)?(?:就)?(?:住|在|是)(?:在)?{_HOME}")
_PLACE: Final = re.compile("区|路|街|镇|村|小区|社区|花园|苑|巷|弄|栋|幢|单元|座|院|楼")
_KNOWN_RE: Final = re.compile(f"{_KNOWN}|等着|小心|上门|找上|别逼我|走着瞧")


def address_told(folded: str) -> Iterator[Raw]:
    """The listener's address told back with a claim to know it or a menace: the address is disclosed (pii)."""
    m = _ADDRESS.search(folded)
    if m is None or _PLACE.search(m.group(1)) is None or _KNOWN_RE.search(folded) is None:
        return
    if _VICTIM.search(folded) is not None:
        return
    yield ("pii", "address", m.start(1), m.end(1), "address told")


# Round 19 (batch 21 read): a third person's home address put before the room with a call to the crowd (…姓张的住…7栋2单元，
# 大家认准他): the address is disclosed (pii) and the crowd is set on its owner (harassment); not the speaker's own.
POSTED_ANCHORS: Final = ("他住", "她住", "他家住", "她家住", "的住")
_POSTED: Final = re.compile(f"(?<!我)(?<!我们)(?:他|她|的)(?:家)?(?:就)?住(?![宿房处所址])(?:在)?{_HOME}")
_CROWD: Final = re.compile("认准(?:他|她|这人|此人|这个人)|(?:去|都去|上门)(?:找|堵|蹲|会)(?:他|她)|找(?:他|她)算账|别放过(?:他|她)|转发扩散|扩散|曝光(?:他|她)")


def address_posted(folded: str) -> Iterator[Raw]:
    """A third person's home address posted with a call to the crowd: the address (pii) and the pillory (harassment)."""
    m = _POSTED.search(folded)
    if m is None or _PLACE.search(m.group(1)) is None or _VICTIM.search(folded) is not None:
        return
    crowd = _CROWD.search(folded, m.end(1))
    if crowd is not None and _DENIED.search(folded, max(0, crowd.start() - 3), crowd.start()) is None:
        yield ("pii", "address", m.start(1), m.end(1), "address posted")
        yield ("harassment", "block", m.start(1), crowd.end(), "address posted")


# Round 20 (batch 22 read): a third person's workplace put before the room with the crowd's call (…在中山南路那家店上班，
# 兄弟们去会会她; the fold reads 去会她): found from the call (rare), then a place of work told before it.
WORKPLACE_ANCHORS: Final = ("去会他", "去会她", "认准他", "认准她", "去堵他", "去堵她", "去蹲他", "去蹲她", "找他算账", "找她算账")
# only a hostile call: 有事去找他 sends people to a colleague for help
_HOSTILE: Final = re.compile("认准(?:他|她)|(?:去|都去|上门)(?:堵|蹲|会)(?:他|她)|找(?:他|她)算账")
_WORKPLACE: Final = re.compile("在([^|]{0,16}?(?:区|路|街|镇|村|广场|大厦|商场|市场|小区|园区)[^|]{0,10}?)(?:上班|工作|打工|干活|摆摊|开店)")


def workplace_posted(folded: str) -> Iterator[Raw]:
    """A third person's workplace posted with a call to the crowd: disclosed (pii) and the crowd set on them."""
    crowd = _HOSTILE.search(folded)
    if crowd is None or _VICTIM.search(folded) is not None:
        return
    m = _WORKPLACE.search(folded, 0, crowd.start())
    if m is None or _DENIED.search(folded, max(0, crowd.start() - 3), crowd.start()) is not None:
        return
    if m.start() > 0 and folded[m.start() - 1] in "我们":
        return  # the speaker's own workplace
    yield ("pii", "address", m.start(1), m.end(1), "workplace posted")
    yield ("harassment", "block", m.start(1), crowd.end(), "workplace posted")


_TARGET: Final = "(?:她|他|你)"
_DAILY: Final = "(?:(?<![今明昨后前当])天|每天|每晚|每个晚上|成天|整天|一直|连着|连续|每次|下班)"  # 天天 folds to 天
# folded forms (天天 folds to 天): anchors are matched on the folded text as written
WATCH_ANCHORS: Final = ("天在她", "天在他", "天在你", "晚在她", "晚在他", "跟在", "蹲了她", "蹲了他", "蹲她", "蹲他", "她住哪", "他住哪",
                 "你住哪", "盯着呢", "盯着你", "盯着她", "盯着他", "天盯", "上班我", "她住在哪", "他住在哪", "我都跟着", "守在她",
                 "守在他", "她楼下", "她宿舍楼下", "她家楼下", "他家楼下",
                 "你宿舍楼下", "你家楼下", "他宿舍楼下", "你公司楼下")  # fmt: skip  # round 19: 每天下班都在你宿舍楼下等
_WATCH: Final = re.compile(
    f"{_DAILY}(?:都)?(?:在|去|到|守在|蹲在)?{_TARGET}(?:的|们)?(?:宿舍|家|公司|单位|店|厂|学校|小区)?(?:楼下|门口|附近|外面|楼道)"
    "(?:等|蹲|守|盯|转)"
    f"|跟(?:在|着)(?!我|俺)(?:那个|这个)?[^|]{{0,6}}?(?:{_TARGET}|妹妹|妹子|姑娘|小姐姐|美女|女孩|女的|主播|前台)后面"
    f"|蹲(?:了|过)?{_TARGET}(?:[0-9一二三两四五六七八九十几好]+)?个?(?:晚上|晚|天|次|回)"
    f"|(?:摸到|摸清|打听到|查到|知道了)(?:了)?{_TARGET}住(?:在)?哪|{_TARGET}住(?:在)?哪(?:我|俺)?(?:都|全)?(?:{_KNOWN}|一清二楚)"
    f"|{_DAILY}(?:都)?(?:在)?盯着(?:你|她|他|呢)"
    f"|你在哪个?(?:厂|公司|单位|店|工地|车间)(?:上班|干活|做事|打工)?(?:我|俺)(?:都)?(?:摸得)?(?:{_KNOWN}|一清二楚)"
)
_DAILY_RE: Final = re.compile(_DAILY)


def watched(folded: str) -> Iterator[Raw]:
    """A person watched or waited for (天天在她宿舍楼下等, 蹲了她三个晚上, 她住哪我一清二楚): stalking."""
    m = _WATCH.search(folded)
    if m is None or _VICTIM.search(folded) is not None:
        return
    if m.group().startswith("跟") and _DAILY_RE.search(folded, 0, m.start()) is None:
        return  # "跟在师傅后面学": following with no routine is an apprentice's day
    if _DENIED.search(folded, max(0, m.start() - 4), m.start()) is None:
        yield ("harassment", "block", m.start(), m.end(), "watching")


DOX_ANCHORS: Final = ("查你", "人肉", "开盒", "定位你", "扒出你", "扒你", "查到你")
_DOX: Final = re.compile(
    "(?:查|查到|查出|扒|扒出)(?:了)?你(?:的|们的)?(?:ip|住址|地址|家|定位|手机号|身份|底细|户籍|开房)"
    "|人肉(?:出|到)?你|把你开盒|开你的?盒|你(?:[^|]){0,6}?开盒|开盒(?:[^|]){0,3}?你|定位你(?:的)?(?:手机|位置|在哪)"
)
_THREAT: Final = re.compile("再|敢|等着|信不信|分分钟|小心|试试|就|已经|挂出来|别嘴硬|让你")


def doxxing(folded: str) -> Iterator[Raw]:
    """Doxxing threatened (再刷我就查你IP, 人肉出你的住址, 把你开盒, 定位你手机): harassment, not a job nor a report."""
    m = _DOX.search(folded)
    if m is None or _VICTIM.search(folded) is not None or _THREAT.search(folded) is None:
        return
    if _DENIED.search(folded, max(0, m.start() - 6), m.start()) is None:
        yield ("harassment", "block", m.start(), m.end(), "doxxing")


#: anchor group → its anchors (merged into lexicon.ANCHORS) and detector (merged into detectors.BY_GROUP).
ANCHORS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {"addresstold": ADDRESS_ANCHORS, "addressposted": POSTED_ANCHORS, "watched": WATCH_ANCHORS, "doxxing": DOX_ANCHORS,
     "workplaceposted": WORKPLACE_ANCHORS}
)  # fmt: skip
DETECTORS: Final[Mapping[str, Callable[[str], Iterator[Raw]]]] = MappingProxyType(
    {"addresstold": address_told, "addressposted": address_posted, "watched": watched, "doxxing": doxxing,
     "workplaceposted": workplace_posted}
)  # fmt: skip
DOUBLES: Final[Mapping[str, str]] = MappingProxyType({"addresstold": "pii", "watched": "harassment", "doxxing": "harassment"})
LABELS: Final[frozenset[str]] = frozenset(("watching", "doxxing", "address posted", "workplace posted"))
