"""Round 15 (fee helper): fees, scams and diversion by mechanism, in wordings the lines file
(docs/measurements/2026-12-06-moderation-round15-fee-lines.tsv) does not hold, each clearance beside a violating
neighbour the rules alone must flag.

Fees asked of a job seeker under a new name or as kit bought or rented from the employer: 就业促进法 §41,
人力资源市场暂行条例 §27. A job sold (a placement guaranteed for money), pyramid entry money, a course paid by a loan:
a fee and a scam (人力资源市场暂行条例 §24, §27; 禁止传销条例 §7). Accounts lent for pay (刑法 §287-2), reviews paid
per piece (order-brushing), compounds abroad, drinking with customers (刑法 §359). Invitations off the platform in
English, into the speaker's own group, or in a display name: standard 5.1.3 d.
"""

from __future__ import annotations

import pytest

from moderation.engine import Moderator
from tests.moderation.conftest import check_pair

pytestmark = pytest.mark.clause("5.1.3 d")

# (role, context, text, action, categories the rules alone must find)
CAUGHT = [
    # a charge under a new name, told by its amount (after the noun, or after a demand verb)
    ("recruiter", "chat", "报到当天交八百的岗位保留金，不然名额给别人", "block", ("fee",)),
    ("host", "chat", "做销售的先交一千五渠道对接费", "block", ("fee",)),
    ("recruiter", "job", "质检员 入职收取工位押款四百", "block", ("fee",)),
    # kit bought or rented from the employer
    ("host", "chat", "送水工的三轮车站里租，一天二十，月底工资结算时扣", "block", ("fee",)),
    ("recruiter", "chat", "理发店学徒的剪刀推子店里统一卖，六百八一套", "block", ("fee",)),
    # a job sold: a placement guaranteed for money
    ("recruiter", "chat", "给我六千，保你进烟厂当合同工", "block", ("fee", "scam")),
    ("host", "chat", "交九千九走内部通道，保证你能入职国网", "block", ("fee", "scam")),
    # pyramid entry money with recruits
    ("recruiter", "chat", "认购五千八的套餐成为合伙人，发展三个人就回本", "block", ("fee", "scam")),
    # a course paid by a loan in the seeker's name
    ("host", "chat", "报名动画班零首付，结业后每月还九百", "block", ("fee", "scam")),
    # accounts lent, reviews paid, a compound abroad, drinking with customers
    ("recruiter", "chat", "借你的银行卡过一下账，一次给两百", "block", ("scam",)),
    ("host", "chat", "给美团店铺写好评，一条返五块", "block", ("scam",)),
    ("recruiter", "job", "缅甸园区招客服，包吃住月薪两万", "block", ("scam",)),
    ("host", "chat", "清吧招女生，陪客人划拳喝酒，日结八百", "block", ("scam",)),
    # pay said to be certain (review)
    ("recruiter", "chat", "干满半年保证你月入两万", "review", ("scam",)),
    # English invitations, one's own group, a contact in a display name
    ("recruiter", "chat", "text me on whatsapp for the shift list", "block", ("diversion",)),
    ("host", "chat", "more jobs in my telegram group, ask for the link", "block", ("diversion",)),
    ("host", "chat", "报不上名的都来我们群，群里统一安排", "block", ("diversion",)),
    ("recruiter", "chat", "我一会把大家拉进报名群，在群里确认时间", "block", ("diversion",)),
    ("recruiter", "name", "临时工招聘扣群七六五四三二一", "block", ("diversion",)),
]


@pytest.mark.parametrize(("role", "context", "text", "action", "categories"), CAUGHT)
def test_each_mechanism_is_caught_by_the_rules(role: str, context: str, text: str, action: str,
                                               categories: tuple[str, ...]) -> None:  # fmt: skip
    d = Moderator(learned=False).moderate(text, role=role, context=context)
    assert d.action in ("review", "block") and set(categories) <= set(d.categories), (text, d.to_json())
    if action == "review":  # an unfounded promise is held, never blocked
        assert d.action == "review", (text, d.to_json())


# (role, context, clean line, violation next to it, the violation's category)
PAIRS = [
    # a benefit or bill with an amount; a charge by a new name
    ("host", "chat", "入职满一年公司发一千的留任奖金", "入职先交一千的岗位留任金", "fee"),
    ("recruiter", "job", "夜班补贴每晚三十，高温费另算", "入职交个三百的夜班保障金", "fee"),
    ("host", "chat", "体检费二百，入职后随工资一起报销", "入职先交五百的档案建立费，概不退还", "fee"),
    # kit given free or lost; kit sold or rented
    ("recruiter", "chat", "扫码枪公司免费配，弄丢了才照价赔", "扫码枪公司统一卖，三百一把，工资里扣", "fee"),
    ("host", "chat", "骑手的电动车站点免费借，不收租金", "骑手的电动车站点统一租，一个月四百五", "fee"),
    # a lawful referral bonus; money taken for a placement
    ("host", "chat", "介绍老乡进厂干满一个月，公司给你八百奖励", "交五千给我，保你进厂当正式工", "fee"),
    # a warned or asked placement; sold
    ("viewer", "chat", "有人说交三万保你进国企，这种是骗子吧", "交三万给我，保你进国企", "scam"),
    # a refused loan; a course on a loan
    ("host", "chat", "我们的课程全免费，不签任何分期", "课程一万二，签个分期，学完包分配", "scam"),
    # an account kept; lent for pay
    ("host", "chat", "千万别把银行卡借给别人用，出事算你的", "借你的银行卡用一周，给你一千", "scam"),
    # a work group after hiring, a group denied; an invitation into one's own group
    ("host", "chat", "有人冒充我拉群收钱，我没有任何群", "想要岗位表的来我群里领", "diversion"),
]


@pytest.mark.parametrize(("role", "context", "clean", "violation", "category"), PAIRS)
def test_a_clean_line_passes_and_its_violating_neighbour_is_flagged(
    moderator: Moderator, role: str, context: str, clean: str, violation: str, category: str
) -> None:
    check_pair(moderator, role, context, clean, violation, category, rules_alone=True)


def test_an_english_warning_passes_the_rules_and_the_invitation_does_not() -> None:
    """The rules read the warning (never … add … on wechat) as no invitation; the learned stage still holds some
    English warnings on its own (scam n-grams, seen before this round), so only the rules are checked here."""
    rules = Moderator(learned=False)
    assert rules.moderate("never add anyone on wechat who asks for fees", role="host", context="chat").action == "allow"
    d = rules.moderate("add me on wechat for the job list", role="host", context="chat")
    assert d.action == "block" and "diversion" in d.categories, d.to_json()


def test_a_career_threat_is_not_read_in_a_refund_promise() -> None:
    """"进不去全额退" sells a job (fee, scam); it threatens no one (the career shape's end words)."""
    d = Moderator(learned=False).moderate("内推一次五千，保证你进阿里，进不去全额退", role="recruiter", context="chat")
    assert "harassment" not in d.categories and {"fee", "scam"} <= set(d.categories), d.to_json()
