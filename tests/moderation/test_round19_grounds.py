"""Round 19 (grounds helper): protected grounds written as open classes and wanted or refused by one shared set of
verbs (standard 5.1.3 d; 就业促进法 §3, §26–31; 妇女权益保障法 §43; 人力资源市场暂行条例 §24; 残疾人保障法 §38), and
harassment composed of its parts (standard 5.1.3 c; 治安管理处罚法 §42; 个人信息保护法 §10).

Every violation below is worded apart from the lines file
(docs/measurements/2026-12-07-moderation-round19-grounds-lines.tsv): a member of a class the file does not name
(零五后, 属兔, 怒族, 信天主教, 周口市), a verb it does not use, so a test passes only when the class or the verb set
generalises. The clean side keeps the law's own limits (minimum age, the food law, a rule of law named, a measure the
job needs, a task refused for pregnant workers) and a discriminatory rule told to be condemned.
"""

from __future__ import annotations

import pytest

from moderation import classes, shaming, wanted
from moderation.engine import Moderator
from tests.moderation.conftest import check_allowed, check_caught, check_own_groups, check_pair

pytestmark = pytest.mark.clause("5.1.3 c", "5.1.3 d")

# (role, context, text, action, categories): a class member or a verb the lines file does not hold
CAUGHT = [
    ("host", "chat", "组装线这回专招零五后，七五后的就别来凑数了", "block", ("discrimination",)),
    ("recruiter", "chat", "属兔属鸡的老板觉得犯冲，一律婉拒", "block", ("discrimination",)),
    ("recruiter", "chat", "怒族、独龙族的老乡这批岗位排不上", "block", ("discrimination",)),
    ("host", "chat", "信天主教的周日要做弥撒，我们就不考虑了", "block", ("discrimination",)),
    ("recruiter", "chat", "周口市来的小伙子我们老板不敢用", "block", ("discrimination",)),
    ("host", "chat", "五十来岁的大姐体力跟不上，这边没法录", "block", ("discrimination",)),
    ("recruiter", "job", "招收银员，老板偏向二十出头身高一米六五的姑娘", "block", ("discrimination",)),
    ("host", "chat", "带着两个小孩的单亲妈妈，工厂这边给不了岗位", "block", ("discrimination",)),
    ("recruiter", "chat", "有白癜风病史的，面试这关就婉拒了", "block", ("discrimination",)),
    ("recruiter", "chat", "把那个旷工的赵磊的身份证号和相片挂到群里，让他出名", "block", ("harassment",)),
    ("host", "chat", "家人们一起去私信骂他，看他还敢不敢乱说", "block", ("harassment",)),
    ("recruiter", "chat", "想转正的话，下周跟我去住两晚温泉山庄，你懂的", "block", ("harassment",)),
    ("host", "chat", "前仓管吴某，电话15912345678，卷了店里三千块跑路了，大家转告", "block", ("harassment", "pii")),
]


@pytest.mark.parametrize(("role", "context", "text", "action", "categories"), CAUGHT)
def test_a_class_member_or_verb_the_lines_do_not_hold_is_caught_by_the_rules(
    role: str, context: str, text: str, action: str, categories: tuple[str, ...]
) -> None:
    check_caught(role, context, text, action, categories)


# (role, context, clean line, violation next to it, category)
PAIRS = [
    ("recruiter", "chat", "按国家规定满六十周岁不能再开大巴，所以只招五十岁以内的司机师傅", "这批司机只招五十岁以内的，年纪大的别来",
     "discrimination"),
    ("host", "chat", "怀孕的女工夜班不安排，白班照常上", "怀孕的女工我们这边就不安排了", "discrimination"),
    ("recruiter", "chat", "未满十六岁的小孩一律不能招，这是红线", "有小孩要接送的宝妈一律不能招", "discrimination"),
    ("recruiter", "job", "传染病的患者暂不安排接触直接入口食品的岗位", "澳抗阳性的不安排后厨岗位，别来", "discrimination"),
    ("host", "chat", "我们不管七零后九零后，能干就行", "我们不要七零后，只要九零后", "discrimination"),
    ("viewer", "chat", "听说有个厂说四川人不收，这不是歧视吗？", "四川人我们厂不收", "discrimination"),
    ("host", "chat", "大家别去骂他，有事找平台处理", "大家一起打电话骂他，骂到他换号", "harassment"),
]


@pytest.mark.parametrize(("role", "context", "clean", "violation", "category"), PAIRS)
def test_a_lawful_or_condemned_line_passes_beside_its_violating_neighbour(
    moderator: Moderator, role: str, context: str, clean: str, violation: str, category: str
) -> None:
    check_pair(moderator, role, context, clean, violation, category, rules_alone=True)


@pytest.mark.parametrize(
    ("role", "text"),
    [
        ("viewer", "我是零五后，属兔的，第一次进厂"),  # a seeker describing themselves
        ("host", "上班族下班后也能来做兼职，时间灵活"),  # 上班族 names no people of a ground
        ("recruiter", "只要视力矫正后达标，戴眼镜也能做质检"),  # a measure the job needs
        ("viewer", "我表姐被人把照片挂到群里了，怎么办？"),  # a victim's question
    ],
)
def test_a_seeker_a_non_ground_a_measure_or_a_victim_passes(moderator: Moderator, role: str, text: str) -> None:
    check_allowed(moderator, role, "chat", text)


def test_the_classes_are_open_patterns_not_word_lists() -> None:
    """Members no list holds are read as their class; words ending alike that name no people are not."""
    def names(text: str) -> list[str]:
        return [classes.class_of(m.group()) for m in classes.grounds_in(text, 0, len(text))]

    assert names("零三后") == ["generation"] and names("属猪") == ["zodiac"] and names("拉祜族") == ["ethnicity"]
    assert names("信东正教") == ["faith"] and names("五十几岁") == ["age"] and names("驻马店市人") == ["region"]
    assert names("上班族") == [] and names("以后面试") == [] and names("下属马上到") == []


def test_round19_groups_are_named_once() -> None:
    check_own_groups(wanted, shaming)
