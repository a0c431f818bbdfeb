"""Round 20 (contempt helper): insults by contempt with no insult word (standard 5.1.3 d; 网络信息内容生态治理规定 §7).

Every violation below is worded apart from the lines file
(docs/measurements/2026-12-07-moderation-round20-contempt-lines.tsv): a trait, a claim or a label the file pairs
otherwise, so a test passes only when the construction (a person, a trait judged, a claim above it, a fate, a
deserved misfortune, a verdict on worth) is read and not the file's words. The clean side keeps self-deprecation,
a mockery condemned, a company judged, an inclusive answer and a thing called ugly.
"""

from __future__ import annotations

import pytest

from moderation import contempt
from moderation.engine import Moderator
from tests.moderation.conftest import check_allowed, check_caught, check_own_groups, check_pair

pytestmark = pytest.mark.clause("5.1.3 d")

# (role, context, text, action, categories): a construction with slots the lines file fills otherwise
CAUGHT = [
    ("host", "chat", "六十岁的人了还敢来报名当网红，省省吧", "block", ("harassment",)),
    ("viewer", "chat", "连简单的表格都不会做，还想要八千一个月", "block", ("harassment",)),
    ("recruiter", "interview", "他不过是个扫大街的，也来面试经理助理", "block", ("harassment",)),
    ("viewer", "chat", "你这种人就不配出来找工作", "block", ("harassment",)),
    ("host", "chat", "他这辈子注定翻不了身", "block", ("harassment",)),
    ("viewer", "chat", "她被裁员是自作自受，上班天天摸鱼", "block", ("harassment",)),
    ("recruiter", "chat", "你那一口塑料普通话，听着真刺耳", "block", ("harassment",)),
    ("host", "chat", "三岁小孩都比你会说话", "block", ("harassment",)),
    ("viewer", "chat", "你一个初中毕业的，哪有资格点评大学生", "block", ("harassment",)),
    ("recruiter", "chat", "山里娃就是山里娃，教也教不会", "block", ("harassment",)),
]


@pytest.mark.parametrize(("role", "context", "text", "action", "categories"), CAUGHT)
def test_contempt_in_plain_words_is_caught_by_the_rules(
    role: str, context: str, text: str, action: str, categories: tuple[str, ...]
) -> None:
    check_caught(role, context, text, action, categories)


# (role, context, clean line, violation next to it, category)
PAIRS = [
    ("viewer", "chat", "我也就是个端盘子的命，不抱怨", "你也就是个端盘子的命，别抱怨了", "harassment"),
    ("host", "chat", "别取笑人家的口音，谁说话没点家乡味", "你那口音土得像刚从地里出来的", "harassment"),
    ("viewer", "chat", "那个黑中介骗了那么多人，活该被抓", "你被老板开了，活该", "harassment"),
    ("host", "chat", "年纪大了还想学剪辑的，我们也欢迎", "年纪这么大了还想学剪辑，省省吧", "harassment"),
    ("viewer", "chat", "这顶头盔丑得像个锅盖", "她长得丑得像个锅盖", "harassment"),
    ("recruiter", "interview", "你打字还不够快，这个岗位暂时不合适", "你打字这么慢还想做录入员，做梦去吧", "harassment"),
]


@pytest.mark.parametrize(("role", "context", "clean", "violation", "category"), PAIRS)
def test_a_lawful_neighbour_passes_beside_its_contemptuous_twin(
    moderator: Moderator, role: str, context: str, clean: str, violation: str, category: str
) -> None:
    check_pair(moderator, role, context, clean, violation, category, rules_alone=True)


@pytest.mark.parametrize(
    ("role", "text"),
    [
        ("viewer", "我口音很重，说话老被同事学"),  # said of oneself
        ("host", "大家别瞧不起送外卖的，人家凭力气吃饭"),  # a mockery condemned
        ("viewer", "这个价格真是笑死人，谁会买"),  # a thing laughed at
        ("recruiter", "这个岗位要求普通话二级甲等以上"),  # a job's real requirement
    ],
)
def test_oneself_a_rebuke_a_thing_or_a_requirement_passes(moderator: Moderator, role: str, text: str) -> None:
    check_allowed(moderator, role, "chat", text)


def test_the_claim_needs_a_trait_before_it() -> None:
    """A claim alone asks nothing of anyone (你还想了解哪个岗位); the same claim after a trait is presumption."""
    assert list(contempt.presumed("你还想了解哪个岗位")) == []
    assert [r[4] for r in contempt.presumed("你这学历还想了解管理岗")] == ["claim above a trait"]


def test_round20_groups_are_named_once() -> None:
    check_own_groups(contempt)
