"""Round 14's harassment shapes: mechanisms fresh writers used that no insult word spells (batch 15, read).

- An insult by metaphor: the listener, their family or their firm called a parasite or a beast
  (你们一家子都是吸血鬼, 你们厂的人事就是一条看门狗); not a report of someone else's words (主管说我们是寄生虫).
- A rhetorical question about the listener's brain (主播脑子是不是进水了, 脑袋是不是让门夹了): held for review.
- A threat to flood the listener's live room (不回我私信我就天天来你直播间刷屏, 叫一百个人来骂你).
- An interview moved to a hotel room at night or alone (面试改到酒店1208房间，晚上九点，一个人来): the setting is
  the harassment (妇女权益保障法 §23), not the word 宾馆 — a hotel's own job post is ordinary.
- The livelihood threat asked as "who will still hire you" (看以后哪个厂还收你, 你以后别想进厂了,
  上全行业黑名单): the career threat of :mod:`moderation.shapes` without its 让你.
Standard 5.1.3 d. Each runs only when the automaton saw one of its anchors (``ANCHORS``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Final

Raw = tuple[str, str, int, int, str]

# Beasts and parasites said of people; not bare 狼/狗/猪 (狼性团队, 狗粮), which fill ordinary talk.
BEASTS: Final = ("吸血鬼", "吸血虫", "寄生虫", "白眼狼", "蛀虫", "牲口", "畜牲", "看门狗", "走狗", "狗腿子", "哈巴狗", "癞皮狗",
          "饭桶", "蚂蟥", "害虫", "毒瘤", "败类", "臭虫", "豺狼", "黑心的狼", "周扒皮", "禽兽", "老鼠屎", "狼崽子")  # fmt: skip
# the listener or their family: not 我们/他们 (a report: "主管说我们是寄生虫") nor a kind (中介都是吸血鬼)
_ADDRESSEE: Final = "你|您|主播|全家|一家子|一家人|一窝"
_METAPHOR: Final = re.compile(
    f"(?:{_ADDRESSEE})(?:(?!我们|他们|她们|不是|不算)[^|]){{0,10}}?(?:是|像|跟|和|如同|成了|当)(?:[^|]){{0,6}}?(?:{'|'.join(BEASTS)})"
)
BRAINS: Final = ("脑子", "脑袋", "脑壳")
_BRAIN: Final = re.compile(
    "(?:脑子|脑袋|脑壳)(?:[^|]){0,5}?(?:进水|进了水|驴踢|门夹|被踢|被夹|坏掉|坏了|有病|有坑|有泡|秀逗|瓦特|短路|抽风|生锈|长草|灌了水)"
)
_SELF: Final = re.compile("(?:我|俺)(?:真是|真的|也是|就是|这|的|自己)?$")


def metaphors(folded: str) -> Iterator[Raw]:
    """The listener called a beast or a parasite: an insult with no insult word."""
    for m in _METAPHOR.finditer(folded):
        yield ("harassment", "block", m.start(), m.end(), "insult by metaphor")


def brains(folded: str) -> Iterator[Raw]:
    """ "你脑子是不是进水了": a question word inside the idiom keeps it from the word list; not said of oneself."""
    for m in _BRAIN.finditer(folded):
        if _SELF.search(folded, max(0, m.start() - 4), m.start()) is None:
            yield ("harassment", "review", m.start(), m.end(), "brain insult")


# A flood of the room as a threat: the speaker (or people sent) will spam or abuse the listener there.
_FLOOD_WORDS: Final = ("刷屏", "刷你", "刷差评", "骂你", "带节奏")
FLOODS: Final = (*_FLOOD_WORDS, "刷到你")
_FLOOD: Final = re.compile(
    f"(?:我|叫|找|让|喊)(?:[^|]){{0,14}}?(?:{'|'.join(_FLOOD_WORDS)})|刷到你(?:回|停播|关门|崩溃|下播|封号|播不下去|服)"
)
_FLOOD_WHY: Final = re.compile("不|再|敢|要是|删|等着|是吧|信不信")  # a condition or a dare before it
NOT_FLOODING: Final = ("不要", "别", "请勿", "禁止", "禁言", "有人")  # "请大家不要刷屏", "有人在你直播间刷屏骂人"
_NOT_FLOOD: Final = re.compile("|".join(NOT_FLOODING))


def floods(folded: str) -> Iterator[Raw]:
    """A threat to flood the listener's room ("你不回我就天天来你直播间刷屏")."""
    for m in _FLOOD.finditer(folded):
        # round 15: the condition may follow ("我天天来你直播间刷屏，你不理我我就一直刷")
        why = _FLOOD_WHY.search(folded, 0, m.start()) or _FLOOD_WHY.search(folded, m.end())
        if why is None or _NOT_FLOOD.search(folded, max(0, m.start() - 6), m.end()):
            continue
        yield ("harassment", "block", m.start(), m.end(), "flood threat")


