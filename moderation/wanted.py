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
from typing import Final

from moderation import alternation
from moderation.classes import CLASS_ANCHORS, class_of, grounds_in
from moderation.grounds import LABEL

Raw = tuple[str, str, int, int, str]
WANTED: Final = "ground wanted"

NEGATIONS: Final = ("不要", "不用", "不必", "别再", "不", "别", "勿", "莫", "唔", "甭", "冇", "没法", "没办法", "无法", "恕不", "不予", "不得", "不敢", "不能",
             # round 20: unwillingness (不乐意要, 唔肯请), dialects' "no way to" (莫得法要, 冇得), the typed 8 for 不 (8用投了)
             "不乐意", "不愿意", "不愿", "不肯", "不想", "懒得", "唔好", "唔肯", "唔使", "莫得法", "没得法", "冇法", "冇得", "莫法",
             "8用", "8要")  # fmt: skip
ACTS: Final = ("要", "招", "收", "录", "录用", "用", "请", "考虑", "安排", "来", "嚟", "报", "报名", "投", "看", "开放", "通过", "适合",
        "合适", "麻烦", "惦记", "折腾", "凑热闹", "推", "面试",
        # round 20: taking on (接受, 录取, 聘用), keeping (留), touching (碰), caring for (稀罕) and answering (回复)
        "接受", "接收", "录取", "聘", "聘用", "聘请", "留", "碰", "稀罕", "回复", "投递", "理会")  # fmt: skip
CLOSED: Final = ("轮不上", "轮不到", "排不上", "给不了", "安排不进", "安排不了", "安排不上", "用不上", "用不了", "录不了", "进不了",
          "过不了", "干不了", "要不了", "收不了", "白报", "白跑", "白投", "白来", "算了", "免谈", "谢绝", "勿扰", "莫扰",
          "略过", "排后面", "往后靠", "往后排", "靠后", "忌讳", "刷掉", "拒收", "婉拒", "没戏", "没门", "pass",
          # round 20: sent away (绕道, 走人, 免开尊口, 省省), cut out (刷下去, 筛掉, 跳过), barred (就不行), over the age (超龄)
          "免开尊口", "劝你省", "还是省", "死心", "跳过", "走人", "刷下去", "筛掉", "筛下去", "踢掉", "淘汰", "就不行", "都不行", "也不行",
          "可不行", "绕道", "绕路", "绕行", "超龄", "过线", "超线",
          # round 22 (batch 24 read): the post handed to another (有了的这个岗就给别人了)
          "给别人了", "让给别人", "就给别人", "换别人", "换人了",
          # a hiring act that cannot be done (收唔到, 请不起, 招不进)
          *(a + n + r for a in ("招", "收", "要", "用", "请", "录", "聘", "留") for n in ("唔", "不") for r in ("到", "进", "起", "下")))  # fmt: skip
WANTS: Final = ("只要", "只招", "只收", "只录", "只看", "只认", "只留给", "只面向", "只考虑", "只用", "只挑", "仅招", "仅要", "仅收",
         "仅面向", "仅考虑", "专招", "专要", "就要", "点名要", "指定要", "倾向", "偏爱", "偏向", "偏好", "更喜欢", "首选",
         "优先", "最好是", "最好要", "最好招", "期待", "期望", "希望是", "希望招", "宁愿要", "宁可要", "宁愿招", "宁可招",
         "更想要", "想要", "限招", "限收", "限要", "须为", "须是", "必须是", "留给",
         "也得是", "都得是", "就得是", "必须得是")  # fmt: skip  # batch 25 read: 掌勺也得是爷们
AFTER_WANTS: Final = ("优先", "才要", "才招", "才收", "才行", "才可以", "吃香")
PRE: Final = ("不要", "不招", "不收", "谢绝", "拒绝", "拒收", "不考虑", "别要", "别招", "莫要", "唔要", "唔请", "唔收", "勿要", "别推")

