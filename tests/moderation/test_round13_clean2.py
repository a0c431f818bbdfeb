"""Round 13, the clean side by a second writer: ordinary lines the filter held or blocked, each beside a violation.

410 hand-written lines in other settings and voices (bank back offices, 社区网格员, school canteens, scenic spots,
funeral and pet services, car parks; Northeast, Shandong, Henan, Hubei, Shanghai, Hakka, overseas Chinese, low
literacy; docs/measurements/2026-12-06-moderation-round13-clean2-lines.tsv) were run through the filter; 18 were
flagged. Each fix answers a mechanism (moderation/lawful.py, policy.py, the allow list); the twins use other wordings.
就业促进法 §3, §27, §41; 人力资源市场暂行条例 §27; standard 5.1.3 c/d.
"""

from __future__ import annotations

import pytest

from moderation.engine import Moderator
from tests.moderation.conftest import check_pair

pytestmark = pytest.mark.clause("5.1.3 d")

# (role, context, clean line, violation next to it, the violation's category); the rules alone flag each violation.
# fmt: off
PAIRS = [
    # a refusal right before the fee, not one that is then made the condition
    ("host", "chat", "周口的，咱河南人出门打工最实在，来了包吃包住不要押金", "来了先交押金，不要押金不行", "fee"),
    ("host", "chat", "俺们这不要一分钱，来了就上班", "不要押金也行，交三百服装费", "fee"),
    ("host", "chat", "4S店机修学徒，跟师傅学，学徒期也有工资两千八，不是交钱学技术", "学技术要交钱，一个月八百", "fee"),
    # those who charge called another kind with the distal 那是
    ("host", "chat", "不靠谱，交钱学技术那是培训学校，招学徒是给你发工资的", "交钱学技术那是我们的培训学校，学费三千", "fee"),
    ("host", "chat", "交钱进厂那是黑中介干的事，我们这不兴这个", "交钱进厂，这是我们的规矩，一人五百", "fee"),
    # someone else's demand told in the clause before, denied in the clause after
    ("host", "chat", "有人冒充我们公司发试译题，要先交300审核费，我们从来不收审核费，大家注意",
     "有人问审核费，先交300审核费，通过了退", "fee"),
    # someone else named as the collector and disowned
    ("host", "chat", "你的押金是房东收的，跟我们厂没关系，我们不收", "你的押金是房东收的，入职先交给我们500，我们转给房东", "fee"),
    ("host", "chat", "宿舍押金是物业收的，跟我们无关，公司不收任何钱", "宿舍押金是物业收的，三百，到了交给我", "fee"),
    # a fee named, not asked for, called unlawful in the next clause
    ("host", "chat", "正规的技能实习现在国家规定中介费有上限，五万那种大概率是黑中介，先查公司的对外劳务合作经营资格",
     "中介费有上限，我们收五万", "fee"),
    # a toll or parking cashier is a job; paying by scanning a code is no contact
    ("host", "chat", "停车场收费员现在基本是扫码了，主要是巡场和处理纠纷，夜班有补助", "付款后扫码进群领岗位", "diversion"),
    ("host", "chat", "商场收银员，现在大部分顾客都是扫码付款", "报名的扫码加我，名额不多", "diversion"),
    # ladies first as a courtesy, not a hiring preference
    ("host", "chat", "女士优先上车，排队有序", "女士优先，男的就别投了", "discrimination"),
    ("host", "chat", "女士优先入场，男士稍等一下", "前台文员，女士优先", "discrimination"),
]
# fmt: on


@pytest.mark.parametrize(("role", "context", "clean", "violation", "category"), PAIRS)
def test_an_ordinary_line_passes_and_its_violating_neighbour_is_flagged_by_the_rules(
    moderator: Moderator, role: str, context: str, clean: str, violation: str, category: str
) -> None:
    check_pair(moderator, role, context, clean, violation, category, rules_alone=True)


@pytest.mark.parametrize(
    ("clean", "violation"),
    [
        ("女生宿舍宿管阿姨，限女性（需进入女生宿舍巡查），50岁以下身体健康", "宿管阿姨，限女性，50岁以下"),
        ("女生宿舍的宿管只招女的，男的进不去女生楼", "宿管只招女的，男的不要"),
    ],
)
def test_a_same_sex_space_named_sends_a_gender_limit_to_a_person(
    moderator: Moderator, clean: str, violation: str
) -> None:
    """A women-only limit for work inside a women's dormitory may be lawful (就业促进法 §27 leaves the job's nature to
    a person): held for review, not blocked; the bare limit stays blocked."""
    held = moderator.moderate(clean, role="recruiter", context="job")
    assert held.action == "review" and held.categories == ("discrimination",), held.to_json()
    blocked = moderator.moderate(violation, role="recruiter", context="job")
    assert blocked.action == "block", blocked.to_json()


@pytest.mark.parametrize("text", ["入职要不要押金看情况，一般三百", "是不是交钱？交，八百块"])
def test_an_a_not_a_question_is_no_refusal_before_a_fee(moderator: Moderator, text: str) -> None:
    """要不要押金 and 是不是交钱 ask; only a plain 不要/不是 right before the fee refuses it."""
    decision = Moderator(moderator.lexicon, learned=False).moderate(text, role="recruiter", context="job")
    assert decision.action != "allow" and "fee" in decision.categories, decision.to_json()
