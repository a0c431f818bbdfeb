"""Round 17's harassment with no insult word (妇女权益保障法 §25; 个人信息保护法 §10; standard 5.1.3 c).

- Revealing clothes asked for a casting or an interview (试镜放在我家，带几件吊带过来; 二面换上泳装拍几张照片发我):
  the set-up of sexual harassment. Not a dress code that forbids them (不要穿吊带拖鞋, 不允许穿着暴露), not a shop
  that sells them, not a warning or a question.
- A private show asked of a host or a candidate (晚上能不能单独给哥哥播, 开个小窗单独给我跳一段).
- A crowd called to report a person's sightings beside their ID or phone number (身份证…大家见到告诉我, 路上碰着吭一声):
  personal data turned into a hunt, as :func:`moderation.menace.pillory`.
Each runs only when the automaton saw one of its anchors (``ANCHORS``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Final

Raw = tuple[str, str, int, int, str]

CLOTHES: Final = ("吊带", "泳装", "泳衣", "比基尼", "睡衣", "睡裙", "丝袜", "黑丝", "超短裙", "短裙", "低胸", "紧身", "情趣", "内衣",
           "露脐", "渔网袜")  # fmt: skip
_CLOTHES: Final = "|".join(CLOTHES)
_WORN: Final = re.compile(f"(?:带|穿|换|准备|备)(?:上|好|着|几件|两件|一套|套|件|点|些|几套)?(?:[^|]){{0,4}}?(?:{_CLOTHES})")
_CASTING: Final = re.compile("试镜|面试|二面|复试|试播|试拍|试妆|拍照|拍几张|照片|定妆|签约|才能签|就签|我家|老板|给我看|发我|效果")
_DRESS_CODE: Final = re.compile(
    "不要|别|不许|不能|不得|禁止|不允许|不准|严禁|勿|举报|报警|骗|卖|店里|商品|货|吗|？|\\?|模特岗|泳池|救生"
)


def clothes_asked(folded: str) -> Iterator[Raw]:
    """Revealing clothes asked for a casting or an interview."""
    m = _WORN.search(folded)
    if m is None or _CASTING.search(folded) is None or _DRESS_CODE.search(folded) is not None:
        return
    yield ("harassment", "block", m.start(), m.end(), "clothes asked")


SHOW_ANCHORS: Final = ("单独给", "私下给", "一对一给", "小窗", "私播", "单独为", "单独陪")
_SHOW: Final = re.compile(
    "(?:单独|私下|一对一|小窗|私播)(?:[^|]){0,3}?(?:给|为|陪)(?:哥哥|哥|我|老板|大哥|你哥|哥们|叔叔)(?:[^|]){0,3}?(?:播|跳|唱|表演|扭|脱|直播|看)"
)
_SHOW_CLEARED: Final = re.compile("不会|不要|别|举报|骗|拒绝")


def private_show(folded: str) -> Iterator[Raw]:
    """A private show asked of a host or a candidate."""
    m = _SHOW.search(folded)
    if m is not None and _SHOW_CLEARED.search(folded) is None:
        yield ("harassment", "block", m.start(), m.end(), "private show")


# round 18: the crowd told to mark the person (大家认准他, 把这个前员工记牢了, 工友们盯紧这个人; not 认准我们的认证标识)
_MARKED: Final = "认准|认清|记牢|记住|盯紧|看清"
SIGHTED_ANCHORS: Final = ("见到", "看到", "碰到", "碰着", "撞见", "遇到", "遇见", "认识他", "认识她", "看见",
                   *(w + t for w in _MARKED.split("|") for t in ("他", "她", "了", "这", "此")))  # fmt: skip
_SIGHTED: Final = re.compile(
    "(?:见到|看到|碰到|碰着|撞见|遇到|遇见|看见|认识)(?:了|过)?(?:他|她|这人|此人|这个人)?(?:的话)?(?:[^|]){0,3}?"
    "(?:告诉我|通知我|喊我|叫我|吭一声|说一声|吱一声|联系我|私我|找我|报个信|堵住|拦住|抓住)"
    f"|(?:{_MARKED})(?:了)?(?:他|她|这个?人|此人|这张脸|这货|这家伙)"
    f"|(?:把|给我)(?:这个?|那个?)(?:[^|]){{0,5}}?(?:{_MARKED})|(?:{_MARKED})了$"
)
_LONG_NUMBER: Final = re.compile("[0-9]{7,}")
_SIGHTED_CLEARED: Final = re.compile("骗子|冒充|诈骗|假冒|不是我们|失物|走失|丢了|寻人")


def sightings_called(folded: str) -> Iterator[Raw]:
    """A crowd called to report a person beside their ID or phone number: a hunt."""
    if _LONG_NUMBER.search(folded) is None:
        return  # a digit run first: most lines with 看到/遇到 hold none
    m = _SIGHTED.search(folded)
    if m is not None and _SIGHTED_CLEARED.search(folded) is None:
        yield ("harassment", "block", m.start(), m.end(), "sightings called")


#: anchor group → its anchors (merged into lexicon.ANCHORS) and detector (merged into detectors.BY_GROUP).
ANCHORS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {"clothes": CLOTHES, "privateshow": SHOW_ANCHORS, "sighted": SIGHTED_ANCHORS}
)
DETECTORS: Final[Mapping[str, Callable[[str], Iterator[Raw]]]] = MappingProxyType(
    {"clothes": clothes_asked, "privateshow": private_show, "sighted": sightings_called}
)
DOUBLES: Final[Mapping[str, str]] = MappingProxyType({"clothes": "harassment", "privateshow": "harassment", "sighted": "harassment"})
LABELS: Final[frozenset[str]] = frozenset(("clothes asked", "private show", "sightings called"))


_WORN_TERMS: Final = ("穿", "带", *CLOTHES)
_FORBIDDEN_BEFORE: Final = re.compile("(?:(?<![要能许准])不要|别|(?<!能)不许|(?<!能)不能|不得|禁止|不允许|不准|严禁|勿)(?:穿|带)?$")


def dress_forbidden(folded: str, start: int, term: str) -> bool:
    """A clothing term forbidden right before it: a dress code ("面试请着正装，不要穿吊带拖鞋"), not a demand."""
    if not term.startswith(_WORN_TERMS):
        return False
    return _FORBIDDEN_BEFORE.search(folded, max(0, start - 5), start) is not None