_FILL_WORDS: Final = ("再", "往我这", "往我们这", "往这", "往下", "给我")
_FILL: Final = f"(?:{'|'.join(_FILL_WORDS)})?"
# what the refusal may carry to its clause's end: whom, the trip, the post (不麻烦你们跑一趟了, 给不了岗位)
_TAIL: Final = (
    "(?:你们|你|您|大家)?(?:跑一趟|过来|进来|报名|面试|投递|投简历|[\u4e00-\u9fff]{0,3}(?:岗位|岗|位置|名额|机会)"
    "|凑[^|]{0,3}?(?:热闹|数)|添乱|浪费[^|]{0,3}?时间){0,2}"
)
# "don't send me" (不要往我这推, 别给我介绍): the act is the referrer's
_SEND_NEGATIONS: Final = ("不要", "不用", "别", "莫", "勿")
_SEND_TO: Final = ("往我这", "往我们这", "往这", "给我")
_SEND_VERBS: Final = ("推荐", "推", "送", "介绍", "带")
_SEND: Final = f"(?:再)?(?:{'|'.join(_SEND_TO)})?(?:{'|'.join(_SEND_VERBS)})(?:过来|来)?"
# round 20: a threshold passed (年龄过了我们的线, 超了公司的上限): the refusal is the line, not an act
_PAST: Final = ("过", "超")
_WHOSE_WORDS: Final = ("我们的", "我们", "咱们的", "公司的", "公司", "厂里的", "这边的", "")
_WHOSE: Final = f"(?:{'|'.join(w for w in _WHOSE_WORDS if w)})?"
_ACT: Final = f"{_FILL}(?:{'|'.join(sorted(ACTS, key=len, reverse=True))}){_TAIL}"
# Every alternative starts with its own literal (not a group), in the order the alternation had: ``re`` then skips to
# the characters a refusal can start with instead of trying every form at every position.
_REFUSE: Final = re.compile(
    "|".join((
        *(s + _SEND for s in _SEND_NEGATIONS),
        *(n + _ACT for n in sorted(NEGATIONS, key=len, reverse=True)),
        *(c + f"(?:来|去)?{_TAIL}" for c in CLOSED),
        *(v + f"了?{_WHOSE}(?:线|门槛|上限|杠)" for v in _PAST),
    ))
)  # fmt: skip
_WANT: Final = re.compile("|".join(sorted(WANTS, key=len, reverse=True)))
_AFTER_WANT: Final = re.compile("|".join(AFTER_WANTS))
_PRE: Final = re.compile("|".join(PRE))
_REFUSE_FIRST: Final = re.compile(f"{_PRE.pattern}|{_REFUSE.pattern}")
_PEOPLE_END: Final = re.compile("[^|]{0,3}?(?:应聘者|求职者|的|人|者)")
_REACH: Final = 16  # characters between a class and its refusal
_INCLUSIVE: Final = re.compile("欢迎|可以|都行|都收|都要|也收|也要|也行|不限|均可|没问题|不影响|照样|一样|没关系|都有|都能|也能|无所谓")
# 不到, 不足, 不满 before a number are a threshold, not a negation (个头不到一米五五的…免谈)
_NEGATED_BEFORE: Final = re.compile("(?:不限|不管|不看|不问|不分|无论|不论|不是|并非|非|不(?![到足满超够])|无|没)[^|]{0,2}$")
# a task refused to the people, not the people (孕妇不安排重体力岗位): 女职工劳动保护特别规定 §6
_TASK: Final = re.compile("夜班|加班|晚班|高空|重活|重物|重体力|搬|井下|有毒|辐射|夜里|值班|出差|倒班")
_LAWFUL_AGE: Final = re.compile("童工|未成年|未满十[六八]|不满十[六八]|十[六八]周?岁以下|(?:16|18)周?岁以下")
_FOOD_LAW: Final = re.compile("传染病|结核|痢疾|伤寒|化脓")
# round 22: the law bars the disease while it lasts, not a worker cured of it (肺结核哪怕早治好了…也一律不收)
_CURED: Final = re.compile("治好|痊愈|好了|康复|治愈|早好|好利索|已经好|早就好|以前得过|得过")


