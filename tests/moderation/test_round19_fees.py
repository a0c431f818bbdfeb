"""Round 19 (fees helper): a fee read by who pays whom for what (moderation/payers.py), never by its name. Each shape
is tried with fee names neither the lexicons nor the lines file (docs/measurements/2026-12-07-moderation-round19-fees-
lines.tsv) hold, beside a clean neighbour that looks alike.

就业促进法 §41 and 人力资源市场暂行条例 §24: no fee from a job seeker, no deposit, no papers held (standard 5.1.3 c);
工资支付暂行规定 §15: what a deduction from the pay may lawfully take.
"""

from __future__ import annotations

import pytest

from moderation import payers, snares
from moderation.engine import Moderator
from tests.moderation.conftest import check_allowed, check_caught, check_own_groups, check_pair

pytestmark = pytest.mark.clause("5.1.3 c")

# (role, context, text, action, categories): the payment act bound to a charge, under invented names
CAUGHT = [
    # a pay verb after a modal, the object an amount or a money noun
    ("recruiter", "chat", "分拣线的岗，要先缴两百二的货架认领费，认领完排班", "block", ("fee",)),
    ("host", "chat", "做陪诊员得先买一套院内导航权限，一百四十八，买完派单", "block", ("fee",)),
    ("recruiter", "interview", "下周报到前需租一台我们的巡检终端，押三百六", "block", ("fee",)),
    # a charge the employer takes, per head
    ("recruiter", "chat", "讲解员入职收每人二百的景区导览耳机费", "block", ("fee",)),
    ("host", "chat", "讲解员的话术手册登记款，每人一百八", "block", ("fee",)),
    # the amount then its bearer, the object fronted with 把
    ("recruiter", "chat", "驻场前的消防演练课时九十八，个人承担，练完上岗", "block", ("fee",)),
    ("recruiter", "chat", "把二百五的门店陈列押款转过来，明天就能到岗", "block", ("fee",)),
    # a deposit returned only after a stint
    ("recruiter", "chat", "入职先付四百的夜班灯具保管费，待满两个月全退", "block", ("fee",)),
    # a deduction from the first pay, a wage withheld
    ("recruiter", "job", "理货员：防滑靴和护膝一共一百六，首月薪资中直接扣除", "block", ("fee",)),
    ("host", "chat", "新来的头两个月工资厂里先压住，第三个月一起结", "block", ("fee",)),
    # in dialect (Cantonese, Sichuanese)
    ("recruiter", "chat", "返工前要俾三百蚊仓库通行证，冇就唔排更", "block", ("fee",)),
    ("host", "chat", "莫慌嘛，先交八十的排队号牌钱，轮到你就来上班", "block", ("fee",)),
]


@pytest.mark.parametrize(("role", "context", "text", "action", "categories"), CAUGHT)
def test_a_payment_act_is_caught_by_the_rules(
    role: str, context: str, text: str, action: str, categories: tuple[str, ...]
) -> None:
    check_caught(role, context, text, action, categories)


# (role, context, clean line, violation next to it, the violation's category)
PAIRS = [
    # the company pays the same kit; the worker pays it
    ("recruiter", "chat", "巡检终端我们统一配，一分钱不收", "报到前需租我们的巡检终端，每月一百二", "fee"),
    # a statutory deduction; a kit deducted
    ("recruiter", "chat", "首月薪资中代扣个税和公积金，其余照发", "护膝和防滑靴一百六，首月薪资中扣除", "fee"),
    # goods sold in the stream; a charge to work
    ("host", "chat", "这款护膝直播间到手价四十九，拍下包邮", "想上岗的先买我们的护膝套装，四十九一套", "fee"),
    # a charge refused right before the act; demanded
    ("host", "chat", "我们这边不会先收你任何号牌钱", "想排上号，先交八十的号牌钱", "fee"),
    # a condemned kind of asker; the asking itself
    ("host", "chat", "叫你先掏钱买资料包的都是坑，赶紧跑", "先掏一百二买资料包，资料到手就派活", "fee"),
    # a rental the worker chooses; a rental imposed
    ("recruiter", "chat", "电瓶车可以租公司的，不强制，租的话每月从工资扣一百", "电瓶车统一租公司的，每月从工资扣一百", "fee"),
    # the hiring company pays a platform's service; the seeker pays it
    ("host", "chat", "岗位推广服务费企业付，求职的朋友一分不花", "求职的朋友先交九十九的推广服务费，推你上首页", "fee"),
]


@pytest.mark.parametrize(("role", "context", "clean", "violation", "category"), PAIRS)
def test_pairs(moderator: Moderator, role: str, context: str, clean: str, violation: str, category: str) -> None:
    check_pair(moderator, role, context, clean, violation, category, rules_alone=True)


@pytest.mark.parametrize("text", [
    "我上周自己先交了三百块的考证费，现在后悔了",  # a seeker's own spending: §41 binds employers
    "要先交两百的号牌钱吗？",  # a seeker asking
])  # fmt: skip
def test_the_seeker_side_is_never_held(moderator: Moderator, text: str) -> None:
    check_allowed(moderator, "viewer", "chat", text)


def test_a_payment_act_keeps_a_named_shape_running(moderator: Moderator) -> None:
    """The act runs after the family shapes and does not count as their fee found: papers the employer sells stay a
    block (the sale is the demand) when a payment act with no demand word beside it is read in the same message."""
    decision = Moderator(learned=False).moderate("保育员要办保育员证，我们代办，五百六，报到后再说", role="recruiter")
    assert decision.action == "block" and "fee" in decision.categories, decision.to_json()


def test_downline_sales_counted_to_you_are_a_pyramid() -> None:
    check_caught("recruiter", "chat", "先交一千六成为银卡店长，以后你带的人的提成全归你", "block", ("fee", "scam"))


def test_groups_are_own_and_employer_only() -> None:
    check_own_groups(payers)
    assert frozenset(payers.ANCHORS) <= snares.LATE <= snares.EMPLOYER_ONLY
