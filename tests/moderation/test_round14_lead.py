"""Clean lines the lead's hand test found flagged at the fourteenth round's merge, each beside a violation that uses
the same words and must stay flagged by the rules alone.

A host saying the job needs no recruiting of others ("不需要拉人头") refuses the pyramid scheme that 禁止传销条例 §7
forbids; a demand to recruit stays one. A mine's men-only limit with the law named between the job and the limit
("井下采煤岗按国家规定只招男性") is the law's (女职工劳动保护特别规定, 附录 1: 矿山井下作业); a limit that also covers a
surface job stays discrimination (就业促进法 §27). The speaker threatening
whoever comes with their livelihood ("我就让他在这片混不下去") harasses as "让你…" does; a boss's threat told does not.
From batch 16, read after its end figure: questions about marriage, partners and children (妇女权益保障法 §43) in
more wordings, unless said not to be asked; sitting an exam for someone (刑法 §284-1); a threat to put someone's
papers out; phone cards bought per card (刑法 §287-2). Standard 5.1.3 c/d.
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
    # batch 16, read after its end figure: data work is no order-brushing; marriage questions said not to be asked,
    # and more ways of asking them; sitting an exam for someone; papers threatened to be put out; cards bought by
    # a viewer at a price per card ("有多少要多少" asks nothing)
    ("viewer", "resume", "曾在外包驻场做数据分析两年，熟悉SQL", "在家做数据，一单返佣二十", "scam"),
    ("host", "interview", "面试官会问你为啥离职，婚育情况不会问，也不影响录用", "婚育情况要问清楚，已婚未育的不考虑", "discrimination"),
    ("recruiter", "interview", "面试不会问你有没有对象，放心", "顺便问一句，你现在单身还是有对象了", "discrimination"),
    ("recruiter", "job", "登记表里婚姻状况、子女数量都不用填", "入职登记表请填写婚姻状况、子女数量、配偶姓名", "discrimination"),
    ("host", "chat", "考试严禁代考，发现直接取消资格", "帮人代考四六级和驾照科目一，一单五百", "scam"),
    ("host", "chat", "招聘海报挂出去了，大家去看看", "再闹我就把你的身份证信息挂出去", "harassment"),
    ("viewer", "chat", "有人两百一张收实名电话卡，千万别卖，那是骗子", "闲着的实名电话卡别扔，我这边两百一张收，有多少要多少", "scam"),
]


@pytest.mark.parametrize(("role", "context", "clean", "violation", "category"), PAIRS)
def test_a_clean_line_passes_and_its_violating_neighbour_is_flagged(
    moderator: Moderator, role: str, context: str, clean: str, violation: str, category: str
) -> None:
    check_pair(moderator, role, context, clean, violation, category, rules_alone=True)