# a rule of law named (按规定满六十周岁就不能再驾驶大客车), not the company's (公司规定)
# (按|依|根据|依照)X written as 按X|依X|根据X|依照X (round 21 speed): the same alternatives in the same order, each starting
# with a literal, so ``re`` skips to their first characters instead of trying every position of the message.
_LAW_NAMED: Final = re.compile("|".join(f"{by}(?:国家|法律|法规|相关|交规)?规定" for by in ("按", "依", "根据", "依照")) + "|依法|法律规定|国家规定|法规")
# a measure the job needs, not a group (只要矫正视力合格)
_STANDARD: Final = re.compile("[^|]{0,3}?(?:合格|达标|正常|过关|符合)")


def _lawful(folded: str, ground: re.Match[str]) -> bool:
    """A limit the law itself sets: the legal minimum age, a disease barred from food handling, a rule of law named."""
    if _LAWFUL_AGE.search(folded) is not None and class_of(ground.group()) in ("age", "family"):
        return True
    if _STANDARD.match(folded, ground.end()) is not None or _LAW_NAMED.search(folded) is not None:
        return True
    food = _FOOD_LAW.search(folded, max(0, ground.start() - 4), ground.end() + 2)
    return food is not None and _CURED.search(folded, max(0, food.start() - 4), food.end() + 12) is None


def _named(folded: str, ground: re.Match[str]) -> bool:
    """The class names the people wanted or refused: not negated (不管几零后), not lawful."""
    return _NEGATED_BEFORE.search(folded, max(0, ground.start() - 4), ground.start()) is None and not _lawful(folded, ground)


# Wu, Cantonese and south-western closing particles the clause check does not know (外地人阿拉这搭勿收个)
_DIALECT_PARTICLES: Final = frozenset("个嘅咯噶撒哇喽噻咧")


# round 22: the people asked for something, then a refusal answers it; not when the request is to be hired
# (河南的问能不能报名，不用报了 refuses the people)
_REQUEST: Final = re.compile("问(?:能不能|可不可以|可以不|行不行|要不要|用不用|有没有|能否|可否)(?P<what>[^|]{0,10})")
_HIRING_ASKED: Final = re.compile("报|来|面|投|招|要|录|收|干|做|上班|应聘|进厂|入职|岗")


def _answers_request(between: str) -> bool:
    asked = _REQUEST.search(between)
    return asked is not None and _HIRING_ASKED.search(asked.group("what")) is None


# Round 23: a refusal its clause goes on to justify (坐轮椅的不收因为没电梯, 聋哑的不要哈主要是沟通麻烦): the clause does
# not end at the refusal, but what follows is its reason, not another object refused (宝妈也可以，不要担心 has none)
_REASON: Final = re.compile("[了啦哈哦嘞呢啊吧咯喔哟]{0,2}(?:因为|由于|毕竟|主要是|怕|免得|省得|以免|不然)")
REASONED: Final = "ground refused with a reason"


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
            if _answers_request(between):
                break  # 老表问能不能加个私聊，不用了: the refusal answers the request, not the people
            if _INCLUSIVE.search(between) is None and _TASK.search(folded, g.end(), r.end()) is None:
                end = r.end() + (folded[r.end() : r.end() + 1] in _DIALECT_PARTICLES)
                reason = _REASON.match(folded, r.end())  # round 23: 腿脚不好的不要来啊因为…: the reason ends the refusal
                yield ("discrimination", "block", g.start(), end, LABEL if reason is None else REASONED)
            break


# round 22: 可以 that sends the others elsewhere (更想要小伙子，姐妹们可以看看别的岗) welcomes nobody
_REDIRECT: Final = re.compile("(?:去|先|再)?(?:看看|看|去|换|报|投|找)?(?:别的|别家|其他|其它|隔壁)")


