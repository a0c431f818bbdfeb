"""Round 24: discrimination said as a preference, a hedge or an apology, refusing nobody outright (standard 5.1.3 d;
就业促进法 §3, §26–31; 妇女权益保障法 §43; 残疾人保障法 §38).

Rounds 11–23 read a protected ground with a refusal or a want (:mod:`moderation.grounds`, :mod:`moderation.wanted`),
a condition, a test or unequal terms (:mod:`moderation.unequal`). A fresh writer leans instead of refusing; each
reader here is a construction whose people slot is any class of :mod:`moderation.classes` (and a few words the
classes leave out: 助听器, 信佛, 黑人, 大肚子):

- a preference: the people, then praise with a degree (二十五岁左右的姑娘最合适, 未婚女性为佳, 男的来做会更合适), or a
  verb of liking, then the people (喜欢招二十出头的, 更愿意要没有孩子的) — review, as a soft preference;
- a hedge: the people, then a concern of the hiring side (三十五岁以上的话我们这边不太方便, 离过婚的老板不太喜欢, 黑人
  我们厂不太敢用, 四十五往上就算了), also mid-clause (戴助听器的用不了，手脚麻利的欢迎), where round 11's pair wants the
  refusal to end its clause; a soft concern (方便, 合适, 好安排) counts with 的话, the hiring side named or a
  disclaimer said;
- an apology: the people, a stereotype, and a disclaimer (湖南人脾气冲…没别的意思, 东北人爱喝酒打架，不好意思).

Employer side only (a seeker asking about their own condition passes). Cleared: an inclusive word between (也可以,
欢迎, 不限), a task refused rather than the people (孕期的夜班不太方便: 女职工劳动保护特别规定 §6), a rule of law
(健康证, 童工, 按规定), a warning or another's rule reported (举报, 有人说), an attribute said not to count (年龄不考虑),
the speaker's own group (我也是湖南人).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Final

from moderation import alternation
from moderation.classes import grounds_in

Raw = tuple[str, str, int, int, str]
Span = tuple[int, int]

# people the classes leave out (a hearing aid, a faith written without 教 between, skin, a pregnant belly)
_EXTRA: Final = re.compile("助听器|信佛|信主|信教|黑人|黑皮肤|大肚子|挺着肚子|戴眼镜|那边的人|那地方的人|那个地方的人|那片的人")
# an attribute, not its people: 年龄不考虑 is inclusive
_ATTRIBUTE: Final = frozenset(("年纪", "年龄", "岁数", "身高", "体重", "长相", "颜值", "相貌", "个子", "个头", "口音", "生肖"))
_INCLUSIVE: Final = re.compile(
    "欢迎|可以|都行|都收|都要|也收|也要|也行|也能|都能|不限|均可|没问题|不影响|照样|一样|没关系|无所谓|不介意|不在乎|都有"
)
_NEGATED: Final = re.compile("(?:不限|不管|不论|无论|不看|不问|不分|不要求|没有要求|对)[^|]{0,2}$")
# a task refused, not the people (女职工劳动保护特别规定 §6), or the job's own demand
_TASK: Final = re.compile("夜班|加班|晚班|夜里|值班|倒班|出差|高空|重活|重物|重体力|搬|井下|有毒|辐射|接孩子|照顾")
_LAWFUL: Final = re.compile("法律|法规|按规定|依法|国家规定|保护规定|童工|未成年|未满十[六八]|健康证|传染病|结核")
# a report or a warning; 歧视 denied by the speaker (不是我们歧视) is a disclaimer, not a warning
_WARNED: Final = re.compile(
    "举报|违法|违规|犯法|投诉|有人说|听说|别信|谣言|瞎说|哪个厂|哪家|那种老板|遇到|刻板印象|以偏概全|地域黑|(?<!不是)(?<!不是我们)(?<!没有)(?<!并非)歧视"
)
_SELF: Final = re.compile("(?:我|俺|咱)(?:也|就|自己)?(?:是|属于)?[^|]{0,2}$")


_LONGEST: Final = 12  # characters a class match may span (一米五几, 二十五岁左右): the window's margin


def _people(folded: str, start: int, end: int) -> list[Span]:
    """The classes naming people (and the few people words the classes leave out) from ``start`` to ``end``, named
    (:func:`_named`), in order. Read in a window around the construction's head, not the whole message: the head is
    found first (round 24's cost)."""
    lo, hi = max(0, start), min(len(folded), end)
    spans = [(m.start(), m.end()) for m in grounds_in(folded, lo, hi)]
    spans.extend((m.start(), m.end()) for m in _EXTRA.finditer(folded, lo, hi))
    return sorted(p for p in spans if _named(folded, p))


def _named(folded: str, span: Span) -> bool:
    """The people are named, not said not to count (不限年龄) nor the speaker's own group (我也是湖南人)."""
    before = folded[max(0, span[0] - 4) : span[0]]
    return _NEGATED.search(before) is None and _SELF.search(before) is None


def _cleared(folded: str) -> bool:
    return _WARNED.search(folded) is not None or _LAWFUL.search(folded) is not None


# ---- a preference: praise with a degree after the people, or a verb of liking before them ----
_PRAISE: Final = re.compile(
    "(?:(?:更|最|比较|会更|相对|更加|还是)(?:好|合适|适合|方便|理想|吃香|稳定|省心|靠谱|放心|顺手|有优势|受欢迎|长久)"
    "|最佳|为佳|为宜|更佳|为好|优先考虑|会优先|优先录用|优先安排|(?:点|些)的好|最好(?![是别不要]))"
    "(?![接照带送做干的])"
)
_LIKE: Final = re.compile(
    "(?:喜欢|愿意|希望|想|倾向于?|偏向于?|偏爱|中意|看中|偏好)(?:招|要|找|用|是|录)(?:个|一个|些|一些|点|那种)?"
)
_PRAISE_GAP: Final = 6
# between a verb of liking and the people only their negation or a pointer (更愿意要没有孩子的, 想找那种九五后的):
# 想找活路，五十岁了还要不要 and 只想找离家近的，河南有没有 name a place or a plight, not the people wanted
_LIKE_GAP: Final = frozenset(("", "没有", "没", "未", "有", "那种", "这种", "那些"))


def preferred(folded: str) -> Iterator[Raw]:
    """The people, then praise (二十五岁左右的姑娘最合适), or a verb of liking, then the people (喜欢招二十出头的)."""
    for praise in _PRAISE.finditer(folded):
        at = praise.start()
        before = [p for p in _people(folded, at - _PRAISE_GAP - _LONGEST, at + _LONGEST) if p[1] <= at]
        if not before or at - before[-1][1] > _PRAISE_GAP:
            continue
        p = before[-1]
        if _INCLUSIVE.search(folded, max(0, p[0] - 6), praise.end() + 6) is None and not _cleared(folded):
            yield ("discrimination", "review", p[0], praise.end(), PREFERRED)
            return
    for like in _LIKE.finditer(folded):
        at = like.end()
        after = next((p for p in _people(folded, at, at + 2 + _LONGEST) if p[0] >= at), None)
        if after is None or folded[at : after[0]] not in _LIKE_GAP:
            continue
        if _INCLUSIVE.search(folded, like.start(), after[1] + 6) is None and not _cleared(folded):
            yield ("discrimination", "review", like.start(), after[1], PREFERRED)
            return


# ---- a hedge: the hiring side's concern about the people ----
# a concern that refuses by itself (用不了, 不太敢用, 有顾虑, 就算了, 不约面试)
_STRONG: Final = (
    "不太想要", "不大想要", "不太愿意要", "不太愿意用", "不太愿意", "不太敢用", "不敢用", "不敢要", "不太放心", "不放心", "有顾虑", "比较顾虑",
    "顾虑", "忌讳", "就算了", "先算了", "算了吧", "不考虑", "暂不考虑", "不予考虑", "别考虑我们", "不往下走", "不约面试", "不安排面试",
    "很难推", "机会不大", "慎投", "恐怕不行", "怕是不行", "就不麻烦", "说声抱歉", "只能说抱歉", "不会要", "不太建议", "不建议",
    "用不了", "用不上", "要不了", "收不了", "招不了", "不能用", "没法用", "不方便收", "不方便要", "不方便招", "不太喜欢",
    "考虑别的岗", "看看别的岗", "换别的岗", "去别家",
)  # fmt: skip
# a concern that needs the hiring side named, 的话 or a disclaimer (女生不方便 may be the worker's)
_SOFT: Final = (
    *(d + a for d in ("不太", "不大", "不怎么", "不是很", "不") for a in ("方便", "合适", "适合", "好安排", "好弄", "好说")),
    "没法安排", "很难办", "难办", "不好办", "再考虑", "要考虑一下", "得考虑一下", "考虑考虑", "再看看", "再商量", "要商量一下",
)  # fmt: skip
_CONCERN: Final = alternation.compile_words((*_STRONG, *_SOFT))  # a prefix tree: the same matches as the longest-first alternation
_STRONG_SET: Final = frozenset(_STRONG)
_HIRING_SIDE: Final = re.compile("的话|我们|咱们|我这|这边|这里|厂里|店里|公司|老板|主管|领导|hr|人事")
_DISCLAIMER: Final = re.compile(
    "不好意思|抱歉|见谅|别介意|别见怪|别误会|没有冒犯|无意冒犯|不是针对|没别的意思|没有别的意思|不是我们?歧视|说句不好听的|"
    "说实话|讲真|实话实说|体谅|谅解|理解一下|你懂的|大家懂的|不瞒你说|直说吧"
)
_DENIED_BEFORE: Final = re.compile("(?:没有|没什么|不会|并不|不存在|哪有|没啥)$")
_ASKED_AFTER: Final = re.compile("[吗么嘛]")
_HEDGE_REACH: Final = 16


def hedged(folded: str) -> Iterator[Raw]:
    """The people, then the hiring side's concern (三十五岁以上的话我们这边不太方便, 广西那边的我们仓库用不了)."""
    for concern in _CONCERN.finditer(folded):
        at = concern.start()
        before = [p for p in _people(folded, at - _HEDGE_REACH - _LONGEST, at + _LONGEST) if p[1] <= at]
        if not before:
            continue
        p = before[-1]
        between = folded[p[1] : at]
        if len(between) > _HEDGE_REACH or (folded[p[0] : p[1]] in _ATTRIBUTE and len(between) <= 2):
            continue
        if _INCLUSIVE.search(between) is not None or _TASK.search(folded, p[1], concern.end() + 6) is not None:
            continue
        if _DENIED_BEFORE.search(folded, max(0, at - 3), at) is not None:
            continue
        if _ASKED_AFTER.match(folded, concern.end()) is not None:
            continue  # 宝妈的话不方便吗: asked
        if concern.group() not in _STRONG_SET and _HIRING_SIDE.search(between) is None and _DISCLAIMER.search(folded) is None:
            continue
        if not _cleared(folded):
            yield ("discrimination", "block", p[0], concern.end(), HEDGED)
        return


# ---- an apology: the people, a stereotype, a disclaimer ----
_TRAIT: Final = re.compile(
    "脾气(?:冲|爆|大|差|不好)|爱喝酒|喝酒打架|爱打架|打架|手脚不干净|太精明|精明得很|懒|不靠谱|不老实|爱偷|素质(?:差|低|不行|不高)|难管|事(?:儿)?(?:太)?多|"
    "爱闹事|爱跳槽|干不长|不踏实|心眼多|狡猾|不守规矩|抱团|斤斤计较|爱计较|娇气|矫情|吃不了苦|不能吃苦|反应慢|脑子慢|不稳定|爱请假"
)
_TRAIT_REACH: Final = 8


def stereotyped(folded: str) -> Iterator[Raw]:
    """The people, a stereotype, and a disclaimer (湖南人脾气冲…没别的意思, 东北人爱喝酒打架，不好意思)."""
    if _DISCLAIMER.search(folded) is None:
        return
    for trait in _TRAIT.finditer(folded):
        at = trait.start()
        before = [p for p in _people(folded, at - _TRAIT_REACH - _LONGEST, at + _LONGEST) if p[1] <= at]
        if not before or at - before[-1][1] > _TRAIT_REACH:
            continue
        if _INCLUSIVE.search(folded, before[-1][1], at) is None and not _cleared(folded):
            yield ("discrimination", "block", before[-1][0], trait.end(), STEREOTYPED)
            return


PREFERRED: Final = "ground preferred"
HEDGED: Final = "ground hedged"
STEREOTYPED: Final = "ground stereotyped"

PREFER_ANCHORS: Final = (
    *(d + a for d in ("更", "最", "比较", "相对", "还是") for a in ("好", "合适", "适合", "方便", "理想", "吃香", "稳定", "省心", "靠谱", "放心", "顺手", "有优势", "受欢迎", "长久")),
    "最佳", "为佳", "为宜", "更佳", "为好", "优先考虑", "会优先", "优先录用", "优先安排", "点的好", "些的好",
    *(v + o for v in ("喜欢", "愿意", "希望", "想", "倾向", "偏向", "偏爱", "中意", "看中", "偏好") for o in ("招", "要", "找", "用", "是", "录")),
)  # fmt: skip
HEDGE_ANCHORS: Final = tuple(sorted(set(_STRONG) | set(_SOFT)))
TRAIT_ANCHORS: Final = (
    "脾气", "爱喝酒", "打架", "手脚不干净", "太精明", "精明得很", "懒", "不靠谱", "不老实", "爱偷", "素质", "难管", "事多", "事儿多", "事太多",
    "事儿太多", "爱闹事", "爱跳槽", "干不长", "不踏实", "心眼多", "狡猾", "不守规矩", "抱团", "斤斤计较", "爱计较", "娇气", "矫情", "吃不了苦",
    "不能吃苦", "反应慢", "脑子慢", "不稳定", "爱请假",
)  # fmt: skip

#: anchor group → its anchors (merged into lexicon.ANCHORS) and detector (merged into detectors.BY_GROUP).
ANCHORS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {"leanprefer": PREFER_ANCHORS, "leanhedge": HEDGE_ANCHORS, "leanstereo": TRAIT_ANCHORS}
)
DETECTORS: Final[Mapping[str, Callable[[str], Iterator[Raw]]]] = MappingProxyType(
    {"leanprefer": preferred, "leanhedge": hedged, "leanstereo": stereotyped}
)
#: the preference and the stereotype are doubles of discrimination; the hedge is not: round 11's pair, found and
#: then dropped by the policy (the refusal does not end its clause), must not keep the mid-clause hedge from running
DOUBLES: Final[Mapping[str, str]] = MappingProxyType({"leanprefer": "discrimination", "leanstereo": "discrimination"})
LABELS: Final[frozenset[str]] = frozenset((PREFERRED, HEDGED, STEREOTYPED))
#: employer-only: a seeker asking about their own condition is no limit (the law binds employers)
EMPLOYER_ONLY: Final[frozenset[str]] = frozenset(ANCHORS)
