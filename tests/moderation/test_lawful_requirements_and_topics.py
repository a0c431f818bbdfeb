"""Lawful requirements, handles after a contact cue, diversion by topic,
insults by topic. Written by hand for this test (not the validation set's lines, not the corpus's):
each line checks a shape on other words. Standard 5.1.3 d; 就业促进法 §3, §26–31 (what is and is not
a protected ground: being a student is not, so "不招学生工" is a lawful requirement)."""

from __future__ import annotations

import pytest

from moderation.engine import Moderator

pytestmark = pytest.mark.clause("5.1.3 d")

EMPLOYER_CLEAN = [
    "这批不招学生工，要能干满半年的",  # a lawful requirement, not a protected ground
    "不招暑假工，谢谢理解",
    "不招未满十八周岁的",
    "有问题不要私下说，直接在公屏问",  # refused
    "这个岗位可以用个人号码注册平台账号吗",
    "请加班的时候注意安全",
    "添加到购物车就能报名",
    "Q1季度订单多，要加班",
    "扫除文盲也是我们公益项目的一部分",
    "外面群里说的都是假消息，以平台为准",
    "别在评论区留电话，平台会通知你",  # telling seekers to keep their number
    "招保洁，需办理健康证，费用公司报销",  # a fee term across a comma, reimbursed in the next clause
]
EMPLOYER_VIOLATIONS = [
    ("加Q 3847561920", "diversion"),  # digits after a cue
    ("报名请加 5748392016", "diversion"),
    ("添加 zhaopin_66 拿岗位表", "diversion"),  # a bare handle after a cue
    ("找我，我号是 liuhr2020", "diversion"),
    ("这边不好说，下了直播间说", "diversion"),  # diversion by topic, no app named
    ("工资细节私下说", "diversion"),
    ("来我私人号聊", "diversion"),
    ("想进内推群的，我拉你", "diversion"),
    ("你个文盲还挑工作", "harassment"),  # insults by topic
    ("懒汉就别来了", "harassment"),
    ("长得跟猪似的还想当前台", "harassment"),
    ("你们这群杂碎", "harassment"),
    ("先付个占位金再说", "fee"),
]


@pytest.mark.parametrize("text", EMPLOYER_CLEAN)
def test_lawful_and_refusing_employer_lines_pass(moderator: Moderator, text: str) -> None:
    d = moderator.moderate(text, role="host", context="chat")
    assert d.action == "allow", (text, d.categories, [m.term for m in d.matches])


@pytest.mark.parametrize(("text", "category"), EMPLOYER_VIOLATIONS)
def test_handles_topics_and_insults_are_caught(moderator: Moderator, text: str, category: str) -> None:
    d = moderator.moderate(text, role="host", context="chat")
    assert d.action != "allow" and category in d.categories, (text, d.action, d.categories)


def test_a_seeker_calling_themself_unschooled_is_not_an_insult(moderator: Moderator) -> None:
    assert moderator.moderate("我文化不高，文盲能干吗", role="viewer", context="chat").action == "allow"
