"""Round 16's harassment setting: an interview or a "training" moved to a private place at night or alone (酒店房间,
KTV包厢, 会所, 老板家, 我车上, 经理宿舍) — the set-up of sexual harassment and of escort bait (妇女权益保障法 §25:
employers must prevent sexual harassment in hiring; standard 5.1.3 c).

A private place, a meeting word (面试, 培训, 试镜, 签合同, 找我, 聊) and night (晚上, 深夜, 凌晨 — not a shift: 夜班, 晚班,
夜审, 夜宵, nor the job's hours: 晚上10点到早上6点) or aloneness (一个人来, 单独, 一对一, 别带朋友, 别告诉别人) in one message. Not when the day is named (面试在白天),
not a warning or a question (谁让你…举报, 安全吗, 要不要去), not a seeker telling what was asked of them (约我, 让我),
not lodging the company arranges (外地来面试的，公司安排酒店房间住一晚).
Runs only when the automaton saw a place (``ANCHORS``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Final

Raw = tuple[str, str, int, int, str]

PLACES: Final = ("酒店", "宾馆", "旅馆", "旅店", "招待所", "快捷", "号房", "房间", "客房", "套房", "开房", "ktv", "包厢", "包间",
          "会所", "夜总会", "车上", "车里", "我车", "老板家", "我家", "经理家", "领导家", "老板的家", "别墅", "经理宿舍",
          "我宿舍", "领导宿舍", "值班室", "洗浴", "足浴", "酒吧", "汽车旅馆", "民宿", "房号")  # fmt: skip
_PLACE: Final = re.compile("|".join(PLACES) + "|(?<![0-9])[0-9]{3,4}(?:号房|房)")
_MEETING: Final = re.compile("面试|复试|初试|一面|二面|三面|终面|面谈|试镜|培训|考核|签合同|签约|找我|等我|面完|谈|聊")
_NIGHT: Final = re.compile("(?<![一两几住])(?:今|当|昨)?(?:晚|夜)(?!班|审|间|场|餐|饭|市|宵)|凌晨|半夜|十二点后|午夜")  # not 住一晚: a stay
_SHIFT: Final = re.compile("上班|下班|接班|交班|工作时间|早上|到早|班次|负责|补贴")  # the night is the job's hours
_ALONE: Final = re.compile(
    "一个人(?:来|到|去|过来)|你一个人|单独|一对一|就我们俩|就我们两|就你和我|就你我|别带|不要带|不许带|不能带|不用带人"
    "|只许一个人|只能一个人|朋友就别|别告诉|不要告诉|别跟别人说|手机别带|不会有人打扰|没人打扰"
)
_CLEARED: Final = re.compile(
    "白天|上午|下午|谁让你|谁叫你|谁约你|拒绝|举报|报警|别去|不要去|千万|小心|警惕|骗|安全吗|正常吗|要不要去|能去吗|该不该"
    "|吗|？|\\?|不会约|不会在|从不|绝不|不安排|约我|让我|叫我|要我|喊我|住宿|住一晚|安排(?:[^|]){0,6}?住"
)


def night_alone(folded: str) -> Iterator[Raw]:
    """A meeting in a private place at night or alone: harassment's set-up, blocked."""
    night = "晚" in folded or "夜" in folded or "凌晨" in folded  # literal checks first: most hotel lines stop here
    if not night and _ALONE.search(folded) is None:
        return
    place = _PLACE.search(folded)
    if place is None or _MEETING.search(folded) is None:
        return
    if _ALONE.search(folded) is None and (_NIGHT.search(folded) is None or _SHIFT.search(folded) is not None):
        return
    if _CLEARED.search(folded) is not None:
        return
    yield ("harassment", "block", place.start(), place.end(), "night alone")


#: anchor group → its anchors (merged into lexicon.ANCHORS) and detector (merged into detectors.BY_GROUP).
ANCHORS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType({"night": PLACES})
DETECTORS: Final[Mapping[str, Callable[[str], Iterator[Raw]]]] = MappingProxyType({"night": night_alone})
LABELS: Final[frozenset[str]] = frozenset(("night alone",))
