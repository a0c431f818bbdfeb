"""Clean lines the lead's hand test found flagged at the thirteenth round's merge, each beside a violation that uses
the same words and must stay flagged by the rules alone.

A host telling viewers to check a labour agency's licence before paying anyone (对外劳务合作管理条例 §5: only a
licensed company may send workers abroad) warns against the fees 就业促进法 §41 forbids; a demand made before the
payment ("交钱之前先填个表") or a look at what the speaker sells ("先看一下我们的课程") stays one. Batch 15's lines read after
its end figure: a refusal with who would be asked between ("不是叫你们交钱"), dialect denials and conditions (Wu 勿收,
Gan 冇交…个莫), and a platform rule told ("规矩是不留手机号的"). A host answering a
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
    # batch 15, read after its end figure: who would be asked or the kind between a refusal and the fee; Wu 勿收;
    # a Gan condition (冇交…个莫: those who have not paid, don't); leaving a contact refused, not made a condition
    ("host", "chat", "满勤奖和夜班补贴都是加到工资里的，不是叫你们交钱", "不是叫你们交押金，是叫你们交三百服装费", "fee"),
    ("host", "chat", "我们是正规工厂，不是那种交钱学技术的培训班", "交钱学技术，学完包分配，两千八", "fee"),
    ("host", "chat", "阿拉厂里勿收押金，工作服也是发的", "押金勿要忘记带，两百块", "fee"),
    ("host", "chat", "冇交钱个事莫担心，我们不收钱", "冇交报名费个莫上车，一人两百", "fee"),
    ("host", "chat", "这边规矩是不留手机号的，有问题在弹幕里问", "不留手机号的不给安排", "diversion"),
    ("viewer", "chat", "主播留不留手机号啊", "留手机号，我让人事打给你", "diversion"),
]


@pytest.mark.parametrize(("role", "context", "clean", "violation", "category"), PAIRS)
def test_a_clean_line_passes_and_its_violating_neighbour_is_flagged(
    moderator: Moderator, role: str, context: str, clean: str, violation: str, category: str
) -> None:
    check_pair(moderator, role, context, clean, violation, category, rules_alone=True)
