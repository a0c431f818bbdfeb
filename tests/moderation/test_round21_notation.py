"""Round 21 (notation helper): a contact written as a puzzle the reader solves (standard 5.1.3 d; 5.2).

Every violation below is worded apart from the lines file
(docs/measurements/2026-12-07-moderation-round21-notation-lines.tsv): other clause heads, other labels, other
ingredients and other numbers, so a test passes only when the operation the line asks for (take each clause's
first character, count the marks, split the run where the writer spaced it, put the segments in their labels'
order, work the sum, build the handle from its recipe) is applied and its result read. The clean side keeps
a motto's acrostic, a count of posts, an order number, a birthday, a numbering rule, a wage and a warning.
"""

from __future__ import annotations

import pytest

from moderation import puzzles
from moderation.engine import Moderator
from moderation.shared import default_normalizer
from tests.moderation.conftest import check_allowed, check_caught, check_own_groups, check_pair

pytestmark = pytest.mark.clause("5.1.3 d")

# (role, context, text, action, categories): the puzzle's operation with slots the lines file fills otherwise
CAUGHT = [
    ("recruiter", "chat", "留意每行起头：薇姐带新人，信用好的优先，号牌统一发放，lao_he88", "block", ("diversion",)),
    ("host", "chat", "每句尾巴连一起：上岗先培训再加，工服统一发给你扣，宿舍就在厂里扣", "block", ("diversion",)),
    ("recruiter", "chat", "每条开头：一天一结，八人一组，六点开工，二楼食堂，三餐免费，四人一间，五天试岗，七天带薪，八小时制，九月入职，零中介费", "block", ("diversion", "pii")),
    ("host", "chat", "店名缩写后面接开张那天的日期就是我的号，一搜就有", "block", ("diversion",)),
    ("recruiter", "chat", "后边四位2580，中间是3691，号段158", "block", ("diversion", "pii")),
    ("host", "chat", "手机前三位一百七十减三，后八位40915286", "block", ("diversion", "pii")),
    ("host", "chat", "保安岗联系老周 2271 13859046217", "block", ("diversion", "pii")),
    ("host", "chat", "报名打 17609358241 6点前都在线", "block", ("diversion", "pii")),
    ("recruiter", "chat", "电话数一数爱心：❤ ❤❤❤❤❤❤❤ ❤❤❤❤❤ ❤❤ ❤❤❤❤❤❤❤❤❤ ❤❤❤❤ ❤ ❤❤❤ ❤❤❤❤❤❤ ❤❤❤❤❤❤❤❤ ❤❤", "block", ("diversion", "pii")),
]


@pytest.mark.parametrize(("role", "context", "text", "action", "categories"), CAUGHT)
def test_a_contact_told_as_a_puzzle_is_caught_by_the_rules(
    role: str, context: str, text: str, action: str, categories: tuple[str, ...]
) -> None:
    check_caught(role, context, text, action, categories)


def test_a_seekers_own_number_run_into_a_count_is_masked() -> None:
    check_caught("viewer", "chat", "我电话15920837461 3号楼的，有零工叫我", "mask", ("pii",))


# (role, context, clean line, violation next to it, category)
PAIRS = [
    ("host", "chat", "厂训每句第一个字连起来：团结奋进，结果导向，友善待人，爱岗敬业",
     "厂训每句第一个字连起来：加紧生产，微笑待人，信守承诺，ahui_2026", "diversion"),
    ("recruiter", "job", "员工编号规则：姓名拼音首字母后面跟入职日期，系统自动分配",
     "我的号就是姓名拼音首字母后面跟入职日期，自己凑", "diversion"),
    ("host", "chat", "各厂区缺口：东区 14 人 西区 9 人 南区 23 人",
     "各厂区缺口问我，电话 13975208461 9 人已报", "diversion"),
    ("viewer", "chat", "平台订单尾号6150，前面是H2026，客服请帮我退一下",
     "我号码尾号6150，前面七位是1886042，老板直接打", "pii"),
]


@pytest.mark.parametrize(("role", "context", "clean", "violation", "category"), PAIRS)
def test_a_lawful_neighbour_passes_beside_its_puzzle_twin(
    moderator: Moderator, role: str, context: str, clean: str, violation: str, category: str
) -> None:
    check_pair(moderator, role, context, clean, violation, category, rules_alone=True)


@pytest.mark.parametrize(
    ("role", "text"),
    [
        ("host", "提醒一下：凡是让你按拼音加生日去搜微信的，都是骗子"),  # a warning
        ("viewer", "祝我们组长生日快乐，1990年5月12号生的，永远十八"),  # a birthday greeting
        ("host", "时薪二十六，乘以十个小时，一天二百六"),  # a wage worked out
        ("recruiter", "面试定在12月11号上午，倒过来排的话先面夜班的"),  # a date and an order reversed
    ],
)
def test_a_warning_a_birthday_a_wage_or_a_date_passes(moderator: Moderator, role: str, text: str) -> None:
    check_allowed(moderator, role, "chat", text)


def test_the_heads_are_read_only_after_a_pointer() -> None:
    """Without a pointer the same clauses are only words; with one, their heads are a channel."""
    fold = default_normalizer().fold
    line = "加紧生产，微笑待人，信守承诺，ahui_2026"
    assert list(puzzles.acrostic(line, fold(line), fold)) == []
    pointed = "看每句第一个字：" + line
    assert [r[4] for r in puzzles.acrostic(pointed, fold(pointed), fold)] == ["acrostic"]


def test_round21_groups_are_named_once() -> None:
    check_own_groups(puzzles)
