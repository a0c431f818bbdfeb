"""Round 20 (terms helper): a fee in the terms of the job with no pay verb (moderation/terms.py) — the job refused
without money or a gift, goods the worker may take only from the employer, a share of the pay taken for the place, a
place priced, a charge a system or a third party draws, the costs of recruiting borne by the recruits. Each shape is
tried in wordings the lines file (docs/measurements/2026-12-07-moderation-round20-terms-lines.tsv) does not hold,
beside a lawful neighbour.

就业促进法 §41 and 人力资源市场暂行条例 §24: no fee, deposit or property from a job seeker (standard 5.1.3 c);
工资支付暂行规定 §15: what a deduction from the pay may lawfully take.
"""

from __future__ import annotations

import pytest

from moderation import abuse, conduct, errands, frauds, inkind, leanings, payers, snares, terms, unequal
from moderation.engine import Moderator
from tests.moderation.conftest import check_allowed, check_caught, check_own_groups, check_pair

pytestmark = pytest.mark.clause("5.1.3 c")

# (role, context, text, action, categories)
CAUGHT = [
    # something lacked, then the job refused
    ("recruiter", "chat", "开工前给班长准备一份四百块的见面礼，两手空空的班长不安排机台", "block", ("fee",)),
    # money in place, then the job granted
    ("recruiter", "chat", "六千八到账，后天就安排你去仓库报到", "block", ("fee",)),
    # goods only from the employer, the outside refused, with a price
    ("host", "chat", "防护面罩只认仓里发的那款，网上淘的一律不准进线，一个一百三", "block", ("fee",)),
    # a share of the pay for the place
    ("recruiter", "chat", "推荐你进去可以，年薪的三成归我们这边", "block", ("fee",)),
    # a place priced as a plain figure
    ("recruiter", "chat", "地铁安检的编制今年紧，单个指标一万六", "block", ("fee",)),
    # a charge drawn by a system
    ("recruiter", "chat", "考勤系统每个月会扣掉九十九的使用服务", "block", ("fee",)),
    # recruiting costs borne by the recruits
    ("recruiter", "job", "本次招聘的宣传及场租开支由全体报名者分摊", "block", ("fee",)),
]


@pytest.mark.parametrize(("role", "context", "text", "action", "categories"), CAUGHT)
def test_a_fee_in_the_terms_is_caught_by_the_rules(
    role: str, context: str, text: str, action: str, categories: tuple[str, ...]
) -> None:
    check_caught(role, context, text, action, categories)


# (role, context, clean line, violation next to it, the violation's category)
PAIRS = [
    # a lawful requirement lacked; money lacked
    ("recruiter", "chat", "没有健康证的暂时不安排上岗", "没备好一千五的见面礼，这次不安排面试", "fee"),
    # the employer's kit handed out free; sold only there
    ("host", "chat", "护目镜仓里免费发，外面买的也能用", "护目镜只认仓里那款，外面买的不让进线，九十一副", "fee"),
    # a statutory deduction drawn by the system; a charge drawn
    ("recruiter", "chat", "系统每月自动扣个税和公积金", "系统每月自动扣一百二的账号维护", "fee"),
    # a count of places; a place priced
    ("host", "chat", "质检员的名额还剩八个，先报先得", "质检员的名额一个九千，先报先得", "fee"),
    # the company bears the recruiting cost; the recruits bear it
    ("recruiter", "job", "招聘场地费用由公司承担", "招聘场地开支由报到人员平摊", "fee"),
]


@pytest.mark.parametrize(("role", "context", "clean", "violation", "category"), PAIRS)
def test_pairs(moderator: Moderator, role: str, context: str, clean: str, violation: str, category: str) -> None:
    check_pair(moderator, role, context, clean, violation, category, rules_alone=True)


@pytest.mark.parametrize("text", [
    "听说那个厂一个名额卖到两万，太黑了吧",  # a seeker telling: §41 binds employers
    "我朋友头个月工资被介绍人拿走三成，这合法吗",  # a seeker asking
])  # fmt: skip
def test_the_seeker_side_is_never_held(moderator: Moderator, text: str) -> None:
    check_allowed(moderator, "viewer", "chat", text)


@pytest.mark.parametrize("text", [
    "缴纳五险一金，个人部分每月从工资代扣",  # a benefit, not a fee
    "收银台的岗位分早晚两班，名额不限，不收任何费用",  # places with no price
    "未满十八周岁的不安排夜班",  # a lawful limit with a figure in it
])  # fmt: skip
def test_lawful_terms_stay_clean(moderator: Moderator, text: str) -> None:
    check_allowed(moderator, "recruiter", "job", text)


def test_groups_are_own_and_employer_only() -> None:
    check_own_groups(terms)
    # round 22: the hiring side's pretexts (moderation/abuse.py) and inkind's groups are employer-only too; inkind's
    # loan reader a double like terms' place; abuse's pretexts are no late group; round 23: conduct's intimate touch
    # (moderation/conduct.py) and unequal's groups are employer-only and no late group either; frauds' fee readers are
    # employer-only and late, its scam readers doubles for anyone; round 24: leanings' groups are employer-only, no late
    # group; errands' half-pay reader is employer-only and late, none of its readers a double
    employer_only = (
        frozenset(terms.ANCHORS) | frozenset(payers.ANCHORS) | frozenset(inkind.ANCHORS) | abuse.EMPLOYER_ONLY
        | conduct.EMPLOYER_ONLY | unequal.EMPLOYER_ONLY | frauds.EMPLOYER_ONLY | leanings.EMPLOYER_ONLY
        | errands.EMPLOYER_ONLY
    )  # fmt: skip
    assert employer_only == snares.EMPLOYER_ONLY
    doubles = frozenset(terms.DOUBLES) | frozenset(inkind.DOUBLES) | frozenset(frauds.DOUBLES)
    not_late = abuse.EMPLOYER_ONLY | conduct.EMPLOYER_ONLY | unequal.EMPLOYER_ONLY | leanings.EMPLOYER_ONLY
    assert snares.EMPLOYER_ONLY - doubles - not_late == snares.LATE and terms.DOUBLES == {"place": "fee"}
