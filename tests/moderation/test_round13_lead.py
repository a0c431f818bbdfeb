"""Clean lines the lead's hand test found flagged at the thirteenth round's merge, each beside a violation that uses
the same words and must stay flagged by the rules alone.

A host telling viewers to check a labour agency's licence before paying anyone (对外劳务合作管理条例 §5: only a
licensed company may send workers abroad) warns against the fees 就业促进法 §41 forbids; a demand made before the
payment ("交钱之前先填个表") or a look at what the speaker sells ("先看一下我们的课程") stays one. A host answering a
rumour that the room charges ("有人说我们收押金，那是同行造谣") denies the fee; a demand beside the word stays one.
Standard 5.1.3 c.
"""

from __future__ import annotations

import pytest

from moderation.engine import Moderator
from tests.moderation.conftest import check_pair

pytestmark = pytest.mark.clause("5.1.3 c")

# (role, context, clean line, violation next to it, the violation's category)
PAIRS = [
    ("host", "chat", "出国劳务一定要找有对外劳务合作经营资格的公司，交钱之前先查资质", "出国劳务名额紧张，交钱之前先填个表", "fee"),
    ("host", "chat", "交钱前一定要核实，别被中介骗了", "交钱之前先看一下我们的课程，学完包分配", "fee"),
    ("recruiter", "chat", "付款前先确认对方有没有资质", "付款前先把身份证复印件给我，押金三百", "fee"),
    # someone said we charge, and the next clause calls it a rumour (a demand beside a rumour stays one)
    ("host", "chat", "有人说我们收押金，那是同行造谣，我们从来不收", "押金两百，别听同行造谣，交了就能进厂", "fee"),
    ("host", "chat", "网上有人说我们要交报名费，这是谣言", "报名费一百，网上那些都是谣言，不用管", "fee"),
]


@pytest.mark.parametrize(("role", "context", "clean", "violation", "category"), PAIRS)
def test_a_clean_line_passes_and_its_violating_neighbour_is_flagged(
    moderator: Moderator, role: str, context: str, clean: str, violation: str, category: str
) -> None:
    check_pair(moderator, role, context, clean, violation, category, rules_alone=True)
