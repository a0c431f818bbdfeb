"""A protected ground, then a refusal a few words later (round 11): "回民吃饭麻烦，食堂不单做，这批先不招".

Fresh batches phrase discrimination as a group, a reason, then a refusal at the end of a clause; the per-group
shapes of :mod:`moderation.detectors` want the refusal right after the group. This detector pairs any ground
word (health, religion, ethnicity, origin, marriage and children, pregnancy, age, appearance, school tier) with
any refusal up to a short stretch later; the policy keeps only a pair whose refusal ends its clause, so
"宝妈也可以，不要担心" and "外地的也收，不收押金" stay clean. 就业促进法 §3, §26–31; 残疾人保障法 §38.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

LABEL: Final = "ground+refusal"
PROVINCES: Final = ("河北", "山西", "内蒙", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建", "江西", "山东", "湖北", "湖南",
             "广东", "海南", "四川", "重庆", "云南", "陕西", "青海", "宁夏", "潮汕")  # fmt: skip
# The ground words (each is also an anchor of the "ground" group in lexicon.ANCHORS).
GROUNDS: Final = (
    # health (就业促进法 §30: pathogen carriers; §29: disability)
    "乙肝", "大三阳", "小三阳", "肝病", "精神病", "抑郁", "病史", "艾滋", "癫痫", "残疾", "残障", "聋哑", "有病的",
    # religion and ethnicity (§3)
    "信教", "信佛", "信基督", "信主", "穆斯林", "回民", "清真", "戴头巾", "少数民族", "维族", "藏族", "彝族",
    # origin and accent (人力资源市场暂行条例 §24)
    "新疆", "西藏", "东北", "河南", "甘肃", "贵州", "广西", "外地", "外省", "口音", "农村", "村里", "城里", "山里", "乡下",
    # round 12: every province (a place below it comes with one, or with a people word: 湖南邵阳的老乡)
    *PROVINCES,
    # marriage, children, pregnancy (妇女权益保障法 §43)
    "宝妈", "有小孩", "有孩子", "带孩子", "带娃", "生娃", "没生", "怀孕", "怀着孕", "孕妇", "孕期", "哺乳", "离异",
    "离过婚", "结过婚", "离婚", "刚结婚", "单亲", "二胎", "三胎",
    # age without a limit word, appearance, school tier
    "年纪大", "岁数大", "年龄大", "大龄", "往上的", "开外的", "太瘦", "太胖", "太矮", "个子小", "个子不到", "身高不到",
    "戴眼镜", "长得丑", "不好看", "专科", "大专", "中专", "技校", "专升本", "非全日制", "自考",
    # round 12: body features (近视的、矮个子的一律不收)
    "近视", "矮个", "个子矮", "个头矮", "胖子", "胖的", "太黑", "口吃", "结巴", "秃顶", "有疤",
    # round 15: newcomers named as such, a pregnancy test's formal name
    "外来人口", "外来的", "妊娠", "维吾尔",
    # round 16: a wheelchair user, the hepatitis B panel by its common name (坐轮椅的…不招; 查两对半，阳性就别来)
    "轮椅", "两对半",
    # round 17: looks by euphemism (个子矮长得着急的自己掂量; 长得寒碜的直接刷掉; 颜值不过关的别投)
    "长得着急", "长相着急", "长得寒碜", "长相寒碜", "长得磕碜", "长相磕碜", "颜值不", "颜值低", "五官不端", "长歪", "长相困难",
    "痘印", "有斑", "显老", "皮肤黑", "矮矬", "样貌一般", "长相一般", "长得一般", "形象差", "个儿矮", "对不起观众",
    "妹仔", "女仔",  # round 17, batch 19 read: Hakka and Cantonese for girls (妹仔就莫来咯)
    # round 18: older women named as such (老太太 folds to 老太), bodies by a missing limb or an aid (拄拐的、少条胳膊的…)
    "老太", "老太婆", "大妈", "大婶", "老阿姨", "老大娘", "拄拐", "瘸", "独眼", "少条胳膊", "少条腿", "缺胳膊", "断手", "断腿",
    "助听器", "盲人", "视障", "听障",
)  # fmt: skip
# Refusals that close a clause; the policy checks that the clause ends there.
REFUSALS: Final = (
    "不要了", "不要", "不招了", "不招", "不收了", "不收", "不考虑", "别投", "别来", "莫来", "甭来", "不用来", "不想要",
    "不太想要", "过不了", "干不了", "系统进不去", "录不进去", "面都不用面", "不用面了", "别浪费时间", "免谈",
    "不录", "刷掉", "不予考虑", "不接受", "一律不要", "都不要",
    "一律不收", "一律不招", "的不要", "的不招", "的不收", "别报", "不用报",
    "不太要", "甭费劲报名", "甭费劲", "甭报", "不予处理", "就算了",  # round 15
    "自己掂量", "掂量掂量", "pass", "不用递", "别递", "别来浪费时间", "就别来浪费时间",  # round 17: a refusal by hint
    "甭想了", "就甭想了", "别想了",  # round 17, batch 19 read: 这活儿你就甭想了
    # round 18: a refusal by preference or by exclusion (我们宁愿空着, 宁可缺人, 轮不到你们, 别惦记了)
    "宁愿空着", "宁可空着", "空着也行", "空着也不", "宁可缺人", "宁愿缺人", "宁愿招不满", "宁可招不满", "宁愿不招", "宁可不招",
    "轮不到", "轮不到你们", "轮不到你", "别惦记", "就别惦记", "甭惦记", "不用惦记",
)  # fmt: skip
# The automaton's cue to run this detector at all: the refusals but the bare 不要/不招/不收, which fill clean
# lines ("不收押金", "不要交钱"); those count only at the end of the message (ends_refusing).
# round 12: a bare refusal after a speaker or a place names the speaker's rule even mid-message ("…我们厂不收，以前出过事").
_SAID_BY: Final = tuple(
    w + r for w in ("厂", "我们", "咱们", "这边", "都", "就", "先", "暂") for r in ("不要", "不招", "不收")
)
# round 12: a refusal right before the group, the group ending its clause ("建议主播别要东北的", "不要招外地人").
PRE_REFUSALS: Final = ("别要", "别招", "别收", "不要招", "不要收", "少招", "少要", "拒招", "别用", "不要要")
# round 16: the bare 不招/不收 right before the group ("咱印刷厂不收回民"); anchored as the pair, since the bare
# words fill clean lines ("不收押金")
BARE_PRE: Final = ("不招", "不收")
BARE_PRE_ANCHORS: Final = tuple(r + g for r in BARE_PRE for g in GROUNDS)
ANCHORS: Final = (*(r for r in REFUSALS if r not in ("不要", "不招", "不收")), *_SAID_BY, *PRE_REFUSALS, *BARE_PRE_ANCHORS)
_WINDOW: Final = 18  # characters between the ground and the refusal (folded text: punctuation is gone)
_GROUND_RE: Final = re.compile("|".join(sorted(GROUNDS, key=len, reverse=True)))
_REFUSAL_RE: Final = re.compile("|".join(sorted(REFUSALS, key=len, reverse=True)))
# Inclusive wording between them: "外地的也欢迎，…不要迟到" is not a refusal of the ground.
_INCLUSIVE: Final = re.compile("欢迎|可以|都行|都收|都要|也收|也要|也行|不限|均可|没问题|不影响|照样|一样")
# Another shift or post offered after the refusal: a task refused, not the person ("四十往上的，夜班别报了，白班随便挑").
_ALTERNATIVE: Final = re.compile("随便挑|随便选|可以选|可以报|可以换|换岗|调岗|改报|别的岗|其他岗|其它岗")
# A place is a ground only when it names people ("东北来的", "新疆的老乡", "外地口音"), not a cuisine, an order or a
# road ("东北菜馆", "新疆的订单", "村里的路"); any ground right before 岗/班 names a position ("宝妈岗满了").
_PLACES: Final = frozenset(("新疆", "西藏", "东北", "河南", "甘肃", "贵州", "广西", "外地", "外省", "农村", "村里", "城里", "山里", "乡下", *PROVINCES))  # fmt: skip
_PEOPLE_AFTER: Final = re.compile(
    "[^，。]{0,4}?(?:人|来的|出来的|籍|户口|户籍|口音|老乡|朋友|兄弟|姐妹|小伙|姑娘|孩子|同学|"
    "大哥|大姐|阿姨|大叔|师傅|身份证|老表|娃)"
)
_NEG_BEFORE: Final = "不无没非"
_DOUBLE_NEGATIVE: Final = ("不是", "并非", "并不是")  # right before a refusal: it denies refusing
_PARTICLES: Final = frozenset("了啦哈哦嘞呢啊的吧咯喔哟")


_PRE_RE: Final = re.compile("(?:" + "|".join(PRE_REFUSALS) + ")[^，。]{0,3}?(" + _GROUND_RE.pattern + ")")
_BARE_PRE_RE: Final = re.compile("(?:" + "|".join(BARE_PRE) + ")(" + _GROUND_RE.pattern + ")")  # no gap: 不收押金，外地人…


def refused_before(folded: str) -> Iterator[tuple[str, str, int, int, str]]:
    """A refusal, then the group ("别要东北的", "不要招四川人"): one hit per place its clause may end (the folded text
    has no commas); the policy keeps the one that ends it."""
    for m in (*_PRE_RE.finditer(folded), *_BARE_PRE_RE.finditer(folded)):
        end = m.end(1)
        if folded.startswith(("岗", "班"), end):
            continue
        ends = [end]
        people = _PEOPLE_AFTER.match(folded, end)
        if people is not None:
            ends.append(people.end())
        for e in ends:
            yield ("discrimination", "block", m.start(), e, LABEL)


def refusals(folded: str) -> Iterator[tuple[str, str, int, int, str]]:
    """Every (ground, refusal) pair within the window; the policy keeps those whose refusal ends a clause."""
    yield from refused_before(folded)
    last = None
    for found in _REFUSAL_RE.finditer(folded):
        last = found
    if last is None:  # most messages with a ground and a gate word hold no refusal of this list: one scan
        return
    for g in _GROUND_RE.finditer(folded, 0, last.start()):
        if g.start() > 0 and folded[g.start() - 1] in _NEG_BEFORE:
            continue  # 不限外地, 无乙肝要求: a negated ground is no group named
        if folded.startswith(("岗", "班"), g.end()):
            continue
        after = _PEOPLE_AFTER.match(folded, g.end())
        people = g.group() not in _PLACES or after is not None
        # round 22: the window counts from the people named (单亲家庭出来的孩子…不招), not from the ground word
        stop = min(len(folded), (g.end() if after is None else after.end()) + _WINDOW)
        for r in _REFUSAL_RE.finditer(folded, g.end(), stop):
            if folded.endswith(_DOUBLE_NEGATIVE, 0, r.start()):
                continue  # "孕妇不安排夜班，不是不招": a refusal denied
            if not people and r.start() - g.end() > 3:
                continue  # "新疆的订单…这批不收了"; but "外省的不用来了"
            if (
                _INCLUSIVE.search(folded, g.end(), r.start()) is None
                and _ALTERNATIVE.search(folded, r.end()) is None
            ):
                yield ("discrimination", "block", g.start(), r.end(), LABEL)


def ends_refusing(folded: str) -> bool:
    """The message ends with a bare refusal ("…专科学校的不要", "…这批先不招了")."""
    return folded.rstrip("了啦哈哦嘞呢啊吧咯喔哟").endswith(("不要", "不招", "不收"))


def ends_clause(text: str, end: int, clause_end: int) -> bool:
    """Only particles (了, 哈, 嘞…) between the refusal and the end of its clause."""
    return all(c in _PARTICLES for c in text[end:clause_end])


# A job card's gender field with an age range or a gender field: "前台：女，25以下", "护理部：女，二十到三十五岁",
# "性别：男" (not 男女不限, 男女18-45岁).
_SPEC: Final = re.compile(
    "(?<![男不])(?:男|女)(?:性|生)?(?:(?:[1-5][0-9]){1,2}|[二三四五]十[一二三四五六七八九]?|十[八九])"
    "(?:到|至|岁|周岁|以下|以内|以上)|性别(?:要求)?(?:男|女)(?![男女]|不限|均可|都)"
)
SPEC_ANCHORS: Final = (
    *(g + s + d for g in "男女" for s in ("", "性", "生") for d in "12345二三四十"),
    "性别男",
    "性别女",
    "性别要求",
)


def specs(folded: str) -> Iterator[tuple[str, str, int, int, str]]:
    """A gender written as a requirement field of the job (妇女权益保障法 §43: no gender limits)."""
    for m in _SPEC.finditer(folded):
        yield ("discrimination", "block", m.start(), m.end(), "gender field")


# Screening tests the law forbids (孕检, 乙肝五项…): a host saying they are not done is the lawful message itself.
TESTS: Final = frozenset(("验孕", "孕检", "妊娠检查", "乙肝五项", "乙肝两对半"))
# round 13: the test may close a list of tests ("不含乙肝五项和孕检"): the list counts as one item.
_TEST_LIST: Final = "(?:(?:" + "|".join(sorted(TESTS, key=len, reverse=True)) + ")(?:和|及|与|或|以及|、))*"
_TEST_NOT_BEFORE: Final = re.compile(
    "(?:不|没|无需|免|不用|不需要|从不|从来不)(?:查|做|验|测|检查|检测|看|含|包括|包含|要求|需要|用)[^，。！？]{0,4}"
    + _TEST_LIST
    + "$|(?:不|没|免|无需|不用)$"  # "我们不验孕"
)
_TEST_NOT_AFTER: Final = re.compile("(?:也|都|是)?(?:不查|不做|不验|不测|不检|不看|不要求|不用做|不需要|免)")


def test_not_done(text: str, start: int, end: int, clause_start: int, clause_end: int) -> bool:
    """A screening said not to be done ("我们不验孕", "乙肝五项不查的"); not "不做孕检的不要" (a refusal keeps it)."""
    if _REFUSAL_RE.search(text, end, clause_end) is not None and _TEST_NOT_AFTER.match(text, end) is None:
        return False
    return _TEST_NOT_BEFORE.search(text, max(clause_start, start - 18), start) is not None or (
        _TEST_NOT_AFTER.match(text, end) is not None
    )