# A hotel room (by name, chain or room number), or the speaker's own room.
HOTELS: Final = ("酒店", "宾馆", "旅馆", "旅店", "招待所", "如家", "汉庭", "锦江", "全季", "希尔顿", "格林豪泰", "民宿")  # not 七天: days
ROOMS: Final = ("房间", "套房")
_ROOM: Final = re.compile(
    f"(?:{'|'.join(HOTELS)})(?:之星|酒店)?(?:[^|]){{0,6}}?(?:房间|套房|[0-9]{{3,4}}(?![0-9])(?:号房|房)?)"
    "|(?:我|他|老板|领导|经理|主管)(?:住|包)?的?(?:酒店|宾馆)?(?:房间|套房)|(?:我|他|老板|领导|经理|主管)(?:住|包)的(?:酒店|宾馆|旅馆)"
)
_NIGHT_ALONE: Final = re.compile("晚上|今晚|夜里|半夜|深夜|凌晨|夜间|晚间|当晚|一个人|单独|别带|不要带|仅限本人|就你自己")
_MEETING: Final = re.compile("面试|复试|终面|二面|三面|试镜|面谈|谈|聊|签|找我|来|过去|入职|有空|订好|订了|开好|等你|陪")
_WARNED: Final = re.compile("不要去|别去|举报|拒绝|小心|注意|报警|投诉|千万别|骗")


def hotel_rooms(folded: str) -> Iterator[Raw]:
    """An interview or talk set in a hotel room at night or alone; not a hotel's job post nor a lodging offer
    (公司给安排了酒店房间住一晚), nor a warning or a refusal told (都不要去，直接举报)."""
    for m in _ROOM.finditer(folded):
        if _NIGHT_ALONE.search(folded) is None or _MEETING.search(folded) is None or _WARNED.search(folded):
            return
        yield ("harassment", "block", m.start(), m.end(), "hotel room meeting")


# "Who will still hire you": the livelihood threat asked rhetorically, or a trade-wide blacklist.
HIRE_ENDS: Final = ("还收你", "还要你", "还用你", "还招你", "敢收你", "敢要你", "敢用你", "不会要你", "不敢用你", "不敢要你",
             "不会收你", "别想进", "别想再进", "别想在", "黑名单", "不敢留你", "给你开门", "别想找")  # fmt: skip
_WHO_HIRES: Final = re.compile(
    "(?:哪个|哪家|哪里|谁|哪)(?:[^|]){0,4}?(?:还|敢)(?:收|要|用|招)你"
    "|(?:所有|全|整个|哪个|哪家|一个)(?:[^|]){0,8}?都(?:不敢|不会|不再|不)(?:收|要|用|招)你"
    "|你(?:以后|这辈子|从此|今后)?(?:就)?别想(?:再)?(?:进厂|进|在这行|干这行|混)"
    "|你.{0,12}?都别想(?:再)?找(?:到)?(?:活|工作|事做)|你(?:新东家|下家|新单位|新厂).{0,4}?不敢留你"  # round 15
    "|没有(?:一家|哪家|一个)(?:[^|]){0,3}?(?:厂|公司|店)?(?:给你开门|敢要你|会要你|收你)"
    "|(?:你|把你)(?:[^|]){0,8}?(?:全行业|行业|全国|全市|全省|劳务)黑名单"
)


def who_hires(folded: str) -> Iterator[Raw]:
    """ "看以后哪个厂还收你", "你以后别想进厂了", "明天你就上全行业黑名单"."""
    for m in _WHO_HIRES.finditer(folded):
        if folded.endswith(("不会让", "不会", "不是"), 0, m.start()):
            continue
        yield ("harassment", "block", m.start(), m.end(), "who will hire you")


# Anchored on what every match holds, not on 酒店 (it fills hotels' own job posts, and each anchor costs a message the
# C scan's fast path): a room word, a room number's last digit before 房, a hotel name's last character before a room
# number (汉庭酒店1017, 希尔顿2304), or someone's own hotel (他住的宾馆).
HOTEL_ANCHORS: Final = (*ROOMS, *(d + "房" for d in "0123456789"), *(e + d for e in "店馆社所家庭季顿江星泰宿" for d in "0123456789"),
                 *(w + "的" + h for w in ("住", "包") for h in ("酒店", "宾馆", "旅馆")))  # fmt: skip

#: anchor group → its anchors (merged into lexicon.ANCHORS) and detector (merged into detectors.BY_GROUP). Not in
#: detectors' doubles: a review-kind word (你等着) must not keep a block shape from running.
ANCHORS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType({
    "metaphor": BEASTS, "brain": BRAINS, "flood": FLOODS, "hotel": HOTEL_ANCHORS, "hires": HIRE_ENDS,
})  # fmt: skip
DETECTORS: Final[Mapping[str, Callable[[str], Iterator[Raw]]]] = MappingProxyType({
    "metaphor": metaphors, "brain": brains, "flood": floods, "hotel": hotel_rooms, "hires": who_hires,
})  # fmt: skip
LABELS: Final = frozenset(("insult by metaphor", "brain insult", "flood threat", "hotel room meeting", "who will hire you"))