def _welcoming(folded: str, start: int, end: int) -> bool:
    """Inclusive wording in the stretch, not a 可以 that redirects the others to another post."""
    for m in _INCLUSIVE.finditer(folded, start, end):
        if m.group() != "可以" or _REDIRECT.match(folded, m.end()) is None:
            return True
    return False


def wanted(folded: str, found: list[re.Match[str]]) -> Iterator[Raw]:
    """A verb of wanting right before a class (偏爱95后, 仅面向男性), or a class right before 优先/才要."""
    for w in _WANT.finditer(folded, 0, found[-1].start()):
        if _NEGATED_BEFORE.search(folded, max(0, w.start() - 2), w.start()) is not None:
            continue  # 不限, 不是只要
        g = next((g for g in found if g.start() >= w.end()), None)
        if g is None or g.start() - w.end() > 6 or not _named(folded, g):
            continue
        if not _welcoming(folded, w.end(), g.end() + 12):  # round 20: 12 (只看健康证，小三阳…都不影响录用)
            yield ("discrimination", "block", w.start(), g.end(), WANTED)
    for a in _AFTER_WANT.finditer(folded, found[0].end()):
        before = [g for g in found if g.end() <= a.start()]
        if before and a.start() - before[-1].end() <= 4 and _named(folded, before[-1]):
            yield ("discrimination", "block", before[-1].start(), a.end(), WANTED)


# Round 20: the refusal first, the people after it as the refusal's object (不接受带…的人来面试, 拒收…族应聘者, 别给我送
# …那边的工人了). Between them only what describes the people (带, 有, 患, 那种, 已经…), a people's name before its head
# (维吾尔族, 周口市), or anything short when the class closes on 的 (不收每天要做礼拜的) — not 不收押金，外地人.
_GAP_CHARS: Final = frozenset("带有患那这哪些种类任何什么啲嗰个位名已经还正在身上每天常做给我荐招要收用请录聘")
_NAME_HEADS: Final = frozenset("省县州市族")
_PEOPLE_MORE: Final = re.compile(
    "(?:[\u4e00-\u9fff]{0,2}(?:们|人|者|工|仔|佬|哥|姐|姨|叔|婶|爷|娘|伙|友|弟|妹|员|士|同志|师傅)们?)?"
    "(?:来面试|来应聘|来报名|来上班|过来|进来|来)?"
)
# an attribute named without its people is not refused (不看年纪, 不问婚否: inclusive); 年纪大的 is
_ATTRIBUTES: Final = frozenset(("年纪", "年龄", "岁数", "身高", "体重", "长相", "颜值", "相貌", "个子", "个头", "口音", "信仰", "宗教",
                         "生肖", "视力", "听力"))  # fmt: skip
_DENIED: Final = ("不是", "并非", "并不是", "没说")  # 不是不要外地人: a refusal denied


def _gap_ok(folded: str, gap: str, ground: re.Match[str]) -> bool:
    """What may stand between a refusal and the class it refuses."""
    if len(gap) <= 5 and all(c in _GAP_CHARS for c in gap):
        return True
    if len(gap) > 4 or not all("\u4e00" <= c <= "\u9fff" for c in gap):
        return False
    if ground.group() in _NAME_HEADS:
        return True
    people = _PEOPLE_END.match(folded, ground.end())
    return people is not None and people.group().endswith("的")


def refused_before(folded: str, found: list[re.Match[str]]) -> Iterator[Raw]:
    """A refusal, then the class as people (谢绝外地户口的, 唔请北佬, 不录取拄着拐杖走路的): one hit per place its clause
    may end (the folded text has no commas); the policy keeps the one that ends it."""
    for p in _REFUSE_FIRST.finditer(folded, 0, found[-1].start()):
        g = next((g for g in found if g.start() >= p.end()), None)
        if g is None or not _gap_ok(folded, folded[p.end() : g.start()], g):
            continue
        if folded.endswith(_DENIED, 0, p.start()) or _lawful(folded, g):
            continue
        ends = [] if g.group() in _ATTRIBUTES else [g.end()]
        people = _PEOPLE_END.match(folded, g.end())
        if people is not None:
            ends.append(people.end())
            more = _PEOPLE_MORE.match(folded, people.end())
            if more is not None and more.end() > people.end():
                ends.append(more.end())
        for e in ends:
            yield ("discrimination", "block", p.start(), e, LABEL)


