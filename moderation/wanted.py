"""Round 19: a protected ground wanted or refused, with the verbs as one shared set (standard 5.1.3 d;
就业促进法 §3, §26–31; 妇女权益保障法 §43; 人力资源市场暂行条例 §24).

The per-ground shapes of :mod:`moderation.detectors` and the word pairs of :mod:`moderation.grounds` each know a
few verbs; a fresh writer wants (偏爱, 点名要, 仅面向, 只留给) or refuses (恕不录用, 轮不上, 不麻烦你们跑一趟, 唔请)
in others. Here a refusal is composed — a negation (不, 别, 勿, 莫, 唔, 甭, 没法, 恕不, 不得…) before a hiring act
(要, 招, 收, 录, 用, 请, 考虑, 安排, 来, 报, 投, 推…) — or one of the closed forms (轮不上, 给不了, 白跑, 略过, 往后靠),
and the ground is any member of a class of :mod:`moderation.classes`. Three shapes:

- a class, then a refusal within a short stretch (刷掉 the people named): labelled as round 11's pair, so the
  policy keeps it only when the refusal ends its clause ("孕期的不安排夜班" refuses a shift, not the person);
- a verb of wanting, then a class right after it (偏爱95后, 仅面向男性求职者, 最好是未婚的), or a class then 优先/才要;
- a refusal, then the class as people (谢绝外地户口的).

Lawful exceptions kept: the legal minimum age (童工, 未满十六), a disease the food law bars from food handling
(食品安全法 §34: 传染病, 结核), a task refused between the two (孕妇夜班不安排: 女职工劳动保护特别规定 §6), a negated or
inclusive ground (不管几零后, 年纪大点的也欢迎). Who may say it is the policy's: a seeker's own wish or question passes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType

from moderation import alternation
from moderation.classes import CLASS_ANCHORS, class_of, grounds_in
from moderation.grounds import LABEL

Raw = tuple[str, str, int, int, str]
WANTED = "ground wanted"

NEGATIONS = ("不要", "不用", "不必", "别再", "不", "别", "勿", "莫", "唔", "甭", "冇", "没法", "没办法", "无法", "恕不", "不予", "不得", "不敢", "不能")
ACTS = ("要", "招", "收", "录", "录用", "用", "请", "考虑", "安排", "来", "嚟", "报", "报名", "投", "看", "开放", "通过", "适合",
        "合适", "麻烦", "惦记", "折腾", "凑热闹", "推", "面试")  # fmt: skip
CLOSED = ("轮不上", "轮不到", "排不上", "给不了", "安排不进", "安排不了", "安排不上", "用不上", "用不了", "录不了", "进不了",
          "过不了", "干不了", "要不了", "收不了", "白报", "白跑", "白投", "白来", "算了", "免谈", "谢绝", "勿扰", "莫扰",
          "略过", "排后面", "往后靠", "往后排", "靠后", "忌讳", "刷掉", "拒收", "婉拒", "没戏", "没门", "pass")  # fmt: skip
WANTS = ("只要", "只招", "只收", "只录", "只看", "只认", "只留给", "只面向", "只考虑", "只用", "只挑", "仅招", "仅要", "仅收",
         "仅面向", "仅考虑", "专招", "专要", "就要", "点名要", "指定要", "倾向", "偏爱", "偏向", "偏好", "更喜欢", "首选",
         "优先", "最好是", "最好要", "最好招", "期待", "期望", "希望是", "希望招", "宁愿要", "宁可要", "宁愿招", "宁可招",
         "更想要", "想要", "限招", "限收", "限要", "须为", "须是", "必须是")  # fmt: skip
AFTER_WANTS = ("优先", "才要", "才招", "才收", "才行", "才可以", "吃香")
PRE = ("不要", "不招", "不收", "谢绝", "拒绝", "拒收", "不考虑", "别要", "别招", "莫要", "唔要", "唔请", "唔收", "勿要", "别推")

_FILL_WORDS = ("再", "往我这", "往我们这", "往这", "往下", "给我")
_FILL = f"(?:{'|'.join(_FILL_WORDS)})?"
# what the refusal may carry to its clause's end: whom, the trip, the post (不麻烦你们跑一趟了, 给不了岗位)
_TAIL = "(?:你们|你|您|大家)?(?:跑一趟|过来|进来|报名|面试|投递|投简历|[\u4e00-\u9fff]{0,3}(?:岗位|岗|位置|名额|机会)){0,2}"
# "don't send me" (不要往我这推, 别给我介绍): the act is the referrer's
_SEND_NEGATIONS = ("不要", "不用", "别", "莫", "勿")
_SEND_TO = ("往我这", "往我们这", "往这", "给我")
_SEND_VERBS = ("推", "送", "介绍", "带")
_SEND = f"(?:再)?(?:{'|'.join(_SEND_TO)})?(?:{'|'.join(_SEND_VERBS)})(?:过来|来)?"
_ACT = f"{_FILL}(?:{'|'.join(sorted(ACTS, key=len, reverse=True))}){_TAIL}"
# Every alternative starts with its own literal (not a group), in the order the alternation had: ``re`` then skips to
# the characters a refusal can start with instead of trying every form at every position.
_REFUSE = re.compile(
    "|".join((
        *(s + _SEND for s in _SEND_NEGATIONS),
        *(n + _ACT for n in sorted(NEGATIONS, key=len, reverse=True)),
        *(c + f"(?:来|去)?{_TAIL}" for c in CLOSED),
    ))
)  # fmt: skip
_WANT = re.compile("|".join(sorted(WANTS, key=len, reverse=True)))
_AFTER_WANT = re.compile("|".join(AFTER_WANTS))
_PRE = re.compile("|".join(PRE))
_PEOPLE_END = re.compile("[^|]{0,3}?(?:应聘者|求职者|的|人|者)")
_REACH = 16  # characters between a class and its refusal
_INCLUSIVE = re.compile("欢迎|可以|都行|都收|都要|也收|也要|也行|不限|均可|没问题|不影响|照样|一样|没关系|都有|都能|也能|无所谓")
_NEGATED_BEFORE = re.compile("(?:不限|不管|不看|不问|不分|无论|不论|不是|并非|非|不|无|没)[^|]{0,2}$")
# a task refused to the people, not the people (孕妇不安排重体力岗位): 女职工劳动保护特别规定 §6
_TASK = re.compile("夜班|加班|晚班|高空|重活|重物|重体力|搬|井下|有毒|辐射|夜里|值班|出差|倒班")
_LAWFUL_AGE = re.compile("童工|未成年|未满十[六八]|不满十[六八]|十[六八]周?岁以下|(?:16|18)周?岁以下")
_FOOD_LAW = re.compile("传染病|结核|痢疾|伤寒|化脓")


# a rule of law named (按规定满六十周岁就不能再驾驶大客车), not the company's (公司规定)
_LAW_NAMED = re.compile("(?:按|依|根据|依照)(?:国家|法律|法规|相关|交规)?规定|依法|法律规定|国家规定|法规")
# a measure the job needs, not a group (只要矫正视力合格)
_STANDARD = re.compile("[^|]{0,3}?(?:合格|达标|正常|过关|符合)")


def _lawful(folded: str, ground: re.Match[str]) -> bool:
    """A limit the law itself sets: the legal minimum age, a disease barred from food handling, a rule of law named."""
    if _LAWFUL_AGE.search(folded) is not None and class_of(ground.group()) in ("age", "family"):
        return True
    if _STANDARD.match(folded, ground.end()) is not None or _LAW_NAMED.search(folded) is not None:
        return True
    return _FOOD_LAW.search(folded, max(0, ground.start() - 4), ground.end() + 2) is not None


def _named(folded: str, ground: re.Match[str]) -> bool:
    """The class names the people wanted or refused: not negated (不管几零后), not lawful."""
    return _NEGATED_BEFORE.search(folded, max(0, ground.start() - 4), ground.start()) is None and not _lawful(folded, ground)


def refused(folded: str, found: list[re.Match[str]]) -> Iterator[Raw]:
    """A class, then a refusal (属马属羊的…这次不收, 江西老表这次就不用了); the policy wants the refusal to end its clause."""
    for r in _REFUSE.finditer(folded, found[0].end(), found[-1].end() + _REACH + 24):  # 24: the longest refusal
        for g in reversed(found):
            if g.end() > r.start():
                continue
            between = folded[g.end() : r.start()]
            if len(between) > _REACH:
                break
            if not _named(folded, g):
                continue  # 还没孩子的: the class before it may be the one refused (结婚三年还没孩子的不要)
            if _INCLUSIVE.search(between) is None and _TASK.search(folded, g.end(), r.end()) is None:
                yield ("discrimination", "block", g.start(), r.end(), LABEL)
            break


def wanted(folded: str, found: list[re.Match[str]]) -> Iterator[Raw]:
    """A verb of wanting right before a class (偏爱95后, 仅面向男性), or a class right before 优先/才要."""
    for w in _WANT.finditer(folded, 0, found[-1].start()):
        if _NEGATED_BEFORE.search(folded, max(0, w.start() - 2), w.start()) is not None:
            continue  # 不限, 不是只要
        g = next((g for g in found if g.start() >= w.end()), None)
        if g is None or g.start() - w.end() > 6 or not _named(folded, g):
            continue
        if _INCLUSIVE.search(folded, w.end(), g.end() + 6) is None:
            yield ("discrimination", "block", w.start(), g.end(), WANTED)
    for a in _AFTER_WANT.finditer(folded, found[0].end()):
        before = [g for g in found if g.end() <= a.start()]
        if before and a.start() - before[-1].end() <= 4 and _named(folded, before[-1]):
            yield ("discrimination", "block", before[-1].start(), a.end(), WANTED)


_PRE_GAP = frozenset(("", "招", "要", "收", "用", "请"))  # 不要招外地人; not 不收押金，外地人


def refused_before(folded: str, found: list[re.Match[str]]) -> Iterator[Raw]:
    """A refusal, then the class as people (谢绝外地户口的, 唔请北佬): the policy wants it to end its clause."""
    for p in _PRE.finditer(folded, 0, found[-1].start()):
        g = next((g for g in found if g.start() >= p.end()), None)
        if g is not None and folded[p.end() : g.start()] in _PRE_GAP and _named(folded, g):
            people = _PEOPLE_END.match(folded, g.end())
            yield ("discrimination", "block", p.start(), people.end() if people else g.end(), LABEL)


# Whether any verb of the shapes above occurs (the refusals, wants and their closed forms as one alternation): the
# shortest form of each, spelled out as words (a refusal's optional tail never decides whether it occurs), in one
# tree (moderation.alternation): ``re`` skips to their first characters and tries a few branches there instead of
# every form (round 19 speed: the same messages pass as with the four patterns joined, tests/moderation).
_VERB_WORDS: tuple[str, ...] = tuple(sorted({
    *(s + again + to + v for s in _SEND_NEGATIONS for again in ("", "再") for to in ("", *_SEND_TO) for v in _SEND_VERBS),
    *(n + fill + act for n in NEGATIONS for fill in ("", *_FILL_WORDS) for act in ACTS),
    *CLOSED, *WANTS, *AFTER_WANTS, *PRE,
}))  # fmt: skip
_ANY_VERB = alternation.compile_words(_VERB_WORDS)


def grounds_wanted(folded: str) -> Iterator[Raw]:
    """Every shape of this module: a verb of wanting or refusing first (most messages naming a ground have none), then
    the classes naming people (one scan), then each shape's verbs around them."""
    if _ANY_VERB.search(folded) is None:
        return
    found = grounds_in(folded, 0, len(folded))
    if not found:
        return
    yield from refused(folded, found)
    yield from wanted(folded, found)
    yield from refused_before(folded, found)


