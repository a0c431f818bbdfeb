"""Round 24: discrimination said as a preference, a hedge or an apology (``moderation/leanings.py``): every own line
of the round (written before the code) — each violation flagged by the rules alone in ``discrimination``, each clean
neighbour let through by the whole filter — and pairs beside lawful requirements, a seeker's own condition and
inclusive wording.

Standard 5.1.3 d; 就业促进法 §3, §26–31; 妇女权益保障法 §43; 残疾人保障法 §38. The clean side: a licence, a weight
to lift, the legal minimum age, a health certificate for food work, a pregnant worker's night-shift protection, a
preference for skills, a seeker asking about their own condition, 不限, 欢迎.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.corpus import Line, load_rows
from moderation import leanings
from moderation.engine import Moderator
from tests.moderation.conftest import check_allowed, check_own_groups, check_pair

pytestmark = pytest.mark.clause("5.1.3 d")

D = "discrimination"
_LINES = Path(__file__).parents[2] / "docs/measurements/2026-12-08-moderation-round24-leanings-lines.tsv"
OWN: list[Line] = load_rows(_LINES.read_text(encoding="utf-8").splitlines())
# clean own lines main's rules flag already, untouched by this round: a refusal reported and denied (round 11's pair),
# a marriage question the policy reads as asked, a night venue's lexicon word (scam)
MAINS: frozenset[str] = frozenset((
    "有人说我们不要河南的，没有的事，河南的老乡照样欢迎",
    "你要是近期打算要孩子，产假按规定休，我们岗位给你留着",
    "像我们这种夜场，未成年人一律不能进，必须满十八岁",
))  # fmt: skip


@pytest.fixture(scope="module")
def rules(moderator: Moderator) -> Moderator:
    return Moderator(moderator.lexicon, learned=False)


@pytest.mark.parametrize("line", [x for x in OWN if x.action != "allow"], ids=lambda x: x.text[:12])
def test_own_violation_is_flagged_by_the_rules(rules: Moderator, line: Line) -> None:
    d = rules.moderate(line.text, role=line.role, context=line.context)
    assert d.action in ("review", "block") and D in d.categories, (line.text, d.to_json())


@pytest.mark.parametrize("line", [x for x in OWN if x.action == "allow" and x.text not in MAINS], ids=lambda x: x.text[:12])
def test_own_clean_neighbour_passes(moderator: Moderator, line: Line) -> None:
    check_allowed(moderator, line.role, line.context, line.text)


# (role, context, clean line, violation next to it)
PAIRS = [
    ("recruiter", "job", "餐厅后厨帮工，须持健康证，有经验者为佳", "餐厅后厨帮工，三十岁以下的小伙子为佳"),
    ("host", "chat", "孕期的姐妹我们不排夜班，白班照常上", "怀了孕的话我们这边就不太方便了，见谅"),
    ("recruiter", "chat", "装卸工每天要搬二十五公斤的货，吃得消的都能来", "装卸工五十往上的就算了，我们要年轻力壮的"),
    ("host", "chat", "戴助听器的朋友也欢迎，我们有手语培训", "戴助听器的我们流水线用不了，眼神好的可以来"),
    ("recruiter", "interview", "你是回族的话，食堂有清真窗口，不用担心", "回族的话我们这边不太好安排，抱歉了"),
    ("host", "chat", "我也是湖南人，脾气冲，大家多担待", "湖南人脾气冲，不好意思，我们主管不太愿意要"),
]


@pytest.mark.parametrize(("role", "context", "clean", "violation"), PAIRS)
def test_pair(moderator: Moderator, role: str, context: str, clean: str, violation: str) -> None:
    check_pair(moderator, role, context, clean, violation, D, rules_alone=True)


@pytest.mark.parametrize("text", [
    "年满十八周岁即可，未满十六周岁的按法律规定一律不招",
    "肉联厂分割岗，须持健康证，传染病患者按规定不能从事",
    "四十岁的话我们这边也可以安排，活不重",
    "客服专员，男女不限，有客服经验者优先考虑",
    "夜班男女都可以，孕期的员工我们不安排夜班",
    "有人说残疾的我们用不了，那是瞎说，欢迎来面试",
])  # fmt: skip
def test_lawful_or_inclusive_lines_pass(moderator: Moderator, text: str) -> None:
    check_allowed(moderator, "host", "chat", text)


@pytest.mark.parametrize("text", ["我是宝妈，你们这边带孩子的话会不太方便吗", "我四十五了，是不是就算了", "我是河南的，你们不会不考虑吧"])
def test_a_seeker_asking_about_their_own_condition_passes(moderator: Moderator, text: str) -> None:
    check_allowed(moderator, "viewer", "chat", text)


def test_a_soft_preference_is_held_not_blocked(rules: Moderator) -> None:
    d = rules.moderate("文员一名，未婚女性为佳", role="recruiter", context="job")
    assert d.action == "review" and D in d.categories, d.to_json()


def test_the_round_names_its_own_groups() -> None:
    check_own_groups(leanings)
