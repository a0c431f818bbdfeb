"""Shapes rather than words (issue 14): a handle after 号 or a QQ cue, goods with a price
and a buying word, insult morphology (X你妈, 滚X, 死X, a person called an animal), an insult reported rather
than given, and the learned stage leaving a warning alone. Written by hand for this test (not the validation
set's lines, not the corpus's). Standard 5.1.3 d; 就业促进法 §41 (fees)."""

from __future__ import annotations

import pytest

from moderation.engine import Moderator

pytestmark = pytest.mark.clause("5.1.3 d")


@pytest.fixture(scope="module")
def rules() -> Moderator:
    return Moderator(cache_size=0, learned=False)


EMPLOYER_CLEAN = [
    "房间号2035，到了敲门",  # a room number
    "工号是 zx102938，入职后发",  # a job number
    "订单号 2026120588 请保留",
    "工具厂招工，月薪5000，交社保",  # a wage after goods, not their price
    "公司发工具，价值两百，离职交回",
    "劳保鞋公司发，不用你买，价值九十五",  # denied
    "所有报名都走平台，我们不留个人联系方式",  # a refusal with 个人 between
    "直播间禁止骂人，叫别人滚的直接踢出",  # a rule about insults, not one
]
EMPLOYER_VIOLATIONS = [
    ("有事找我，号 mayhr2024", "diversion"),  # a handle after 号
    ("扣扣：6543219870 备注求职", "diversion"),  # 扣扣 folds to 扣; digits after it
    ("抠抠 98765432", "diversion"),
    ("对讲机自己购置，每台260", "fee"),  # goods, a buying word, a price
    ("劳保鞋自己买，九十五一双", "fee"),
    ("你妈个头，问那么多", "harassment"),  # insult morphology
    ("滚回你的村里去", "harassment"),
    ("死穷酸还挑三拣四", "harassment"),
    ("这人就是头猪", "harassment"),
    ("一群看门狗", "harassment"),
]


@pytest.mark.parametrize("text", EMPLOYER_CLEAN)
def test_numbers_wages_denials_and_rules_pass(rules: Moderator, text: str) -> None:
    d = rules.moderate(text, role="host", context="chat")
    assert d.action == "allow", (text, d.categories, [m.term for m in d.matches])


@pytest.mark.parametrize(("text", "category"), EMPLOYER_VIOLATIONS)
def test_handles_priced_goods_and_insult_shapes_are_caught(rules: Moderator, text: str, category: str) -> None:
    d = rules.moderate(text, role="host", context="chat")
    assert d.action != "allow" and category in d.categories, (text, d.action, d.categories)


@pytest.mark.parametrize("text", ["有人骂我是死胖子，已经举报了", "组长叫我们废柴，我就辞职了", "被人说是蠢货，这能投诉吗"])
def test_an_insult_reported_by_the_one_insulted_passes(rules: Moderator, text: str) -> None:
    assert rules.moderate(text, role="viewer", context="chat").action == "allow", text


def test_the_same_insult_said_to_someone_is_caught(rules: Moderator) -> None:
    assert rules.moderate("你就是个死胖子", role="viewer", context="chat").categories == ("harassment",)


def test_a_seeker_posting_a_qq_number_is_held_not_blocked(rules: Moderator) -> None:
    d = rules.moderate("扣扣 7766554433 招工的加我", role="viewer", context="chat")
    assert d.action == "review" and d.categories == ("diversion",)


def test_the_learned_stage_leaves_a_warning_alone() -> None:
    """The model scores the scheme's words above its cut; the warning (这种都别去) lets the line pass."""
    full = Moderator(cache_size=0)
    assert full.model is not None
    warning = "先上课后付款，学完推荐高薪工作，这种都别去"
    pitch = "先上课后付款，学完推荐高薪工作，名额不多"  # round 5's model holds this wording, not 零首付学技术
    assert full.moderate(pitch, role="host", context="chat").action == "review"
    assert full.moderate(warning, role="host", context="chat").action == "allow"
