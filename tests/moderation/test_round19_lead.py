"""Lines the lead fixed after reading batch 21 (the nineteenth round's held-out batch) at its end figure.

Missed there: a phone number told in the heavenly stems (号码用天干报：甲丙庚…), a handle after a Canadian-syllabics
"V" (找ᐯ …), Signal named as the place to talk, a pay card "frozen" to sell its release (解冻保证金), idle bank cards
borrowed for turnover (闲置银行卡借我走流水), Yunnan insults (憨包, 脑壳有包), a worker waited for below their dormitory
(每天下班都在你宿舍楼下等), and a third person's home address posted with a call to the crowd (…住…7栋2单元，大家认准他)
(5.1.3 c/d; 个人信息保护法 §10; 治安管理处罚法 §42). The violations here are new wordings of those mechanisms, each beside
a clean neighbour, flagged by the rules alone.
"""

from __future__ import annotations

import pytest

from moderation.engine import Moderator
from tests.moderation.conftest import check_pair

pytestmark = pytest.mark.clause("5.1.3 c")

# (role, context, clean line, violation next to it, the violation's category)
PAIRS = [
    ("host", "chat", "合同里甲方乙方丙方写得清清楚楚，有疑问打平台客服电话",
     "电话按天干念：甲戊辛 丙丁乙己 壬庚甲戊，晚上打", "pii"),
    ("recruiter", "name", "港口装卸直招 李经理", "港口直招 加ᐯ gangkou2024", "diversion"),
    ("host", "chat", "叉车上的signal灯坏了，明天换新的", "这里说话不方便，去signal找我，用户名 harbor_li", "diversion"),
    ("host", "chat", "工资卡被冻结请本人去银行处理，公司不经手", "你工资卡被风控了，先交八百解冻金才能发工资", "scam"),
    ("recruiter", "chat", "发工资要本人银行卡，千万别借给别人", "谁的闲置银行卡借我走几天流水，给你一千", "scam"),
    ("host", "chat", "老乡说话憨厚，干活实在", "问了八遍还不会，憨包一个", "harassment"),
    ("recruiter", "chat", "我每天在公司楼下等大家坐班车", "你不接电话也行，我天天在你家楼下等你", "harassment"),
    ("host", "chat", "新来的小王住员工宿舍3栋2单元，有事去找他",
     "欠工钱跑了的老李，他住幸福里小区3栋2单元，兄弟们上门找他", "harassment"),
]


@pytest.mark.parametrize(("role", "context", "clean", "violation", "category"), PAIRS)
def test_a_clean_line_passes_and_its_violating_neighbour_is_flagged(
    moderator: Moderator, role: str, context: str, clean: str, violation: str, category: str
) -> None:
    check_pair(moderator, role, context, clean, violation, category, rules_alone=True)


def test_a_posted_address_is_personal_data_as_well(moderator: Moderator) -> None:
    """The address in a pillory is disclosed data (pii) besides the harassment (个人信息保护法 §10)."""
    d = moderator.moderate("放我鸽子的小周，她住青年路12号院5栋，大家认准她", role="recruiter", context="chat")
    assert {"pii", "harassment"} <= set(d.categories), d.to_json()