# Round 20: "除了 X，其他…不…" — every class but one refused (除了本地人，其他人免开尊口).
_EXCEPT: Final = re.compile("(?:除了|除开|除去|除)是?$")
_OTHERS: Final = re.compile("其他|其它|别的|其余|剩下|另外")


def excepted(folded: str, found: list[re.Match[str]]) -> Iterator[Raw]:
    """One class excepted and the others refused; the policy wants the refusal to end its clause."""
    if "除" not in folded:  # round 21 speed: every match of _EXCEPT holds 除; without one nothing is yielded
        return
    for g in found:
        e = _EXCEPT.search(folded, max(0, g.start() - 3), g.start())
        o = _OTHERS.search(folded, g.end(), g.end() + 8) if e is not None else None
        r = _REFUSE.search(folded, o.end(), o.end() + 16) if o is not None else None
        if e is not None and r is not None and _INCLUSIVE.search(folded, g.end(), r.start()) is None:
            yield ("discrimination", "block", e.start(), r.end(), LABEL)


# Round 20 (the folded text has repeats collapsed: 想想 is 想): a refusal left to the listener — "weigh yourself" (自己琢磨, 自己衡量, 心里明白), "you know what I mean"
# (懂我意思, 你懂的, 知道我想说什么), "only to make up the numbers" (陪跑) — after a class: held for review, as hints.
_HINT: Final = re.compile(
    "自己(?:先|再|好好|多)?(?:琢磨|衡量|掂|估量|估摸|斟酌|考量|思量|看着办|权衡)"
    "|自己(?:先|再|好好)?想(?:清楚|好|一想|一下)?[^|]{0,8}?(?:能不能|行不行|适不适合|合不合适|过不过|够不够|配不配)"
    "|心里(?:要|得)?(?:有个?(?:数|底|谱)|明白|清楚)|你懂的|都懂的|大家懂的|懂我(?:的)?意思"
    "|知道我(?:想说什么|的?意思|在说什么|要说什么)|明白我(?:的?意思|想说什么)"
    "|量力而行|不多说|不多解释|不多讲|不用我多说|不必多说|陪跑|陪太子读书|别让我们?为难|别为难我"
    "|慎重(?:考虑|报名|投递)?|三思|谨慎(?:考虑|报名|投递)"  # round 20 lead (batch 22 read): 年纪大的慎重考虑
)
HINT_HEADS: Final = (
    *("自己" + v for v in ("琢磨", "衡量", "掂", "估", "斟酌", "考量", "思量", "看着办", "权衡", "先", "再", "好好", "多", "想")),
    "心里", "你懂的", "都懂的", "大家懂的", "懂我", "知道我", "明白我", "量力而行", "不多说", "不多解释", "不多讲", "不用我多说",
    "不必多说", "陪跑", "陪太子", "别让我", "别为难", "慎重", "三思", "谨慎",
)  # fmt: skip
HINTED: Final = "ground hinted"
_HINT_REACH: Final = 20


def hinted(folded: str, found: list[re.Match[str]]) -> Iterator[Raw]:
    """A class, then a hint that the people need not apply: review (a person reads the hint)."""
    for h in _HINT.finditer(folded, found[0].end()):
        before = [g for g in found if g.end() <= h.start()]
        if not before or h.start() - before[-1].end() > _HINT_REACH or not _named(folded, before[-1]):
            continue
        if _INCLUSIVE.search(folded, before[-1].end(), h.start()) is None:
            yield ("discrimination", "review", before[-1].start(), h.end(), HINTED)
            return


