"""Round 16's contact numbers the digit-run probe cannot see: a mobile number spread over a sentence, and numbers
of other countries and regions (个人信息保护法 §5–6; standard 4.4.1 c; an employer posting one diverts, 5.1.3 d).

- Spread: a mainland mobile number told in groups with words between them (139先记着，后面是2468，最后1357; 一三七
  先记 二二八九 再加 六四五零): the groups put together make one, so it is the same personal data as written in one
  run. A group followed by a unit (135号窗口, 139路, 138个) is a count, not part of a number. Seven digits told and
  the rest to be asked in private (一三九 后四位是二二零八 中间四位私信问我) is diversion.
- Foreign: a number after a country code (+852, +853, +886, +65, +60, +81, +82, +84 … — "+" folds to 加; +1 only where the
  mainland rule does not already read it), or written
  the local way (HK/Macau and Singapore eight digits, 09… in Taiwan, 010… in Korea, 0X0… in Japan) when the
  message names the place (or is written in Cantonese: 搵緊工 打我手機 6958 0273) and a phone word stands right
  before it.
The hit is kind ``phone``, so the pii rules decide as for a mainland number: masked for a seeker, diversion and
pii for the employer side. Each runs only when the automaton saw one of its anchors (``ANCHORS``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Final

from moderation.normalize import CJK_DIGITS

Raw = tuple[str, str, int, int, str]

_DIGIT: Final = "[0-9" + "".join(c for c in CJK_DIGITS if not c.isascii()) + "]"
_TO_ASCII: Final = str.maketrans({k: v for k, v in CJK_DIGITS.items() if not k.isascii()})
# a group of three to eight digits, not followed by a unit or a counter (135号窗口, 139路公交, 1385人)
_GROUP: Final = re.compile(f"(?<!{_DIGIT}){_DIGIT}{{3,8}}(?!{_DIGIT}|号|路|个|人|台|元|块|米|栋|楼|层|点|岁|天|月|年|名|张(?!经理|总|姐|哥|老师|先生|女士|主管)|次|件|单|份|万|千|百|分|位|到|至|线|公里|平|斤|克)")
_GAP: Final = 12  # characters of words allowed between two groups
_ASK_REST: Final = re.compile("私信|私聊|私我|问我|找我要|加我")
# words that tell a number in parts (not 电话, 联系, 最后: hosts say them all day, and each anchor costs a message
# the detector's call)
SPREAD_ANCHORS: Final = ("开头", "打头", "尾号", "尾数", "后四位", "前三位", "中间四位", "中间是", "后面是", "再后面", "再加", "接着",
                  "然后是", "先记", "记一下", "记好", "记着", "第一段", "第二段", "收尾", "再打", "空格", "拆开", "分开发")  # fmt: skip
# where a mobile number can start (1 then 3–9), checked before the groups are collected
_START: Final = re.compile("(?:1|一|幺|壹)(?:[3-9]|[三四五六七八九叁肆伍陆柒捌玖拐勾])")


def spread(folded: str) -> Iterator[Raw]:
    """Digit groups a few words apart that make one mainland mobile number together."""
    first = _START.search(folded)
    if first is None:
        return
    groups = [(m.start(), m.end(), m.group().translate(_TO_ASCII)) for m in _GROUP.finditer(folded, first.start())]
    for i, (start, end, digits) in enumerate(groups):
        if len(digits) >= 11 or digits[0] != "1" or digits[1] not in "3456789":
            continue
        joined, last = digits, end
        for s, e, d in groups[i + 1 :]:
            if s - last > _GAP or len(joined) + len(d) > 11:
                break
            joined, last = joined + d, e
            if len(joined) == 11:
                yield ("pii", "phone", start, last, "phone spread")
                return
        if len(joined) == 7 and _ASK_REST.search(folded, last) is not None:  # the rest asked in private: diversion
            yield ("diversion", "divert", start, last, "phone in part")
            return


# country code + national number, as folded ("+852 6612 3478" → 加85266123478); the code after 加 or 00
_CODED: Final = re.compile(
    "(?:加|00)(?:85[23][2-9][0-9]{7}|8860?9[0-9]{8}|65[3689][0-9]{7}|600?1[0-9]{8,9}|810?[789]0[0-9]{8}|820?10[0-9]{8}"
    "|840?[35789][0-9]{8}|440?7[0-9]{9}|610?4[0-9]{8}|660?[689][0-9]{8}|9710?5[0-9]{8}|855[1-9][0-9]{7,8}|12[0-9]{9})(?![0-9])"
)
# the place named, or Cantonese written (搵工, 咩, 嘅: Hong Kong or Macau)
_PLACES: Final = "香港|澳门|台湾|台北|新加坡|狮城|马来|大马|吉隆坡|日本|东京|大阪|韩国|首尔|越南|泰国|whatsapp|港岛|九龙|新界|搵|咩|嘅|喺|咗"
_PLACE: Final = re.compile(_PLACES)
_EIGHT: Final = re.compile("[0-9]{8}")
_LOCAL: Final = re.compile(
    "(?:电话|手机|号码|打我|打|call我|call|致电|热线|联系我|联系|拨|whatsapp)(?:号码|号)?(?:是|为)?"
    "((?<![0-9])(?:[2-9][0-9]{7}|09[0-9]{8}|010[0-9]{8}|0[789]0[0-9]{8})(?![0-9]))"
)
FOREIGN_ANCHORS: Final = (*_PLACES.split("|"), *(f"加{c}" for c in ("852", "853", "886", "65", "60", "81", "82", "84", "44", "61", "66", "971", "855")))


def foreign(folded: str) -> Iterator[Raw]:
    """A number of another country or region: after its code, or written the local way beside the place's name."""
    if _EIGHT.search(folded) is None:
        return  # every number read here has eight digits or more in a run
    for m in _CODED.finditer(folded):
        yield ("pii", "phone", m.start() + 1, m.end(), "foreign phone")
    if _PLACE.search(folded) is None:
        return
    for m in _LOCAL.finditer(folded):
        yield ("pii", "phone", m.start(1), m.end(1), "foreign phone")


