"""Round 24: scams and fees told by the errand the worker is asked to run (``moderation/errands.py``), on the
helper's own lines written before the code: every violation flagged by the rules alone in its categories, every
clean neighbour (a warning, a victim asking, a lawful commission, a lottery shop, a copy studio, a hospital escort)
let through by the whole filter.

Standard 5.1.3 c; 刑法 §303 (gambling), §224-1 and 禁止传销条例 §7 (pyramids); 反电信网络诈骗法; 就业促进法 §40–41 and
人力资源市场暂行条例 §27 (money taken from workers); 劳动合同法 §30 (pay in full).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.corpus import Line, load_rows
from moderation import errands
from moderation.engine import Moderator
from tests.moderation.conftest import check_allowed, check_caught, check_own_groups

pytestmark = pytest.mark.clause("5.1.3 c")

FILE = Path(__file__).resolve().parents[2] / "docs/measurements/2026-12-08-moderation-round24-errands-lines.tsv"
LINES = load_rows(FILE.read_text(encoding="utf-8").splitlines())
# clean neighbours main flags already, by other modules' readers (not this round's): kept in the file, not asserted
MAIN_FLAGS = frozenset((
    "正规陪诊服务公司招陪诊师，陪老人看病取药，按次收费，不代挂号不倒号",
    "护工岗位，照顾住院病人，一天二百五，包吃",
    "图库平台签约摄影师，上传作品被下载才分成，注册免费",
    "带徒的老师傅每月有五百带徒补贴，公司出，不从徒弟工资里扣",
))  # fmt: skip
VIOLATIONS = [x for x in LINES if x.action != "allow"]
CLEAN = [x for x in LINES if x.action == "allow" and x.text not in MAIN_FLAGS]


def _id(x: Line) -> str:
    return x.topic


def test_the_file_holds_sixty_of_each() -> None:
    assert len(VIOLATIONS) == 60 and len(CLEAN) + len(MAIN_FLAGS) == 60


@pytest.mark.parametrize("x", VIOLATIONS, ids=_id)
def test_each_errand_is_flagged_by_the_rules_in_its_categories(x: Line) -> None:
    check_caught(x.role, x.context, x.text, "block", x.categories)


@pytest.mark.parametrize("x", CLEAN, ids=_id)
def test_each_clean_neighbour_passes(moderator: Moderator, x: Line) -> None:
    check_allowed(moderator, x.role, x.context, x.text)


@pytest.mark.parametrize("text", sorted(MAIN_FLAGS))
def test_main_s_flags_on_clean_neighbours_are_none_of_this_round(moderator: Moderator, text: str) -> None:
    folded = moderator.fold(text)
    assert not [raw for detect in errands.DETECTORS.values() for raw in detect(folded)], text


def test_a_seeker_passing_a_scheme_on_is_held_and_asking_passes(moderator: Moderator) -> None:
    """The scam is anyone's (a viewer passing it on is held for a person); the fee beside it is the employer's."""
    rules = Moderator(moderator.lexicon, learned=False)
    held = rules.moderate("进直播间送嘉年华，送完退你本钱，再给两百辛苦费，想做的跟我说", role="viewer", context="chat")
    assert held.action == "review" and held.categories == ("scam",), held.to_json()
    for text in (
        "游戏代练要先交五百押号钱才能接单吗？",
        "朋友说花三万拿个县级代理，招满三个人就回本，这是真的吗？",
        "我们店前半年只发一半工资，另一半算师傅的带徒钱，满一年才结",
    ):
        check_allowed(moderator, "viewer", "chat", text)


def test_the_readers_clear_what_their_own_words_refuse() -> None:
    assert not list(errands.queues_sold("陪诊师陪老人看病按次收费不代挂号不倒号一个号都不碰"))
    assert not list(errands.forged_art("画师在临摹作品上签自己的名字作品标明复制品送拍卖行一幅三百"))
    assert not list(errands.boosting_paid_in("代练账号由客户提供不用交押金接单前先熟悉规则一单三十"))
    assert not list(errands.half_pay_kept("学徒期工资足额发放另一半是公司另付的带徒津贴满一年加薪"))
    assert not list(errands.boosting_paid_in("游戏代练要交保证金吗我看有人收八百八"))  # asked, even as a job post
    assert list(errands.bets_for_company("用公司的钱在球赛网站上押比赛输了算公司的赢了你拿三成"))


def test_the_round_names_its_own_groups() -> None:
    check_own_groups(errands)
    assert errands.LATE == errands.EMPLOYER_ONLY and not errands.DOUBLES  # a review found elsewhere keeps no block off