# Whether any verb of the shapes above occurs (the refusals, wants and their closed forms as one alternation): the
# shortest form of each, spelled out as words (a refusal's optional tail never decides whether it occurs), in one
# tree (moderation.alternation): ``re`` skips to their first characters and tries a few branches there instead of
# every form (round 19 speed: the same messages pass as with the four patterns joined, tests/moderation).
_VERB_WORDS: Final[tuple[str, ...]] = tuple(sorted({
    *(s + again + to + v for s in _SEND_NEGATIONS for again in ("", "再") for to in ("", *_SEND_TO) for v in _SEND_VERBS),
    *(n + fill + act for n in NEGATIONS for fill in ("", *_FILL_WORDS) for act in ACTS),
    *CLOSED, *WANTS, *AFTER_WANTS, *PRE, *HINT_HEADS,
    *(v + le + w + x for v in _PAST for le in ("", "了") for w in _WHOSE_WORDS for x in ("线", "门槛", "上限", "杠")),
}))  # fmt: skip
_ANY_VERB: Final = alternation.contains(_VERB_WORDS)  # round 23: one Aho–Corasick pass in C, not the tree's search


def grounds_wanted(folded: str) -> Iterator[Raw]:
    """Every shape of this module: a verb of wanting or refusing first (most messages naming a ground have none), then
    the classes naming people (one scan), then each shape's verbs around them."""
    if not _ANY_VERB(folded):
        return
    found = grounds_in(folded, 0, len(folded))
    if not found:
        return
    yield from refused(folded, found)
    yield from wanted(folded, found)
    yield from refused_before(folded, found)
    yield from excepted(folded, found)
    yield from hinted(folded, found)


# Someone else's limit told and condemned or questioned ("有个厂说35岁以上不要，那是违法的", "我最讨厌那种只招男的厂",
# "还说属虎的不要，这合理吗"): a report before the hit and a condemnation in the message; "谁跟你说不要外地人的" denies it.
_REPORTED: Final = re.compile("说|讲|那种|这种|那些|有的|有些|别的|有个|有家|听说|写")
# round 20: called disgusting or unfair (恶心, 缺德, 过分), punished (被罚, 罚款) or forbidden to write (不能写, 禁止)
_CONDEMN_MORE: Final = ("恶心", "缺德", "过分", "谁跟你们说", "谁告诉你", "瞎说", "不一样", "不这样", "不会这样", "被罚", "罚款", "处罚", "不允许", "不能写", "不准写", "不让写", "不许写", "禁止")
_CONDEMNED: Final = re.compile(
    "违法|违规|不合法|犯法|歧视|投诉|举报|踢|拉黑|讨厌|反感|别信|谁跟你说|谁说|(?:合理|正常|合法|公平)吗|能这样吗|"
    + "|".join(_CONDEMN_MORE)
)
CONDEMN_CUES: Final = ("违法", "违规", "不合法", "犯法", "歧视", "投诉", "讨厌", "反感", "别信", "谁跟你说", "谁说", "合理吗", "正常吗",
                "合法吗", "公平吗", "能这样吗", *_CONDEMN_MORE)  # fmt: skip


def condemned(folded: str, start: int) -> bool:
    """A discrimination hit inside another's rule the speaker condemns (cleared by :mod:`moderation.disowned`)."""
    return _REPORTED.search(folded, max(0, start - 12), start) is not None and _CONDEMNED.search(folded) is not None


# anchored on the classes' heads, not the verbs: 不要, 不用, 优先 fill ordinary messages ("不用交钱"), a class fewer
ANCHORS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType({"wanted": CLASS_ANCHORS})
DETECTORS: Final[Mapping[str, Callable[[str], Iterator[Raw]]]] = MappingProxyType({"wanted": grounds_wanted})
DOUBLES: Final[Mapping[str, str]] = MappingProxyType({"wanted": "discrimination"})
LABELS: Final[frozenset[str]] = frozenset((WANTED, HINTED, REASONED))