# Someone else's limit told and condemned or questioned ("有个厂说35岁以上不要，那是违法的", "我最讨厌那种只招男的厂",
# "还说属虎的不要，这合理吗"): a report before the hit and a condemnation in the message; "谁跟你说不要外地人的" denies it.
_REPORTED = re.compile("说|讲|那种|这种|那些|有的|有些|别的|有个|有家")
_CONDEMNED = re.compile("违法|违规|不合法|犯法|歧视|投诉|举报|踢|拉黑|讨厌|反感|别信|谁跟你说|谁说|(?:合理|正常|合法|公平)吗|能这样吗")
CONDEMN_CUES = ("违法", "违规", "不合法", "犯法", "歧视", "投诉", "讨厌", "反感", "别信", "谁跟你说", "谁说", "合理吗", "正常吗",
                "合法吗", "公平吗", "能这样吗")


def condemned(folded: str, start: int) -> bool:
    """A discrimination hit inside another's rule the speaker condemns (cleared by :mod:`moderation.disowned`)."""
    return _REPORTED.search(folded, max(0, start - 12), start) is not None and _CONDEMNED.search(folded) is not None


# anchored on the classes' heads, not the verbs: 不要, 不用, 优先 fill ordinary messages ("不用交钱"), a class fewer
ANCHORS: Mapping[str, tuple[str, ...]] = MappingProxyType({"wanted": CLASS_ANCHORS})
DETECTORS: Mapping[str, Callable[[str], Iterator[Raw]]] = MappingProxyType({"wanted": grounds_wanted})
DOUBLES: Mapping[str, str] = MappingProxyType({"wanted": "discrimination"})
LABELS: frozenset[str] = frozenset((WANTED,))
