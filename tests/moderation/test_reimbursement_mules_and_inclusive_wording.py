"""Shapes the fifth round reads (issue 14): a fee paid back in a later clause, a fee named and denied elsewhere
in the message, priced insurance or devices, money mules (renting or selling bank cards, accounts and SIM
cards), threats and quid pro quo in other words, inclusive wording against the model's discrimination hold,
a limit justified by the job's nature held for a person, an app after a refusal or in a skill, the company
as the payer, someone else's invitation called false. Written by hand
for this test (not validation or corpus lines). 就业促进法 §41, §26-31; 刑法 §287-2; standard 5.1.3 d."""

from __future__ import annotations

import pytest

from moderation.engine import Moderator

pytestmark = pytest.mark.clause("5.1.3 d")


@pytest.fixture(scope="module")
def full() -> Moderator:
    return Moderator(cache_size=0)


CLEAN = [
    ("host", "chat", "健康证费用九十，入职后凭发票报销"),  # paid back in a later clause
    ("host", "chat", "有人问押金，我再说一遍，没有押金"),  # named, then denied
    ("recruiter", "chat", "意外险公司买，每人一百二，不用你出"),
    ("host", "chat", "银行卡千万别借给陌生人，会被判刑"),  # a warning against mules
    ("host", "chat", "夫妻工也欢迎，已婚未婚都可以"),  # inclusive wording
    ("host", "chat", "报名不用去别的平台，就在直播间点报名"),  # an app refused
    ("viewer", "resume", "运营过企业抖音号和公众号"),  # a skill
    ("viewer", "chat", "我微信号被盗了，好不容易才找回"),
    ("recruiter", "chat", "交通卡厂里每月充一百，用完自己看着办"),  # the company pays
    ("host", "chat", "谁让你去别的群报名的，那个是假的"),  # someone else's invitation called false
    ("host", "chat", "公交卡充值在地铁站窗口充值就行"),
    ("host", "chat", "点亮粉丝团，开播会提醒你"),  # the platform's own fan club
    ("recruiter", "chat", "公积金个人部分从工资扣，这不算收费"),
    ("viewer", "chat", "我们公司座机是0755开头的"),  # no number after the cue
]
VIOLATIONS = [
    ("host", "chat", "押金三百，干满半年公司报销", "fee"),  # a deposit is not reimbursed away
    ("recruiter", "chat", "上岗前在我这买意外险，一份一百五", "fee"),
    ("host", "chat", "高价收购银行卡，当天结算", "scam"),
    ("recruiter", "chat", "出租你的支付宝，一天给你一百", "scam"),
    ("host", "chat", "会员送彩金，拉人充值有提成", "scam"),
    ("recruiter", "chat", "不听话就让人打断你的腿", "harassment"),
    ("recruiter", "chat", "转不转正，就看你今晚表现", "harassment"),
    ("host", "chat", "想要岗位表的在评论区留个邮箱", "diversion"),
    ("recruiter", "chat", "报名请拨打热线 020-66778899", "diversion"),  # a landline from the employer
    ("host", "chat", "押卡费两百，离职退", "fee"),
    ("recruiter", "chat", "学位证原件放在公司，干满两年再还你", "fee"),  # papers held until leaving
    ("host", "chat", "有残疾证的一律不要", "discrimination"),
    ("recruiter", "chat", "女的才要，男的别来", "discrimination"),
    ("host", "chat", "你就是个二百五", "harassment"),
]


def test_250_as_a_price_is_no_insult(full: Moderator) -> None:
    assert "harassment" not in full.moderate("报名表打印一份，每个二百五", role="viewer").categories


def test_a_seekers_landline_is_masked(full: Moderator) -> None:
    d = full.moderate("我家座机 0371-65432100，白天有人接", role="viewer", context="chat")
    assert d.action == "mask" and "65432100" not in d.text


@pytest.mark.parametrize(("role", "context", "text"), CLEAN)
def test_clean_lines_pass(full: Moderator, role: str, context: str, text: str) -> None:
    assert full.moderate(text, role=role, context=context).action == "allow"


@pytest.mark.parametrize(("role", "context", "text", "category"), VIOLATIONS)
def test_violations_are_caught(full: Moderator, role: str, context: str, text: str, category: str) -> None:
    assert category in full.moderate(text, role=role, context=context).categories


def test_a_limit_justified_by_the_job_is_held_not_blocked(full: Moderator) -> None:
    d = full.moderate("女更衣室保洁只招女性，岗位性质决定的", role="recruiter", context="job")
    assert d.action == "review" and d.categories == ("discrimination",)
    assert full.moderate("前台只招女性", role="recruiter", context="job").action == "block"
