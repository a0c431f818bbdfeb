"""Clean host lines the lead's hand test found flagged at the twelfth round's merge, each beside a violation that
uses the same words and must stay flagged.

A host saying pregnancy or hepatitis-B screening is not done says what the law asks (妇女权益保障法 §43,
就业促进法 §30: no pregnancy tests, no hepatitis-B screening as a condition); "不是不招" denies a refusal; hosts ask
viewers to post their city or question in the public chat (公屏) and workers scan codes to sign in or draw pay.
Standard 5.1.3 c/d.
"""

from __future__ import annotations

import pytest

from moderation.engine import Moderator
from tests.moderation.conftest import check_pair

pytestmark = pytest.mark.clause("5.1.3 c")

# (role, context, clean line, violation next to it, the violation's category)
PAIRS = [
    ("host", "chat", "我们不验孕，放心来", "女性入职需验孕", "discrimination"),
    ("host", "chat", "入职不做孕检", "不做孕检的不要", "discrimination"),
    ("host", "chat", "能进，我们不查乙肝两对半", "要查乙肝两对半", "discrimination"),
    ("recruiter", "job", "入职体检不含孕检和乙肝项目", "入职要做孕检", "discrimination"),
    ("host", "chat", "乙肝五项不查的", "乙肝五项要查，有问题的不要", "discrimination"),
    ("host", "chat", "我们从来不要求乙肝两对半", "没做孕检的别来", "discrimination"),
    ("host", "chat", "孕妇不安排上夜班，这是保护政策，不是不招", "孕妇这批不招", "discrimination"),
    (
        "host",
        "chat",
        "大家把想去的城市打在公屏上，我帮你们找岗位",
        "把你的电话打在公屏上，我让人事联系你",
        "diversion",
    ),
    ("host", "chat", "上班扫码打卡，下班扫码签退", "扫码加我，发你岗位表", "diversion"),
    # batch 14, read after its end figure: a warning that ends "我们不搞这个"; 威心 for 微信 in a display name
    (
        "recruiter",
        "chat",
        "让你办贷款学美容的，你掉头就走，我们不搞这个",
        "办贷款学美容，学完包分配，我们不搞虚的",
        "scam",
    ),
    ("host", "name", "家政小芳", "家政小芳 威心jz5520", "diversion"),
    ("recruiter", "name", "小薇心理咨询", "酒店招聘 薇芯123456", "diversion"),  # the family's 信/芯/心/星 forms anchor it
]


@pytest.mark.parametrize(("role", "context", "clean", "violation", "category"), PAIRS)
def test_a_clean_line_passes_and_its_violating_neighbour_is_flagged(
    moderator: Moderator, role: str, context: str, clean: str, violation: str, category: str
) -> None:
    check_pair(moderator, role, context, clean, violation, category)


def test_a_career_threat_said_with_jiao_is_a_threat_and_advice_is_not(moderator: Moderator) -> None:
    """ "叫你以后…找不到工作" threatens like 让你 (batch 14); with 别/不然 between, it is advice (the rules say nothing)."""
    threat = moderator.moderate("哪个客服敢给我差评，我叫你以后在本市找不到工作", role="host", context="chat")
    assert threat.action == "block" and "harassment" in threat.categories, threat.to_json()
    rules = Moderator(moderator.lexicon, learned=False)
    advice = rules.moderate("叫你以后多学点技术，不然找不到工作的时候后悔", role="host", context="chat")
    assert advice.action == "allow", advice.to_json()
