"""Lines and faults the lead found at the sixteenth round's merge.

A clause's answer to "is this fee refused?" was cached by the clause's start, but part of it depends on the hit
(whether the hit's own words demand the money): the first fee hit of a clause decided for every later one, so two
hits found in an order that follows the hash seed (a set of detector groups) gave "review: scam" in some processes
and "block: fee, scam" in others for the same line. Each hit is now decided on its own (就业促进法 §41). A passport
named in an offer of high pay for no skill points abroad as a country does (刑法 §240, §318: the compounds' bait).
A package or course bought from the employer with its price (先买我们的…套餐，两千六) is a fee like kit (§41); a
canteen's set meal is not. 栓Q (internet slang for thank you) is no QQ. A
group refused by a bare 不收/不招 right before it (不收回民), a wheelchair user refused, and the hepatitis B panel
by its common name (两对半) followed by a refusal discriminate (就业促进法 §3, §29, §30; 残疾人保障法 §38).
"""

from __future__ import annotations

import itertools

import pytest

from moderation import charges
from moderation.engine import Moderator
from moderation.policy import Context, Hit, rule
from tests.moderation.conftest import check_pair

pytestmark = pytest.mark.clause("5.1.3 c")

JAVA = "零基础学java四个月包进大厂，学费两万八可以分期，不用你先拿钱"


def test_fee_hits_in_one_clause_are_ruled_the_same_in_any_order(moderator: Moderator) -> None:
    """The placement-sold and course-loan detectors both find a fee in the first clauses; each hit's ruling must
    not depend on which of them the rules looked at first."""
    full = moderator.normalizer.fold_with_offsets(JAVA)
    raws = [*charges.placements_sold(full.text), *charges.course_loans(full.text)]
    hits = [Hit(*raw) for raw in raws if raw[0] == "fee"]
    assert len(hits) == 2
    answers = set()
    for order in itertools.permutations(hits):
        ctx = Context(full, "viewer", "chat")
        rulings = {h.term: rule(h, ctx) for h in order}
        answers.add(tuple(sorted((term, r.action if r else "none") for term, r in rulings.items())))
    assert len(answers) == 1, answers  # before the fix: one answer per order
    assert dict(answers.pop())["course loan"] == "block"


def test_a_placement_sold_on_a_course_loan_is_a_fee_and_a_scam(moderator: Moderator) -> None:
    for role in ("viewer", "recruiter"):
        decision = moderator.moderate(JAVA, role=role, context="chat")
        assert decision.action == "block" and set(decision.categories) == {"fee", "scam"}


def test_an_id_number_run_into_a_numeral_after_it_is_found(moderator: Moderator) -> None:
    """个人信息保护法 §28: an ID number is sensitive data. Separators between digit groups are dropped so that a
    number split by commas is read whole; "…0828，三年收银经验" then folded to one nineteen-digit run, and the ID
    number in it went unseen, as a mobile number before "二十四小时" did until round 14."""
    text = "刘春梅，女，31岁，身份证440304199003074510，三年超市理货经验"
    seeker = moderator.moderate(text, role="viewer", context="resume")
    assert seeker.action == "mask" and seeker.categories == ("pii",)
    assert moderator.moderate(text, role="recruiter", context="chat").action == "block"
    assert moderator.moderate("订单号4403041990030745101，三件", role="viewer", context="chat").action == "allow"


# (role, context, clean line, violation next to it, the violation's category)
PAIRS = [
    ("host", "chat", "我们公司的员工可以买我们的员工套餐，食堂十五一份", "想做带货主播的先买我们的新人直播套餐，两千六，含补光灯", "fee"),
    ("recruiter", "chat", "岗前课程公司免费安排，不用买任何东西", "上岗前得买公司的岗前课程，一千二，不买不安排", "fee"),
    ("viewer", "chat", "这活儿也太累了 栓Q 我再看看别的", "工作的事加我Q 2873645512 细聊", "diversion"),
    ("recruiter", "chat", "不收回民朋友的押金，也不收任何人的押金", "我们车间不收回民，食堂还得单开灶", "discrimination"),
    ("recruiter", "chat", "不收押金，外地人", "我们厂不招维族", "discrimination"),
    ("recruiter", "chat", "坐轮椅的朋友也可以报名，厂区有无障碍通道", "坐轮椅的能做什么仓库分拣，别逗了，不招", "discrimination"),
    ("host", "chat", "入职体检不查两对半，乙肝携带者也能来", "面试前自己去查个两对半，查出来阳性的就别来了", "discrimination"),
    ("host", "chat", "办护照大概要十几天，去海外工作的朋友提前准备，焊工证要带上", "去那边做客服，一个月三万五，什么都不用会，护照到了给你们安排", "scam"),
]


@pytest.mark.parametrize(("role", "context", "clean", "violation", "category"), PAIRS)
def test_a_clean_line_passes_and_its_violating_neighbour_is_flagged(
    moderator: Moderator, role: str, context: str, clean: str, violation: str, category: str
) -> None:
    check_pair(moderator, role, context, clean, violation, category, rules_alone=True)
