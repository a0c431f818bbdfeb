"""Lines the lead fixed after reading batch 19 (the seventeenth round's held-out batch) at its end figure.

Six clean lines were flagged: a marital-status question said to be forbidden (婚育情况属于不能问的), a private number
withheld in favour of the platform's messages (私人号码就不给了，站内信说), an exam fee said to go to the exam body
(报名费交给考试机构), an insult a seeker was called at work told as the reason to change jobs, and a live-room call
to type a number (想去哪个打数字). Missed: girls refused in Hakka and Cantonese (妹仔就莫来), 就业促进法 §27; a mobile
number written backwards with the cue to turn it round, and a WeChat mini-program's name to search (5.1.3 d).
"""

from __future__ import annotations

import pytest

from moderation.engine import Moderator
from tests.moderation.conftest import check_pair

pytestmark = pytest.mark.clause("5.1.3 c")

# (role, context, clean line, violation next to it, the violation's category)
PAIRS = [
    ("host", "chat", "我们面试官培训过，婚育情况属于不能问的，问了你直接投诉", "面试要问婚育情况，结了婚没生的我们得考虑考虑", "discrimination"),
    ("recruiter", "chat", "私人号码就不给了哈，有事站内信说，平台都有记录", "私人号码发你了，加我微信细聊：wx138526", "diversion"),
    ("host", "chat", "会计证报名费交给考试院，不是交给我们，别信代报名", "报名费交给我们，八百，我们帮你报考试", "fee"),
    ("viewer", "chat", "在超市当收银被顾客骂过老不死的，想换个工作", "你个老不死的还来找工作，滚", "harassment"),
    ("host", "chat", "①号是仓管，②号是分拣，想去哪个打数字", "想去的打数字，然后加我微信wx52013800私聊", "diversion"),
    ("host", "chat", "后生仔妹仔都欢迎，包吃包住", "只要后生男仔，妹仔就莫来咯", "discrimination"),
    ("recruiter", "chat", "工号倒过来看是 98765432101，别填错", "手机号倒着写给你们：8765 4321 931，自己翻过来加我", "diversion"),
    ("host", "chat", "微信小程序搜一下就能看到本平台的岗位吗？", "想报名的去微信小程序搜“快招云站”填个表，有人联系你", "diversion"),
]


@pytest.mark.parametrize(("role", "context", "clean", "violation", "category"), PAIRS)
def test_a_clean_line_passes_and_its_violating_neighbour_is_flagged(
    moderator: Moderator, role: str, context: str, clean: str, violation: str, category: str
) -> None:
    check_pair(moderator, role, context, clean, violation, category)
