"""Round 13, the clean side: ordinary lines the filter held or blocked, each beside a violation that stays flagged.

496 hand-written lines of hosts, recruiters and viewers (docs/measurements/2026-12-06-moderation-round13-clean-lines.tsv)
were run through the filter; 24 were flagged. Each fix answers a mechanism (moderation/lawful.py and the modules that
own the term or shape), so the twins here use other wordings than the appendix where they can. 就业促进法 §3, §26–31,
§41; 女职工劳动保护特别规定 附录 1; 禁止使用童工规定 §2; standard 5.1.3 c/d.
"""

from __future__ import annotations

import pytest

from moderation.engine import Moderator
from tests.moderation.conftest import check_pair

pytestmark = pytest.mark.clause("5.1.3 d")

# (role, context, clean line, violation next to it, the violation's category); the rules alone flag each violation.
# fmt: off
PAIRS = [
    # a term read across a word boundary: 参加我们 is no 加我, 隐私我们 no 私我, 时薪20元学生 no 0元学
    ("host", "chat", "欢迎参加我们的招聘会，现场面试", "想参加的加我微信，名额不多", "diversion"),
    ("host", "chat", "这次增加我们厂的人手，多招二十个", "报名的加我们人事，v信同号", "diversion"),
    ("host", "chat", "个人隐私我们会保护，身份证信息只用于办入职", "想了解的私我", "diversion"),
    ("recruiter", "job", "校园兼职：图书馆整理员，时薪20元，学生优先", "先0元学技术，学完包分配", "scam"),
    # the platform's own features: 站内私信, the room's fan club, a question posted to the public chat
    ("host", "chat", "下播后还有问题的在平台私信我，站内私信我会回", "下播后私信我，发你地址", "diversion"),
    ("host", "chat", "加我们直播间的粉丝团，开播有提醒", "加我们的直播间粉丝群，群里有客服微信", "diversion"),
    ("host", "chat", "打字慢的可以语音转文字发公屏", "电话号码发公屏，我挨个打过去", "diversion"),
    ("host", "chat", "想问宿舍情况的打在公屏，我统一回答", "把你的手机尾号打在公屏上", "diversion"),
    ("host", "chat", "加个微信好友是不被允许的，有事在平台说", "在平台私信我要微信号", "diversion"),
    # a job the law closes to women (矿山井下作业), named right before the men-only limit
    ("host", "chat", "煤矿井下岗位只招男的，这是国家规定女职工不能下井", "井下岗位招满了，地面文员只招男的", "discrimination"),
    ("recruiter", "job", "井下掘进工：限男性（女职工禁忌从事矿山井下作业），持证上岗", "销售只招男的，这是国家规定", "discrimination"),
    # a list of screening tests said not to be done
    ("recruiter", "job", "入职需体检，体检项目为常规项目，不含乙肝五项和孕检，费用公司报销", "体检不含乙肝五项，孕检必须做", "discrimination"),
    # a numeral that counts (一单, 一共三门) is no price; course books and exams with a price are
    ("recruiter", "job", "月嫂：持母婴护理证和健康证，一单26天，雇主家住宿", "健康证一百二，自己去办", "fee"),
    ("host", "chat", "考试一共三门，都过了才能拿证", "课本费一共三百，入职前交", "fee"),
    ("host", "chat", "培训一共五天，有工资", "培训一共八百块，先交钱再上课", "fee"),
    # the employer named by its kind as the payer; those who charge named as a kind
    ("recruiter", "job", "幼儿园保育员：须有健康证、保育员证，按规定入职前体检，体检费园方承担", "体检费乙方承担，入职前交", "fee"),
    ("host", "chat", "正规店招学徒是给工资的，要你交八千学费的那是培训机构，不是招工", "要你交两百押金的是我们人事，到了直接给她", "fee"),
    ("host", "chat", "叫你交押金的那都不是正规厂", "要你交的两百押金是宿舍押金", "fee"),
    # a scheme called what it is; the worker's own card for the wage
    ("host", "chat", "有人说带你去境外高薪打字，那是电诈园区，千万不要去", "境外高薪打字员，日结", "scam"),
    ("host", "chat", "工资卡需要本人名下的银行卡，公司不代办也不收卡", "收购本人名下的银行卡，一张八百", "scam"),
    # teasing laughed off; a resume describes its writer
    ("host", "chat", "你太懒了哈哈，报名表都不填完整", "你太懒了", "harassment"),
    ("viewer", "resume", "本人男，32岁，五年叉车驾驶经验，持N1叉车证，能适应两班倒", "本人脾气差，傻逼勿扰", "harassment"),
    # a seeker telling where something happened to them
    ("viewer", "chat", "我之前在别的平台被收了300押金，这里不会吧", "去别的平台找我，那边岗位多", "diversion"),
]
# fmt: on


@pytest.mark.parametrize(("role", "context", "clean", "violation", "category"), PAIRS)
def test_an_ordinary_line_passes_and_its_violating_neighbour_is_flagged_by_the_rules(
    moderator: Moderator, role: str, context: str, clean: str, violation: str, category: str
) -> None:
    check_pair(moderator, role, context, clean, violation, category, rules_alone=True)


# Lines the learned stage held alone: a warning of what it would hold for, the platform's own call to apply, the
# legal minimum age refused.
MODEL_CLEARED = [
    ("host", "chat", "有人收你的身份证原件说帮你保管，坚决不给，这是违法的"),
    ("host", "chat", "名额有限，先预约面试的先安排"),
    ("host", "chat", "不招十六岁以下的童工"),
    ("host", "chat", "我们厂严禁招用未满16周岁的人员"),
]


@pytest.mark.parametrize(("role", "context", "text"), MODEL_CLEARED)
def test_what_the_learned_stage_held_alone_passes(
    moderator: Moderator, role: str, context: str, text: str
) -> None:
    decision = moderator.moderate(text, role=role, context=context)
    assert decision.action == "allow", (text, decision.to_json())


def test_hiring_under_the_minimum_age_is_still_held(moderator: Moderator) -> None:
    """The child-labour clearance needs a refusal before the age: "只招十六岁以下的" is not one."""
    decision = moderator.moderate("只招十六岁以下的，好管", role="host", context="chat")
    assert decision.action == "review", decision.to_json()


def test_a_seekers_group_refusal_outside_a_resume_is_still_held(moderator: Moderator) -> None:
    """Only a resume describes its writer; a viewer telling others who may not come is held as before."""
    decision = moderator.moderate("女的别来，干不了", role="viewer", context="chat")
    assert decision.action == "review" and "discrimination" in decision.categories, decision.to_json()


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("日结扣百分之五手续费", "block"),  # a wage deduction no law allows (工资支付暂行规定 §15): kept
        ("考证费用自理", "block"),  # the job's certificate at the worker's cost (安全生产法 §28, §47): kept
    ],
)
def test_the_debatable_fee_lines_keep_their_decision(moderator: Moderator, text: str, action: str) -> None:
    decision = moderator.moderate(text, role="host", context="chat")
    assert decision.action == action and decision.categories == ("fee",), decision.to_json()
