"""Clean lines the lead's hand test found flagged at the fourteenth round's merge, each beside a violation that uses
the same words and must stay flagged by the rules alone.

A host saying the job needs no recruiting of others ("不需要拉人头") refuses the pyramid scheme that 禁止传销条例 §7
forbids; a demand to recruit stays one. A mine's men-only limit with the law named between the job and the limit
("井下采煤岗按国家规定只招男性") is the law's (女职工劳动保护特别规定, 附录 1: 矿山井下作业); a limit that also covers a
surface job stays discrimination (就业促进法 §27). The speaker threatening
whoever comes with their livelihood ("我就让他在这片混不下去") harasses as "让你…" does; a boss's threat told does not.
Standard 5.1.3 c/d.
"""

from __future__ import annotations

import pytest

from moderation.engine import Moderator
from tests.moderation.conftest import check_pair

pytestmark = pytest.mark.clause("5.1.3 c")

# (role, context, clean line, violation next to it, the violation's category)
PAIRS = [
    ("host", "chat", "客服岗位，接听保险公司的来电，不是推销，不需要拉人头，底薪三千五加绩效", "客服岗位，底薪三千五，需要拉人头，拉满五个升主管", "scam"),
    ("recruiter", "job", "门店导购，无需拉人头，无需囤货，底薪加提成", "门店导购，需要先拉人头才能转正", "scam"),
    ("host", "chat", "井下采煤岗按国家规定只招男性，地面的食堂和文员岗男女都招", "井下采煤岗和地面文员按规定只招男性", "discrimination"),
    ("recruiter", "job", "招井下掘进工底薪八千包吃住只招男的", "招井下掘进工，地面仓管文员也只招男的", "discrimination"),
    # the speaker threatening whoever comes; a boss's threat told is no threat by the speaker
    ("viewer", "chat", "之前那个老板让他在东莞找不到工作，他只好回老家了", "谁敢来这个厂我就让他在这片混不下去", "harassment"),
    ("recruiter", "chat", "他让他弟弟来面试，结果没人要", "谁去仲裁，老子叫他们在东莞都进不了厂", "harassment"),
]


@pytest.mark.parametrize(("role", "context", "clean", "violation", "category"), PAIRS)
def test_a_clean_line_passes_and_its_violating_neighbour_is_flagged(
    moderator: Moderator, role: str, context: str, clean: str, violation: str, category: str
) -> None:
    check_pair(moderator, role, context, clean, violation, category, rules_alone=True)
