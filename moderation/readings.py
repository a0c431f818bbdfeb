"""Round 19: a mobile number read from any notation a reader can decode (standard 5.1.3 d; 个人信息保护法 §5–6).

The normaliser already turns every script's digits into ASCII (:func:`moderation.normalize.digit_forms`) and the
number view reads 一三八, 壹叁捌, 幺 and 洞. What is left are digits spoken rather than written: their pinyin (yao san
jiu), their English names (one three eight), and characters that sound like them (衣散巴 for 138, 灵 for 0, 溜 for 6).
Read one token at a time, mixed freely with written digits, with a digit told by its place (第二位是3) or a number of
times (四个零), groups a few words apart that read as one mainland mobile number are the same personal data as the
number written out. A clean line cannot be read so by chance: sums, dates,
job codes and counts do not read as eleven digits shaped 1[3-9]… with a spoken or homophone group among them; so no context word is needed beyond the
anchors that open the detector (a phone or contact word, or a hint to read the digits: 谐音, 拼音, 念).
Runs only when the automaton saw one of its anchors (``ANCHORS``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Final

from moderation.normalize import CJK_DIGITS

Raw = tuple[str, str, int, int, str]

# Latin readings, longest first so the alternation takes "liang" before "li…", "ling" before "li…".
SPOKEN: Final[Mapping[str, str]] = MappingProxyType({
    "liang": "2", "ling": "0", "dong": "0", "guai": "7", "yao": "1", "san": "3", "liu": "6", "jiu": "9", "gou": "9",
    "yi": "1", "er": "2", "si": "4", "wu": "5", "qi": "7", "ba": "8",
    "three": "3", "seven": "7", "eight": "8", "zero": "0", "four": "4", "five": "5", "nine": "9", "one": "1",
    "two": "2", "six": "6",
})  # fmt: skip
# Characters read for their sound (谐音): each is a digit's homophone, never a digit in its own right.
SOUNDS: Final[Mapping[str, str]] = MappingProxyType({
    **dict.fromkeys("衣依医伊", "1"), **dict.fromkeys("耳儿尔饵", "2"), **dict.fromkeys("散伞山", "3"),
    **dict.fromkeys("死寺思丝", "4"), **dict.fromkeys("舞午吾屋武", "5"), **dict.fromkeys("溜留流", "6"),
    **dict.fromkeys("妻期漆琪", "7"), **dict.fromkeys("巴吧扒疤芭", "8"), **dict.fromkeys("久酒韭", "9"),
    **dict.fromkeys("灵铃令玲", "0"),
})  # fmt: skip
# The ten heavenly stems (天干) counted in order, 甲 = 1 … 壬 = 9, 癸 = 0: a number told as "use the stems".
STEMS: Final[Mapping[str, str]] = MappingProxyType({c: str((i + 1) % 10) for i, c in enumerate("甲乙丙丁戊己庚辛壬癸")})
# Round 20 (batch 22 read): the earthly branches (地支) counted in order, 子 = 1 … 申 = 9, 酉 = 0; read only where the
# message names them (午 and 巳 are homophones of 5 and 4 elsewhere).
BRANCHES: Final[Mapping[str, str]] = MappingProxyType({c: str((i + 1) % 10) for i, c in enumerate("子丑寅卯辰巳午未申酉")})
_AS_BRANCHES: Final = str.maketrans(dict(BRANCHES))
_BRANCH: Final = "[" + "".join(BRANCHES) + "]"
_BRANCH_RUN: Final = re.compile(f"(?<!{_BRANCH}){_BRANCH}{{11}}(?!{_BRANCH})")
_WRITTEN: Final = MappingProxyType({**{d: d for d in "0123456789"}, **{k: v for k, v in CJK_DIGITS.items() if not k.isascii()}})
_TOKENS: Final[Mapping[str, str]] = MappingProxyType({**_WRITTEN, **SOUNDS, **STEMS, **SPOKEN})
_TOKEN: Final = "|".join(sorted(_TOKENS, key=len, reverse=True))
_COUNTS: Final = MappingProxyType({**{c: str(i) for i, c in enumerate("零一二三四五六七八九") if i > 1}, "两": "2",
                            **{str(i): str(i) for i in range(2, 10)}, "double": "2", "triple": "3"})  # fmt: skip
_NUMERAL: Final = "[一二两三四五六七八九]"
# a group said as a value with place words (一百三十八 = 138, 两千四百六十八 = 2468), not digit by digit
_VALUE: Final = f"(?:{_NUMERAL}千)?(?:零?{_NUMERAL}百)?(?:零?{_NUMERAL}?十)?(?:零?[一二三四五六七八九])?"
_PLACES: Final = MappingProxyType({"千": 1000, "百": 100, "十": 10})
_COUNT_AHEAD: Final = f"[{''.join(c for c in _COUNTS if len(c) == 1)}]个(?:{_TOKEN})"  # a run stops before 四个零
_UNIT: Final = "号|路|个|人|台|元|块|米|栋|楼|层|点|岁|天|月|年|名|张|次|件|单|份|万|千|百|分|位|到|至|线|公里|平|斤|克|倍|小时"
# one group per match: how many digits follow (后八位是: no group), a digit told by its place (第三位是9), a digit told N times (四个零, 三个八, double 8), a value said with place
# words (一百三十八), or a run of
# digit tokens; a run followed by a unit or a counter is a count (135号窗口, 26天), which ends a chain
_GROUP: Final = re.compile(
    f"(?P<lead>(?:剩下|剩余|其余|后面|前面|中间|最后|后|前)的?(?:{_TOKEN}|十){{1,2}}位(?:数字|数)?(?:是|为)?)"
    f"|第(?:{_TOKEN}|十){{1,2}}(?:位|个数字?)(?:是|为)?(?P<place>{_TOKEN})"
    f"|(?:(?P<times>[{''.join(c for c in _COUNTS if len(c) == 1)}])个|(?P<spoken>double|triple))(?P<repeated>{_TOKEN})"
    f"|(?P<value>(?={_NUMERAL}?[千百十]){_VALUE}(?<=[一二三四五六七八九十]))(?![千百十万])(?P<vunit>{_UNIT})?"
    f"|(?P<run>(?:(?!{_COUNT_AHEAD})(?:{_TOKEN}))+)(?P<unit>{_UNIT})?"
)
_ONE: Final = re.compile(_TOKEN)
_MOBILE: Final = re.compile("1[3-9][0-9]{9}")
_GAP: Final = 12  # characters of words allowed between two groups (as moderation.dialled.spread)

# phone and contact words, and hints that digits are to be read some other way
ANCHORS_SPOKEN: Final = ("电话", "手机", "号码", "打给", "打我", "拨", "联系", "call", "phone", "谐音", "拼音", "念", "读出来", "天干", "地支")


def spoken_value(said: str) -> int:
    """一百三十八 → 138: a numeral said with its place words."""
    total, digit = 0, 0
    for ch in said:
        if ch in _PLACES:
            total += (digit or 1) * _PLACES[ch]
            digit = 0
        elif ch != "零":
            digit = int(_TOKENS[ch])
    return total + digit


def _groups(folded: str) -> list[tuple[int, int, str, bool]]:
    """``(start, end, digits, read)``: ``read`` when the group is not plain written digits (a place, a count, a
    spoken or homophone token); a plain run shorter than three digits and a count with a unit are dropped."""
    out: list[tuple[int, int, str, bool]] = []
    for m in _GROUP.finditer(folded):
        if m.group("lead") is not None:
            continue  # "the last eight digits are": tells how many follow, no digits of its own
        if m.group("place") is not None:
            out.append((m.start(), m.end(), _TOKENS[m.group("place")], True))
        elif m.group("value") is not None:
            if m.group("vunit") is not None:
                out.append((m.start(), m.end(), "", False))  # an amount or a count (一百三十八人)
                continue
            out.append((m.start(), m.end(), str(spoken_value(m.group("value"))), True))
        elif m.group("repeated") is not None:
            times = int(_COUNTS[m.group("times") or m.group("spoken")])
            out.append((m.start(), m.end(), _TOKENS[m.group("repeated")] * times, True))
        else:
            tokens = _ONE.findall(m.group("run"))
            plain = all(t in _WRITTEN for t in tokens)
            if m.group("unit") is not None or len(tokens) < 3:
                out.append((m.start(), m.end(), "", False))  # a count or a stray digit: breaks a chain
            else:
                out.append((m.start(), m.end(), "".join(_TOKENS[t] for t in tokens), not plain))
    return out


# Probes before the group search (which costs far more): one translate through a list (no dict look-ups) marks each
# character r (a token character other than an ASCII digit), l (a Latin letter) or d (an ASCII digit) and drops the
# rest. A reading needs a group that is not plain written digits: two such characters at least (四个零, 一百, 衣散巴)
# or three spoken tokens (six letters); with the written digits, seven characters at least to tell eleven digits.
def _classes() -> tuple[str | None, ...]:
    marks: dict[str, str] = {**dict.fromkeys("abcdefghijklmnopqrstuvwxyz", "l"), **dict.fromkeys("0123456789", "d")}
    marks.update((c, "r") for t in _TOKENS if not t.isascii() for c in t)
    table: list[str | None] = [None] * (max(map(ord, marks)) + 1)  # code points past its end are kept: never r/l/d
    for ch, mark in marks.items():
        table[ord(ch)] = mark
    return tuple(table)


_CLASSES: Final = _classes()
_FEWEST: Final = 7


def _marked(mark: str) -> re.Pattern[str]:
    """A class of the characters ``_CLASSES`` marks ``mark``: counted by a search that skips the rest in C (round 19
    speed: a translate through the table looks up every character of the message)."""
    return re.compile("[" + "".join(re.escape(chr(i)) for i, m in enumerate(_CLASSES) if m == mark) + "]")


_READ, _LETTER, _WRITTEN_DIGIT = _marked("r"), _marked("l"), _marked("d")


def _readable(folded: str) -> bool:
    """Could the message tell a mobile number in a reading at all?"""
    read, letters = len(_READ.findall(folded)), len(_LETTER.findall(folded))
    if letters >= 6:
        read += letters
    return read >= 2 and read + len(_WRITTEN_DIGIT.findall(folded)) >= _FEWEST


def spoken_numbers(folded: str) -> Iterator[Raw]:
    """Digit groups a few words apart, in any reading (pinyin, English, homophones, places, counts), that make one
    mobile number together; plain written groups alone are :mod:`moderation.dialled`'s and the digit run's."""
    if "地支" in folded:
        for m in _BRANCH_RUN.finditer(folded):
            if _MOBILE.fullmatch(m.group().translate(_AS_BRANCHES)) is not None:
                yield ("pii", "phone", m.start(), m.end(), "phone spoken")
                return
    if not _readable(folded):
        return
    groups = _groups(folded)
    for i, (start, end, digits, read) in enumerate(groups):
        if not digits.startswith("1"):
            continue
        joined, last, any_read = digits, end, read
        for s, e, d, r in groups[i + 1 :]:
            if len(joined) >= 11 or s - last > _GAP or not d:
                break
            joined, last, any_read = joined + d, e, any_read or r
        if any_read and len(joined) == 11 and _MOBILE.fullmatch(joined) is not None:
            yield ("pii", "phone", start, last, "phone spoken")
            return


#: anchor group → its anchors (merged into lexicon.ANCHORS) and detector (merged into detectors.BY_GROUP).
ANCHORS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType({"spoken": ANCHORS_SPOKEN})
DETECTORS: Final[Mapping[str, Callable[[str], Iterator[Raw]]]] = MappingProxyType({"spoken": spoken_numbers})
DOUBLES: Final[Mapping[str, str]] = MappingProxyType({})
LABELS: Final[frozenset[str]] = frozenset()
