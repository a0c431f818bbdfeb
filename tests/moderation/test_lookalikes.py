"""Clean lines that look dangerous, and violations in other words (issue 14, second session).

Written by hand for this test, not taken from the corpus: each line stands for a shape of
wording (a fee written as zero, a list of fees answered by the next clause, a seeker telling what
happened to them, an amount that is a count) so that the rule behind it is checked on words no
corpus template has. Standard 5.1.3 d (导流, harassment), 4.4.1 c; 就业促进法 §41 (fees).
"""

from __future__ import annotations

import pytest

from moderation.engine import Moderator

pytestmark = pytest.mark.clause("5.1.3 d")

EMPLOYER_CLEAN = [
    "0押金0中介费，直接上岗",  # a fee written as zero
    "零押金零费用",
    "押金、服装费、体检费，一律没有",  # a list answered by the next clause
    "有人问押金，我们这没有押金",
    "有人问体检费谁出，下面我说一下",  # the employer repeating a viewer's question
    "凡是让你交钱的都是假的",
    "收费的不是我们，请认准官方直播间",
    "体检费用公司全包",
    "培训期间有工资，一分钱学费都不要",
    "保证金这种东西我们从来没收过",
    "招聘不能收押金，这是法律规定的",
    "不交一分钱，直接入职",
    "入职即缴纳五险一金",  # 交五险 is not "pay five"
    "每月付一次工资，15号发",
    "我们不是传销，正规工厂",  # a scheme named after a refusal
    "酒店招服务员，不陪酒，正规五险",
    "不招刷单，不做打字兼职",
    "岗位要求会用v信和钉钉办公",  # an app named without a contact cue
    "我们没有粉丝群，也没有小程序，就在这报名",
    "报到那天准备好2张照片和身份证",  # 准备 with a count, not a sum of money
    "工服两套，入职免费发",
    "想去的扣1",  # a call to action: read as harmless, so the learned stage leaves it
    "评论区扣你想去的城市",
    "要求：会用电脑和v信办公",  # an app as a skill
    "我们这边不是垃圾公司，都是正规企业",  # an insult word refused
    "工衣费？没得这个费，厂里统一发",  # a dialect refusal (round 8)
    "冇按金，冇中介费，直接返工",
    "培训费老板垫，你们一分都不用出",  # the company advancing a fee
]
SEEKER_CLEAN = [
    "有人私信我说交钱，是你们吗",  # reporting someone else's diversion
    "我之前做过刷单，钱都没拿回来",  # telling one's own experience
    "我表哥去了缅北就联系不上了",
    "博彩公司的工作我不去",
    "刷单兼职我不做",
    "我订单号是440304199003074511怎么查不到",  # an order number shaped like an ID number
    "我滚回家算了，太远了",  # said of oneself
    "我是废物回收站的，能兼职吗",
    "v",  # a lone letter is not an app's name
    "培训贷坑人",  # a scheme called harmful
    "缅北很危险，千万别去",
    "入职要交押金的都是黑中介",
    "有个号刚私信我让我加他微信，靠谱吗",  # an unnamed account's invitation, reported (round 8)
    "有个自称人事的叫我去别的平台面试",
    "算我一个，我也去",  # counting oneself in, not "add me"
    "加我俩，我和我老婆都去",
    "能直接在这报名吗，我不想加别人微信",  # a seeker declining
    "拉人头交钱那种项目我可不敢碰",  # a scheme the seeker will not touch
    "值班一晚多少钱，有没有补贴",  # a night's pay, not a solicitation
]
EMPLOYER_VIOLATIONS = [
    ("报到当天带上300现金，用来办饭卡", "fee"),  # cash with an amount
    ("工衣每件60，入职自己买", "fee"),
    ("不交押金就不能入职", "fee"),  # a refusal that is the condition of a demand
    ("先交200押金", "fee"),
    ("转账800给我", "fee"),
    ("广东户口的一律不要", "discrimination"),
    ("外省户籍的人不招", "discrimination"),
    ("想要岗位表的进交流群拿", "diversion"),
    ("请移步我们的小程序报名", "diversion"),
    ("在抖音上搜我名字就能找到", "diversion"),  # the cue after 上/里
    ("微信里联系我", "diversion"),
    ("V❤信", "diversion"),  # an app's name alone is the message
    ("先交学费，没钱可以办个分期", "scam"),
    ("押金五百，没得商量", "fee"),  # a negation word that closes the bargaining (round 8)
    ("服装费一百二，没得少", "fee"),
    ("体检费公司先垫付，第一个月工资里扣回", "fee"),  # advanced, then taken back from the pay
]
SEEKER_VIOLATIONS = [
    ("就你这样的还好意思招人，滚回去吧", "harassment"),
    ("再不给钱我就去门口堵你", "harassment"),
    ("想赚钱的来做刷单，一天三百", "scam"),
    ("你们是不是垃圾公司", "harassment"),  # 是不是 asks nothing kind
    ("没素质，赶紧滚", "harassment"),
    ("刷单不犯法，放心做", "fee"),  # "harmful" denied is a pitch
    ("加我一个微信，私聊", "diversion"),  # counting oneself in does not hide an app
]


@pytest.mark.parametrize("role", ["host", "recruiter"])
@pytest.mark.parametrize("text", EMPLOYER_CLEAN)
def test_employer_lines_that_only_look_dangerous_pass(moderator: Moderator, text: str, role: str) -> None:
    decision = moderator.moderate(text, role=role)
    assert decision.action == "allow", (text, decision.categories, [m.term for m in decision.matches])


@pytest.mark.parametrize("text", SEEKER_CLEAN)
def test_seeker_lines_that_only_look_dangerous_pass(moderator: Moderator, text: str) -> None:
    decision = moderator.moderate(text, role="viewer")
    assert decision.action == "allow", (text, decision.categories, [m.term for m in decision.matches])


@pytest.mark.parametrize(("text", "category"), EMPLOYER_VIOLATIONS)
def test_employer_violations_in_other_words_are_caught(moderator: Moderator, text: str, category: str) -> None:
    decision = moderator.moderate(text, role="host", context="chat")
    assert decision.action in ("review", "block") and category in decision.categories, (text, decision)


@pytest.mark.parametrize(("text", "category"), SEEKER_VIOLATIONS)
def test_seeker_violations_in_other_words_are_caught(moderator: Moderator, text: str, category: str) -> None:
    decision = moderator.moderate(text, role="viewer", context="chat")
    assert decision.action in ("review", "block") and category in decision.categories, (text, decision)


def test_an_id_number_without_an_order_cue_is_still_masked(moderator: Moderator) -> None:
    decision = moderator.moderate("我身份证号是440304199003074511", role="viewer")
    assert decision.action == "mask" and "pii" in decision.categories
