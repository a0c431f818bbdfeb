"""Round 24 (pursuit helper): harassment by pursuit and by belittling a person's worth — contact kept up after a
refusal, a person followed or waited for, night calls as a condition, a kind sent to a lowly lot or work called
worthless, insult openers and brain idioms (standard 5.1.3 d; 治安管理处罚法 §42; 民法典 §1010; 妇女权益保障法
§23–25; :mod:`moderation.pursuit`). Every own line is checked: each violation by the rules alone, each clean neighbour
by the whole filter.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.corpus import Line, load_rows
from moderation import pursuit
from moderation.engine import Moderator
from tests.moderation.conftest import check_allowed, check_own_groups, check_pair

pytestmark = pytest.mark.clause("5.1.3 d")

LINES_PATH = (
    Path(__file__).resolve().parents[2] / "docs" / "measurements" / "2026-12-08-moderation-round24-pursuit-lines.tsv"
)
LINES: list[Line] = load_rows(LINES_PATH.read_text(encoding="utf-8").splitlines())
VIOLATIONS = [x for x in LINES if x.action != "allow"]
# clean neighbours main already flags by other readers or the learned stage (named in the round's narrative): the
# new readers leave them as they were
MAINS_OWN: frozenset[str] = frozenset((
    "你说周三方便，那我周三下午再打给你一次确认入职时间",
    "面试完我送你到地铁口吧，这边路不好找",
    "有人说没读过书的只配扫厕所，这话太伤人了，大家别这么说",
    "我今天脑子像被门夹了一样，面试时把自己名字都说错了",
))  # fmt: skip
CLEAN = [x for x in LINES if x.action == "allow"]

# (role, context, clean, violation, category): a neighbour said by the same role in the same context
PAIRS: list[tuple[str, str, str, str, str]] = [
    ("recruiter", "chat", "你没接电话，我就不打扰了，有需要你再联系我", "你把我拉黑了也没用，我换个号照样天天给你打",
     "harassment"),
    ("viewer", "chat", "面试那个人事每天早晚给我发消息，我一条都没回，他还一直发，该怎么办",
     "主播我每天给你私信一百条，你不回我就一直发下去", "harassment"),
    ("viewer", "chat", "昨晚下班总觉得有人跟着我到公交站，我该不该报警", "下播后我跟着那个女主播的车一直到她家小区门口，门牌都记下了",
     "harassment"),
    ("recruiter", "chat", "家政阿姨第一天上岗，我在小区门口等你，带你进去认认门", "我在你们宿舍大门口站了一晚上，就想看看你几点回来",
     "harassment"),
    ("recruiter", "job", "夜班客服：晚上十点到早上六点接听来电，月薪五千", "招私人助理，需每晚十点后与老板语音通话，性格温柔",
     "harassment"),
    ("viewer", "chat", "我每晚睡前都跟我男朋友视频", "主播今晚凌晨两点跟我单独视频，不然我就不给你刷礼物了", "harassment"),
    ("recruiter", "interview", "这张表格有几个公式错了，回去多练练，下周再交给我", "你写的方案我家三岁孩子都写得比你好，白长了个脑袋",
     "harassment"),
    ("recruiter", "chat", "这份工作没有学历要求，初中毕业也可以来面试", "你们这号人除了卖苦力还会干啥", "harassment"),
    ("host", "chat", "你这丫头真能干，一晚上打包两百单", "楼上那个你丫闭嘴吧，没人问你", "harassment"),
    ("viewer", "chat", "我脑子不好使，工资表看了半天没看懂", "你是不是脑子被蛤蟆夹了，这种厂也敢去", "harassment"),
]  # fmt: skip


@pytest.mark.parametrize("line", VIOLATIONS, ids=lambda x: x.text[:12])
def test_every_own_violation_is_caught_by_the_rules(moderator: Moderator, line: Line) -> None:
    rules = Moderator(moderator.lexicon, learned=False)
    decision = rules.moderate(line.text, role=line.role, context=line.context)
    assert decision.action in ("review", "block") and "harassment" in decision.categories, (line.text, decision.to_json())


@pytest.mark.parametrize("line", CLEAN, ids=lambda x: x.text[:12])
def test_every_own_clean_neighbour_is_left_alone(moderator: Moderator, line: Line) -> None:
    rules = Moderator(moderator.lexicon, learned=False)
    said = str(rules.moderate(line.text, role=line.role, context=line.context).to_json())
    assert not any(label in said for label in pursuit.LABELS), (line.text, said)
    if line.text not in MAINS_OWN:
        check_allowed(moderator, line.role, line.context, line.text)


@pytest.mark.parametrize(("role", "context", "clean", "violation", "category"), PAIRS)
def test_a_pursuit_is_caught_and_its_neighbour_passes(
    moderator: Moderator, role: str, context: str, clean: str, violation: str, category: str
) -> None:
    check_pair(moderator, role, context, clean, violation, category, rules_alone=True)


def test_a_brain_idiom_is_a_sneer_held_for_review(moderator: Moderator) -> None:
    """A brain idiom is mild: held for a person, not blocked (the round 14 reader does the same)."""
    rules = Moderator(moderator.lexicon, learned=False)
    assert rules.moderate("你这脑袋是被门框挤扁了吧", role="viewer", context="chat").action == "review"


def test_the_round_names_its_own_groups() -> None:
    check_own_groups(pursuit)