# round 17, batch 19 read: a number written backwards, with the cue to turn it round (号码倒过来写的…：4219 3086 531)
REVERSED_ANCHORS: Final = ("倒过来", "反过来", "倒着", "倒序", "反着", "从后往前",
                    "逆序", "颠倒", "调过来", "从右往左")  # round 21: the rest of the class of pointers to reverse
_ELEVEN: Final = re.compile(f"(?<!{_DIGIT}){_DIGIT}(?:[ -]?{_DIGIT}){{10}}(?!{_DIGIT})")
_MOBILE: Final = re.compile("1[3-9][0-9]{9}")


def reversed_number(folded: str) -> Iterator[Raw]:
    """Eleven digits after a cue to reverse them that read backwards as a mobile number: the same personal data."""
    for m in _ELEVEN.finditer(folded):
        digits = m.group().replace(" ", "").replace("-", "").translate(_TO_ASCII)[::-1]
        cue = folded[max(0, m.start() - 24) : m.start()]
        if _MOBILE.fullmatch(digits) is not None and any(a in cue for a in REVERSED_ANCHORS):
            yield ("pii", "phone", m.start(), m.end(), "phone reversed")


#: anchor group → its anchors (merged into lexicon.ANCHORS) and detector (merged into detectors.BY_GROUP).
ANCHORS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {"spread": SPREAD_ANCHORS, "foreign": FOREIGN_ANCHORS, "reversed": REVERSED_ANCHORS}
)
DETECTORS: Final[Mapping[str, Callable[[str], Iterator[Raw]]]] = MappingProxyType(
    {"spread": spread, "foreign": foreign, "reversed": reversed_number}
)
LABELS: Final[frozenset[str]] = frozenset(("phone spread", "phone in part", "foreign phone"))
