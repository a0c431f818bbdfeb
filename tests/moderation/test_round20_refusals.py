"""Round 20 (refusals helper): discrimination whose refusal comes first, closes a list, is a threshold, is left to
the listener as a hint, or refuses every class but one (standard 5.1.3 d; 就业促进法 §3, §26–31; 妇女权益保障法 §43;
残疾人保障法 §38; 就业促进法 §30 on hepatitis B carriers).

Every violation below is worded apart from the lines file
(docs/measurements/2026-12-07-moderation-round20-refusals-lines.tsv): a refusal verb, a threshold or a hint the file
does not use, so a test passes only when the composed refusal, the threshold class or the hint shape generalises.
The clean side keeps an attribute said not to matter (不看年纪), a count past a number (超过三十个人), the legal minimum
age excepted, a hint with no class, and a refusal told to be condemned.
"""

from __future__ import annotations

import pytest

from moderation import classes
from moderation.engine import Moderator
from tests.moderation.conftest import check_allowed, check_caught, check_pair

pytestmark = pytest.mark.clause("5.1.3 d")

# (role, context, text, action, categories): a verb, threshold or hint the lines file does not hold
CAUGHT = [
    ("host", "chat", "流水线不接收坐轮椅的兄弟了", "block", ("discrimination",)),
    ("host", "chat", "年近五十的师傅这回就淘汰了", "block", ("discrimination",)),
    ("recruiter", "chat", "八零年之前生的，简历直接筛掉", "block", ("discrimination",)),
    ("host", "chat", "85前的大哥大姐这次不碰", "block", ("discrimination",)),
    ("recruiter", "chat", "怀咗孕嘅，我哋请唔起", "block", ("discrimination",)),
    ("host", "chat", "宗教信仰比较特殊的朋友，来之前心里得有个谱", "review", ("discrimination",)),
    ("recruiter", "chat", "除开上海本地的，其余一概不收", "block", ("discrimination",)),
    ("host", "chat", "离了婚的、守寡的，名单上统统踢掉", "block", ("discrimination",)),
    ("host", "chat", "外省人俺们不稀罕", "block", ("discrimination",)),
    ("recruiter", "interview", "你的岁数超了我们的上限，这次就不往下谈了", "block", ("discrimination",)),
]


@pytest.mark.parametrize(("role", "context", "text", "action", "categories"), CAUGHT)
def test_a_refusal_the_lines_do_not_hold_is_caught_by_the_rules(
    role: str, context: str, text: str, action: str, categories: tuple[str, ...]
) -> None:
    check_caught(role, context, text, action, categories)


# (role, context, clean line, violation next to it, category)
PAIRS = [
    ("recruiter", "chat", "我们不看年纪，只看肯不肯吃苦", "不要年纪大的，只看肯不肯吃苦", "discrimination"),
    ("host", "chat", "除了未满十八的，其他人都能报", "除开本地人，剩下的全都婉拒", "discrimination"),
    ("recruiter", "chat", "夜班熬人，身体扛不住的自己琢磨一下", "有癫痫病史的，自己琢磨一下再投", "discrimination"),
    ("host", "chat", "超过三十个人报名就截止", "上了三十的女工就甭来了", "discrimination"),
    ("recruiter", "chat", "不接受拿不出食品从业健康证明的人来面试", "不接受有精神病史的人来面试", "discrimination"),
    ("host", "chat", "谁跟你们说怀孕的不收？那是瞎说", "怀上二胎的这批一个不要，问也白问", "discrimination"),
]


@pytest.mark.parametrize(("role", "context", "clean", "violation", "category"), PAIRS)
def test_a_lawful_or_condemned_line_passes_beside_its_violating_neighbour(
    moderator: Moderator, role: str, context: str, clean: str, violation: str, category: str
) -> None:
    check_pair(moderator, role, context, clean, violation, category, rules_alone=True)


@pytest.mark.parametrize(
    ("role", "text"),
    [
        ("viewer", "我今年奔五了，腿脚还利索，能报吗"),  # a seeker's own age
        ("recruiter", "我们这边不看年龄也不挑长相，肯干就成"),  # attributes said not to matter
        ("host", "95前的老师傅我们也收，手艺好就行"),  # inclusive
        ("recruiter", "电焊工需持证上岗，没证的跳过"),  # a licence the job needs
    ],
)
def test_a_seeker_an_attribute_an_inclusive_line_or_a_licence_passes(moderator: Moderator, role: str, text: str) -> None:
    check_allowed(moderator, role, "chat", text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("快五十", ["age"]), ("四十出头", ["age"]), ("七零年之前出生", ["age"]), ("85前", ["generation"]),
        ("怀着孕", ["family"]), ("结咗婚", ["family"]), ("超过三十天", []), ("月薪四千往上", []), ("前台", []),
    ],
)
def test_thresholds_birth_years_and_decades_before_are_open_classes(text: str, expected: list[str]) -> None:
    """An age near or past a number, a birth year or a decade before is an age class; a count of things is not."""
    assert [classes.class_of(m.group()) for m in classes.grounds_in(text, 0, len(text))] == expected
