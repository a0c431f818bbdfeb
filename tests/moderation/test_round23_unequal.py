"""Round 23: discrimination told by a condition, a procedure or unequal terms (``moderation/unequal.py``, and a
refusal followed by its reason in ``moderation/wanted.py``), each violation beside a clean neighbour, flagged by the
rules alone and missed by main's rules.

Standard 5.1.3 d; 就业促进法 §3, §26–31; 人力资源市场暂行条例 §11 and 网络招聘服务管理规定 §15 (no limits by household
registration, region or identity); 妇女权益保障法 §43 (no pregnancy test, no questions on marriage and childbirth);
就业服务与就业管理规定 §19 (no hepatitis B test). The clean side: a lawful requirement, a seeker's own condition, a
group welcomed, equal pay stated, a civil-service announcement, a pregnant worker given lighter work at the same pay.
"""

from __future__ import annotations

import pytest

from moderation import unequal, wanted
from moderation.engine import Moderator
from tests.moderation.conftest import check_allowed, check_own_groups, check_pair

pytestmark = pytest.mark.clause("5.1.3 d")

D = "discrimination"
# (role, context, clean line, violation next to it, the violation's category)
PAIRS = [
    # a household registration as a condition
    ("host", "chat", "户口在哪都能报，外地的老乡来了包吃住", "这批保安岗得是本市户籍，户口本拿不出来的就免谈了", D),
    ("recruiter", "job", "食堂帮厨，须持有效健康证上岗，户籍不限", "理货员入职须持本区户口本原件，户口不在本区的恕不接待", D),
    ("host", "chat", "户口本这个东西我们不收，也不看籍贯", "我们物业只认本省户口，户籍是外省的来了也白搭", D),
    ("recruiter", "job", "街道办公务员招录，户籍条件以市公务员局的招考公告为准", "月嫂要咱市户口的，户口不是咱市的雇主不放心", D),
    ("recruiter", "chat", "驾驶员须持B2驾照，三年以上驾龄，籍贯不限", "籍贯是那几个地方的你就别投了，简历我们看都不看", D),
    # an origin told by a journey, then an absolute refusal
    ("host", "chat", "临沂过来的老乡也不少，大家在这干得挺好", "从临沂那片过来的我们一律不收，别问为啥", D),
    ("recruiter", "chat", "从外面来的快递一律不收，请寄到门卫", "但凡打六盘水跑来的兄弟一律不用", D),
    # a procedure that screens a ground
    ("recruiter", "job", "食品加工岗入职需办理健康证，体检费公司报销", "女工进厂前统一验个孕，验出来有了的就别上班了", D),
    ("host", "chat", "我们入职体检不查乙肝，也不做孕检，放心来", "咱们电子厂入职统一做hiv检测，这个是硬性的", D),
    ("recruiter", "job", "高空作业岗，入职需做血压心电图检查，持登高证", "女孩子来面试先去医务室做个尿检查怀孕，没问题再谈工资", D),
    # an A-not-A question on marriage or pregnancy (review)
    ("recruiter", "chat", "有没有怀孕都不影响录用，这是法律规定的", "来面试的姐妹我先问一句，有没有怀孕？", D),
    ("host", "chat", "结没结婚无所谓，能吃苦就行", "小妹你结没结婚啊，我们这要问清楚的", D),
    ("recruiter", "chat", "你有没有电工证？没有的话我们也可以培训", "你生没生过小孩，家里有没有老人帮带", D),
    # unequal terms by a ground
    ("recruiter", "job", "包装工计件，男女同价，一件一块二", "包装工计件，男工一件一块二，女工一件九毛", D),
    ("host", "chat", "夜班比白班每天多五十，自己选", "同样的活，四十五岁以上的日薪少三十，年纪大手慢", D),
    ("recruiter", "chat", "有三年经验的底薪多五百，新手先按三千算", "河南来的底薪按三千算，本地的三千五", D),
    ("host", "chat", "孕期女工工资照发，不降一分", "外地户口的提成打八折，这是老板定的", D),
    ("host", "chat", "社保所有人都交，户口哪里的都一样", "农村户口的社保我们就不给交了，城里户口的照常交", D),
    ("recruiter", "chat", "熟练工一件一块五，学徒前一个月一件一块", "同一条线，女工的单价比男工便宜两毛", D),
    # a group moved out
    ("host", "chat", "怀孕的姐妹按规定不安排夜班，调白班工资不变", "厂里定了，怀孕的一律调去做保洁，工资按保洁算", D),
    ("recruiter", "chat", "过了五十的师傅也留在线上，干得动就干", "到了五十五的阿姨一律转去后勤打杂", D),
    ("host", "chat", "年纪大的不用担心，我们不会让你调岗", "到了四十岁的主播统统转去幕后，镜头前只留年轻的", D),
    ("host", "chat", "生了二胎回来的姐妹原岗位给你留着", "生了二胎的就别回原岗了，直接去食堂帮厨", D),
    # a refusal its clause goes on to justify (moderation/wanted.py)
    ("host", "chat", "腿脚不好的可以报坐着的岗位，质检岗一直坐着", "腿脚不好的不要来啊因为要一直站着", D),
]


@pytest.mark.parametrize(("role", "context", "clean", "violation", "category"), PAIRS)
def test_pair(moderator: Moderator, role: str, context: str, clean: str, violation: str, category: str) -> None:
    check_pair(moderator, role, context, clean, violation, category, rules_alone=True)


@pytest.mark.parametrize(
    "text",
    [
        "我是外省户口，你们这能办入职吗？",
        "我户口在农村，这个影响报名吗",
        "入职体检会不会查乙肝啊？我有点担心",
        "我怀孕三个月了，还能报这个岗位吗？",
        "主播你结没结婚呀，好好看",
        "女工和男工计件一样吗？",
        "我怀孕了厂里要把我调去保洁，这合法吗？",
    ],
)
def test_seeker_side_passes(moderator: Moderator, text: str) -> None:
    check_allowed(moderator, "viewer", "chat", text)


@pytest.mark.parametrize(
    "text",
    [
        "入职带身份证原件和银行卡就行，户口本不用带",
        "外地户口的子女上学问题公司帮忙对接，欢迎带家属",
        "本地的外地的一视同仁，宿舍都一样分",
        "孕期的姐妹每月产检公司给带薪假",
        "按规定面试不会问婚育情况，大家放心",
        "幼儿园保育员须持健康证，体检按卫生部门要求",
        "本地的外地的工价都一样，一小时二十五",
        "分拣员每小时二十五元，男女同工同酬",
        "叉车证持证的每月补贴三百",
        "哺乳期每天给一小时哺乳时间，岗位不变",
        "这个月订单少，全厂轮流放假，工资按最低标准发",
        "主播做久了想转幕后的可以申请，自愿的",
        "谁要是怀上了跟组长说一声，给你换轻松点的活，工资照发",
    ],
)
def test_lawful_and_inclusive_lines_stay_clean(moderator: Moderator, text: str) -> None:
    check_allowed(moderator, "host", "chat", text)


def test_marriage_question_is_review_not_block() -> None:
    d = Moderator(learned=False).moderate("面试那天我先问一句，你们怀没怀上，打不打算今年要娃", role="recruiter", context="interview")
    assert d.action == "review" and D in d.categories, d.to_json()


def test_groups_are_own() -> None:
    check_own_groups(unequal)
    assert wanted.REASONED in wanted.LABELS
