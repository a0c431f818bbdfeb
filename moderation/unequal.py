"""Round 23: discrimination told by a condition, a procedure or unequal terms, not by a refusal of a group
(standard 5.1.3 d; 就业促进法 §3, §26–31; 人力资源市场暂行条例 §11 and 网络招聘服务管理规定 §15: no limits by
household registration, region or identity; 妇女权益保障法 §43: no pregnancy test, no questions on marriage and
childbirth; 就业服务与就业管理规定 §19: no hepatitis B test).

Rounds 11–22 read a protected ground, then a refusal or a want (:mod:`moderation.grounds`, :mod:`moderation.wanted`).
An employer can exclude without refusing anybody; each reader here is a construction with open slots:

- a household registration (户籍, 户口, 籍贯, 身份证开头…) tied to the local place (本市, 本省, 咱们这, 城镇…) or
  followed by a refusal (…户口本拿不出来的免谈), and an origin told by a journey (从…过来的, 凡是…出来的) before a
  refusal made absolute (一律, 一概, 统统…);
- a procedure that screens a ground at entry: a pregnancy test, a hepatitis B or HIV test (验个孕, 查乙肝, 艾滋病筛查,
  婚育证明) — and, held for review, an A-not-A question on marriage or pregnancy (有没有怀孕, 结没结婚, 打不打算要孩子),
  which the policy's negation test read as 没有怀孕;
- unequal terms by a ground: a lower rate, wage or share for a group (女工一件九毛, 四十五岁以上的日薪少三十, 提成打八折,
  社保不给交), or two groups given two different sums in one line;
- a group moved out: a protected group sent to other posts, home or to a lower contract (怀孕的一律调去做保洁,
  过了五十的都调到门卫, 结婚了的劝她自己走).

Employer side only (a seeker telling their own condition or asking passes). Cleared: a line that says the rule is not
so (不限, 不查, 一样, 同工同酬), a warning or another's rule reported (有人说, 举报, 违法), a lawful requirement (健康证,
a licence, the legal minimum age, a civil-service post's announcement: 公务员法 §23 lets the 招考公告 set conditions), a
pregnant worker moved to lighter work with the pay kept (女职工劳动保护特别规定 §6), a move the worker asks for (自愿).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Final

from moderation.classes import grounds_in

Raw = tuple[str, str, int, int, str]

_NEGATED_RIGHT_BEFORE: Final = re.compile(
    "(?:不|没|别|甭|莫|勿|无需|免|绝不|从不|不会|不用|不得|不能|不再|不需要)(?:会|让|把|给|要|去|用)?(?:你|他|她|大家|你们)?$"
)
_WARNED: Final = re.compile(
    "举报|违法|违规|不合法|犯法|歧视|投诉|合法吗|合理吗|正常吗|有人说|有人问|听说|有的厂|有些厂|哪个厂|哪家|别信|瞎传|瞎说|谣言|"
    "没这回事|没有这回事|不存在|骗子|谁说|谁跟你说|要是有人|如果有人"
)


def _asserted(folded: str, start: int) -> bool:
    """Not refused right before ``start`` (不会让你调岗, 不查乙肝)."""
    return _NEGATED_RIGHT_BEFORE.search(folded, max(0, start - 7), start) is None


# ---- a household registration as a condition, an origin told by a journey ----
_REGISTRATION: Final = re.compile("户籍|户口|籍贯|祖籍|身份证(?:号)?(?:开头|前[0-9两二三四五六]位)|身份证(?:上的)?地址")
_LOCAL: Final = re.compile("本乡本土|本(?:市|区|县|省|地|乡|镇|土|村)|咱(?:们)?(?:市|区|县|省|这|这边|这里|本地)|我们这(?:的|边的|里的)|城镇|城市户口|非农")
_REG_REFUSAL: Final = re.compile(
    "免谈|白搭|白来|白跑|不给面|不给办|不予(?:受理|录用|考虑|办理)|恕不|作废|没法安排|安排不了|去别家|别家吧|不推|别投|不考虑|"
    "不收|不要|不招|不用来|别来|不录|刷掉|过不了|办不了|进不了|一律不|一概不"
)
# said not to matter near the registration (户籍不限, 户口本不用带, 不看籍贯)
_REG_CLEARED: Final = re.compile(
    "不限|不看|不问|不论|无论|不管|不分|都行|都可以|都能|一样|一个样|一视同仁|欢迎|也收|也要|都收|照收|不用带|不需要|无需|不要求|"
    "不用是|不必是|无须是|不需是"
)
# a civil-service post, whose announcement may set a registration (公务员法 §23), or a registration of another matter
_REG_LAWFUL: Final = re.compile("公务员|事业单位|事业编|参公|招考|招录|选调|公告|简章|学籍|落户|积分|子女")
_REG_REACH: Final = 10
_REFUSAL_REACH: Final = 16


def registration(folded: str) -> Iterator[Raw]:
    """A registration tied to the local place (得是本市户籍, 只认本省户口) or followed by a refusal (籍贯是…的别投了)."""
    if _REG_LAWFUL.search(folded) is not None or _WARNED.search(folded) is not None:
        return
    for reg in _REGISTRATION.finditer(folded):
        lo, hi = max(0, reg.start() - _REG_REACH), reg.end() + _REG_REACH
        if _REG_CLEARED.search(folded, max(0, lo - 4), hi) is not None:
            continue
        local = _LOCAL.search(folded, lo, hi)
        if local is not None:
            yield ("discrimination", "block", min(reg.start(), local.start()), max(reg.end(), local.end()), REGISTERED)
            return
        refusal = _REG_REFUSAL.search(folded, reg.end(), reg.end() + _REFUSAL_REACH)
        # people named by their registration (户口不在本区的), not the document refused (户口本这个东西我们不收)
        if refusal is not None and "的" in folded[reg.end() : refusal.start()]:
            yield ("discrimination", "block", reg.start(), refusal.end(), REGISTERED)
            return


_JOURNEY: Final = re.compile("(?:从|凡是|凡|只要是|但凡)(?P<place>[\u4e00-\u9fff]{2,7}?)(?:过来|出来|来|跑来)的")
_ABSOLUTE: Final = re.compile("(?:一律|一概|统统|通通|全都|全部|概)(?:不|别|莫|甭|唔)(?:要|收|招|录|用|考虑|接受|请|留)")
# what may stand between the people and the refusal: who they are, who speaks (小伙子, 我们, 这边)
_BETWEEN: Final = re.compile(
    "(?:人|工人|老乡|小伙子?|姑娘|妹子|兄弟|姐妹|师傅|大哥|大姐|阿姨|朋友|娃|孩子|员工|工友)?(?:我们|咱们|咱|这边|厂里|店里|公司|这里)?(?:都|就|也)?$"
)
_NOT_PLACE: Final = re.compile("新|刚|后|先|晚|迟|外面|里面|上面|下面|学校|医院|部队|监狱|牢")


def origin(folded: str) -> Iterator[Raw]:
    """An origin told by a journey, then an absolute refusal (从…那片过来的我们一律不收, 凡是…出来的小伙子一概不要)."""
    if _WARNED.search(folded) is not None:
        return
    for journey in _JOURNEY.finditer(folded):
        if _NOT_PLACE.search(journey.group("place")) is not None:
            continue
        refusal = _ABSOLUTE.search(folded, journey.end(), journey.end() + 12)
        if refusal is not None and _BETWEEN.search(folded[journey.end() : refusal.start()]) is not None:
            yield ("discrimination", "block", journey.start(), refusal.end(), REGISTERED)
            return


# ---- a procedure that screens a ground ----
_TEST: Final = re.compile(
    "验(?:个|一下|下)?孕|孕检|妊娠(?:检测|检查|试验|测试)|(?:查|检查|测|检测|验)(?:一下|个|下)?(?:有没有)?(?:怀孕|怀没怀|乙肝|艾滋|hiv|两对半|澳抗)|"
    "乙肝(?:五项|两对半|检查|检测|筛查|报告|表面抗原)|两对半|艾滋(?:病)?(?:检测|检查|筛查|化验|报告)|hiv(?:检测|检查|筛查|化验|报告)?|"
    "婚育证明|未孕证明|验孕单|验孕报告"
)
_ENTRY: Final = re.compile(
    "入职|进厂|上岗|面试|体检|应聘|上户|报到|录用|工号|上班|统一|必须|须|都要|都得|得做|要做|硬性|提供|带上|提交|先去|不给|包含|加了"
)
_TEST_CLEARED: Final = re.compile(
    "不验|不查|不做|不检|不看|不需要|不用|不会|无需|免查|不含|不包括|不要求|不影响|没有|不在|不让|照样|常规|健康证就行|只看健康证|"
    "自愿|保密"
)
_TEST_REACH: Final = 16


def screened(folded: str) -> Iterator[Raw]:
    """A pregnancy, hepatitis B or HIV test, or a marriage and childbirth proof, at entry (进厂前统一验个孕)."""
    if _TEST_CLEARED.search(folded) is not None or _WARNED.search(folded) is not None:
        return
    for test in _TEST.finditer(folded):
        if not _asserted(folded, test.start()):
            continue
        if _ENTRY.search(folded, max(0, test.start() - _TEST_REACH), test.end() + _TEST_REACH) is not None:
            yield ("discrimination", "block", test.start(), test.end(), SCREENED)
            return


# an A-not-A question on marriage, pregnancy or children: held for review as the policy's marriage questions are
_ASKED: Final = re.compile(
    "结(?:没|不|冇)结(?:过)?婚|结婚(?:没|了没|冇)结?|离(?:没|冇)离(?:过)?婚|怀(?:没|冇)怀(?:上|孕)?|"
    "(?:有没有|有冇|有无)(?:怀孕|怀上|身孕|对象|男朋友|女朋友|男票|老公|老婆|孩子|小孩|娃|宝宝|结婚|生育|生过)|"
    "生(?:没|冇|不)生(?:过)?(?:孩子|小孩|娃|宝宝|二胎|三胎)?|"
    "(?:打不打算|打算不打算|准不准备|计不计划|想不想|要不要|要没要)[^|]{0,6}?(?:要孩子|生孩子|要娃|生娃|要宝宝|生宝宝|要二胎|生二胎|要小孩|生小孩|怀孕|结婚)|"
    # the two halves apart (谁结婚了谁没结婚, 怀孕的没怀孕的)
    "(?P<x>结婚|怀孕|怀上|生过孩子|生孩子|生娃|有孩子|有对象)[^|]{0,4}?没(?:有)?(?P=x)"
)
_ASKED_CLEARED: Final = re.compile("不影响|无所谓|没关系|都可以|都行|不问|不会问|不能问|不打听|不重要|一样|都欢迎|照常")
# the question reported by the one asked (面试的时候问我有没有男朋友): a seeker's telling
_ASKED_REPORTED: Final = re.compile("(?:问|被问|问了|问过|打听)(?:我|俺|咱|她|他)")


def asked(folded: str) -> Iterator[Raw]:
    """有没有怀孕, 结没结婚, 打不打算两年内要孩子: the employer asking, held for review."""
    if _ASKED_CLEARED.search(folded) is not None or _WARNED.search(folded) is not None:
        return
    for question in _ASKED.finditer(folded):
        if _ASKED_REPORTED.search(folded, max(0, question.start() - 8), question.start()) is not None:
            return
        yield ("discrimination", "review", question.start(), question.end(), ASKED)
        return


# ---- unequal terms by a ground ----
_PAY: Final = re.compile(
    "计件|单价|工价|时薪|日薪|月薪|底薪|工资|薪水|薪资|工钱|提成|绩效|系数|社保|公积金|五险|住宿费|伙食费|一件|每件|每小时|一小时|一天|一个月|每月|每天|"
    "每单|一单|每趟|一趟|每份|每箱|每斤|少给|少发|少拿|少开|少算"
)
_LESS: Final = re.compile(
    "少(?!数|年|女|爷|量|部分|点事|走|跑)|低|减|降|打[0-9一二三四五六七八九]折|[0-9一二三四五六七八九]折|便宜|不给交|不给缴|不给买|不交|不缴|不买|"
    "多扣|多收|多交|加收|按零点|按0\\.[0-9]|砍"
)
_EQUAL: Final = re.compile("同工同酬|同价|一样|统一|相同|一视同仁|同一个价")
# a sum of money: digits, or numerals with a unit or a tens word (一块二, 九毛, 三千五, 二十二; not 一件, 一天)
_SUM: Final = re.compile(
    "(?:[0-9]+(?:\\.[0-9]+)?|[一二两三四五六七八九十百千万零点]{1,6})(?:块|元|毛|角)?[一二三四五六七八九]?(?![件天个小月次单人岁])"
)
_MONEY: Final = re.compile("[0-9块元毛角十百千万]")
# a gender named by the worker's title, read here only (the classes leave 女工 out: 女工宿舍, 女工不安排夜班)
_WORKERS: Final = re.compile("(?:男|女)(?:职工|员工|工人|工)")
_PAY_REACH: Final = 14


def unequal_pay(folded: str) -> Iterator[Raw]:
    """A group paid less (女工一件九毛, 四十五岁以上的日薪少三十, 外地户口的提成打八折, 农村户口的社保不给交), or two
    groups given two different sums (男性每小时二十五元，女性每小时二十元)."""
    if _EQUAL.search(folded) is not None or _WARNED.search(folded) is not None or _PAY.search(folded) is None:
        return
    found = sorted((*grounds_in(folded, 0, len(folded)), *_WORKERS.finditer(folded)), key=lambda m: m.start())
    for g in found:
        pay = _PAY.search(folded, max(0, g.start() - 6), g.end() + _PAY_REACH)
        if pay is None:
            continue
        less = _LESS.search(folded, g.end(), pay.end() + _PAY_REACH)
        if less is not None and _asserted_less(folded, less):
            yield ("discrimination", "block", g.start(), less.end(), UNEQUAL)
            return
    sums = [(g, _sum_after(folded, g)) for g in found]
    for i, (g, s) in enumerate(sums):
        for h, t in sums[i + 1 :]:
            if s and t and s != t and h.group() != g.group() and h.start() - g.end() <= 30:
                yield ("discrimination", "block", g.start(), h.end(), UNEQUAL)
                return


def _asserted_less(folded: str, less: re.Match[str]) -> bool:
    """A cut said, not refused (不降一分); 不给交 and 不交 carry their own negation."""
    return less.group()[0] == "不" or _asserted(folded, less.start())


def _sum_after(folded: str, g: re.Match[str]) -> str:
    """The sum a group is given right after it, with a pay word between (男工一件一块二), or ""."""
    for m in _SUM.finditer(folded, g.end(), g.end() + 12):
        if _MONEY.search(m.group()) is None:
            continue
        return m.group() if _PAY.search(folded, max(0, g.start() - 6), m.start()) is not None else ""
    return ""


# ---- a group moved out ----
_MOVE: Final = re.compile(
    "调(?:去|到|岗|离|走)|转(?:岗|去|到|成|为)|派(?:去|到)|发配|劝退|辞退|开除|清退|劝(?:她|他|你|其)?[^|]{0,3}?走|"
    "(?:让|叫|请)(?:他|她|你|们)?(?:们)?回家|放假回家|(?:别|不)回原岗|不能回原岗|"
    "(?:就|都|直接|一律|统统|全部|让他|让她|叫他|叫她|安排)去(?:仓库|食堂|门卫|后勤|扫地)|降级|降薪|"
    # arranged elsewhere: only to a lower place (上了年纪的…都安排到锅炉房去了; not 宝妈都安排到白班)
    "安排(?:到|去)(?=[^|]{0,4}?(?:保洁|扫地|门卫|看门|仓库|库房|锅炉房|后勤|食堂|帮厨|临时|偏远|杂工|打杂))"
)
_DOWN: Final = re.compile(
    "保洁|扫地|门卫|看门|看大门|仓库|库房|后勤|食堂|帮厨|临时工|劳务派遣|派遣|外包|幕后|偏远|回家|放假|降|减|停|"
    "一律|统统|通通|全部|都|不留|不要|走|辞退|开除|清退|劝退"
)
_MOVE_CLEARED: Final = re.compile(
    "工资不变|工资照发|待遇不变|原工资|照发|不降|岗位不变|原岗位给你留|留着|自愿|申请|本人要求|想转|医生|轻松|按规定|依法|"
    "欢迎|照样|一样|也留|不用担心|轮流|"
    "不能因为|不得因为|不可以因为|不能以此|法律有规定|法律规定"  # round 24: the law told (怀孕了公司不能因为这个辞退你)
)
_MOVE_REACH: Final = 16


def moved(folded: str) -> Iterator[Raw]:
    """A protected group moved out: to a lower post, home or a lower contract (怀孕的一律调去做保洁, 到了四十岁的主播
    统统转去幕后, 结婚了的…劝她自己走)."""
    if _MOVE_CLEARED.search(folded) is not None or _WARNED.search(folded) is not None:
        return
    for move in _MOVE.finditer(folded):
        if not _asserted(folded, move.start()):
            continue
        found = grounds_in(folded, max(0, move.start() - _MOVE_REACH), move.start())
        if not found:
            continue
        if _DOWN.search(folded, found[-1].end(), move.end() + 10) is not None:
            yield ("discrimination", "block", found[-1].start(), move.end(), MOVED)
            return


REGISTERED: Final = "registration required"
SCREENED: Final = "ground screened"
ASKED: Final = "marriage asked"
UNEQUAL: Final = "unequal terms"
MOVED: Final = "group moved out"

REG_ANCHORS: Final = ("户籍", "户口", "籍贯", "祖籍", "身份证开头", "身份证号开头", "身份证前", "身份证号前", "身份证地址", "身份证上的地址")
ORIGIN_ANCHORS: Final = ("一律", "一概", "统统", "通通", "全都不", "全部不", "概不")
TEST_ANCHORS: Final = ("验孕", "验个孕", "验一下孕", "验下孕", "孕检", "妊娠", "怀孕", "乙肝", "两对半", "艾滋", "hiv", "澳抗", "婚育证明", "未孕证明")
ASKED_ANCHORS: Final = (
    *("结" + n + "结" for n in "没不冇"), "结婚没", "结婚了没", "结婚冇", "离没离", "离冇离", "怀没怀", "怀冇怀",
    *(a + b for a in ("有没有", "有冇", "有无") for b in ("怀", "身孕", "对象", "男朋友", "女朋友", "男票", "老公", "老婆", "孩子", "小孩", "娃", "宝宝", "结婚", "生育", "生过")),
    "生没生", "生冇生", "生不生", "打不打算", "没结婚", "没有结婚", "没怀孕", "没有怀孕", "没怀上", "没生过孩子", "没生孩子", "没生娃",
    "没有孩子", "没有对象", "打算不打算", "准不准备", "计不计划", "要没要",
    *(v + k for v in ("想不想", "要不要") for k in ("要孩子", "生孩子", "要娃", "生娃", "要宝宝", "生宝宝", "要二胎", "生二胎", "要小孩", "生小孩", "结婚", "怀孕")),
)  # fmt: skip
PAY_ANCHORS: Final = (
    "少拿", "少给", "少发", "少开", "少算", "少三", "少五", "少两", "少二", "少一", "少十", "少四", "少八", "少六",
    *("低" + x for x in ("一截", "一些", "一点", "一档", "一级", "两", "一", "五", "三")), "减半", "减掉", "降一", "降两", "降二", "降三", "降五",
    *(d + "折" for d in "56789五六七八九"), "便宜", "不给交", "不给缴", "不给买", "多扣", "多收", "加收", "按零点", "按0.", "砍",
    "男工", "女工", "男性", "女性", "男的", "女的", "本地的", "本地人", "外地的", "外地人", "宝妈", "已婚", "未婚", "年轻的",
)  # fmt: skip
MOVE_ANCHORS: Final = (
    "调去", "调到", "调岗", "调离", "调走", "转岗", "转去", "转到", "转成", "转为", "派去", "派到", "发配", "劝退", "辞退", "开除",
    "清退", "劝她", "劝他", "劝你", "劝其", "安排到", "安排去", "回家", "回原岗", "去仓库", "去食堂", "去门卫", "去后勤", "去扫地", "降级", "降薪",
)  # fmt: skip

#: anchor group → its anchors (merged into lexicon.ANCHORS) and detector (merged into detectors.BY_GROUP).
ANCHORS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType({
    "unequalreg": REG_ANCHORS, "unequalorigin": ORIGIN_ANCHORS, "unequaltest": TEST_ANCHORS, "unequalask": ASKED_ANCHORS,
    "unequalpay": PAY_ANCHORS, "unequalmove": MOVE_ANCHORS,
})  # fmt: skip
DETECTORS: Final[Mapping[str, Callable[[str], Iterator[Raw]]]] = MappingProxyType({
    "unequalreg": registration, "unequalorigin": origin, "unequaltest": screened, "unequalask": asked,
    "unequalpay": unequal_pay, "unequalmove": moved,
})  # fmt: skip
DOUBLES: Final[Mapping[str, str]] = MappingProxyType({g: "discrimination" for g in ANCHORS})
LABELS: Final[frozenset[str]] = frozenset((REGISTERED, SCREENED, ASKED, UNEQUAL, MOVED))
#: employer-only: a seeker telling their own registration, test or pay, or asking, is no limit (the law binds employers)
EMPLOYER_ONLY: Final[frozenset[str]] = frozenset(ANCHORS)
