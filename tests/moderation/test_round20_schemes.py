"""Round 20 (schemes helper): harmful recruiting schemes told by their structure, not their name
(moderation/schemes.py). Each shape is tried in wordings neither the lexicons nor the lines file
(docs/measurements/2026-12-07-moderation-round20-schemes-lines.tsv) hold, beside a clean neighbour that looks alike.

人力资源市场暂行条例 §24 (job information true and lawful), 反电信网络诈骗法 (task scams, cards and accounts), 刑法 §303
(gambling), §359 (escort work), §287-2 (cards lent or sold), §280 and §284-1 (papers without their exam); standard
5.1.3 c.
"""

from __future__ import annotations

import pytest

from moderation import schemes, snares
from moderation.engine import Moderator
from tests.moderation.conftest import check_allowed, check_caught, check_own_groups, check_pair

pytestmark = pytest.mark.clause("5.1.3 c")

# (role, context, text, action, categories): the scheme by its parts, under words the rules never listed
CAUGHT = [
    # a task ladder: small tasks paid, then the worker's money or the payout held back
    ("host", "chat", "先接两个试手单，佣金马上打给你，之后升到合伙人档位得往账户里垫两千", "block", ("scam",)),
    ("recruiter", "chat", "头几单做完钱立马到账嘞，后头有个闯关任务，要自家先充值五百才解得开", "block", ("scam",)),
    # a help on a link paid per act; an order placed and refunded for a commission
    ("host", "chat", "每天帮商家的小程序助力十次，每次给一块五", "block", ("scam",)),
    ("recruiter", "interview", "试用期就是用自己的号给合作网店下单，货款当天退还，每单另加十二块", "block", ("scam",)),
    # a game that pays out money
    ("host", "chat", "答题小游戏每局开奖，押中了直接提现到卡里，现招拉新代理", "block", ("scam",)),
    # escort work behind a title
    ("recruiter", "job", "【高级陪同翻译】主要是晚上陪外地来的老板们去会所喝茶唱歌，一晚结清", "block", ("scam",)),
    # a certificate without its exam
    ("recruiter", "chat", "建造师证走我们这条线免考，三个月证书到手", "block", ("scam",)),
    # the seeker's account handed over for pay
    ("host", "chat", "名下的微商城店铺挂到我们公司名下运营，每月给你一千二", "block", ("scam",)),
    # a home promised: held for a person
    ("recruiter", "chat", "安心跟着干，第五年公司帮你在县城全款买房", "review", ("scam",)),
]


@pytest.mark.parametrize(("role", "context", "text", "action", "categories"), CAUGHT)
def test_a_scheme_is_caught_by_the_rules(
    role: str, context: str, text: str, action: str, categories: tuple[str, ...]
) -> None:
    check_caught(role, context, text, action, categories)


# (role, context, clean line, violation next to it, the violation's category)
PAIRS = [
    # a piece rate paid; a piece rate with a rung that takes money
    ("recruiter", "chat", "质检按件计酬，一单两毛，月底统一结算", "质检前十单当场结算，第十一单起要先垫付质检保证款", "scam"),
    # a games company hiring; a game that cashes out
    ("recruiter", "job", "做象棋手游的工作室招QA，每天跑对局用例、提交缺陷单", "棋类小程序招客服，玩家上分后赢的可以提现", "scam"),
    # a guide keeps tourists company; a guide keeps clients company at night
    ("host", "chat", "景区向导带游客爬山看日出，按团结算", "向导的活其实是晚上陪客户喝酒唱歌，按钟点算", "scam"),
    # a certificate with its exam; without
    ("recruiter", "chat", "焊工证要参加应急管理局的实操考核，合格才发", "焊工证不用去考场，交齐资料证就到手", "scam"),
    # a company car returned on leaving; a car given to keep
    ("host", "chat", "外勤岗提供公务车一辆，油费实报，人走车留", "跟着我们干满三年，车子直接过户给你", "scam"),
    # the wage card told to payroll; the card handed to the company
    ("recruiter", "chat", "发薪卡号报给人事，本人名下的储蓄卡就行", "办好的储蓄卡和密码一起交给公司保管，每张给你三百", "scam"),
]


@pytest.mark.parametrize(("role", "context", "clean", "violation", "category"), PAIRS)
def test_pairs(moderator: Moderator, role: str, context: str, clean: str, violation: str, category: str) -> None:
    check_pair(moderator, role, context, clean, violation, category, rules_alone=True)


@pytest.mark.parametrize(("role", "text"), [
    ("viewer", "有人叫我先做几单小任务，后面又让我垫钱，这是骗局吧？"),  # a seeker asking
    ("host", "押中就能提现的那种小游戏招聘，说白了就是赌博，大家远离"),  # a host warning
    ("host", "我们这儿不搞陪客人喝酒那一套，宴会厅晚上只做传菜"),  # refused
])  # fmt: skip
def test_asked_warned_or_refused_passes(moderator: Moderator, role: str, text: str) -> None:
    check_allowed(moderator, role, "chat", text)


def test_a_seeker_passing_a_scheme_on_is_held() -> None:
    """A buyer's "who has one" and a pitch for pocket money are no questions (lawful.pitched)."""
    check_caught("viewer", "chat", "谁手上有闲着的收款码，我这边高价收，一个八百", "review", ("scam",))


def test_groups_are_own() -> None:
    check_own_groups(schemes)
    assert all(snares.DOUBLES[g] == "scam" for g in schemes.ANCHORS)
